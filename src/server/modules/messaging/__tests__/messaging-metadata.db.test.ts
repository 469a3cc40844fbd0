import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, selfWorker } from '../../../../../test/factories/workers.js';
import {
  expectCleanJpeg,
  expectCleanPng,
  multipart,
  storageRoot,
  storedFiles,
  taggedImages,
} from '../../../platform/storage/__tests__/upload-helpers.js';
import { message } from '../messaging.tables.js';

// ASVS 14.2.8: a chat photo reaches the other side (and storage) without its camera metadata.
let t: TestApp;
let root: string;
beforeAll(async () => {
  t = await buildTestApp();
  root = await storageRoot(t.app.storage);
});
afterAll(async () => t?.close());

async function conversation() {
  const resident = await account(t, [{ role: 'resident' }], '陈女士');
  const worker = await selfWorker(t);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: { cookie: resident.cookie },
    payload: { context: 'profile', workerId: worker.workerId },
  });
  expect(res.statusCode).toBe(200);
  return { resident, worker, id: res.json().id as string };
}

const send = (cookie: string, id: string, data: Buffer, type: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${id}/images`,
    ...(({ payload, headers }) => ({ payload, headers: { ...headers, cookie } }))(
      multipart(data, { filename: type === 'image/png' ? 'a.png' : 'a.jpg', type }),
    ),
  });

describe('chat images lose their metadata', () => {
  test('a JPEG with Exif GPS and a PNG with text chunks come back clean with the same pixels', async () => {
    const img = taggedImages();
    const c = await conversation();
    const jpeg = await send(c.resident.cookie, c.id, img.jpeg, 'image/jpeg');
    expect(jpeg.statusCode, jpeg.body).toBe(201);
    const served = await t.app.inject({
      method: 'GET',
      url: jpeg.json().imageUrl,
      headers: { cookie: c.worker.cookie },
    });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expectCleanJpeg(served.rawPayload, img.jpeg);
    expect(served.rawPayload.equals(img.cleanJpeg)).toBe(true);

    const png = await send(c.worker.cookie, c.id, img.png, 'image/png');
    expect(png.statusCode, png.body).toBe(201);
    const back = await t.app.inject({
      method: 'GET',
      url: png.json().imageUrl,
      headers: { cookie: c.resident.cookie },
    });
    expect(back.statusCode).toBe(200);
    expectCleanPng(back.rawPayload, img.cleanPng);
  });

  test('a damaged JPEG or PNG is refused with FILE_DAMAGED and nothing is stored', async () => {
    const img = taggedImages();
    const c = await conversation();
    const before = storedFiles(root);
    for (const [data, type] of [
      [img.damagedJpeg, 'image/jpeg'],
      [img.damagedPng, 'image/png'],
    ] as const) {
      const res = await send(c.resident.cookie, c.id, data, type);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().code).toBe('FILE_DAMAGED');
    }
    expect(storedFiles(root)).toEqual(before);
    const rows = await t.database.db
      .select()
      .from(message)
      .where(and(eq(message.conversationId, c.id), eq(message.kind, 'image')));
    expect(rows).toEqual([]);
  });
});
