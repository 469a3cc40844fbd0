import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, registerResident, type TestApp } from '../../../../../test/app.js';
import { makeUscc } from '../../../../shared/validators/index.js';
import {
  expectCleanJpeg,
  expectCleanPng,
  multipart,
  storageRoot,
  storedFiles,
  taggedImages,
} from '../../../platform/storage/__tests__/upload-helpers.js';
import { organization } from '../orgs.tables.js';

// ASVS 14.2.8: a photographed business licence is stored without its camera metadata; the recorded size and hash
// are those of the stored file.
let t: TestApp;
let root: string;
beforeAll(async () => {
  t = await buildTestApp();
  root = await storageRoot(t.app.storage);
});
afterAll(async () => t?.close());

let n = 0;
async function application() {
  const applicant = await registerResident(t);
  n++;
  const serial = `${process.pid % 1000}${Date.now() % 1_000_000}${n}`.padStart(9, '0').slice(-9);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/companies/applications',
    headers: { cookie: applicant.cookie },
    payload: {
      name: '越秀安心家政服务有限公司',
      uscc: makeUscc(`91440104${serial}`),
      legalRepresentative: '陈志强',
      model: 'employee',
      address: '广东省广州市越秀区中山五路 1 号',
      district: '440104',
      location: { lon: 113.27, lat: 23.13 },
      serviceCategories: ['cleaning'],
      contactName: '李小红',
      contactPhone: '13812345678',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as string, cookie: applicant.cookie };
}

const upload = (id: string, cookie: string, data: Buffer, type: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/companies/applications/${id}/licence`,
    ...(({ payload, headers }) => ({ payload, headers: { ...headers, cookie } }))(multipart(data, { type })),
  });

describe('licence images lose their metadata', () => {
  test('a JPEG and a PNG licence come back clean with the same pixels; size and hash are of the stored file', async () => {
    const img = taggedImages();
    const a = await application();
    for (const [data, type, check] of [
      [img.jpeg, 'image/jpeg', (b: Buffer) => expectCleanJpeg(b, img.jpeg)],
      [img.png, 'image/png', (b: Buffer) => expectCleanPng(b, img.cleanPng)],
    ] as const) {
      const up = await upload(a.id, a.cookie, data, type);
      expect(up.statusCode, up.body).toBe(200);
      const file = await t.app.inject({
        method: 'GET',
        url: `/api/v1/companies/${a.id}/licence`,
        headers: { cookie: a.cookie },
      });
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe(type);
      check(file.rawPayload);
      const [row] = await t.database.db.select().from(organization).where(eq(organization.id, a.id));
      expect(row).toMatchObject({
        licenceSize: file.rawPayload.length,
        licenceSha256: createHash('sha256').update(file.rawPayload).digest('hex'),
      });
      expect(up.json().licence.size).toBe(file.rawPayload.length);
    }
  });

  test('a damaged image is refused with FILE_DAMAGED and nothing is stored or recorded', async () => {
    const img = taggedImages();
    const a = await application();
    const before = storedFiles(root);
    for (const [data, type] of [
      [img.damagedJpeg, 'image/jpeg'],
      [img.damagedPng, 'image/png'],
    ] as const) {
      const res = await upload(a.id, a.cookie, data, type);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().code).toBe('FILE_DAMAGED');
    }
    expect(storedFiles(root)).toEqual(before);
    const [row] = await t.database.db.select().from(organization).where(eq(organization.id, a.id));
    expect(row!.licenceKey).toBeNull();
  });
});
