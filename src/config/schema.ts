import { z } from 'zod';

/** ABM attribute names a mapping may use (interface.md, "Mapping keys under fields"). */
export const ABM_FIELD_KEYS = [
  'serialNumber',
  'imei',
  'meid',
  'eid',
  'bluetoothMacAddress',
  'wifiMacAddress',
  'ethernetMacAddress',
  'deviceModel',
  'productType',
  'status',
  'color',
  'addedToOrgDateTime',
  'orderNumber',
  'orderDateTime',
  'partNumber',
  'purchaseSourceId',
  'purchaseSourceType',
  'deviceCapacity',
  'productFamily',
  'updatedDateTime',
  'releasedFromOrgDateTime',
] as const;

export const abmFieldKeySchema = z.enum(ABM_FIELD_KEYS);
export type AbmFieldKey = z.infer<typeof abmFieldKeySchema>;

export const mappingSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
        'use letters, digits, ".", "_" or "-" (at most 64 characters)',
      ),
    name: z.string().min(1).optional(),
    collection: z.string().min(1, 'name the Asset Panda collection (display name or id)'),
    uniqueIdentifier: abmFieldKeySchema,
    fields: z
      .partialRecord(abmFieldKeySchema, z.string().min(1, 'name the target column (display name or id)'))
      .refine((f) => Object.keys(f).length > 0, 'map at least one ABM field'),
    syncDirection: z
      .literal('abm-to-assetpanda', { error: 'only "abm-to-assetpanda" is supported' })
      .optional(),
    externalEntity: z.literal('devices', { error: 'only "devices" is supported' }).optional(),
    /** Devices per upsert batch (at most 100, the Asset Panda batch limit). */
    batchSize: z.number().int().min(1).max(100).optional(),
    /** Upsert batches in flight at once per page. */
    parallelism: z.number().int().min(1).max(16).optional(),
    /** Devices per ABM page (at most 1000). */
    pageSize: z.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (!(m.uniqueIdentifier in m.fields)) {
      ctx.addIssue({
        code: 'custom',
        path: ['uniqueIdentifier'],
        message: `"${m.uniqueIdentifier}" must also be mapped under "fields"`,
      });
    }
  });
export type MappingConfig = z.infer<typeof mappingSchema>;

export const configSchema = z
  .object({
    temporal: z
      .object({
        address: z.string().min(1).default('localhost:7233'),
        namespace: z.string().min(1).default('default'),
        taskQueue: z.string().min(1).default('abm-sync'),
        /**
         * `true` for TLS with the system's roots (Temporal Cloud with an API key in
         * TEMPORAL_API_KEY), or files for mTLS. Paths are relative to the config file's folder.
         */
        tls: z
          .union([
            z.boolean(),
            z
              .object({
                clientCertFile: z.string().min(1).optional(),
                clientKeyFile: z.string().min(1).optional(),
                serverRootCaFile: z.string().min(1).optional(),
                serverName: z.string().min(1).optional(),
              })
              .strict()
              .refine(
                (t) => !t.clientCertFile === !t.clientKeyFile,
                'give both clientCertFile and clientKeyFile, or neither',
              ),
          ])
          .optional(),
      })
      .strict()
      .default({ address: 'localhost:7233', namespace: 'default', taskQueue: 'abm-sync' }),
    abm: z
      .object({
        clientId: z
          .string()
          .regex(
            /^(BUSINESSAPI|SCHOOLAPI)\.\S+$/,
            'must start with "BUSINESSAPI." or "SCHOOLAPI." (copy it from ABM > Preferences > API)',
          ),
        keyId: z.string().min(1),
        privateKeyFile: z.string().min(1).optional(),
        apiBaseUrl: z.url().optional(),
        tokenUrl: z.url().optional(),
      })
      .strict(),
    assetPanda: z
      .object({
        baseUrl: z.url().default('https://api.assetpanda.app'),
        account: z.string().min(1),
        module: z.string().min(1),
      })
      .strict(),
    mappings: z
      .array(mappingSchema)
      .min(1, 'define at least one mapping')
      .superRefine((ms, ctx) => {
        const seen = new Set<string>();
        ms.forEach((m, i) => {
          if (seen.has(m.id))
            ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate mapping id "${m.id}"` });
          seen.add(m.id);
        });
      }),
  })
  .strict();

export type AbmSyncConfig = z.infer<typeof configSchema>;
