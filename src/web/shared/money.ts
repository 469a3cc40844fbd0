import { translate, useLocale } from './i18n';
import type { Locale } from './prefs';

/**
 * The one way the web shows money. The API sends integer fen (分); the page shows yuan with thousands separators,
 * no decimals when the amount is whole and exactly two when it is not: 160000 → "1,600", 160050 → "1,600.50".
 * Chinese puts the unit after the number ("1,600 元"); English uses the yuan sign before it ("¥1,600", "-¥35.50"),
 * as the English dictionary's price texts already do ("¥{amount}/{unit}"); the unit comes from the dictionaries
 * (`common.money`), so a text with its own unit ("{amount} 元/{unit}") takes `formatAmount`. Refunds and debts keep
 * their sign.
 * Computed from the integer parts, so no float drift (0.1 + 0.2) ever reaches the page.
 */
export function formatAmount(fen: number): string {
  const whole = Math.round(fen);
  const abs = Math.abs(whole);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  const grouped = yuan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = whole < 0 ? '-' : '';
  return cents === 0 ? `${sign}${grouped}` : `${sign}${grouped}.${cents.toString().padStart(2, '0')}`;
}

/** An amount in fen with its unit in the page's language: "1,600 元" · "¥1,600"; "—" when there is none. */
export function formatMoney(fen: number | null | undefined, locale: Locale): string {
  if (fen == null || !Number.isFinite(fen)) return '—';
  const amount = formatAmount(fen);
  return amount.startsWith('-')
    ? translate(locale, 'common.money.negative', { amount: amount.slice(1) })
    : translate(locale, 'common.money', { amount });
}

/** `formatMoney` bound to the current language, for components. */
export function useMoney(): (fen: number | null | undefined) => string {
  const { locale } = useLocale();
  return (fen) => formatMoney(fen, locale);
}
