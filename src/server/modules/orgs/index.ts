export { createOrgsService, type OrgsService } from './orgs.service.js';
