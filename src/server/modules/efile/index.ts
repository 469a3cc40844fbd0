export { createEfileService, type EfileService } from './efile.service.js';
export { efileRoutes } from './efile.routes.js';
