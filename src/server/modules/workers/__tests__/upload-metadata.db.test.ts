import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import {
  decodePng,
  GPS_TEXT,
  jpegParts,
  jpegSize,
  pngPair,
  tinyJpeg,
} from '../../../platform/storage/__tests__/image-fixtures.js';
import { worker, workerDocument } from '../workers.tables.js';
import { selfWorker, upload } from './helpers.js';

// ASVS 14.2.8: ID and certificate photos (and the worker's own photo) are stored without camera metadata.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

const has = (data: Buffer, text: string) => data.includes(Buffer.from(text, 'latin1'));
const BLOCKS = [
  [40, 200, 90, 250],
  [0, 128, 255, 64],
];

describe('uploaded photos lose their metadata', () => {
  test('an ID photo (JPEG with Exif GPS, XMP, IPTC, comment, trailer) is stored clean and still a valid image', async () => {
    const w = await selfWorker(t);
    const tagged = tinyJpeg(BLOCKS, { metadata: true });
    expect(has(tagged, GPS_TEXT)).toBe(true);
    const res = await upload(
      t,
      w.cookie,
      { kind: 'id_front' },
      { data: tagged, filename: 'id.jpg', type: 'image/jpeg' },
    );
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await t.database.db
      .select()
      .from(workerDocument)
      .where(eq(workerDocument.id, res.json().id));
    const stored = await t.app.storage.get(row!.fileKey);
    for (const needle of ['GPS', 'Exif', 'xap/1.0', 'Photoshop', '13800138000', 'trailer'])
      expect(has(stored, needle), needle).toBe(false);
    expect([stored[0], stored[1], stored.at(-2), stored.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    expect(jpegSize(stored)).toEqual(jpegSize(tagged));
    expect(jpegSize(stored)).toEqual({ width: 32, height: 16 });
    expect(jpegParts(stored).scan.equals(jpegParts(tagged).scan)).toBe(true);
    // The recorded size and hash are those of the stored bytes.
    expect(row).toMatchObject({
      mime: 'image/jpeg',
      size: stored.length,
      sha256: createHash('sha256').update(stored).digest('hex'),
    });
    const served = await t.app.inject({
      method: 'GET',
      url: `/api/v1/documents/${row!.id}/file`,
      headers: { cookie: w.cookie },
    });
    expect(served.statusCode).toBe(200);
    expect(served.rawPayload.equals(stored)).toBe(true);
  });

  test('a certificate scan (PNG with text, XMP, eXIf, tIME chunks) is stored clean with identical pixels', async () => {
    const w = await selfWorker(t);
    const { clean, tagged } = pngPair(7, 5);
    const res = await upload(
      t,
      w.cookie,
      { kind: 'skill' },
      { data: tagged, filename: 'cert.png', type: 'image/png' },
    );
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await t.database.db
      .select()
      .from(workerDocument)
      .where(eq(workerDocument.id, res.json().id));
    const stored = await t.app.storage.get(row!.fileKey);
    expect(has(stored, 'GPS')).toBe(false);
    expect(stored.equals(clean)).toBe(true);
    const decoded = decodePng(stored);
    expect([decoded.width, decoded.height]).toEqual([7, 5]);
    expect(decoded.raw.equals(decodePng(tagged).raw)).toBe(true);
  });

  test("the worker's own photo is stripped too", async () => {
    const w = await selfWorker(t);
    const res = await upload(
      t,
      w.cookie,
      {},
      { data: tinyJpeg(BLOCKS, { metadata: true }), filename: 'me.jpg', type: 'image/jpeg' },
      '/api/v1/workers/me/photo',
    );
    expect(res.statusCode, res.body).toBe(200);
    const [row] = await t.database.db.select().from(worker).where(eq(worker.id, w.workerId));
    const stored = await t.app.storage.get(row!.photoFileKey!);
    expect(has(stored, 'GPS')).toBe(false);
    expect(stored.equals(tinyJpeg(BLOCKS))).toBe(true);
  });

  test('a damaged JPEG is refused (422 FILE_DAMAGED) and nothing is stored', async () => {
    const w = await selfWorker(t);
    const before = await t.database.db
      .select()
      .from(workerDocument)
      .where(eq(workerDocument.workerId, w.workerId));
    const tagged = tinyJpeg(BLOCKS, { metadata: true });
    const broken = tagged.subarray(0, 60);
    const res = await upload(
      t,
      w.cookie,
      { kind: 'id_back' },
      { data: broken, filename: 'x.jpg', type: 'image/jpeg' },
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('FILE_DAMAGED');
    const after = await t.database.db
      .select()
      .from(workerDocument)
      .where(eq(workerDocument.workerId, w.workerId));
    expect(after).toHaveLength(before.length);
  });
});
