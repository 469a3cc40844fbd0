export {
  type Availability,
  createDiscoveryService,
  type DiscoveryDeps,
  type DiscoveryService,
  type OrgHit,
  type WorkerHit,
} from './discovery.service.js';
export { discoveryRoutes } from './discovery.routes.js';
export { rebuildAllBulk } from './rebuild-bulk.js';
export { metresToUnits, scaledPoint } from './geo.js';
// insights: certified workers' colours from the search projection
export { certifiedColorInsightsSql } from './insights-facts.js';
