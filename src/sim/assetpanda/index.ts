export {
  AssetPandaSimulator,
  startAssetPandaSimulator,
  type AssetPandaSimulatorOptions,
  type KeyPermission,
  type RequestCounts,
  type SimCredentials,
} from './simulator';
export {
  DEFAULT_RATE_LIMIT,
  SIM_ROUTES,
  SimFaults,
  WRITE_ROUTES,
  type RateLimit,
  type RouteFaults,
  type SimRoute,
} from './faults';
export type { DuplicateValue, SimCollectionSpec, SimColumnSpec, SimRecord } from './store';
export {
  APPLE_DEVICES,
  STATUS_OPTIONS,
  appleDevicesMapping,
  seedAppleDevicesCollection,
  type AppleDevicesCollection,
  type AppleDevicesSeedOptions,
} from './apple-devices';
