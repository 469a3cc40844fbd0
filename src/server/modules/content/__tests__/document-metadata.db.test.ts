import { createHash } from 'node:crypto';
import { PDFDocument as PdfLib } from '@cantoo/pdf-lib';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account } from '../../../../../test/factories/workers.js';
import {
  AUTHOR,
  COMPANY,
  DOC_NEEDLES,
  DOCX_MAIN,
  docxWithEntries,
  docxWithZeros,
  encryptedPdf,
  pdfAllText,
  pdfMetadataKeys,
  taggedDocx,
  taggedPdf,
  unzipParts,
} from '../../../platform/storage/__tests__/document-fixtures.js';
import { multipart, storageRoot, storedFiles } from '../../../platform/storage/__tests__/upload-helpers.js';
import { contentAttachment } from '../content.tables.js';

// ASVS 14.2.8 / PIPL: PDF, Word and Excel attachments of news and policies are stored without their authors;
// damaged or encrypted files and zip bombs are refused before anything is stored.
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
      category: 'policy',
      title: `带附件的政策第${seq}条`,
      summary: '摘要',
      bodyHtml: '<p>正文</p>',
      authorOrg: '广州市商务局',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const attach = (id: string, data: Buffer, filename: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/content/items/${id}/attachments`,
    ...(({ payload, headers }) => ({ payload, headers: { ...headers, cookie: editor.cookie } }))(
      multipart(data, { type: 'application/octet-stream', filename }),
    ),
  });

/** Uploads, then reads the attachment back; size and SHA-256 recorded are those of the stored bytes. */
async function roundTrip(id: string, data: Buffer, filename: string): Promise<Buffer> {
  const up = await attach(id, data, filename);
  expect(up.statusCode, up.body).toBe(201);
  const att = up.json().attachments.at(-1) as { id: string; size: number };
  const file = await t.app.inject({
    method: 'GET',
    url: `/api/v1/content/attachments/${att.id}`,
    headers: { cookie: editor.cookie },
  });
  expect(file.statusCode).toBe(200);
  expect(att.size).toBe(file.rawPayload.length);
  const [row] = await t.database.db.select().from(contentAttachment).where(eq(contentAttachment.id, att.id));
  expect(row!.sha256).toBe(createHash('sha256').update(file.rawPayload).digest('hex'));
  return file.rawPayload;
}

const zipText = (zip: Buffer) =>
  Object.values(unzipParts(zip))
    .map((u) => Buffer.from(u).toString('utf8'))
    .join('\n');

describe('document attachments lose their metadata', () => {
  test('a PDF: no Info, no XMP, no PieceInfo, no EXIF in its JPEG; it still opens', async () => {
    const tagged = await taggedPdf();
    expect(await pdfAllText(tagged)).toContain(AUTHOR);
    const data = await roundTrip(await draft(), tagged, '政策.pdf');
    const text = await pdfAllText(data);
    for (const n of DOC_NEEDLES) expect(text, n).not.toContain(n);
    expect(await pdfMetadataKeys(data)).toEqual([]);
    expect((await PdfLib.load(data)).getPageCount()).toBe(1);
  });

  test('a DOCX: no creator, company, custom properties or comment authors; the document part is byte-identical', async () => {
    const data = await roundTrip(await draft(), taggedDocx(), '通知.docx');
    const parts = unzipParts(data);
    expect(Buffer.from(parts['word/document.xml']!).toString('utf8')).toBe(DOCX_MAIN);
    expect(parts['docProps/custom.xml']).toBeUndefined();
    for (const n of DOC_NEEDLES) expect(zipText(data), n).not.toContain(n);
  });

  test('an XLSX written by ExcelJS loses its creator and keeps its cells', async () => {
    const wb = new ExcelJS.Workbook();
    wb.creator = AUTHOR;
    wb.company = COMPANY;
    wb.addWorksheet('指导价').addRow(['育婴员', 650000]);
    const data = await roundTrip(await draft(), Buffer.from(await wb.xlsx.writeBuffer()), '指导价.xlsx');
    expect(zipText(data)).not.toContain(AUTHOR);
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(data as unknown as ArrayBuffer);
    expect(back.getWorksheet('指导价')!.getRow(1).values).toEqual([undefined, '育婴员', 650000]);
  });

  test('damaged and encrypted PDFs (422) and zip bombs (413) are refused; nothing is stored', async () => {
    const id = await draft();
    const before = storedFiles(root);
    const fakeGb = docxWithZeros(1024);
    fakeGb.writeUInt32LE(1024 * 1024 * 1024, fakeGb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    const cases: [Buffer, string, number, string][] = [
      [(await taggedPdf()).subarray(0, 800), 'cut.pdf', 422, 'FILE_DAMAGED'],
      [await encryptedPdf(), 'locked.pdf', 422, 'FILE_DAMAGED'],
      [taggedDocx().subarray(0, 400), 'cut.docx', 422, 'FILE_DAMAGED'],
      [docxWithEntries(10_000), 'entries.docx', 413, 'FILE_ARCHIVE_TOO_LARGE'],
      [fakeGb, 'gigabyte.docx', 413, 'FILE_ARCHIVE_TOO_LARGE'],
      [docxWithZeros(8 * 1024 * 1024), 'ratio.docx', 413, 'FILE_ARCHIVE_TOO_LARGE'],
    ];
    for (const [data, name, status, code] of cases) {
      const res = await attach(id, data, name);
      expect(res.statusCode, `${name} ${res.body}`).toBe(status);
      expect(res.json()).toMatchObject({
        code,
        message: { 'zh-CN': expect.any(String), en: expect.any(String) },
      });
    }
    expect(storedFiles(root)).toEqual(before);
    expect(
      await t.database.db.select().from(contentAttachment).where(eq(contentAttachment.itemId, id)),
    ).toEqual([]);
  });
});
