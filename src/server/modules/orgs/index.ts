export { createOrgsService, type NewOrganization, type OrgsService } from './orgs.service.js';
