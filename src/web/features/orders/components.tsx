import { Rate, Tag, Timeline } from 'antd';
import { districtByCode } from '../../../shared/districts';
import {
  labelOf,
  longTermModes,
  priceUnits,
  serviceCategories,
  serviceModes,
  type ServiceMode,
} from '../../../shared/domain';
import { joinList, type MessageKey, useLocale, useT } from '../../shared/i18n';
import type { Locale } from '../../shared/i18n';
import type { OrderHistoryEntry, Schedule } from './orders.types';

const TIME_ZONE = 'Asia/Shanghai';

/** An instant shown in China Standard Time: "11月29日 周六 14:30" · "Sat 29 Nov, 14:30". */
export function formatDateTime(iso: string | null | undefined, locale: Locale, withYear = false): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TIME_ZONE,
    ...(withYear ? { year: 'numeric' } : {}),
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

/** "14:30" in China Standard Time. */
export function formatTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** The Shanghai calendar day of an instant, YYYY-MM-DD. */
export const shanghaiDay = (d: Date): string =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export const isLongTermMode = (mode: string) => longTermModes.includes(mode as ServiceMode);

/** Domain labels (categories, modes, units, districts) in the UI language. */
export function useOrderVocab() {
  const { locale } = useLocale();
  const lang = locale === 'en' ? 'en' : 'zh';
  return {
    category: (c: string) => labelOf(serviceCategories, c, lang),
    mode: (m: string) => labelOf(serviceModes, m, lang),
    unit: (u: string) => labelOf(priceUnits, u, lang),
    district: (d: string | null) => (d ? (districtByCode.get(d)?.name ?? d) : ''),
    categoryOptions: serviceCategories.map((c) => ({ value: c.code, label: c[lang] })),
    modeOptions: serviceModes.map((m) => ({ value: m.code, label: m[lang] })),
  };
}

const stateColors: Record<string, string> = {
  requested: 'gold',
  accepted: 'blue',
  contracted: 'geekblue',
  in_service: 'cyan',
  completed: 'green',
  closed: 'default',
  declined: 'red',
  expired: 'default',
  cancelled: 'volcano',
  open: 'gold',
  matched: 'green',
  withdrawn: 'default',
  pending: 'gold',
  done: 'green',
  accepted_offer: 'green',
};

/** 待接单 / 已接单 … as a coloured tag; also demand, offer and follow-up states. */
export function OrderStateTag({
  state,
  kind = 'order',
}: {
  state: string;
  kind?: 'order' | 'demand' | 'offer' | 'followup';
}) {
  const t = useT();
  return <Tag color={stateColors[state] ?? 'default'}>{t(`orders.${kind}State.${state}` as MessageKey)}</Tag>;
}

/** What was booked, in words: "11月29日 14:00 起 2 小时", "每周一、三 09:00 起 2 小时，共 4 周" … */
export function useScheduleText() {
  const t = useT();
  const { locale } = useLocale();
  const weekday = (n: number) => t(`orders.weekday.${n}` as MessageKey);
  return (s: Schedule): string => {
    switch (s.mode) {
      case 'hourly':
        return t('orders.sched.hourly', { start: formatDateTime(s.startAt, locale), hours: s.hours });
      case 'recurring':
        return t('orders.sched.recurring', {
          days: joinList(locale, s.weekdays.map(weekday)),
          time: s.startTime,
          hours: s.hours,
          weeks: s.weeks,
          from: s.startDate,
        });
      case 'day_care':
      case 'live_in':
        return t('orders.sched.months', { from: s.startDate, months: s.months });
      case 'maternity':
        return t('orders.sched.maternity', { due: s.dueDate, stars: s.stars });
    }
  };
}

/** The order's history, oldest first. */
export function OrderTimeline({ history }: { history: OrderHistoryEntry[] }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <Timeline
      items={history.map((h) => ({
        color: h.toState === 'cancelled' || h.toState === 'declined' ? 'red' : 'blue',
        children: (
          <div>
            <div>
              <OrderStateTag state={h.toState} /> <span>{t(`orders.party.${h.party}` as MessageKey)}</span>
            </div>
            <div className="muted small">{formatDateTime(h.at, locale, true)}</div>
            {h.reason ? <div className="small">{t('orders.reason', { reason: h.reason })}</div> : null}
          </div>
        ),
      }))}
    />
  );
}

export function Stars({ value }: { value: number | null }) {
  if (!value) return null;
  return <Rate disabled value={value} style={{ fontSize: 14 }} />;
}
