import { z } from 'zod';
import { orgDeviceSchema } from './device';

/** `PagedDocumentLinks`; Apple marks `self` required, but nothing here depends on it. */
const pagedLinksSchema = z.object({
  self: z.string().nullish(),
  next: z.string().nullish(),
});

const pagingSchema = z.object({
  limit: z.number().int().nullish(),
  nextCursor: z.string().nullish(),
  total: z.number().int().nonnegative().nullish(),
});

/**
 * `OrgDevicesResponse`: one page of `GET /v1/orgDevices`. Unknown members are ignored. The devices
 * are validated one by one afterwards (see AbmClient.listDevices): one device that breaks the
 * schema is that device's failure, not the page's.
 */
export const orgDevicesResponseSchema = z.object({
  data: z.array(z.unknown()),
  links: pagedLinksSchema.nullish(),
  meta: z.object({ paging: pagingSchema.nullish() }).nullish(),
});
export type OrgDevicesResponse = z.infer<typeof orgDevicesResponseSchema>;

/** `OrgDeviceResponse`: `GET /v1/orgDevices/{id}`. */
export const orgDeviceResponseSchema = z.object({ data: orgDeviceSchema });
