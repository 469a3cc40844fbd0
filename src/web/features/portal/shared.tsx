import type { ContentCategory } from '../content/content.types';
import type { MessageKey } from '../../shared/i18n';

export const categoryLabel: Record<ContentCategory, MessageKey> = {
  news: 'content.cat.news',
  policy: 'content.cat.policy',
  notice: 'content.cat.notice',
  standard: 'content.cat.standard',
};

/** Fen as yuan without trailing zeros: 4500 → 45, 4550 → 45.5. */
export const yuan = (fen: number) => String(Number((fen / 100).toFixed(2)));
