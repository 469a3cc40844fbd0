import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account } from '../../../../../test/factories/workers.js';
import {
  expectCleanJpeg,
  expectCleanPng,
  multipart,
  storageRoot,
  storedFiles,
  taggedImages,
} from '../../../platform/storage/__tests__/upload-helpers.js';
import { contentAttachment } from '../content.tables.js';

// ASVS 14.2.8: images attached to news and policies are stored (and published) without their camera metadata.
let t: TestApp;
let root: string;
let editor: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  root = await storageRoot(t.app.storage);
  editor = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

let seq = 0;
async function draft() {
  seq++;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/content/items',
    headers: { cookie: editor.cookie },
    payload: {
      category: 'news',
      title: `带图片的新闻第${seq}条`,
      summary: '摘要',
      bodyHtml: '<p>正文</p>',
      authorOrg: '广州市商务局',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const attach = (id: string, data: Buffer, type: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/content/items/${id}/attachments`,
    ...(({ payload, headers }) => ({ payload, headers: { ...headers, cookie: editor.cookie } }))(
      multipart(data, { type, filename: type === 'image/png' ? 'chart.png' : 'photo.jpg' }),
    ),
  });

describe('content images lose their metadata', () => {
  test('a JPEG and a PNG attachment come back clean with the same pixels; size and hash are of the stored file', async () => {
    const img = taggedImages();
    const id = await draft();
    for (const [data, type, check] of [
      [img.jpeg, 'image/jpeg', (b: Buffer) => expectCleanJpeg(b, img.jpeg)],
      [img.png, 'image/png', (b: Buffer) => expectCleanPng(b, img.cleanPng)],
    ] as const) {
      const up = await attach(id, data, type);
      expect(up.statusCode, up.body).toBe(201);
      const att = up.json().attachments.at(-1) as { id: string; size: number };
      const file = await t.app.inject({
        method: 'GET',
        url: `/api/v1/content/attachments/${att.id}`,
        headers: { cookie: editor.cookie },
      });
      expect(file.statusCode).toBe(200);
      check(file.rawPayload);
      expect(att.size).toBe(file.rawPayload.length);
      const [row] = await t.database.db
        .select()
        .from(contentAttachment)
        .where(eq(contentAttachment.id, att.id));
      expect(row!.sha256).toBe(createHash('sha256').update(file.rawPayload).digest('hex'));
    }
  });

  test('a damaged image is refused with FILE_DAMAGED and nothing is stored', async () => {
    const img = taggedImages();
    const id = await draft();
    const before = storedFiles(root);
    for (const [data, type] of [
      [img.damagedJpeg, 'image/jpeg'],
      [img.damagedPng, 'image/png'],
    ] as const) {
      const res = await attach(id, data, type);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().code).toBe('FILE_DAMAGED');
    }
    expect(storedFiles(root)).toEqual(before);
    expect(
      await t.database.db.select().from(contentAttachment).where(eq(contentAttachment.itemId, id)),
    ).toEqual([]);
  });
});
