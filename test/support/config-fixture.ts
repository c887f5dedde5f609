/** The smallest config the schema accepts, as JSON: tests change only what they are about. */
export const minimalConfigJson = {
  abm: { clientId: 'BUSINESSAPI.9703f56c-0000', keyId: 'd136aa66-0000', privateKeyFile: 'abm.pem' },
  assetPanda: { account: 'Acme Corp', module: 'IT Assets' },
  mappings: [
    {
      id: 'apple-devices',
      collection: 'Apple Devices',
      uniqueIdentifier: 'serialNumber',
      fields: { serialNumber: 'Serial Number' },
    },
  ],
};
