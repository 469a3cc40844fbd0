import type { ContentCategory } from '../content/content.types';
import type { MessageKey } from '../../shared/i18n';

export const categoryLabel: Record<ContentCategory, MessageKey> = {
  news: 'content.cat.news',
  policy: 'content.cat.policy',
  notice: 'content.cat.notice',
  standard: 'content.cat.standard',
};
