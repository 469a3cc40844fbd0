export { createEfileService, type EfileService } from './efile.service.js';
export { efileRoutes, sharedCertificateView, sharedWorkerView } from './efile.routes.js';
