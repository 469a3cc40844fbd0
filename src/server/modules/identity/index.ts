export { createAuth, type Auth } from './auth.js';
export { createIdentityService, toMe, type IdentityService, type Me } from './identity.service.js';
export { identityRoutes } from './identity.routes.js';
export { type UserProfile, userPhoneSql, userProfileOf, userProfileSql } from './sql-facts.js';
export { identityAdminRoutes } from './admin.routes.js';
export { webauthnRoutes } from './webauthn.routes.js';
export { generateAccounts } from './identity.generate.js';
export { purgeExpiredAuthRecords } from './retention.js';
export { isBreachedPassword, requireAcceptablePassword } from './password-policy.js';
