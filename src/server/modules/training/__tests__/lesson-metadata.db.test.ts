import { PDFDocument as PdfLib } from '@cantoo/pdf-lib';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp, uniquePhone } from '../../../../../test/app.js';
import { signInWithPassword } from '../../../../../test/factories/sign-in.js';
import {
  AUTHOR,
  DOC_NEEDLES,
  MEDIA,
  mp4Boxes,
  pdfAllText,
  taggedMp4,
  taggedPdf,
  taggedWebm,
  webmCluster,
} from '../../../platform/storage/__tests__/document-fixtures.js';
import { multipart, storageRoot, storedFiles } from '../../../platform/storage/__tests__/upload-helpers.js';
import { trainingLesson } from '../training.tables.js';

// ASVS 14.2.8 / PIPL: lesson videos are stored without their location and author metadata (in place, same size),
// lesson PDFs without Info/XMP; a damaged file is refused and nothing is stored.
const PASSWORD = 'Train2026pass';
let t: TestApp;
let root: string;
let cookie: string;
let courseId: string;

beforeAll(async () => {
  t = await buildTestApp();
  root = await storageRoot(t.app.storage);
  const phone = uniquePhone();
  const userId = await t.app.services.identity.createAccount({
    phone,
    password: PASSWORD,
    name: '培训老师',
    roles: [],
  });
  const { orgs } = t.app.services;
  const orgId = await orgs.createOrganization(t.database.db, {
    type: 'training',
    name: '元数据培训学校',
    district: '440106',
  });
  await orgs.addMember(t.database.db, { orgId, userId, role: 'admin' });
  cookie = await signInWithPassword(t.app, phone, PASSWORD);
  const c = await t.app.inject({
    method: 'POST',
    url: '/api/v1/training/courses',
    headers: { cookie },
    payload: { title: '母婴护理视频课', category: 'housework', kind: 'skill', requiredMinutes: 60 },
  });
  expect(c.statusCode, c.body).toBe(201);
  courseId = c.json().id;
});
afterAll(async () => t?.close());

const upload = (data: Buffer, filename: string) => {
  const { payload, headers } = multipart(data, {
    filename,
    type: 'application/octet-stream',
    fields: { title: filename, minutes: '10' },
  });
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/training/courses/${courseId}/lesson-files`,
    payload,
    headers: { ...headers, cookie },
  });
};

async function stored(lessonId: string) {
  const [row] = await t.database.db.select().from(trainingLesson).where(eq(trainingLesson.id, lessonId));
  const file = await t.app.inject({
    method: 'GET',
    url: `/api/v1/training/lessons/${lessonId}/file`,
    headers: { cookie },
  });
  expect(file.statusCode).toBe(200);
  expect(row!.fileSize).toBe(file.rawPayload.length);
  return file.rawPayload;
}

describe('lesson files lose their metadata', () => {
  test('an MP4 keeps its size, boxes and media data; udta/meta (©xyz GPS, ©nam) are gone', async () => {
    const tagged = taggedMp4();
    const res = await upload(tagged, 'lesson.mp4');
    expect(res.statusCode, res.body).toBe(201);
    const data = await stored(res.json().id);
    expect(data.length).toBe(tagged.length);
    for (const n of DOC_NEEDLES) expect(data.includes(Buffer.from(n, 'latin1')), n).toBe(false);
    const boxes = mp4Boxes(data);
    expect(boxes.map((b) => [b.at, b.size])).toEqual(mp4Boxes(tagged).map((b) => [b.at, b.size]));
    expect(boxes.some((b) => /udta|meta/.test(b.path))).toBe(false);
    const mdat = boxes.find((b) => b.path === 'mdat')!;
    expect(data.subarray(mdat.at + 8, mdat.at + mdat.size).equals(MEDIA)).toBe(true);
  });

  test('a WebM keeps its size and Cluster; Tags and the Info title are voided', async () => {
    const tagged = taggedWebm({ open: true });
    const res = await upload(tagged, 'lesson.webm');
    expect(res.statusCode, res.body).toBe(201);
    const data = await stored(res.json().id);
    expect(data.length).toBe(tagged.length);
    for (const n of DOC_NEEDLES) expect(data.includes(Buffer.from(n, 'latin1')), n).toBe(false);
    expect(data.subarray(data.length - webmCluster(true).length).equals(webmCluster(true))).toBe(true);
  });

  test('a PDF lesson is stored without Info and XMP, recorded with the stored size, and still opens', async () => {
    const res = await upload(await taggedPdf(), 'lesson.pdf');
    expect(res.statusCode, res.body).toBe(201);
    const data = await stored(res.json().id);
    expect(await pdfAllText(data)).not.toContain(AUTHOR);
    expect((await PdfLib.load(data)).getPageCount()).toBe(1);
  });

  test('a cut-short video or PDF is refused (422 FILE_DAMAGED) and nothing is stored', async () => {
    const before = storedFiles(root);
    const [rowsBefore] = [await t.database.db.select().from(trainingLesson)];
    for (const [data, name] of [
      [taggedMp4().subarray(0, 300), 'cut.mp4'],
      [taggedWebm().subarray(0, 120), 'cut.webm'],
      [(await taggedPdf()).subarray(0, 700), 'cut.pdf'],
    ] as const) {
      const res = await upload(data, name);
      expect(res.statusCode, name).toBe(422);
      expect(res.json().code).toBe('FILE_DAMAGED');
    }
    expect(storedFiles(root)).toEqual(before);
    expect(await t.database.db.select().from(trainingLesson)).toHaveLength(rowsBefore.length);
  });
});
