export {
  createCatalogService,
  type CatalogDeps,
  type CatalogService,
  type CompanyPriceFrom,
  type GuideFlag,
  type GuideView,
  type OrderQuote,
  type ServiceItemView,
} from './catalog.service.js';
export { catalogRoutes } from './catalog.routes.js';
export { priceCeilingFen, unitsOfMode } from './price-rules.js';
export { serviceItemView } from './catalog.routes.js';
export { seedCatalog } from './seed.js';
