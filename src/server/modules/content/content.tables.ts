import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, timestamps, tstz } from '../../platform/db/columns.js';
import { user } from '../identity/identity.tables.js';

/**
 * A news article, policy, notice or standard (资讯): sanitized HTML body, publishing state, public slug.
 * The body is stored only after sanitizing (sanitize.ts), so what is served is what was checked.
 */
export const contentItem = pgTable(
  'content_item',
  {
    id: idColumn(),
    /** Public address `/news/<slug>`: [a-z0-9-], fixed once the item was first published. */
    slug: text('slug').notNull(),
    /** 'news' | 'policy' | 'notice' | 'standard' (content-categories.ts) */
    category: text('category').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    bodyHtml: text('body_html').notNull(),
    /** The issuing body shown with the item, e.g. 广州市商务局. */
    authorOrg: text('author_org').notNull(),
    /** An image attachment of this item shown as its cover (no FK: the attachment references the item). */
    coverAttachmentId: text('cover_attachment_id'),
    /** 'draft' | 'scheduled' | 'published' | 'unpublished' | 'archived' (content-status.ts) */
    state: text('state').notNull(),
    /** When the current publication began (the date shown); null until first published. */
    publishedAt: tstz('published_at'),
    firstPublishedAt: tstz('first_published_at'),
    /** While scheduled: when the job publishes the item (it becomes its published_at). */
    scheduledAt: tstz('scheduled_at'),
    /** The date of the event or deadline a notice announces (e.g. a job fair), shown with the item; optional. */
    eventAt: tstz('event_at'),
    unpublishedAt: tstz('unpublished_at'),
    archivedAt: tstz('archived_at'),
    createdBy: text('created_by')
      .notNull()
      .references(() => user.id),
    updatedBy: text('updated_by')
      .notNull()
      .references(() => user.id),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('content_item_slug_uq').on(t.slug),
    // The public list: published items, newest first, optionally by category (keyset on published_at, id).
    index('content_item_public_idx')
      .on(t.category, t.publishedAt.desc(), t.id.desc())
      .where(sql`${t.state} = 'published'`),
    index('content_item_public_all_idx')
      .on(t.publishedAt.desc(), t.id.desc())
      .where(sql`${t.state} = 'published'`),
    index('content_item_editor_idx').on(t.state, t.id),
    // The publishing job's scan: scheduled items by due time.
    index('content_item_scheduled_idx').on(t.scheduledAt).where(sql`${t.state} = 'scheduled'`),
    check('content_item_scheduled', sql`${t.state} <> 'scheduled' or ${t.scheduledAt} is not null`),
    check('content_item_slug_format', sql`${t.slug} ~ '^[a-z0-9][a-z0-9-]{1,79}$'`),
    check('content_item_published', sql`${t.state} <> 'published' or ${t.publishedAt} is not null`),
  ],
);

/** A file attached to an item (PDF, DOCX, XLSX, JPEG, PNG), stored through the platform storage. */
export const contentAttachment = pgTable(
  'content_attachment',
  {
    id: idColumn(),
    itemId: text('item_id')
      .notNull()
      .references(() => contentItem.id),
    fileName: text('file_name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => user.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('content_attachment_item_idx').on(t.itemId, t.id),
    check('content_attachment_size', sql`${t.size} > 0`),
  ],
);
