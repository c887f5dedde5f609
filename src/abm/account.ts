/** Apple's hosts and the Client ID conventions that tie an API account to them (spec 1.3, 2.1). */
export const ABM_ASSERTION_AUDIENCE = 'https://account.apple.com/auth/oauth2/v2/token';
export const ABM_DEFAULT_TOKEN_URL = 'https://account.apple.com/auth/oauth2/token';
export const ABM_BUSINESS_API_URL = 'https://api-business.apple.com';
export const ABM_SCHOOL_API_URL = 'https://api-school.apple.com';

export type AbmAccountType = 'business' | 'school';

/** `BUSINESSAPI.` ids belong to Apple Business, everything else (`SCHOOLAPI.`) to Apple School Manager. */
export function accountType(clientId: string): AbmAccountType {
  return clientId.startsWith('BUSINESSAPI.') ? 'business' : 'school';
}

export function scopeFor(clientId: string): 'business.api' | 'school.api' {
  return accountType(clientId) === 'business' ? 'business.api' : 'school.api';
}

export function defaultApiBaseUrl(clientId: string): string {
  return accountType(clientId) === 'business' ? ABM_BUSINESS_API_URL : ABM_SCHOOL_API_URL;
}
