export {
  AbmClient,
  ABM_MAX_PAGE_SIZE,
  type AbmClientOptions,
  type AbmDevicePage,
  type ListDevicesOptions,
} from './client';
export { loadPrivateKey, loadPrivateKeyFile, AbmKeyError } from './key';
export {
  createClientAssertion,
  ASSERTION_BACKDATE_SEC,
  ASSERTION_LIFETIME_SEC,
  type AssertionOptions,
} from './assertion';
export {
  ABM_ASSERTION_AUDIENCE,
  ABM_DEFAULT_TOKEN_URL,
  ABM_BUSINESS_API_URL,
  ABM_SCHOOL_API_URL,
  accountType,
  scopeFor,
  defaultApiBaseUrl,
  type AbmAccountType,
} from './account';
export { TOKEN_REFRESH_MARGIN_MS } from './token';
export { orgDeviceSchema, orgDeviceAttributesSchema, toAbmDevice, type AbmDevice } from './device';
