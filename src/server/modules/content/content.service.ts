import { and, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { appendAudit } from '../../platform/audit/audit.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { newId } from '../../platform/db/ids.js';
import { AppError } from '../../platform/errors.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, idCursor, toPage } from '../../platform/http/pagination.js';
import type { FileStorage } from '../../platform/storage/index.js';
import { displayName, inspectAttachment, MAX_ATTACHMENTS } from './attachments.js';
import { type ContentCategory, isContentCategory } from './content-categories.js';
import {
  type ContentAction,
  contentActionsFrom,
  type ContentState,
  editableStates,
  transitionContent,
} from './content-status.js';
import { canEditContent } from './content.policy.js';
import { contentAttachment, contentItem } from './content.tables.js';
import { plainText, sanitizeBody } from './sanitize.js';
import { z } from 'zod';

export type ContentItemRow = typeof contentItem.$inferSelect;
type AttachmentRow = typeof contentAttachment.$inferSelect;

export interface ContentDeps {
  db: Db;
  clock: () => Date;
  storage: FileStorage;
}

export interface ContentInput {
  category: string;
  title: string;
  summary?: string | undefined;
  bodyHtml: string;
  authorOrg: string;
  slug?: string | undefined;
  eventAt?: string | null | undefined;
}
export interface ContentPatch {
  category?: string | undefined;
  title?: string | undefined;
  summary?: string | undefined;
  bodyHtml?: string | undefined;
  authorOrg?: string | undefined;
  slug?: string | undefined;
  coverAttachmentId?: string | null | undefined;
  eventAt?: string | null | undefined;
}

/** How far ahead an item may be scheduled. */
const MAX_SCHEDULE_MS = 366 * 24 * 3600_000;

export interface AttachmentView {
  id: string;
  fileName: string;
  mime: string;
  size: number;
  url: string;
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,79}$/;
const publicCursor = z.object({ v: z.string().max(40), id: z.string().max(64) });
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function categoryOf(c: string): ContentCategory {
  if (!isContentCategory(c))
    throw new AppError('CONTENT_CATEGORY_UNKNOWN', { detail: `Unknown category ${c.slice(0, 40)}` });
  return c;
}

function textField(value: string, path: string, max: number, required = true): string {
  const v = plainText(value);
  if ((required && !v) || v.length > max)
    throw new AppError('VALIDATION_FAILED', {
      issues: [{ path, message: required && !v ? 'must not be empty' : `at most ${max} characters` }],
    });
  return v;
}

function slugField(slug: string): string {
  const s = slug.trim().toLowerCase();
  if (!SLUG.test(s))
    throw new AppError('VALIDATION_FAILED', {
      issues: [{ path: 'slug', message: 'lower-case letters, digits and hyphens, 2 to 80 characters' }],
    });
  return s;
}

/** An optional event date (ISO 8601 with offset; the route checks the format). */
function eventField(v: string | null | undefined): Date | null {
  if (!v) return null;
  const d = new Date(v);
  if (Number.isNaN(d.getTime()))
    throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'eventAt', message: 'not a date-time' }] });
  return d;
}

/** Shanghai date as yyyymmdd, for generated slugs. */
const shanghaiYmd = (d: Date) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');

function pgCode(e: unknown): string | null {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

/** Content (资讯): news, policies, notices and standards written by regulators and read by everyone. */
export function createContentService(deps: ContentDeps) {
  const { db, clock, storage } = deps;

  function requireEditor(ctx: RequestContext) {
    if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
    if (!canEditContent(ctx.actor)) throw new AppError('FORBIDDEN');
    return ctx.actor;
  }

  async function itemById(id: string, q: DbOrTx = db): Promise<ContentItemRow> {
    const [row] = await q.select().from(contentItem).where(eq(contentItem.id, id)).limit(1);
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  async function attachmentsOf(itemIds: string[], q: DbOrTx = db): Promise<Map<string, AttachmentRow[]>> {
    const out = new Map<string, AttachmentRow[]>();
    if (itemIds.length === 0) return out;
    const rows = await q
      .select()
      .from(contentAttachment)
      .where(sql`${contentAttachment.itemId} in ${itemIds}`)
      .orderBy(contentAttachment.id);
    for (const r of rows) out.set(r.itemId, [...(out.get(r.itemId) ?? []), r]);
    return out;
  }

  const publicFileUrl = (slug: string, attId: string) =>
    `/api/v1/public/content/${slug}/attachments/${attId}`;
  const editorFileUrl = (attId: string) => `/api/v1/content/attachments/${attId}`;

  function attachmentView(a: AttachmentRow, url: string): AttachmentView {
    return { id: a.id, fileName: a.fileName, mime: a.mime, size: a.size, url };
  }

  function editorView(row: ContentItemRow, atts: AttachmentRow[]) {
    return {
      id: row.id,
      slug: row.slug,
      category: row.category as ContentCategory,
      title: row.title,
      summary: row.summary,
      bodyHtml: row.bodyHtml,
      authorOrg: row.authorOrg,
      coverAttachmentId: row.coverAttachmentId,
      state: row.state as ContentState,
      actions: contentActionsFrom(row.state as ContentState),
      slugLocked: row.firstPublishedAt !== null,
      publishedAt: row.publishedAt?.toISOString() ?? null,
      firstPublishedAt: row.firstPublishedAt?.toISOString() ?? null,
      scheduledAt: row.scheduledAt?.toISOString() ?? null,
      eventAt: row.eventAt?.toISOString() ?? null,
      unpublishedAt: row.unpublishedAt?.toISOString() ?? null,
      archivedAt: row.archivedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      publicUrl: row.state === 'published' ? `/news/${row.slug}` : null,
      attachments: atts.map((a) => attachmentView(a, editorFileUrl(a.id))),
    };
  }

  function summaryView(row: ContentItemRow, atts: AttachmentRow[]) {
    return {
      slug: row.slug,
      category: row.category as ContentCategory,
      title: row.title,
      summary: row.summary,
      authorOrg: row.authorOrg,
      publishedAt: row.publishedAt!.toISOString(),
      eventAt: row.eventAt?.toISOString() ?? null,
      coverUrl: row.coverAttachmentId ? publicFileUrl(row.slug, row.coverAttachmentId) : null,
      attachmentCount: atts.length,
    };
  }

  function searchCondition(q: string | undefined): SQL | undefined {
    const term = q?.trim();
    if (!term) return undefined;
    const pattern = `%${likeEscape(term)}%`;
    return or(ilike(contentItem.title, pattern), ilike(contentItem.summary, pattern));
  }

  async function publishedBySlug(slug: string): Promise<ContentItemRow> {
    const [row] = await db
      .select()
      .from(contentItem)
      .where(and(eq(contentItem.slug, slug), eq(contentItem.state, 'published')))
      .limit(1);
    // Drafts, withdrawn and archived items do not exist for the public.
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  async function slugFree(tx: DbOrTx, slug: string, exceptId?: string) {
    const [other] = await tx
      .select({ id: contentItem.id })
      .from(contentItem)
      .where(eq(contentItem.slug, slug))
      .limit(1);
    if (other && other.id !== exceptId) throw new AppError('CONTENT_SLUG_TAKEN');
  }

  function body(input: string) {
    const b = sanitizeBody(input);
    if (!b.text && !/<img\b/.test(b.html)) throw new AppError('CONTENT_BODY_EMPTY');
    return b;
  }

  return {
    // ---- public ----

    /** Published items, newest first; by category and/or a title/summary search. */
    async publicList(query: {
      category?: string | undefined;
      q?: string | undefined;
      cursor?: string | undefined;
      limit: number;
    }) {
      const category = query.category ? categoryOf(query.category) : undefined;
      const after = decodeCursor(query.cursor, publicCursor);
      const where = and(
        eq(contentItem.state, 'published'),
        category ? eq(contentItem.category, category) : undefined,
        searchCondition(query.q),
        after
          ? sql`(${contentItem.publishedAt}, ${contentItem.id}) < (${after.v}::timestamptz, ${after.id})`
          : undefined,
      );
      const rows = await db
        .select()
        .from(contentItem)
        .where(where)
        .orderBy(desc(contentItem.publishedAt), desc(contentItem.id))
        .limit(query.limit + 1);
      const atts = await attachmentsOf(rows.map((r) => r.id));
      const page = toPage(rows, query.limit, (r) => ({ v: r.publishedAt!.toISOString(), id: r.id }));
      return {
        items: page.items.map((r) => summaryView(r, atts.get(r.id) ?? [])),
        nextCursor: page.nextCursor,
      };
    },

    /** One published item with its sanitized body and attachments; 404 for anything not published. */
    async publicGet(slug: string) {
      const row = await publishedBySlug(slug);
      const atts = (await attachmentsOf([row.id])).get(row.id) ?? [];
      return {
        ...summaryView(row, atts),
        bodyHtml: row.bodyHtml,
        updatedAt: row.updatedAt.toISOString(),
        attachments: atts.map((a) => attachmentView(a, publicFileUrl(row.slug, a.id))),
      };
    },

    /** The bytes of a published item's attachment. */
    async publicAttachment(slug: string, attachmentId: string) {
      const row = await publishedBySlug(slug);
      const [a] = await db
        .select()
        .from(contentAttachment)
        .where(and(eq(contentAttachment.id, attachmentId), eq(contentAttachment.itemId, row.id)))
        .limit(1);
      if (!a) throw new AppError('NOT_FOUND');
      return { data: await storage.get(a.storageKey), mime: a.mime, fileName: a.fileName };
    },

    // ---- editor (regulator) ----

    /** Every item for the editor, newest first, filtered by state, category or search. */
    async list(
      ctx: RequestContext,
      query: {
        state?: ContentState | undefined;
        category?: string | undefined;
        q?: string | undefined;
        cursor?: string | undefined;
        limit: number;
      },
    ) {
      requireEditor(ctx);
      const category = query.category ? categoryOf(query.category) : undefined;
      const after = decodeCursor(query.cursor, idCursor);
      const rows = await db
        .select()
        .from(contentItem)
        .where(
          and(
            query.state ? eq(contentItem.state, query.state) : undefined,
            category ? eq(contentItem.category, category) : undefined,
            searchCondition(query.q),
            after ? sql`${contentItem.id} < ${after.id}` : undefined,
          ),
        )
        .orderBy(desc(contentItem.id))
        .limit(query.limit + 1);
      const atts = await attachmentsOf(rows.map((r) => r.id));
      const page = toPage(rows, query.limit, (r) => ({ id: r.id }));
      return {
        items: page.items.map((r) => editorView(r, atts.get(r.id) ?? [])),
        nextCursor: page.nextCursor,
      };
    },

    /** One item as the editor sees it, whatever its state. */
    async get(ctx: RequestContext, id: string) {
      requireEditor(ctx);
      const row = await itemById(id);
      return editorView(row, (await attachmentsOf([id])).get(id) ?? []);
    },

    /** Creates a draft; the body is sanitized and `bodyCleaned` says whether anything was removed. */
    async create(ctx: RequestContext, input: ContentInput) {
      const actor = requireEditor(ctx);
      const now = clock();
      const id = newId('cnt');
      const category = categoryOf(input.category);
      const b = body(input.bodyHtml);
      const values = {
        id,
        slug: input.slug ? slugField(input.slug) : `${category}-${shanghaiYmd(now)}-${id.slice(-6)}`,
        category,
        title: textField(input.title, 'title', 120),
        summary: input.summary ? textField(input.summary, 'summary', 300, false) : b.text.slice(0, 120),
        bodyHtml: b.html,
        authorOrg: textField(input.authorOrg, 'authorOrg', 60),
        eventAt: eventField(input.eventAt),
        state: 'draft' as const,
        createdBy: actor.userId,
        updatedBy: actor.userId,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await db.transaction(async (tx) => {
          await slugFree(tx, values.slug);
          await tx.insert(contentItem).values(values);
          await appendAudit(
            tx,
            ctx,
            {
              action: 'content.created',
              objectType: 'content_item',
              objectId: id,
              detail: { category, cleaned: b.cleaned },
            },
            now,
          );
        });
      } catch (e) {
        if (pgCode(e) === '23505') throw new AppError('CONTENT_SLUG_TAKEN', { cause: e });
        throw e;
      }
      return { ...editorView(await itemById(id), []), bodyCleaned: b.cleaned };
    },

    /** Edits an item that is not archived; the slug is fixed once the item was first published. */
    async update(ctx: RequestContext, id: string, patch: ContentPatch) {
      const actor = requireEditor(ctx);
      const now = clock();
      let cleaned = false;
      try {
        await db.transaction(async (tx) => {
          const [row] = await tx.select().from(contentItem).where(eq(contentItem.id, id)).for('update');
          if (!row) throw new AppError('NOT_FOUND');
          if (!editableStates.includes(row.state as ContentState))
            throw new AppError('CONTENT_INVALID_TRANSITION');
          const set: Partial<typeof contentItem.$inferInsert> = {};
          if (patch.category !== undefined) set.category = categoryOf(patch.category);
          if (patch.title !== undefined) set.title = textField(patch.title, 'title', 120);
          if (patch.summary !== undefined) set.summary = textField(patch.summary, 'summary', 300, false);
          if (patch.authorOrg !== undefined) set.authorOrg = textField(patch.authorOrg, 'authorOrg', 60);
          if (patch.eventAt !== undefined) set.eventAt = eventField(patch.eventAt);
          if (patch.bodyHtml !== undefined) {
            const b = body(patch.bodyHtml);
            set.bodyHtml = b.html;
            cleaned = b.cleaned;
          }
          if (patch.slug !== undefined) {
            const slug = slugField(patch.slug);
            if (slug !== row.slug) {
              if (row.firstPublishedAt) throw new AppError('CONTENT_SLUG_LOCKED');
              await slugFree(tx, slug, id);
              set.slug = slug;
            }
          }
          if (patch.coverAttachmentId !== undefined) {
            if (patch.coverAttachmentId !== null) {
              const [a] = await tx
                .select({ mime: contentAttachment.mime })
                .from(contentAttachment)
                .where(
                  and(eq(contentAttachment.id, patch.coverAttachmentId), eq(contentAttachment.itemId, id)),
                )
                .limit(1);
              if (!a?.mime.startsWith('image/')) throw new AppError('CONTENT_ATTACHMENT_INVALID');
            }
            set.coverAttachmentId = patch.coverAttachmentId;
          }
          const fields = Object.keys(set);
          if (fields.length === 0) return;
          await tx
            .update(contentItem)
            .set({ ...set, updatedBy: actor.userId, updatedAt: now })
            .where(eq(contentItem.id, id));
          await appendAudit(
            tx,
            ctx,
            {
              action: 'content.updated',
              objectType: 'content_item',
              objectId: id,
              detail: { fields, cleaned },
            },
            now,
          );
        });
      } catch (e) {
        if (pgCode(e) === '23505') throw new AppError('CONTENT_SLUG_TAKEN', { cause: e });
        throw e;
      }
      return { ...(await this.get(ctx, id)), bodyCleaned: cleaned };
    },

    /**
     * Publishes, schedules (publishAt: a future time within a year; the job publishes it then), unschedules,
     * withdraws (unpublish) or archives an item (content-status.ts).
     */
    async transition(
      ctx: RequestContext,
      id: string,
      action: ContentAction,
      reason?: string | null,
      publishAt?: string | null,
    ) {
      requireEditor(ctx);
      const now = clock();
      let at: Date | null = null;
      if (action === 'schedule') {
        at = publishAt ? new Date(publishAt) : null;
        if (
          !at ||
          Number.isNaN(at.getTime()) ||
          at.getTime() <= now.getTime() ||
          at.getTime() > now.getTime() + MAX_SCHEDULE_MS
        )
          throw new AppError('CONTENT_SCHEDULE_INVALID');
      } else if (publishAt)
        throw new AppError('CONTENT_SCHEDULE_INVALID', { detail: 'publishAt is for schedule' });
      await db.transaction(async (tx) => {
        const [row] = await tx.select().from(contentItem).where(eq(contentItem.id, id)).for('update');
        if (!row) throw new AppError('NOT_FOUND');
        const from = row.state as ContentState;
        const step = transitionContent(from, action);
        if (!step.ok) throw new AppError('CONTENT_INVALID_TRANSITION', { detail: `${action} from ${from}` });
        const set: Partial<typeof contentItem.$inferInsert> = {
          state: step.to,
          updatedAt: now,
          scheduledAt: at,
        };
        if (action === 'publish') {
          set.publishedAt = now;
          set.firstPublishedAt = row.firstPublishedAt ?? now;
        } else if (action === 'unpublish') set.unpublishedAt = now;
        else if (action === 'archive') set.archivedAt = now;
        await tx.update(contentItem).set(set).where(eq(contentItem.id, id));
        await appendAudit(
          tx,
          ctx,
          {
            action: `content.${action}`,
            objectType: 'content_item',
            objectId: id,
            detail: {
              from,
              to: step.to,
              ...(at ? { publishAt: at.toISOString() } : {}),
              ...(reason?.trim() ? { reason: reason.trim().slice(0, 200) } : {}),
            },
          },
          now,
        );
      });
      return this.get(ctx, id);
    },

    /**
     * The job: publishes every scheduled item whose time has come, each in its own transaction with its audit row.
     * The item's published_at is its scheduled time (the date editors chose), even when the job runs late.
     * Rows are locked with SKIP LOCKED, so two app nodes never publish the same item twice.
     */
    async publishDue(ctx: RequestContext): Promise<string[]> {
      const now = clock();
      const due = await db
        .select({ id: contentItem.id })
        .from(contentItem)
        .where(and(eq(contentItem.state, 'scheduled'), sql`${contentItem.scheduledAt} <= ${now}`))
        .orderBy(contentItem.scheduledAt, contentItem.id)
        .limit(200);
      const published: string[] = [];
      for (const { id } of due) {
        const done = await db.transaction(async (tx) => {
          const [row] = await tx
            .select()
            .from(contentItem)
            .where(and(eq(contentItem.id, id), eq(contentItem.state, 'scheduled')))
            .for('update', { skipLocked: true });
          if (!row?.scheduledAt || row.scheduledAt.getTime() > now.getTime()) return false;
          const at = row.scheduledAt;
          await tx
            .update(contentItem)
            .set({
              state: 'published',
              publishedAt: at,
              firstPublishedAt: row.firstPublishedAt ?? at,
              scheduledAt: null,
              updatedAt: now,
            })
            .where(eq(contentItem.id, id));
          await appendAudit(
            tx,
            ctx,
            {
              action: 'content.publish',
              objectType: 'content_item',
              objectId: id,
              detail: { from: 'scheduled', to: 'published', scheduledAt: at.toISOString() },
            },
            now,
          );
          return true;
        });
        if (done) published.push(id);
      }
      return published;
    },

    /** Attaches a file (type sniffed from its bytes, size-limited) to an item that is not archived. */
    async addAttachment(ctx: RequestContext, id: string, file: { data: Buffer; filename: string }) {
      const actor = requireEditor(ctx);
      const row = await itemById(id);
      if (!editableStates.includes(row.state as ContentState))
        throw new AppError('CONTENT_INVALID_TRANSITION');
      const inspected = await inspectAttachment(file.data);
      const attId = newId('cna');
      const key = `content/${id}/${attId}.${inspected.ext}`;
      const now = clock();
      await storage.put(key, inspected.data);
      try {
        await db.transaction(async (tx) => {
          // Locks the item so two uploads cannot both pass the count check.
          await tx
            .select({ id: contentItem.id })
            .from(contentItem)
            .where(eq(contentItem.id, id))
            .for('update');
          const [{ n }] = (await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(contentAttachment)
            .where(eq(contentAttachment.itemId, id))) as [{ n: number }];
          if (n >= MAX_ATTACHMENTS) throw new AppError('CONTENT_ATTACHMENT_INVALID');
          await tx.insert(contentAttachment).values({
            id: attId,
            itemId: id,
            fileName: displayName(file.filename, inspected.ext),
            mime: inspected.mime,
            size: inspected.size,
            sha256: inspected.sha256,
            storageKey: key,
            createdBy: actor.userId,
            createdAt: now,
          });
          await appendAudit(
            tx,
            ctx,
            {
              action: 'content.attachment_added',
              objectType: 'content_item',
              objectId: id,
              detail: {
                attachmentId: attId,
                mime: inspected.mime,
                size: inspected.size,
                sha256: inspected.sha256,
              },
            },
            now,
          );
        });
      } catch (e) {
        await storage.delete(key);
        throw e;
      }
      return this.get(ctx, id);
    },

    /** Removes an attachment (and the cover mark if it was the cover). */
    async removeAttachment(ctx: RequestContext, id: string, attachmentId: string) {
      requireEditor(ctx);
      const now = clock();
      const key = await db.transaction(async (tx) => {
        const [row] = await tx.select().from(contentItem).where(eq(contentItem.id, id)).for('update');
        if (!row) throw new AppError('NOT_FOUND');
        if (!editableStates.includes(row.state as ContentState))
          throw new AppError('CONTENT_INVALID_TRANSITION');
        const [a] = await tx
          .delete(contentAttachment)
          .where(and(eq(contentAttachment.id, attachmentId), eq(contentAttachment.itemId, id)))
          .returning();
        if (!a) throw new AppError('NOT_FOUND');
        if (row.coverAttachmentId === attachmentId)
          await tx
            .update(contentItem)
            .set({ coverAttachmentId: null, updatedAt: now })
            .where(eq(contentItem.id, id));
        await appendAudit(
          tx,
          ctx,
          {
            action: 'content.attachment_removed',
            objectType: 'content_item',
            objectId: id,
            detail: { attachmentId, sha256: a.sha256 },
          },
          now,
        );
        return a.storageKey;
      });
      // After the commit: a rolled-back removal keeps its file.
      await storage.delete(key);
      return this.get(ctx, id);
    },

    /** An attachment's bytes for the editor, whatever the item's state. */
    async attachmentFile(ctx: RequestContext, attachmentId: string) {
      requireEditor(ctx);
      const [a] = await db
        .select()
        .from(contentAttachment)
        .where(eq(contentAttachment.id, attachmentId))
        .limit(1);
      if (!a) throw new AppError('NOT_FOUND');
      return { data: await storage.get(a.storageKey), mime: a.mime, fileName: a.fileName };
    },
  };
}

export type ContentService = ReturnType<typeof createContentService>;
export type ContentEditorView = Awaited<ReturnType<ContentService['get']>>;
