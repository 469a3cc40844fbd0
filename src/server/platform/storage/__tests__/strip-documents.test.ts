import { PDFDocument as PdfLib } from '@cantoo/pdf-lib';
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import PDFKit from 'pdfkit';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../errors.js';
import { stripMatroska, stripMp4 } from '../strip-media.js';
import { stripJpeg } from '../strip-metadata.js';
import { stripOoxml, ZIP_LIMITS } from '../strip-ooxml.js';
import { stripPdf } from '../strip-pdf.js';
import {
  AUTHOR,
  COMPANY,
  DOC_NEEDLES,
  DOCX_MAIN,
  docxWithEntries,
  docxWithZeros,
  ebmlIds,
  encryptedPdf,
  ISO6709,
  MEDIA,
  MINIMAL_PDF,
  mp4Boxes,
  pdfAllText,
  pdfJpeg,
  pdfJpegs,
  pdfMetadataKeys,
  taggedDocx,
  taggedMp4,
  taggedPdf,
  taggedWebm,
  unzipParts,
  webmCluster,
} from './document-fixtures.js';

const failure = async (f: () => unknown) => {
  try {
    await f();
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, en: e.message };
    throw e;
  }
  return null;
};
const text = (u: Uint8Array | undefined) => Buffer.from(u ?? []).toString('utf8');

describe('PDF', () => {
  test('Info, catalog and page XMP, PieceInfo and the embedded JPEG EXIF are gone; the page and the image remain', async () => {
    const tagged = await taggedPdf();
    const before = await pdfAllText(tagged);
    for (const n of [AUTHOR, 'xmpmeta', 'Private-Notes', 'Exif']) expect(before, n).toContain(n);
    expect(await pdfMetadataKeys(tagged)).toEqual(
      expect.arrayContaining([
        'trailer/Info',
        expect.stringMatching(/Metadata$/),
        expect.stringMatching(/PieceInfo$/),
      ]),
    );
    expect(tagged.includes('/ObjStm')).toBe(true);

    const clean = await stripPdf(tagged);
    const after = await pdfAllText(clean);
    for (const n of DOC_NEEDLES) expect(after, n).not.toContain(n);
    expect(await pdfMetadataKeys(clean)).toEqual([]);
    const doc = await PdfLib.load(clean);
    expect(doc.getPageCount()).toBe(1);
    // The picture is the same JPEG without its APPn segments.
    expect(await pdfJpegs(clean)).toEqual([stripJpeg(pdfJpeg())]);
  });

  test('a PDF with nothing to remove is returned as it is (the same bytes), so a second pass changes nothing', async () => {
    expect(await stripPdf(MINIMAL_PDF)).toBe(MINIMAL_PDF);
    const once = await stripPdf(await taggedPdf());
    expect(await stripPdf(once)).toBe(once);
  });

  test('a pdfkit PDF with a subset CJK font (what contracts and policies are made with) is stripped and still opens', async () => {
    // As the modules render them (the platform layer may not import a module): Debian's Noto CJK, subset by pdfkit.
    const pdf = await new Promise<Buffer>((resolve, reject) => {
      const d = new PDFKit({ size: 'A4', info: { Title: '家政服务合同' } });
      const chunks: Buffer[] = [];
      d.on('data', (c: Buffer) => chunks.push(c));
      d.on('end', () => resolve(Buffer.concat(chunks)));
      d.on('error', reject);
      d.registerFont(
        'cjk',
        '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
        'NotoSansCJKsc-Regular',
      );
      d.font('cjk').fontSize(20).text('家政服务合同').fontSize(12).text('第一条 服务内容。');
      d.end();
    });
    expect(pdf.includes('PDFKit')).toBe(true);
    const clean = await stripPdf(pdf);
    expect(clean.includes('PDFKit')).toBe(false);
    expect(await pdfMetadataKeys(clean)).toEqual([]);
    const doc = await PdfLib.load(clean);
    expect(doc.getPageCount()).toBe(1);
    // The font program survives the rewrite byte for byte.
    const fonts = async (b: Buffer) =>
      (await PdfLib.load(b)).context
        .enumerateIndirectObjects()
        .filter(([, o]) => /FontFile/.test(o.toString()) || /Subtype \/CIDFontType0C/.test(o.toString()))
        .length;
    expect(await fonts(clean)).toBe(await fonts(pdf));
  });

  test('a PDF/A-1 file loses its XMP (and so its PDF/A claim) and is saved without object streams trouble', async () => {
    const pdfa = await new Promise<Buffer>((resolve) => {
      const d = new PDFKit({ subset: 'PDF/A-1b', info: { Author: AUTHOR } });
      const chunks: Buffer[] = [];
      d.on('data', (c: Buffer) => chunks.push(c));
      d.on('end', () => resolve(Buffer.concat(chunks)));
      d.text('x');
      d.end();
    });
    const clean = await stripPdf(pdfa);
    expect(await pdfMetadataKeys(clean)).toEqual([]);
    expect(await pdfAllText(clean)).not.toContain(AUTHOR);
  });

  test('damaged, truncated, page-less and encrypted PDFs are FILE_DAMAGED', async () => {
    const tagged = await taggedPdf();
    const cases: [string, Buffer][] = [
      ['no catalog', Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')],
      ['truncated', tagged.subarray(0, Math.floor(tagged.length / 2))],
      [
        'garbage body',
        Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(500, 0x41), Buffer.from('\n%%EOF\n')]),
      ],
      [
        'no pages',
        Buffer.from(
          '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
        ),
      ],
    ];
    for (const [name, data] of cases)
      expect(await failure(() => stripPdf(data)), name).toMatchObject({ code: 'FILE_DAMAGED' });
    expect(await failure(async () => stripPdf(await encryptedPdf()))).toEqual({
      code: 'FILE_DAMAGED',
      en: expect.stringContaining('encrypted'),
    });
  });
});

describe('DOCX / XLSX', () => {
  test('core, app and custom properties and comment authors are gone; the main part is byte-identical', async () => {
    const tagged = taggedDocx();
    const clean = stripOoxml(tagged);
    const parts = unzipParts(clean);
    expect(Object.keys(parts).sort()).toEqual(
      [
        '[Content_Types].xml',
        '_rels/.rels',
        'docProps/app.xml',
        'docProps/core.xml',
        'word/comments.xml',
        'word/document.xml',
        'word/media/image1.jpeg',
      ].sort(),
    );
    expect(text(parts['word/document.xml'])).toBe(DOCX_MAIN);
    // The pasted photo is the same JPEG without its EXIF GPS.
    expect(Buffer.from(parts['word/media/image1.jpeg']!).equals(stripJpeg(pdfJpeg()))).toBe(true);
    const all = Object.values(parts).map(text).join('\n');
    for (const n of [AUTHOR, COMPANY, ISO6709, 'custom.xml', 'LW']) expect(all, n).not.toContain(n);
    expect(text(parts['docProps/core.xml'])).toMatch(/<cp:coreProperties [^>]*><\/cp:coreProperties>$/);
    expect(text(parts['docProps/app.xml'])).toContain('<Application>Microsoft Office Word</Application>');
    expect(text(parts['word/comments.xml'])).toContain('w:author=""');
    expect(clean.includes(Buffer.from(AUTHOR))).toBe(false);
    // Stripping again changes nothing.
    expect(stripOoxml(clean).equals(clean)).toBe(true);
  });

  test('an ExcelJS workbook keeps its cells and loses its creator', async () => {
    const wb = new ExcelJS.Workbook();
    wb.creator = AUTHOR;
    wb.lastModifiedBy = AUTHOR;
    wb.company = COMPANY;
    wb.addWorksheet('指导价').addRow(['月嫂', 880000]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(Object.values(unzipParts(xlsx)).map(text).join()).toContain(AUTHOR);
    const clean = stripOoxml(xlsx);
    expect(Object.values(unzipParts(clean)).map(text).join()).not.toContain(AUTHOR);
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(clean as unknown as ArrayBuffer);
    expect(back.getWorksheet('指导价')!.getRow(1).values).toEqual([undefined, '月嫂', 880000]);
    expect(back.creator ?? '').toBe('');
  });

  test('too many entries, too much unpacked and ratio bombs are refused before anything is inflated', async () => {
    expect(await failure(() => stripOoxml(docxWithEntries(ZIP_LIMITS.maxEntries)))).toMatchObject({
      code: 'FILE_ARCHIVE_TOO_LARGE',
    });
    // 8 MB of zeros deflate to a few KB.
    expect(await failure(() => stripOoxml(docxWithZeros(8 * 1024 * 1024)))).toMatchObject({
      code: 'FILE_ARCHIVE_TOO_LARGE',
    });
    // 1 GB declared in the central directory, and core.xml's compressed bytes broken: had anything been inflated
    // before the limits were checked, this would be FILE_DAMAGED.
    const fake = docxWithZeros(1024);
    fake.writeUInt32LE(1024 * 1024 * 1024, fake.lastIndexOf(CDH) + 24);
    partData(fake, 'docProps/core.xml').fill(0xff);
    expect(await failure(() => stripOoxml(fake))).toMatchObject({ code: 'FILE_ARCHIVE_TOO_LARGE' });
    fake.writeUInt32LE(1024, fake.lastIndexOf(CDH) + 24);
    expect(await failure(() => stripOoxml(fake))).toMatchObject({ code: 'FILE_DAMAGED' });
  });

  test('broken archives are FILE_DAMAGED: truncated, a bad checksum, a part larger than declared', async () => {
    const tagged = taggedDocx();
    expect(await failure(() => stripOoxml(tagged.subarray(0, tagged.length - 30)))).toMatchObject({
      code: 'FILE_DAMAGED',
    });
    // A flipped byte in a stored (uncompressed) core.xml inflates fine but fails its CRC.
    const bad = Buffer.from(zipSync({ 'docProps/core.xml': strToU8('<x>abc</x>') }, { level: 0 }));
    partData(bad, 'docProps/core.xml')[2]! ^= 1;
    expect(await failure(() => stripOoxml(bad))).toMatchObject({ code: 'FILE_DAMAGED' });
    // core.xml declared 4 bytes long but inflating to more.
    const liar = Buffer.from(zipSync({ 'docProps/core.xml': strToU8('<x>abcdefgh</x>') }, { level: 9 }));
    liar.writeUInt32LE(4, liar.indexOf(CDH) + 24);
    expect(await failure(() => stripOoxml(liar))).toMatchObject({ code: 'FILE_DAMAGED' });
  });
});

const CDH = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
/** The compressed bytes of a part, found through its local header (a view: writes change the zip). */
function partData(zip: Buffer, name: string): Buffer {
  const header = zip.indexOf(Buffer.from(name)) - 30;
  expect(zip.readUInt32LE(header)).toBe(0x04034b50);
  const start = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  return zip.subarray(start, start + zip.readUInt32LE(header + 18));
}

describe('MP4 and WebM', () => {
  test('MP4: udta and meta boxes become zeroed free boxes; sizes, offsets and media data stay', () => {
    for (const largeMdat of [false, true]) {
      const tagged = taggedMp4({ largeMdat });
      expect(tagged.includes(Buffer.from(ISO6709))).toBe(true);
      const clean = stripMp4(tagged);
      expect(clean.length).toBe(tagged.length);
      for (const n of [ISO6709, AUTHOR, '\xa9xyz', 'ilst', 'udta'])
        expect(clean.includes(Buffer.from(n, 'latin1')), n).toBe(false);
      const before = mp4Boxes(tagged);
      const after = mp4Boxes(clean);
      // The same boxes at the same offsets; only the metadata ones are renamed.
      expect(after.map((b) => [b.at, b.size])).toEqual(before.map((b) => [b.at, b.size]));
      expect(after.map((b) => b.path)).toEqual(before.map((b) => b.path.replace(/(udta|meta)$/, 'free')));
      expect(after.filter((b) => b.path.endsWith('free')).map((b) => b.path)).toEqual([
        'moov/free',
        'moov/free',
        'moov/trak/free',
        'moov/trak/mdia/free',
      ]);
      for (const b of after.filter((x) => x.path.endsWith('free')))
        expect(clean.subarray(b.at + 8, b.at + b.size).every((x) => x === 0)).toBe(true);
      const mdat = after.find((b) => b.path === 'mdat')!;
      const stco = after.find((b) => b.path.endsWith('stco'))!;
      const offset = clean.readUInt32BE(stco.at + 16);
      expect(clean.subarray(offset, offset + MEDIA.length).equals(MEDIA)).toBe(true);
      expect(offset).toBeGreaterThan(mdat.at);
      expect(stripMp4(clean).equals(clean)).toBe(true);
    }
  });

  test('WebM: Tags, Title and DateUTC become Void elements of the same size; the Cluster is untouched', () => {
    for (const open of [false, true]) {
      const tagged = taggedWebm({ open });
      const clean = stripMatroska(tagged);
      expect(clean.length).toBe(tagged.length);
      for (const n of [ISO6709, AUTHOR, 'LOCATION']) expect(clean.includes(Buffer.from(n)), n).toBe(false);
      expect(clean.subarray(clean.length - webmCluster(open).length).equals(webmCluster(open))).toBe(true);
      const ids = ebmlIds(clean);
      expect(ids.filter((i) => i.trim() === 'ec')).toHaveLength(3);
      expect(ids.map((i) => i.trim())).not.toContain('1254c367');
      expect(ids.map((i) => i.trim())).toEqual(
        expect.arrayContaining(['1a45dfa3', '18538067', '1654ae6b', '1f43b675', '4d80']),
      );
      expect(stripMatroska(clean).equals(clean)).toBe(true);
    }
  });

  test('cut-short or malformed videos are FILE_DAMAGED', async () => {
    const mp4 = taggedMp4();
    const webm = taggedWebm();
    const noMoov = mp4.subarray(0, mp4.indexOf(Buffer.from('moov')) - 4);
    for (const [name, f] of [
      ['mp4 truncated', () => stripMp4(mp4.subarray(0, mp4.length - 10))],
      ['mp4 without moov', () => stripMp4(noMoov)],
      [
        'mp4 box of size 3',
        () =>
          stripMp4(Buffer.concat([mp4.subarray(0, 32), Buffer.from([0, 0, 0, 3, 0x66, 0x72, 0x65, 0x65])])),
      ],
      ['webm truncated', () => stripMatroska(webm.subarray(0, webm.length - 10))],
      ['webm garbage', () => stripMatroska(Buffer.concat([webm.subarray(0, 40), Buffer.alloc(16)]))],
    ] as const)
      expect(await failure(f), name).toMatchObject({ code: 'FILE_DAMAGED' });
  });
});
