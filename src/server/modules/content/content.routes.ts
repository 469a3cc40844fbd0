import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { contextOf } from '../../platform/http/context.js';
import { pageOf, pageQuery } from '../../platform/http/pagination.js';
import { MAX_ATTACHMENT_BYTES } from './attachments.js';
import { contentCategories } from './content-categories.js';
import { contentActions, contentStates } from './content-status.js';
import type { ContentService } from './content.service.js';

const id = z.string().min(1).max(64);
const slug = z.string().min(1).max(80);
const ts = z.string().describe('UTC, ISO 8601');
// Categories are checked by the service, so an unknown one gets its own code (CONTENT_CATEGORY_UNKNOWN).
const category = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .describe(`One of ${contentCategories.join(', ')}`);
const search = z.string().trim().min(1).max(40);

const attachment = z.object({
  id: z.string(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number().int(),
  url: z.string(),
});
const publicSummary = z.object({
  slug: z.string(),
  category: z.enum(contentCategories),
  title: z.string(),
  summary: z.string(),
  authorOrg: z.string(),
  publishedAt: ts,
  eventAt: ts.nullable().describe('The date of the event or deadline the item announces'),
  coverUrl: z.string().nullable(),
  attachmentCount: z.number().int(),
});
const publicDetail = publicSummary.extend({
  bodyHtml: z.string().describe('Sanitized HTML (docs/content.md lists the allow-list)'),
  updatedAt: ts,
  attachments: z.array(attachment),
});
const editorItem = z.object({
  id: z.string(),
  slug: z.string(),
  category: z.enum(contentCategories),
  title: z.string(),
  summary: z.string(),
  bodyHtml: z.string(),
  authorOrg: z.string(),
  coverAttachmentId: z.string().nullable(),
  state: z.enum(contentStates),
  actions: z.array(z.enum(contentActions)),
  slugLocked: z.boolean(),
  publishedAt: ts.nullable(),
  firstPublishedAt: ts.nullable(),
  scheduledAt: ts.nullable().describe('While scheduled: when the job publishes it'),
  eventAt: ts.nullable(),
  unpublishedAt: ts.nullable(),
  archivedAt: ts.nullable(),
  createdAt: ts,
  updatedAt: ts,
  publicUrl: z.string().nullable(),
  attachments: z.array(attachment),
});
const savedItem = editorItem.extend({
  bodyCleaned: z.boolean().describe('True when the sanitizer removed markup that is not allowed'),
});
const itemBody = z.strictObject({
  category,
  title: z.string().min(1).max(400),
  summary: z.string().max(1000).optional(),
  bodyHtml: z.string().min(1).max(200_000),
  authorOrg: z.string().min(1).max(200),
  slug: z.string().max(80).optional(),
  eventAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
const patchBody = z.strictObject({
  category: category.optional(),
  title: z.string().min(1).max(400).optional(),
  summary: z.string().max(1000).optional(),
  bodyHtml: z.string().min(1).max(200_000).optional(),
  authorOrg: z.string().min(1).max(200).optional(),
  slug: z.string().max(80).optional(),
  coverAttachmentId: id.nullable().optional(),
  eventAt: z.iso.datetime({ offset: true }).nullable().optional(),
});

const editor = { authz: { roles: ['regulator'] as const } };
const PUBLIC_CACHE = 'public, max-age=60';

function sendFile(reply: FastifyReply, f: { data: Buffer; mime: string; fileName: string }, cache: string) {
  // RFC 6266: an ASCII fallback plus the UTF-8 name (Chinese file names).
  const ascii = f.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .type(f.mime)
    .header('cache-control', cache)
    .header(
      'content-disposition',
      `${f.mime.startsWith('image/') ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
    )
    .send(f.data);
}

/** Reads the one uploaded file of a multipart request. */
async function readUpload(req: FastifyRequest): Promise<{ data: Buffer; filename: string }> {
  if (!req.isMultipart())
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { en: 'Send multipart/form-data with a file' });
  let file: { data: Buffer; filename: string } | null = null;
  try {
    const part = await req.file();
    if (part) file = { data: await part.toBuffer(), filename: part.filename };
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('FILE_TOO_LARGE', {
        zh: `文件过大：附件不能超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
        en: `The file is too large: attachments are limited to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
      });
    throw new AppError('MALFORMED_REQUEST', { cause: e });
  }
  if (!file)
    throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'file', message: 'a file is required' }] });
  return file;
}

/** /api/v1 content routes: public reads under /public/content, the regulator's editor under /content. */
export function contentRoutes(svc: ContentService, portal: { complaintHotline: string }) {
  return async function plugin(app: FastifyInstance) {
    await app.register(multipart, {
      limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 1, fields: 0, parts: 1 },
    });
    const r = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['content'];

    // ---- public ----
    r.get('/public/portal', {
      config: { authz: { public: 'the portal shows the complaint hotline to everyone' } },
      schema: {
        tags,
        summary: 'What the public home page needs from configuration (complaint hotline)',
        response: { 200: z.object({ complaintHotline: z.string() }) },
      },
      handler: async (_req, reply) => {
        reply.header('cache-control', PUBLIC_CACHE);
        return { complaintHotline: portal.complaintHotline };
      },
    });
    r.get('/public/content', {
      config: { authz: { public: 'published news, policies and notices are for everyone' } },
      schema: {
        tags,
        summary: 'Published items, newest first (filter by category; q searches titles and summaries)',
        querystring: z.strictObject({
          category: category.optional(),
          q: search.optional(),
          ...pageQuery.shape,
        }),
        response: { 200: pageOf(publicSummary) },
      },
      handler: async (req, reply) => {
        reply.header('cache-control', PUBLIC_CACHE);
        return svc.publicList(req.query);
      },
    });
    r.get('/public/content/:slug', {
      config: { authz: { public: 'published news, policies and notices are for everyone' } },
      schema: {
        tags,
        summary: 'One published item with its sanitized body and attachments',
        params: z.strictObject({ slug }),
        response: { 200: publicDetail },
      },
      handler: async (req, reply) => {
        reply.header('cache-control', PUBLIC_CACHE);
        return svc.publicGet(req.params.slug);
      },
    });
    r.get('/public/content/:slug/attachments/:attachmentId', {
      config: { authz: { public: 'attachments of published items are published with them' } },
      schema: {
        tags,
        summary: 'Download an attachment of a published item',
        params: z.strictObject({ slug, attachmentId: id }),
      },
      handler: async (req, reply) =>
        sendFile(reply, await svc.publicAttachment(req.params.slug, req.params.attachmentId), PUBLIC_CACHE),
    });

    // ---- editor ----
    r.get('/content/items', {
      config: editor,
      schema: {
        tags,
        summary: 'Every item in any state, newest first',
        querystring: z.strictObject({
          state: z.enum(contentStates).optional(),
          category: category.optional(),
          q: search.optional(),
          ...pageQuery.shape,
        }),
        response: { 200: pageOf(editorItem) },
      },
      handler: async (req) => svc.list(contextOf(req), req.query),
    });
    r.post('/content/items', {
      config: editor,
      schema: {
        tags,
        summary: 'Write a draft; the body is sanitized (bodyCleaned says whether anything was removed)',
        body: itemBody,
        response: { 201: savedItem },
      },
      handler: async (req, reply) => reply.status(201).send(await svc.create(contextOf(req), req.body)),
    });
    r.get('/content/items/:id', {
      config: editor,
      schema: {
        tags,
        summary: 'One item as the editor sees it',
        params: z.strictObject({ id }),
        response: { 200: editorItem },
      },
      handler: async (req) => svc.get(contextOf(req), req.params.id),
    });
    r.patch('/content/items/:id', {
      config: editor,
      schema: {
        tags,
        summary: 'Edit an item that is not archived (the slug is fixed once published)',
        params: z.strictObject({ id }),
        body: patchBody,
        response: { 200: savedItem },
      },
      handler: async (req) => svc.update(contextOf(req), req.params.id, req.body),
    });
    r.post('/content/items/:id/transitions', {
      config: editor,
      schema: {
        tags,
        summary:
          'Publish, schedule (publishAt), unschedule, unpublish or archive (docs/content.md has the state table)',
        params: z.strictObject({ id }),
        body: z.strictObject({
          action: z.enum(contentActions),
          reason: z.string().max(200).optional(),
          publishAt: z.iso
            .datetime({ offset: true })
            .optional()
            .describe('For schedule: when to publish (future, within a year)'),
        }),
        response: { 200: editorItem },
      },
      handler: async (req) =>
        svc.transition(contextOf(req), req.params.id, req.body.action, req.body.reason, req.body.publishAt),
    });
    r.post('/content/items/:id/attachments', {
      config: editor,
      schema: {
        tags,
        summary: 'Attach a file (multipart: file; PDF, DOCX, XLSX, JPEG or PNG by content; 10 MB)',
        consumes: ['multipart/form-data'],
        params: z.strictObject({ id }),
        response: { 201: editorItem },
      },
      handler: async (req, reply) =>
        reply.status(201).send(await svc.addAttachment(contextOf(req), req.params.id, await readUpload(req))),
    });
    r.delete('/content/items/:id/attachments/:attachmentId', {
      config: editor,
      schema: {
        tags,
        summary: 'Remove an attachment',
        params: z.strictObject({ id, attachmentId: id }),
        response: { 200: editorItem },
      },
      handler: async (req) => svc.removeAttachment(contextOf(req), req.params.id, req.params.attachmentId),
    });
    r.get('/content/attachments/:id', {
      config: editor,
      schema: { tags, summary: 'Download an attachment of any item', params: z.strictObject({ id }) },
      handler: async (req, reply) =>
        sendFile(reply, await svc.attachmentFile(contextOf(req), req.params.id), 'private, no-store'),
    });
  };
}
