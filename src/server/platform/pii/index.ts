/** Field-level encryption and blind indexes for personal information. */
export { createPii, PiiError, type Pii, type PiiOptions, type PiiProfile } from './pii.js';
export { piiProfileSwitch } from './pii.tables.js';
export { readDataProfile, settleDataProfile } from './switch-state.js';
