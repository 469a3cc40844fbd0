/** Field-level encryption and blind indexes for personal information. */
export { createPii, PiiError, type Pii, type PiiOptions } from './pii.js';
