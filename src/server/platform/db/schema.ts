// Every table of every module, for Drizzle's typed queries and drizzle-kit. Modules add their tables file here.
export * from '../audit/audit.tables.js';
export * from '../audit-anchor/audit-anchor.tables.js';
export * from '../idempotency/idempotency.tables.js';
export * from '../outbox/outbox.tables.js';
export * from '../pii/pii.tables.js';
export * from '../../modules/identity/identity.tables.js';
export * from '../../modules/orgs/orgs.tables.js';
export * from '../../modules/certification/certification.tables.js';
export * from '../../modules/notifications/notifications.tables.js';
export * from '../../modules/workers/workers.tables.js';
export * from '../../modules/efile/efile.tables.js';
export * from '../../modules/training/training.tables.js';
export * from '../../modules/orders/orders.tables.js';
export * from '../../modules/catalog/catalog.tables.js';
export * from '../../modules/discovery/discovery.tables.js';
export * from '../../modules/feedback/feedback.tables.js';
export * from '../../modules/insurance/insurance.tables.js';
export * from '../../modules/messaging/messaging.tables.js';
export * from '../../modules/credit/credit.tables.js';
export * from '../../modules/contracts/contracts.tables.js';
export * from '../../modules/recruitment/recruitment.tables.js';
export * from '../../modules/content/content.tables.js';
export * from '../../modules/insights/insights.tables.js';
export * from '../../modules/partners/partners.tables.js';

import * as audit from '../audit/audit.tables.js';
import * as auditAnchor from '../audit-anchor/audit-anchor.tables.js';
import * as idempotency from '../idempotency/idempotency.tables.js';
import * as outbox from '../outbox/outbox.tables.js';
import * as piiTables from '../pii/pii.tables.js';
import * as identity from '../../modules/identity/identity.tables.js';
import * as orgs from '../../modules/orgs/orgs.tables.js';
import * as certification from '../../modules/certification/certification.tables.js';
import * as notifications from '../../modules/notifications/notifications.tables.js';
import * as workers from '../../modules/workers/workers.tables.js';
import * as efile from '../../modules/efile/efile.tables.js';
import * as training from '../../modules/training/training.tables.js';
import * as orders from '../../modules/orders/orders.tables.js';
import * as catalog from '../../modules/catalog/catalog.tables.js';
import * as discovery from '../../modules/discovery/discovery.tables.js';
import * as feedback from '../../modules/feedback/feedback.tables.js';
import * as insurance from '../../modules/insurance/insurance.tables.js';
import * as messaging from '../../modules/messaging/messaging.tables.js';
import * as credit from '../../modules/credit/credit.tables.js';
import * as contracts from '../../modules/contracts/contracts.tables.js';
import * as recruitment from '../../modules/recruitment/recruitment.tables.js';
import * as content from '../../modules/content/content.tables.js';
import * as insights from '../../modules/insights/insights.tables.js';
import * as partners from '../../modules/partners/partners.tables.js';

export const schema = {
  ...audit,
  ...auditAnchor,
  ...idempotency,
  ...outbox,
  ...piiTables,
  ...identity,
  ...orgs,
  ...workers,
  ...certification,
  ...notifications,
  ...efile,
  ...training,
  ...orders,
  ...catalog,
  ...discovery,
  ...feedback,
  ...insurance,
  ...messaging,
  ...credit,
  ...contracts,
  ...recruitment,
  ...content,
  ...insights,
  ...partners,
};
