export type Side = 'resident' | 'worker' | 'company';
export type ContextKind = 'profile' | 'order' | 'demand_offer' | 'job_application';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Named {
  id: string;
  name: string;
}

export interface MessageView {
  id: string;
  conversationId: string;
  seq: number;
  kind: 'text' | 'image' | 'system';
  side: Side | 'system';
  sender: { userId: string; name: string } | null;
  mine: boolean;
  body: string | null;
  imageUrl: string | null;
  privacyFlags: string[];
  systemCode: string | null;
  systemParams: Record<string, string> | null;
  clientKey: string | null;
  createdAt: string;
}

export interface ConversationView {
  id: string;
  contextKind: ContextKind;
  contextId: string | null;
  orderId: string | null;
  mySide: Side;
  resident: { name: string };
  worker: Named | null;
  company: Named | null;
  lastSeq: number;
  myReadSeq: number;
  othersReadSeq: number;
  unread: number;
  blockedByMe: boolean;
  blockedByOther: boolean;
  lastMessageAt: string;
  createdAt: string;
}

export interface InboxItem {
  id: string;
  contextKind: ContextKind;
  orderId: string | null;
  mySide: Side;
  resident: { name: string };
  worker: Named | null;
  company: Named | null;
  unread: number;
  lastSeq: number;
  lastMessage: {
    kind: 'text' | 'image' | 'system';
    preview: string | null;
    systemCode: string | null;
    at: string;
  } | null;
  lastMessageAt: string;
}

export interface OpenInput {
  context: ContextKind;
  workerId?: string;
  companyId?: string;
  orderId?: string;
  demandId?: string;
  offerId?: string;
}

export type InterviewState = 'scheduled' | 'in_progress' | 'completed' | 'cancelled';

export interface InterviewView {
  id: string;
  state: InterviewState;
  scheduledAt: string;
  durationMinutes: number;
  conversationId: string | null;
  worker: Named;
  organizer: { name: string; company: Named | null };
  myParty: 'organizer' | 'worker';
  canJoinRoom: boolean;
  actions: ('join' | 'complete' | 'cancel')[];
  notes: string | null;
  outcome: 'proceed' | 'decline' | null;
  bookingPath: string | null;
  startedAt: string | null;
  endedAt: string | null;
  createdAt: string;
}

export interface InterviewRoom extends InterviewView {
  iceServers: RTCIceServer[];
}

export interface ReportView {
  id: string;
  conversationId: string;
  reporter: { name: string };
  reason: string;
  state: 'open' | 'reviewed';
  reviewNote: string | null;
  reviewedAt: string | null;
  createdAt: string;
}

/** Frames the server sends over the socket. */
export type ServerFrame =
  | { type: 'ready'; userId: string }
  | { type: 'message'; message: MessageView }
  | { type: 'read'; conversationId: string; seq: number }
  | { type: 'resumed'; conversationId: string; count: number }
  | { type: 'signal'; interviewId: string; data: SignalData }
  | { type: 'pong' }
  | { type: 'error'; code: string };

export type SignalData =
  | { kind: 'hello'; reply?: boolean }
  | { kind: 'bye' }
  | { kind: 'offer' | 'answer'; sdp: string }
  | { kind: 'ice'; candidate: RTCIceCandidateInit | null };
