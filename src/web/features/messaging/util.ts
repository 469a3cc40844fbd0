import { useLocation } from 'react-router-dom';
import type { MessageKey } from '../../shared/i18n';
import type { InboxItem, MessageView } from './messaging.types';

/** `/resident/messages` (or worker/company) for the console the page is shown in. */
export function useMessagesBase(): string {
  const first = useLocation().pathname.split('/')[1] ?? 'resident';
  return `/${['resident', 'worker', 'company'].includes(first) ? first : 'resident'}/messages`;
}

/** Whom the caller talks to in a conversation. */
export function counterpartOf(c: Pick<InboxItem, 'mySide' | 'resident' | 'worker' | 'company'>): string {
  if (c.mySide === 'resident') return [c.worker?.name, c.company?.name].filter(Boolean).join(' · ');
  return c.resident.name;
}

const systemKeys: Record<string, MessageKey> = {
  'orders.accepted': 'messaging.sys.orders.accepted',
  'orders.declined': 'messaging.sys.orders.declined',
  'orders.contracted': 'messaging.sys.orders.contracted',
  'orders.started': 'messaging.sys.orders.started',
  'orders.completed': 'messaging.sys.orders.completed',
  'orders.cancelled': 'messaging.sys.orders.cancelled',
  'orders.worker_replaced': 'messaging.sys.orders.worker_replaced',
  'contracts.sealed': 'messaging.sys.contracts.sealed',
  'contracts.terminated': 'messaging.sys.contracts.terminated',
  'interview.scheduled': 'messaging.sys.interview.scheduled',
  'interview.complete': 'messaging.sys.interview.complete',
  'interview.cancel': 'messaging.sys.interview.cancel',
  'interview.reminder': 'messaging.sys.interview.reminder',
};

/** The i18n key of a system message's text. */
export const systemKeyOf = (m: Pick<MessageView, 'systemCode'>): MessageKey =>
  systemKeys[m.systemCode ?? ''] ?? 'messaging.sys.other';

/** A client id for a message, so a retry after a lost response is stored once. */
export const newClientKey = () =>
  (globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`).replace(
    /[^A-Za-z0-9_-]/g,
    '',
  );

export const formatTime = (iso: string, locale: string) =>
  new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
