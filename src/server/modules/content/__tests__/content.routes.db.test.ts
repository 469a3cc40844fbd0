import ExcelJS from 'exceljs';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, company, PNG } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { stripPdf } from '../../../platform/storage/index.js';
import { MAX_ATTACHMENT_BYTES } from '../attachments.js';
import { contentAttachment, contentItem } from '../content.tables.js';
import { renderTextPdf } from '../policy-pdf.js';

// Content through the real app: the regulator's editor, sanitizing, the publishing state machine, what the public
// sees (only published items), keyset pages and search, and attachments checked by their bytes.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
let resident: Awaited<ReturnType<typeof account>>;
let pdf: Buffer;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }], '林处长');
  resident = await account(t, [{ role: 'resident' }]);
  pdf = await renderTextPdf({ title: '测试政策', issuer: '广州市商务局', paragraphs: ['第一条 家政服务。'] });
}, 120_000);
afterAll(async () => t?.close());

const inject = (
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  cookie?: string,
  payload?: object,
) => t.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });

function uploadFile(
  itemId: string,
  data: Buffer,
  filename: string,
  contentType = 'application/octet-stream',
) {
  const boundary = `----anxin${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/content/items/${itemId}/attachments`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: regulator.cookie },
    payload,
  });
}

let seq = 0;
async function draft(over: Record<string, unknown> = {}) {
  seq++;
  const res = await inject('POST', '/api/v1/content/items', regulator.cookie, {
    category: 'news',
    title: `家政新闻第${seq}条`,
    summary: '摘要',
    bodyHtml: '<p>正文内容</p>',
    authorOrg: '广州市商务局',
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; slug: string; state: string; actions: string[] };
}
const act = (id: string, action: string) =>
  inject('POST', `/api/v1/content/items/${id}/transitions`, regulator.cookie, { action });
const count = async (title: string) =>
  (await t.database.db.select().from(contentItem).where(eq(contentItem.title, title))).length;

describe('editing and permissions', () => {
  test('a regulator writes a draft; unsafe markup is removed, stored clean, and reported', async () => {
    const res = await inject('POST', '/api/v1/content/items', regulator.cookie, {
      category: 'policy',
      title: '<b>家政服务</b>管理办法',
      bodyHtml:
        '<p onclick="steal()">第一条<script>alert(1)</script></p><iframe src="https://evil.example"></iframe><a href="javascript:alert(1)">链接</a>',
      authorOrg: '广州市商务局',
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      state: 'draft',
      title: '家政服务管理办法',
      bodyCleaned: true,
      actions: ['publish', 'schedule', 'archive'],
      slugLocked: false,
      publicUrl: null,
    });
    expect(body.slug).toMatch(/^policy-\d{8}-[a-z0-9]{6}$/);
    const [row] = await t.database.db.select().from(contentItem).where(eq(contentItem.id, body.id));
    expect(row!.bodyHtml).toBe('<p>第一条</p><a rel="noopener noreferrer nofollow">链接</a>');
    expect(row!.summary).toBe('第一条链接');
  });

  test('an unknown category is refused with its own code, and nothing is stored', async () => {
    const res = await inject('POST', '/api/v1/content/items', regulator.cookie, {
      category: 'gossip',
      title: '未知栏目',
      bodyHtml: '<p>x</p>',
      authorOrg: '广州市商务局',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'CONTENT_CATEGORY_UNKNOWN',
      message: { 'zh-CN': expect.stringContaining('栏目') },
    });
    expect(await count('未知栏目')).toBe(0);
    const list = await inject('GET', '/api/v1/public/content?category=gossip');
    expect(list.json().code).toBe('CONTENT_CATEGORY_UNKNOWN');
  });

  test('a body that is only dangerous markup is refused as empty, and nothing is stored', async () => {
    const res = await inject('POST', '/api/v1/content/items', regulator.cookie, {
      category: 'news',
      title: '只有脚本',
      bodyHtml: '<script>alert(1)</script><iframe></iframe>',
      authorOrg: '广州市商务局',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('CONTENT_BODY_EMPTY');
    expect(await count('只有脚本')).toBe(0);
  });

  test('unknown fields and bad slugs are 422', async () => {
    const extra = await inject('POST', '/api/v1/content/items', regulator.cookie, {
      category: 'news',
      title: 'x',
      bodyHtml: '<p>x</p>',
      authorOrg: 'y',
      state: 'published',
    });
    expect(extra.statusCode).toBe(422);
    const bad = await inject('POST', '/api/v1/content/items', regulator.cookie, {
      category: 'news',
      title: 'x',
      bodyHtml: '<p>x</p>',
      authorOrg: 'y',
      slug: '../etc/passwd',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('slug');
  });

  test('only regulators edit: anonymous 401, residents and companies 403', async () => {
    const item = await draft();
    const co = await company(t, '内容权限测试家政公司');
    const body = { category: 'news', title: '越权', bodyHtml: '<p>x</p>', authorOrg: 'x' };
    expect((await inject('POST', '/api/v1/content/items', undefined, body)).statusCode).toBe(401);
    expect((await inject('POST', '/api/v1/content/items', resident.cookie, body)).statusCode).toBe(403);
    expect((await inject('POST', '/api/v1/content/items', co.cookie, body)).statusCode).toBe(403);
    expect((await inject('GET', `/api/v1/content/items/${item.id}`, resident.cookie)).statusCode).toBe(403);
    expect(
      (await inject('POST', `/api/v1/content/items/${item.id}/transitions`, co.cookie, { action: 'publish' }))
        .statusCode,
    ).toBe(403);
    expect(await count('越权')).toBe(0);
  });
});

describe('publishing and what the public sees', () => {
  test('draft → published → unpublished → published → unpublished → archived, each with an audit row', async () => {
    const item = await draft({ category: 'notice', title: '关于家政培训的通知' });
    const pub = `/api/v1/public/content/${item.slug}`;
    expect((await inject('GET', pub)).statusCode).toBe(404);

    const p1 = await act(item.id, 'publish');
    expect(p1.statusCode, p1.body).toBe(200);
    expect(p1.json()).toMatchObject({
      state: 'published',
      actions: ['unpublish'],
      slugLocked: true,
      publicUrl: `/news/${item.slug}`,
    });
    const seen = await inject('GET', pub);
    expect(seen.statusCode).toBe(200);
    expect(seen.headers['cache-control']).toBe('public, max-age=60');
    expect(seen.json()).toMatchObject({
      title: '关于家政培训的通知',
      category: 'notice',
      bodyHtml: '<p>正文内容</p>',
    });
    expect(Object.keys(seen.json())).not.toContain('id');

    expect((await act(item.id, 'archive')).json().code).toBe('CONTENT_INVALID_TRANSITION');
    expect((await act(item.id, 'unpublish')).json().state).toBe('unpublished');
    expect((await inject('GET', pub)).statusCode).toBe(404);
    expect((await act(item.id, 'publish')).json().state).toBe('published');
    expect((await inject('GET', pub)).statusCode).toBe(200);
    expect((await act(item.id, 'unpublish')).statusCode).toBe(200);
    const archived = await act(item.id, 'archive');
    expect(archived.json()).toMatchObject({ state: 'archived', actions: [] });

    // Archived is final and read-only.
    for (const a of ['publish', 'unpublish', 'archive']) {
      const r = await act(item.id, a);
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('CONTENT_INVALID_TRANSITION');
    }
    const edit = await inject('PATCH', `/api/v1/content/items/${item.id}`, regulator.cookie, { title: '改' });
    expect(edit.statusCode).toBe(409);
    expect((await uploadFile(item.id, pdf, 'a.pdf')).statusCode).toBe(409);
    expect((await inject('GET', pub)).statusCode).toBe(404);

    const audits = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.objectId, item.id), like(auditLog.action, 'content.%')))
      .orderBy(auditLog.seq);
    expect(audits.map((a) => a.action)).toEqual([
      'content.created',
      'content.publish',
      'content.unpublish',
      'content.publish',
      'content.unpublish',
      'content.archive',
    ]);
  });

  test('the slug is fixed once published and unique always', async () => {
    const a = await draft({ slug: 'gz-slug-test-a' });
    const b = await draft();
    const taken = await inject('PATCH', `/api/v1/content/items/${b.id}`, regulator.cookie, {
      slug: 'gz-slug-test-a',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('CONTENT_SLUG_TAKEN');
    const dup = await inject('POST', '/api/v1/content/items', regulator.cookie, {
      category: 'news',
      title: '重复',
      bodyHtml: '<p>x</p>',
      authorOrg: 'x',
      slug: 'gz-slug-test-a',
    });
    expect(dup.json().code).toBe('CONTENT_SLUG_TAKEN');
    expect(
      (await inject('PATCH', `/api/v1/content/items/${a.id}`, regulator.cookie, { slug: 'gz-slug-test-a2' }))
        .statusCode,
    ).toBe(200);
    await act(a.id, 'publish');
    const locked = await inject('PATCH', `/api/v1/content/items/${a.id}`, regulator.cookie, {
      slug: 'gz-slug-test-a3',
    });
    expect(locked.json().code).toBe('CONTENT_SLUG_LOCKED');
    // Editing a published item's text is allowed and live.
    const edited = await inject('PATCH', `/api/v1/content/items/${a.id}`, regulator.cookie, {
      bodyHtml: '<p>更正后<img src=x onerror=alert(1)></p>',
    });
    expect(edited.json()).toMatchObject({ bodyCleaned: true, bodyHtml: '<p>更正后</p>' });
    expect((await inject('GET', '/api/v1/public/content/gz-slug-test-a2')).json().bodyHtml).toBe(
      '<p>更正后</p>',
    );
  });

  test('the public list: published only, newest first, by category, searchable, keyset pages', async () => {
    const tag = `钟点工${Date.now() % 100000}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const d = await draft({ category: 'policy', title: `${tag}政策${i}` });
      await act(d.id, 'publish');
      ids.push(d.id);
    }
    await draft({ category: 'policy', title: `${tag}草稿` });
    const first = await inject('GET', `/api/v1/public/content?q=${encodeURIComponent(tag)}&limit=2`);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    const p1 = first.json();
    expect(p1.items.map((i: { title: string }) => i.title)).toEqual([`${tag}政策2`, `${tag}政策1`]);
    expect(p1.nextCursor).toBeTruthy();
    const p2 = (
      await inject(
        'GET',
        `/api/v1/public/content?q=${encodeURIComponent(tag)}&limit=2&cursor=${p1.nextCursor}`,
      )
    ).json();
    expect(p2.items.map((i: { title: string }) => i.title)).toEqual([`${tag}政策0`]);
    expect(p2.nextCursor).toBeNull();

    const news = (
      await inject('GET', `/api/v1/public/content?category=news&q=${encodeURIComponent(tag)}`)
    ).json();
    expect(news.items).toEqual([]);
    // LIKE wildcards in the query are literal.
    expect((await inject('GET', '/api/v1/public/content?q=%25')).json().items).toEqual([]);
    expect((await inject('GET', '/api/v1/public/content?cursor=bm9wZQ')).statusCode).toBe(422);

    const editor = (
      await inject('GET', `/api/v1/content/items?q=${encodeURIComponent(tag)}&state=draft`, regulator.cookie)
    ).json();
    expect(editor.items.map((i: { title: string }) => i.title)).toEqual([`${tag}草稿`]);
  });
});

describe('attachments', () => {
  test('a PDF, an XLSX and a PNG are accepted by their bytes; the public downloads them once published', async () => {
    const item = await draft({ category: 'policy', title: '带附件的政策' });
    const up = await uploadFile(item.id, pdf, '广州市家政政策.pdf', 'application/pdf');
    expect(up.statusCode, up.body).toBe(201);
    const att = up.json().attachments[0];
    // Stored without its /Info (pdfkit's Producer and dates): size and bytes are those of the stripped file.
    const stored = await stripPdf(pdf);
    expect(att).toMatchObject({
      fileName: '广州市家政政策.pdf',
      mime: 'application/pdf',
      size: stored.length,
    });

    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('指导价').addRow(['项目', '价格']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const x = await uploadFile(item.id, xlsx, '指导价.xlsx');
    expect(x.statusCode, x.body).toBe(201);
    expect(x.json().attachments[1].mime).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );

    const img = await uploadFile(item.id, PNG, 'cover.png');
    const pngId = img.json().attachments[2].id;
    const cover = await inject('PATCH', `/api/v1/content/items/${item.id}`, regulator.cookie, {
      coverAttachmentId: pngId,
    });
    expect(cover.json().coverAttachmentId).toBe(pngId);
    const badCover = await inject('PATCH', `/api/v1/content/items/${item.id}`, regulator.cookie, {
      coverAttachmentId: att.id,
    });
    expect(badCover.json().code).toBe('CONTENT_ATTACHMENT_INVALID');

    const publicUrl = `/api/v1/public/content/${item.slug}/attachments/${att.id}`;
    expect((await inject('GET', publicUrl)).statusCode).toBe(404);
    const editorDl = await inject('GET', `/api/v1/content/attachments/${att.id}`, regulator.cookie);
    expect(editorDl.statusCode).toBe(200);
    expect(editorDl.headers['cache-control']).toBe('private, no-store');

    await act(item.id, 'publish');
    const detail = (await inject('GET', `/api/v1/public/content/${item.slug}`)).json();
    expect(detail.attachments.map((a: { url: string }) => a.url)).toContain(publicUrl);
    expect(detail.coverUrl).toBe(`/api/v1/public/content/${item.slug}/attachments/${pngId}`);
    const dl = await inject('GET', publicUrl);
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('广州市家政政策.pdf')}`,
    );
    expect(dl.rawPayload.equals(stored)).toBe(true);
    // An attachment of another item is not reachable through this item's slug.
    const other = await draft();
    const otherAtt = (await uploadFile(other.id, PNG, 'x.png')).json().attachments[0].id;
    expect(
      (await inject('GET', `/api/v1/public/content/${item.slug}/attachments/${otherAtt}`)).statusCode,
    ).toBe(404);
  });

  test('wrong types are refused by content, whatever the name says, and nothing is stored', async () => {
    const item = await draft();
    const cases: [Buffer, string][] = [
      [Buffer.from('<html><script>alert(1)</script></html>'), 'policy.pdf'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'), 'chart.png'],
      [Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), 'report.docx'],
      [Buffer.from('plain text'), 'a.xlsx'],
    ];
    for (const [data, name] of cases) {
      const res = await uploadFile(item.id, data, name, 'application/pdf');
      expect(res.statusCode, name).toBe(415);
      expect(res.json()).toMatchObject({
        code: 'FILE_TYPE_NOT_ALLOWED',
        message: { 'zh-CN': expect.stringContaining('DOCX') },
      });
    }
    const empty = await uploadFile(item.id, Buffer.alloc(0), 'a.pdf');
    expect(empty.statusCode).toBe(422);
    expect(
      await t.database.db.select().from(contentAttachment).where(eq(contentAttachment.itemId, item.id)),
    ).toEqual([]);
  });

  test('an oversize file is refused with 413, and nothing is stored', async () => {
    const item = await draft();
    const big = Buffer.concat([pdf, Buffer.alloc(MAX_ATTACHMENT_BYTES + 1 - pdf.length)]);
    const res = await uploadFile(item.id, big, 'big.pdf');
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      code: 'FILE_TOO_LARGE',
      message: { 'zh-CN': expect.stringContaining('10 MB') },
    });
    expect(
      await t.database.db.select().from(contentAttachment).where(eq(contentAttachment.itemId, item.id)),
    ).toEqual([]);
  });

  test('removing an attachment deletes the file and clears the cover', async () => {
    const item = await draft();
    const up = (await uploadFile(item.id, PNG, 'c.png')).json().attachments[0];
    await inject('PATCH', `/api/v1/content/items/${item.id}`, regulator.cookie, { coverAttachmentId: up.id });
    const [row] = await t.database.db.select().from(contentAttachment).where(eq(contentAttachment.id, up.id));
    expect(await t.app.storage.exists(row!.storageKey)).toBe(true);
    const res = await inject(
      'DELETE',
      `/api/v1/content/items/${item.id}/attachments/${up.id}`,
      regulator.cookie,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ attachments: [], coverAttachmentId: null });
    expect(await t.app.storage.exists(row!.storageKey)).toBe(false);
    expect(
      (await inject('DELETE', `/api/v1/content/items/${item.id}/attachments/${up.id}`, regulator.cookie))
        .statusCode,
    ).toBe(404);
  });

  test('at most 10 attachments per item', async () => {
    const item = await draft();
    for (let i = 0; i < 10; i++) expect((await uploadFile(item.id, PNG, `${i}.png`)).statusCode).toBe(201);
    const res = await uploadFile(item.id, PNG, 'eleven.png');
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('CONTENT_ATTACHMENT_INVALID');
  });
});

test('the portal reads the complaint hotline from configuration', async () => {
  const res = await inject('GET', '/api/v1/public/portal');
  expect(res.json()).toEqual({ complaintHotline: '12345' });
});
