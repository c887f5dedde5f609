import { z } from 'zod';

/** Column types of Asset Panda Pro (spec, "Discovery"; the list is our assumption). */
export const COLUMN_TYPES = ['text', 'number', 'date', 'datetime', 'boolean', 'list', 'barcode'] as const;
export const columnTypeSchema = z.enum(COLUMN_TYPES);
export type ColumnType = z.infer<typeof columnTypeSchema>;

export const columnSchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  type: columnTypeSchema,
  isUnique: z.boolean().default(false),
  isRequired: z.boolean().default(false),
  deleted: z.boolean().default(false),
  options: z.array(z.string()).optional(),
});
export type Column = z.infer<typeof columnSchema>;

export const accountsResponseSchema = z.object({
  data: z.array(z.object({ id: z.string().min(1), name: z.string() })),
});
export const modulesResponseSchema = z.object({
  data: z.array(z.object({ id: z.string().min(1), displayName: z.string() })),
});
export const collectionsResponseSchema = z.object({
  data: z.array(
    z.object({
      id: z.string().min(1),
      displayName: z.string(),
      isActive: z.boolean().default(true),
      deleted: z.boolean().default(false),
    }),
  ),
});
export const columnsResponseSchema = z.object({
  data: z.object({ columns: z.object({ all: z.array(columnSchema) }) }),
});

/** A record as the API sends it: id and timestamps plus one key per set column id. */
export const apiRecordSchema = z
  .object({ id: z.string().min(1), createdAt: z.string().optional(), updatedAt: z.string().optional() })
  .catchall(z.unknown());

export const searchResponseSchema = z.object({
  data: z.object({
    records: z.array(apiRecordSchema),
    nextPageToken: z.string().nullish(),
    total: z.number().optional(),
  }),
});

export const recordErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  columnId: z.string().optional(),
});
export type RecordError = z.infer<typeof recordErrorSchema>;

export const writeResultSchema = z.discriminatedUnion('success', [
  z.object({ index: z.number().int(), success: z.literal(true), id: z.string().min(1) }),
  z.object({ index: z.number().int(), success: z.literal(false), errors: z.array(recordErrorSchema) }),
]);
export type WriteResult = z.infer<typeof writeResultSchema>;

export const writeResponseSchema = z.object({
  data: z.object({ records: z.array(writeResultSchema) }),
});
