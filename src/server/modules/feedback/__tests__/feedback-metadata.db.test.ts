import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account, company } from '../../../../../test/factories/workers.js';
import {
  expectCleanJpeg,
  expectCleanPng,
  multipart,
  storageRoot,
  storedFiles,
  taggedImages,
} from '../../../platform/storage/__tests__/upload-helpers.js';

// ASVS 14.2.8: complaint evidence and review photos are stored without camera metadata (a resident's photo of
// their home carries its GPS position).
let t: TestApp;
let root: string;
beforeAll(async () => {
  t = await buildTestApp();
  root = await storageRoot(t.app.storage);
});
afterAll(async () => t?.close());

const upload = (cookie: string, data: Buffer, type: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/feedback/files',
    ...(({ payload, headers }) => ({ payload, headers: { ...headers, cookie } }))(multipart(data, { type })),
  });

describe('feedback files lose their metadata', () => {
  test('complaint evidence (JPEG with Exif GPS, PNG with text chunks) is served clean with the same pixels', async () => {
    const img = taggedImages();
    const resident = await account(t, [{ role: 'resident' }]);
    const co = await company(t);
    const jpeg = await upload(resident.cookie, img.jpeg, 'image/jpeg');
    expect(jpeg.statusCode, jpeg.body).toBe(201);
    // The size reported is that of the stored (stripped) file.
    expect(jpeg.json()).toMatchObject({ contentType: 'image/jpeg', size: img.cleanJpeg.length });
    const png = await upload(resident.cookie, img.png, 'image/png');
    expect(png.statusCode, png.body).toBe(201);
    // Each upload is audited on its own (the fuzz suite found uploads that left no audit row).
    const audited = await t.database.raw.query<{ action: string; actor_id: string; detail: unknown }>(
      `select action, actor_id, detail from audit_log where object_id = $1`,
      [jpeg.json().fileId],
    );
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ action: 'feedback.file_uploaded', actor_id: resident.userId });
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: { cookie: resident.cookie, 'idempotency-key': `k-${Math.random()}` },
      payload: {
        subject: 'company',
        companyId: co.orgId,
        category: 'late_or_absent',
        description: '阿姨迟到两小时，附照片',
        evidenceIds: [jpeg.json().fileId, png.json().fileId],
      },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const get = (id: string) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/feedback/files/${id}`,
        headers: { cookie: resident.cookie },
      });
    const servedJpeg = await get(jpeg.json().fileId);
    expect(servedJpeg.statusCode).toBe(200);
    expectCleanJpeg(servedJpeg.rawPayload, img.jpeg);
    const servedPng = await get(png.json().fileId);
    expect(servedPng.statusCode).toBe(200);
    expectCleanPng(servedPng.rawPayload, img.cleanPng);
  });

  test('a damaged image is refused with FILE_DAMAGED and nothing is stored', async () => {
    const img = taggedImages();
    const resident = await account(t, [{ role: 'resident' }]);
    const before = storedFiles(root);
    for (const [data, type] of [
      [img.damagedJpeg, 'image/jpeg'],
      [img.damagedPng, 'image/png'],
    ] as const) {
      const res = await upload(resident.cookie, data, type);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().code).toBe('FILE_DAMAGED');
    }
    expect(storedFiles(root)).toEqual(before);
  });
});
