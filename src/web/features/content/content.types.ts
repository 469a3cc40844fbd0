// Mirrors the server's content routes (src/server/modules/content/content.routes.ts); the web imports no server code.
export const contentCategories = ['news', 'policy', 'notice', 'standard'] as const;
export type ContentCategory = (typeof contentCategories)[number];
export const contentStates = ['draft', 'scheduled', 'published', 'unpublished', 'archived'] as const;
export type ContentState = (typeof contentStates)[number];
export type ContentAction = 'publish' | 'schedule' | 'unschedule' | 'unpublish' | 'archive';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Attachment {
  id: string;
  fileName: string;
  mime: string;
  size: number;
  url: string;
}

export interface PublicSummary {
  slug: string;
  category: ContentCategory;
  title: string;
  summary: string;
  authorOrg: string;
  publishedAt: string;
  eventAt: string | null;
  coverUrl: string | null;
  attachmentCount: number;
}

export interface PublicDetail extends PublicSummary {
  bodyHtml: string;
  updatedAt: string;
  attachments: Attachment[];
}

export interface EditorItem {
  id: string;
  slug: string;
  category: ContentCategory;
  title: string;
  summary: string;
  bodyHtml: string;
  authorOrg: string;
  coverAttachmentId: string | null;
  state: ContentState;
  actions: ContentAction[];
  slugLocked: boolean;
  publishedAt: string | null;
  firstPublishedAt: string | null;
  scheduledAt: string | null;
  eventAt: string | null;
  unpublishedAt: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  publicUrl: string | null;
  attachments: Attachment[];
}

export interface SavedItem extends EditorItem {
  bodyCleaned: boolean;
}

export interface ItemInput {
  category: ContentCategory;
  title: string;
  summary?: string;
  bodyHtml: string;
  authorOrg: string;
  slug?: string;
  eventAt?: string | null;
}
