export const HINTS = {
  invalidClient:
    'Apple refused the client assertion. Check the Client ID (BUSINESSAPI.… for Apple Business, SCHOOLAPI.… for ' +
    'Apple School Manager), that the Key ID belongs to that API account, and that the private key file (or ' +
    'ABM_PRIVATE_KEY) is the key downloaded for that Key ID and not revoked; a machine clock that is off by ' +
    'minutes gives the same answer',
  invalidScope:
    'Apple refused the scope. The Client ID prefix decides it (BUSINESSAPI. → business.api on ' +
    'api-business.apple.com, SCHOOLAPI. → school.api on api-school.apple.com); check that the Client ID, the ' +
    'API host and the account type (business vs school) match',
  tokenRejected:
    'Apple refused the token request. Check the Client ID, the Key ID, the private key file and the token URL',
  forbidden:
    "The API account's role may lack the privilege for this request: check its role in Apple Business/School " +
    'Manager (Preferences > API); after changing privileges, generate a new private key',
  authAfterRefresh:
    'A freshly minted token was refused too. Check that the API host matches the Client ID (api-business.apple.com ' +
    'for BUSINESSAPI., api-school.apple.com for SCHOOLAPI.) and that the API account is still active',
} as const;
