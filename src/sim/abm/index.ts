export {
  startAbmSimulator,
  type AbmSimOptions,
  type AbmSimulator,
  type AbmSimCounters,
  type AbmSimFaultControls,
} from './server';
export {
  DEFAULT_FAULTS,
  type AbmSimFaults,
  type BurstFault,
  type ThrottleBurst,
  type ServerErrorBurst,
  type SimRoute,
  type SimOrgDevice,
  type SimOrgDevicesBody,
} from './faults';
export { SimFleet, type SimDevice, type SimDevicePatch } from './fleet';
export { generateCredentials, type AbmSimCredentials } from './credentials';
export { SIM_ASSERTION_AUDIENCE, type RejectionReason } from './authority';
export { CATALOG, type ProductFamily, type CatalogModel } from './catalog';
export { appleJson } from './apple-json';
