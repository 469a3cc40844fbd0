// Every table of every module, for Drizzle's typed queries and drizzle-kit. Modules add their tables file here.
export * from '../audit/audit.tables.js';
export * from '../idempotency/idempotency.tables.js';
export * from '../outbox/outbox.tables.js';
export * from '../../modules/identity/identity.tables.js';
export * from '../../modules/orgs/orgs.tables.js';

import * as audit from '../audit/audit.tables.js';
import * as idempotency from '../idempotency/idempotency.tables.js';
import * as outbox from '../outbox/outbox.tables.js';
import * as identity from '../../modules/identity/identity.tables.js';
import * as orgs from '../../modules/orgs/orgs.tables.js';

export const schema = { ...audit, ...idempotency, ...outbox, ...identity, ...orgs };
