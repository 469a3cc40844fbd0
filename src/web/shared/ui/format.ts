import type { Locale } from '../prefs';

// Times are stored in UTC and always shown in China Standard Time, whatever the device's zone.
const TIME_ZONE = 'Asia/Shanghai';

/** `2025-03-01` or an ISO timestamp → a calendar date in Asia/Shanghai (2025/3/1 · Mar 1, 2025). */
export function formatDate(value: string | null | undefined, locale: Locale): string {
  if (!value) return '';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  }).format(date);
}
