/** Shapes of the orders API (src/server/modules/orders/orders.routes.ts), as the web reads them. */

export { orderStates, type OrderState, type Schedule } from '../../../shared/orders';
import type { OrderState, Schedule } from '../../../shared/orders';

export interface Party {
  id: string;
  name: string;
}

export interface OrderSummary {
  id: string;
  number: string;
  state: OrderState;
  category: string;
  mode: string;
  serviceStart: string;
  serviceEnd: string;
  visits: number;
  totalFen: number;
  district: string;
  addressMasked: string;
  company: Party;
  worker: Party | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrderHistoryEntry {
  action: string;
  fromState: string | null;
  toState: string;
  party: string;
  reason: string | null;
  at: string;
}

export interface OrderBooking {
  id: string;
  workerId: string;
  workerName: string;
  startsAt: string;
  endsAt: string;
  status: string;
  substituteFor: string | null;
}

export interface OrderFollowUp {
  id: string;
  assigneeKind: string;
  state: string;
  dueAt: string;
  reached: boolean | null;
  satisfaction: number | null;
  notes: string | null;
  recordedAt: string | null;
}

export interface OrderDetail extends OrderSummary {
  schedule: Schedule;
  priceItemId: string;
  priceTitle: string;
  unit: string;
  unitPriceFen: number;
  quantity: number;
  guideFlag: 'below' | 'above' | null;
  address: string | null;
  note: string | null;
  contractRef: string | null;
  expiresAt: string | null;
  cancelledBy: string | null;
  cancelFeeFen: number | null;
  stateReason: string | null;
  demandId: string | null;
  resident: { name: string; phoneMasked: string } | null;
  relation: 'resident' | 'company' | 'worker' | 'station' | 'regulator';
  actions: string[];
  history: OrderHistoryEntry[];
  assignments: {
    id: string;
    workerId: string;
    workerName: string;
    fromAt: string;
    toAt: string | null;
    endedReason: string | null;
    replacedById: string | null;
  }[];
  bookings: OrderBooking[];
  followUps: OrderFollowUp[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface NewOrderInput {
  priceItemId: string;
  workerId?: string | null;
  schedule: Schedule;
  address: string;
  district: string;
  note?: string | null;
}

export interface DemandView {
  id: string;
  category: string;
  mode: string;
  district: string;
  addressMasked: string;
  schedule: Schedule;
  budgetMinFen: number | null;
  budgetMaxFen: number | null;
  description: string;
  state: string;
  expiresAt: string;
  createdAt: string;
}

export interface OfferView {
  id: string;
  demandId: string;
  company: { id: string; name: string; creditGrade: string | null };
  worker: { id: string; name: string; skillLevel: string | null };
  priceItemId: string;
  priceTitle: string | null;
  unit: string | null;
  priceFen: number | null;
  message: string | null;
  state: string;
  referred: boolean;
  createdAt: string;
}

export interface MyDemand extends DemandView {
  orderId: string | null;
  pendingOffers: number;
}

export interface DemandDetail extends DemandView {
  address: string;
  orderId: string | null;
  offers: OfferView[];
}

export interface CompanyDemand extends DemandView {
  referred: boolean;
  offered: boolean;
}

export interface StationDemand extends DemandView {
  referredTo: string[];
}

export interface NewDemandInput {
  category: string;
  mode: string;
  district: string;
  address: string;
  schedule: Schedule;
  budgetMinFen?: number | null;
  budgetMaxFen?: number | null;
  description: string;
}

export interface Referral {
  id: string;
  demand: DemandView;
  company: Party;
  note: string | null;
  offerState: string | null;
  order: { id: string; number: string; state: string } | null;
  createdAt: string;
}

export interface FollowUpItem {
  id: string;
  orderId: string;
  orderNumber: string;
  category: string;
  mode: string;
  company: Party;
  district: string;
  assigneeKind: string;
  dueAt: string;
  state: string;
  reached: boolean | null;
  satisfaction: number | null;
  notes: string | null;
  recordedAt: string | null;
  completedAt: string | null;
}

export interface ScheduleItem {
  bookingId: string;
  orderId: string;
  number: string;
  state: OrderState;
  category: string;
  mode: string;
  startsAt: string;
  endsAt: string;
  status: string;
  district: string;
  addressMasked: string;
  company: Party;
  substitute: boolean;
}
