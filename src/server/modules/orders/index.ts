export { createDemandsService, type DemandsService } from './demands.service.js';
export { orderStates, type OrderState } from './order-status.js';
export {
  createOrdersService,
  type OrderDetail,
  type OrderEventPayload,
  type OrdersEvents,
  type OrdersService,
} from './orders.service.js';
export { ordersRoutes } from './orders.routes.js';
export { orderCreditStatsSql } from './credit-facts.js';
export { type OrdersSeedInput, type OrdersSeedResult, seedOrders } from './orders.seed.js';
export {
  createOrderGenerator,
  type GenerateItem,
  type OrderGenerator,
  ordersBulkTables,
} from './orders.generate.js';
// insights: monthly flows, drill-down list and completed prices over this module's tables
export { completedPriceInsightsSql, orderFlowInsightsSql, orderListInsightsSql } from './insights-facts.js';
export { anonymiseClosedOrders } from './retention.js';
export { type DemandOfferFact, demandOffersOf, demandsPostedBy, type OwnDemandFact } from './efile-facts.js';
