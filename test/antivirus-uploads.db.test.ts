import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from './app.js';
import { account, selfWorker } from './factories/workers.js';
import {
  EICAR,
  EICAR_SIGNATURE,
  pdfWith,
  skipWithoutClamd,
  startClamd,
  type TestClamd,
} from './support/clamd.js';
import { contentAttachment } from '../src/server/modules/content/content.tables.js';
import { message } from '../src/server/modules/messaging/messaging.tables.js';
import { workerDocument } from '../src/server/modules/workers/workers.tables.js';
import { verifyAuditChain } from '../src/server/platform/audit/audit.js';
import { auditLog } from '../src/server/platform/audit/audit.tables.js';
import { tinyJpeg } from '../src/server/platform/storage/__tests__/image-fixtures.js';
import {
  multipart,
  storageRoot,
  storedFiles,
} from '../src/server/platform/storage/__tests__/upload-helpers.js';

// ASVS 5.4.3 through the real upload endpoints, with a real clamd (test/support/clamd.ts) and the app configured by
// ANTIVIRUS_CLAMD as in production: EICAR → 422 FILE_INFECTED with no row and no file; a clean file is stored;
// clamd stopped → 503 ANTIVIRUS_UNAVAILABLE (Retry-After), nothing stored, and /readyz says so. Each refusal is a
// `storage.upload_refused` audit row (who, area, signature, size, SHA-256, request id; no file name) that survives
// the failed request, and the chain still verifies.

const skip = skipWithoutClamd();
let clamd: TestClamd;
let t: TestApp;
let root: string;
const logLines: string[] = [];
let worker: Awaited<ReturnType<typeof selfWorker>>;
let resident: Awaited<ReturnType<typeof account>>;
let editor: Awaited<ReturnType<typeof account>>;
let conversationId: string;
let itemId: string;

// A person's name in the upload's file name: it must never reach the log.
const FILE_NAME = '张秀芳-健康证';

beforeAll(async () => {
  if (skip) return;
  clamd = await startClamd();
  t = await buildTestApp(
    { ANTIVIRUS_CLAMD: clamd.address, ANTIVIRUS_TIMEOUT_MS: '5000', LOG_LEVEL: 'info' },
    { logStream: { write: (line) => void logLines.push(line) } },
  );
  root = await storageRoot(t.app.storage);
  worker = await selfWorker(t);
  resident = await account(t, [{ role: 'resident' }], '陈女士');
  editor = await account(t, [{ role: 'regulator' }]);
  const conv = await t.app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: { cookie: resident.cookie },
    payload: { context: 'profile', workerId: worker.workerId },
  });
  expect(conv.statusCode, conv.body).toBe(200);
  conversationId = conv.json().id;
  const item = await t.app.inject({
    method: 'POST',
    url: '/api/v1/content/items',
    headers: { cookie: editor.cookie },
    payload: {
      category: 'news',
      title: '家政服务安全提示',
      summary: '摘要',
      bodyHtml: '<p>正文</p>',
      authorOrg: '广州市商务局',
    },
  });
  expect(item.statusCode, item.body).toBe(201);
  itemId = item.json().id;
}, 120_000);
afterAll(async () => {
  await t?.close();
  await clamd?.close();
});

const post = (
  url: string,
  cookie: string,
  file: Buffer,
  type: string,
  fields: Record<string, string> = {},
) => {
  const ext = type === 'application/pdf' ? 'pdf' : 'jpg';
  const body = multipart(file, { filename: `${FILE_NAME}.${ext}`, type, fields });
  return t.app.inject({ method: 'POST', url, headers: { ...body.headers, cookie }, payload: body.payload });
};

/** A JPEG with EICAR in an extra APP0 segment: image hygiene keeps APP0, so the stored bytes would carry it. */
function jpegWithEicar(): Buffer {
  const jpeg = tinyJpeg([[10, 20, 30, 40]]);
  const segment = Buffer.alloc(4 + EICAR.length);
  segment.writeUInt16BE(0xffe0, 0);
  segment.writeUInt16BE(2 + EICAR.length, 2);
  EICAR.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

const infectedPdf = pdfWith(EICAR);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const refusedRows = () =>
  t.database.db.select().from(auditLog).where(eq(auditLog.action, 'storage.upload_refused'));

interface Endpoint {
  name: string;
  send(file: 'clean' | 'infected'): Promise<LightMyRequestResponse>;
  /** The bytes `send('infected')` uploads, the uploader and the module (storage area) and route they go through. */
  infected: () => Buffer;
  uploader: () => { userId: string };
  area: string;
  route: string;
  /** Rows this endpoint keeps for its uploads (0 for the feedback file store, which has none until attached). */
  rows(): Promise<number>;
  created: number;
}

const endpoints: Endpoint[] = [
  {
    name: 'worker document (PDF)',
    send: (f) =>
      post(
        '/api/v1/workers/me/documents',
        worker.cookie,
        f === 'clean' ? pdfWith(Buffer.from('BT ET')) : infectedPdf,
        'application/pdf',
        {
          kind: 'skill',
        },
      ),
    infected: () => infectedPdf,
    uploader: () => worker,
    area: 'workers',
    route: '/api/v1/workers/me/documents',
    rows: async () =>
      (await t.database.db.select().from(workerDocument).where(eq(workerDocument.workerId, worker.workerId)))
        .length,
    created: 201,
  },
  {
    name: 'chat image (JPEG)',
    send: (f) =>
      post(
        `/api/v1/conversations/${conversationId}/images`,
        resident.cookie,
        f === 'clean' ? tinyJpeg([[10, 20, 30, 40]]) : jpegWithEicar(),
        'image/jpeg',
      ),
    infected: jpegWithEicar,
    uploader: () => resident,
    area: 'messaging',
    route: '/api/v1/conversations/:id/images',
    rows: async () =>
      (
        await t.database.db
          .select()
          .from(message)
          .where(and(eq(message.conversationId, conversationId), eq(message.kind, 'image')))
      ).length,
    created: 201,
  },
  {
    name: 'complaint evidence (PDF)',
    send: (f) =>
      post(
        '/api/v1/feedback/files',
        resident.cookie,
        f === 'clean' ? pdfWith(Buffer.from('BT ET')) : infectedPdf,
        'application/pdf',
      ),
    infected: () => infectedPdf,
    uploader: () => resident,
    area: 'feedback',
    route: '/api/v1/feedback/files',
    rows: async () => 0,
    created: 201,
  },
  {
    name: 'content attachment (PDF)',
    send: (f) =>
      post(
        `/api/v1/content/items/${itemId}/attachments`,
        editor.cookie,
        f === 'clean' ? pdfWith(Buffer.from('BT ET')) : infectedPdf,
        'application/pdf',
      ),
    infected: () => infectedPdf,
    uploader: () => editor,
    area: 'content',
    route: '/api/v1/content/items/:id/attachments',
    rows: async () =>
      (await t.database.db.select().from(contentAttachment).where(eq(contentAttachment.itemId, itemId)))
        .length,
    created: 201,
  },
];

describe.skipIf(skip)('uploads through a real clamd', () => {
  test('/readyz reports the scanner', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', antivirus: 'clamd' });
  });

  test.each(endpoints.map((e) => [e.name, e] as const))(
    '%s: a clean file is stored; EICAR is refused 422 FILE_INFECTED with no row and no file',
    async (_name, e) => {
      const rows0 = await e.rows();
      const files0 = storedFiles(root);
      const refused0 = await refusedRows();
      const clean = await e.send('clean');
      expect(clean.statusCode, clean.body).toBe(e.created);
      expect(storedFiles(root).length).toBe(files0.length + 1);
      const rows1 = await e.rows();
      if (e.name !== 'complaint evidence (PDF)') expect(rows1).toBe(rows0 + 1);
      // A clean upload is no security event.
      expect(await refusedRows()).toEqual(refused0);

      const files1 = storedFiles(root);
      const infected = await e.send('infected');
      expect(infected.statusCode, infected.body).toBe(422);
      expect(infected.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(infected.json()).toMatchObject({
        code: 'FILE_INFECTED',
        message: {
          'zh-CN': '文件未通过病毒扫描，已拒绝上传',
          en: 'The file failed the malware scan and was refused',
        },
      });
      expect(storedFiles(root)).toEqual(files1);
      expect(await e.rows()).toBe(rows1);

      // The refusal is audited although the request failed: one row, naming who, where, what and which bytes.
      const refused = await refusedRows();
      expect(refused).toHaveLength(refused0.length + 1);
      const row = refused.find((r) => r.requestId === infected.json().requestId);
      const hash = sha256(e.infected());
      expect(row).toMatchObject({
        actorId: e.uploader().userId,
        outcome: 'denied',
        objectType: 'file',
        objectId: `sha256:${hash}`,
        detail: {
          reason: 'malware',
          signature: EICAR_SIGNATURE,
          size: e.infected().length,
          area: e.area,
          sha256: hash,
          route: e.route,
        },
      });
      expect(row?.actorRoles).toBeTruthy();
      expect(JSON.stringify(row)).not.toContain(FILE_NAME);
    },
  );

  test('the audit chain verifies with the refusals in it', async () => {
    expect(await refusedRows()).toHaveLength(endpoints.length);
    const chain = await verifyAuditChain(t.database.db);
    expect(chain.ok, JSON.stringify(chain)).toBe(true);
    expect(chain.checked).toBeGreaterThanOrEqual(endpoints.length);
  });

  test('the log names the signature and size of each refused file, never its name', () => {
    const refused = logLines
      .map((l) => JSON.parse(l) as { msg?: string; signature?: string; size?: number; area?: string })
      .filter((l) => l.msg === 'upload refused: malware signature found');
    expect(refused).toHaveLength(endpoints.length);
    for (const l of refused) {
      expect(l.signature).toBe(EICAR_SIGNATURE);
      expect(l.size).toBeGreaterThan(EICAR.length);
    }
    expect(refused.map((l) => l.area).sort()).toEqual(['content', 'feedback', 'messaging', 'workers']);
    expect(logLines.join('\n')).not.toContain(FILE_NAME);
    expect(
      logLines.some((l) => l.includes(`uploads are scanned for malware by clamd at ${clamd.address}`)),
    ).toBe(true);
  });

  // Last: stops the daemon for the rest of the file.
  test('clamd stopped: every upload is 503 ANTIVIRUS_UNAVAILABLE with Retry-After, nothing stored; /readyz is 503', async () => {
    await clamd.stop();
    for (const e of endpoints) {
      const rows0 = await e.rows();
      const files0 = storedFiles(root);
      const res = await e.send('clean');
      expect(res.statusCode, `${e.name}: ${res.body}`).toBe(503);
      expect(res.json().code).toBe('ANTIVIRUS_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('30');
      expect(storedFiles(root), e.name).toEqual(files0);
      expect(await e.rows(), e.name).toBe(rows0);
    }
    // No verdict is an outage, not a malware event: no refusal row.
    expect(await refusedRows()).toHaveLength(endpoints.length);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().message.en).toMatch(/antivirus scanner \(clamd\) is not answering/);
  });
});
