import { deflateSync, inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFHexString,
  PDFDocument as PdfLib,
  PDFName,
  PDFRawStream,
  PDFString,
} from '@cantoo/pdf-lib';
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import PDFKit from 'pdfkit';
// ExcelJS's own XML parser (a dependency of it): a strict well-formedness check for the rewritten parts.
import { SaxesParser } from 'saxes';
import { describe, expect, test } from 'vitest';
import { AppError } from '../../errors.js';
import { stripMatroska, stripMp4 } from '../strip-media.js';
import { stripJpeg } from '../strip-metadata.js';
import { stripOoxml, ZIP_LIMITS } from '../strip-ooxml.js';
import { MAX_INFLATED_JPEG_BYTES, stripPdf } from '../strip-pdf.js';
import {
  AUTHOR,
  box,
  COMPANY,
  DOC_NEEDLES,
  DOCX_MAIN,
  docxWithEntries,
  docxWithZeros,
  ebmlIds,
  encryptedPdf,
  full,
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
  u32,
  unzipParts,
  webmCluster,
} from './document-fixtures.js';
import { GPS_TEXT } from './image-fixtures.js';

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

/** Throws unless `xml` is well-formed (namespaces included). */
function wellFormed(xml: string): void {
  const parser = new SaxesParser({ xmlns: true });
  let error: Error | undefined;
  parser.on('error', (e) => {
    error ??= e;
  });
  parser.write(xml).close();
  if (error) throw error;
}

// A reviewer's name as Word and Acrobat record it: in the revision marks and annotations, not in the properties.
const REVIEWER = '王丽华';
const REVIEWER_EN = 'Wang Lihua';

/** A PDF with a page carrying a sticky note (indirect), a highlight (direct in /Annots) and a form field. */
async function annotatedPdf(): Promise<Buffer> {
  const doc = await PdfLib.create({ updateMetadata: false });
  const page = doc.addPage([300, 300]);
  page.drawText('Service record', { x: 20, y: 250, size: 12 });
  const { context } = doc;
  const dates = {
    M: PDFString.of("D:20261101080000+08'00'"),
    CreationDate: PDFString.of("D:20261101075900+08'00'"),
  };
  const note = context.register(
    context.obj({
      Type: 'Annot',
      Subtype: 'Text',
      Rect: [20, 200, 40, 220],
      Contents: PDFHexString.fromText('请核对服务时长'),
      T: PDFHexString.fromText(REVIEWER),
      ...dates,
    }),
  );
  const popup = context.register(
    context.obj({ Type: 'Annot', Subtype: 'Popup', Rect: [40, 150, 200, 220], Parent: note, ...dates }),
  );
  (context.lookup(note) as PDFDict).set(PDFName.of('Popup'), popup);
  const highlight = context.obj({
    Type: 'Annot',
    Subtype: 'Highlight',
    Rect: [20, 245, 120, 265],
    QuadPoints: [20, 265, 120, 265, 20, 245, 120, 245],
    T: PDFString.of(REVIEWER_EN),
    ...dates,
  });
  // A field and its widget in one dictionary (as many forms are written): its /T is the field's name.
  const merged = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Tx',
    T: PDFString.of('worker.badge'),
    Rect: [150, 60, 250, 80],
    ...dates,
  });
  page.node.set(PDFName.of('Annots'), context.obj([note, popup, highlight, merged]));
  const field = doc.getForm().createTextField('service.hours');
  field.setText('8');
  field.addToPage(page, { x: 150, y: 20, width: 100, height: 20 });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** The annotation dictionaries of the first page, direct or indirect. */
async function pageAnnotations(pdf: Buffer): Promise<PDFDict[]> {
  const doc = await PdfLib.load(pdf, { updateMetadata: false });
  const annots = doc.getPages()[0]!.node.lookup(PDFName.of('Annots'), PDFArray);
  return annots.asArray().map((a) => doc.context.lookup(a, PDFDict));
}

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

  test('annotation authors (/T of markup annotations) and annotation dates are gone; notes and the form remain', async () => {
    const annotated = await annotatedPdf();
    const before = await pageAnnotations(annotated);
    expect(before.filter((a) => a.has(PDFName.of('T')))).toHaveLength(3); // note, highlight, the merged widget
    expect(annotated.includes(Buffer.from(REVIEWER_EN))).toBe(true);

    const clean = await stripPdf(annotated);
    expect(clean.includes(Buffer.from(REVIEWER_EN))).toBe(false);
    expect(clean.includes(Buffer.from('D:202611010'))).toBe(false);
    const doc = await PdfLib.load(clean);
    expect(doc.getPageCount()).toBe(1);
    const after = await pageAnnotations(clean);
    const bySubtype = (t: string) => after.filter((a) => a.get(PDFName.of('Subtype')) === PDFName.of(t));
    expect(after).toHaveLength(before.length);
    for (const a of after) for (const k of ['M', 'CreationDate']) expect(a.has(PDFName.of(k)), k).toBe(false);
    const [note] = bySubtype('Text');
    expect(note!.has(PDFName.of('T'))).toBe(false);
    // The note's text is the document's content, not its metadata.
    expect(note!.lookup(PDFName.of('Contents'), PDFHexString).decodeText()).toBe('请核对服务时长');
    expect(note!.get(PDFName.of('Popup'))).toBeDefined();
    expect(bySubtype('Highlight')[0]!.has(PDFName.of('T'))).toBe(false);
    expect((await pdfAllText(clean)).includes(REVIEWER_EN)).toBe(false);
    // A form field's /T is its name: the form still finds the field and its value.
    expect(doc.getForm().getTextField('service.hours').getText()).toBe('8');
    const widgets = bySubtype('Widget');
    expect(widgets).toHaveLength(2);
    expect(widgets.map((w) => w.lookupMaybe(PDFName.of('T'), PDFString)?.asString())).toContain(
      'worker.badge',
    );
    expect((await stripPdf(clean)).equals(clean)).toBe(true);
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

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const W15 = 'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"';
/** A revision mark's attributes as Word writes them. */
const rev = (id: number) => `w:id="${id}" w:author="${REVIEWER}" w:date="2026-11-01T08:00:00Z"`;
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** The parts of a Word document with tracked changes and comments, shaped as Word 2016+ writes them. */
function trackedDocxParts(): Record<string, string> {
  const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
  const rsid = 'w:rsidR="00A1B2C3" w:rsidRPr="00D4E5F6" w:rsidRDefault="00A1B2C3" w:rsidP="00A1B2C3"';
  const override = (part: string, type: string) =>
    `<Override PartName="/word/${part}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.${type}+xml"/>`;
  const rel = (id: number, type: string, target: string) =>
    `<Relationship Id="rId${id}" Type="${type}" Target="${target}"/>`;
  return {
    '[Content_Types].xml': `${xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${override('document.xml', 'document.main')}${override('comments.xml', 'comments')}${override('people.xml', 'people')}${override('settings.xml', 'settings')}${override('header1.xml', 'header')}${override('footnotes.xml', 'footnotes')}</Types>`,
    '_rels/.rels': `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel(1, `${REL}/officeDocument`, 'word/document.xml')}</Relationships>`,
    'word/_rels/document.xml.rels': `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel(1, `${REL}/comments`, 'comments.xml')}${rel(2, 'http://schemas.microsoft.com/office/2011/relationships/people', 'people.xml')}${rel(3, `${REL}/settings`, 'settings.xml')}${rel(4, `${REL}/header`, 'header1.xml')}${rel(5, `${REL}/footnotes`, 'footnotes.xml')}</Relationships>`,
    'word/document.xml': `${xml}<w:document ${W} xmlns:r="${REL}"><w:body><w:p ${rsid}><w:pPr><w:pPrChange ${rev(1)}><w:pPr/></w:pPrChange></w:pPr><w:commentRangeStart w:id="0"/><w:r ${rsid}><w:t xml:space="preserve">服务时长 </w:t></w:r><w:del ${rev(2)}><w:r><w:delText>6</w:delText></w:r></w:del><w:ins ${rev(3)}><w:r><w:rPr><w:b/><w:rPrChange ${rev(4)}><w:rPr/></w:rPrChange></w:rPr><w:t>8</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> 小时</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p><w:sectPr w:rsidR="00A1B2C3" w:rsidSect="00A1B2C3"><w:headerReference w:type="default" r:id="rId4"/></w:sectPr></w:body></w:document>`,
    'word/header1.xml': `${xml}<w:hdr ${W}><w:p ${rsid}><w:ins ${rev(5)}><w:r><w:t>安心家政</w:t></w:r></w:ins></w:p></w:hdr>`,
    'word/footnotes.xml': `${xml}<w:footnotes ${W}><w:footnote w:id="1"><w:p><w:del ${rev(6)}><w:r><w:delText>旧注</w:delText></w:r></w:del></w:p></w:footnote></w:footnotes>`,
    'word/comments.xml': `${xml}<w:comments ${W}><w:comment w:id="0" w:author="${REVIEWER}" w:date="2026-11-01T08:00:00Z" w:initials='WLH'><w:p ${rsid}><w:r><w:t>请确认</w:t></w:r></w:p></w:comment></w:comments>`,
    'word/people.xml': `${xml}<w15:people ${W15}><w15:person w15:author="${REVIEWER}"><w15:presenceInfo w15:providerId="AD" w15:userId="S::wanglihua@example.cn::0"/></w15:person></w15:people>`,
    'word/settings.xml': `${xml}<w:settings ${W}><w:trackRevisions/><w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00A1B2C3"/><w:rsid w:val="00D4E5F6"/></w:rsids><w:defaultTabStop w:val="420"/></w:settings>`,
  };
}

const zipOf = (parts: Record<string, string | Uint8Array>) =>
  Buffer.from(
    zipSync(
      Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v])),
    ),
  );

describe('DOCX / XLSX', () => {
  test('tracked-change and comment authors, rsids and word/people.xml are gone; the text and the package hold', () => {
    const tracked = zipOf(trackedDocxParts());
    expect(tracked.includes(Buffer.from(REVIEWER))).toBe(false); // deflated: the parts are checked inflated
    const clean = stripOoxml(tracked);
    const parts = unzipParts(clean);
    expect(Object.keys(parts).sort()).toEqual(
      Object.keys(trackedDocxParts())
        .filter((n) => n !== 'word/people.xml')
        .sort(),
    );
    const all = Object.values(parts).map(text).join('\n');
    for (const n of [REVIEWER, 'WLH', 'wanglihua', 'people.xml', 'w:rsid', '00A1B2C3', '00D4E5F6'])
      expect(all, n).not.toContain(n);
    for (const [name, part] of Object.entries(parts))
      expect(() => wellFormed(text(part)), name).not.toThrow();
    const doc = text(parts['word/document.xml']);
    // Every revision mark is still there (the change can be accepted or rejected), with an empty author.
    for (const el of ['w:pPrChange', 'w:del', 'w:ins', 'w:rPrChange'])
      expect(doc, el).toMatch(new RegExp(`<${el} w:id="\\d" w:author="">`));
    expect(text(parts['word/header1.xml'])).toContain('<w:ins w:id="5" w:author=""');
    expect(text(parts['word/footnotes.xml'])).toContain('<w:del w:id="6" w:author=""');
    expect(text(parts['word/comments.xml'])).toContain('<w:comment w:id="0" w:author="" w:initials=""');
    // When the reviewer edited is gone with who did.
    expect(all).not.toContain('w:date=');
    expect(text(parts['word/settings.xml'])).toContain('<w:trackRevisions/><w:defaultTabStop w:val="420"/>');
    // The words themselves are untouched.
    const words = (x: string) =>
      [...x.matchAll(/<w:(?:t|delText)[^>]*>([^<]*)</g)].map((m) => m[1]).join('|');
    expect(words(doc)).toBe(words(trackedDocxParts()['word/document.xml']!));
    // The package is consistent: every relationship target and every override names a part that is there.
    const rels = text(parts['word/_rels/document.xml.rels']);
    const targets = [...rels.matchAll(/Target="([^"]+)"/g)].map((m) => `word/${m[1]}`);
    expect(targets.sort()).toEqual(
      ['word/comments.xml', 'word/footnotes.xml', 'word/header1.xml', 'word/settings.xml'].sort(),
    );
    for (const t of targets) expect(parts[t], t).toBeDefined();
    const overrides = [...text(parts['[Content_Types].xml']).matchAll(/PartName="\/([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(overrides).toHaveLength(5);
    for (const o of overrides) expect(parts[o], o).toBeDefined();
    // The central directory is what an independent reader (Info-ZIP's, through fflate's here) walks: sound.
    expect(clean.readUInt32LE(clean.length - 22)).toBe(0x06054b50);
    expect(clean.readUInt16LE(clean.length - 12)).toBe(Object.keys(parts).length);
    expect(stripOoxml(clean).equals(clean)).toBe(true);
  });

  test('xlsx threaded comments: persons, legacy comment authors, revision user names and fileSharing are emptied; ExcelJS still opens it', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('排班').addRow(['月嫂', 880000]);
    const parts: Record<string, string | Uint8Array> = unzipParts(Buffer.from(await wb.xlsx.writeBuffer()));
    const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
    const person = '{6B0A5D1C-6F0B-4C9E-9C1B-0A1B2C3D4E5F}';
    parts['xl/persons/person.xml'] =
      `${xml}<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><person displayName="${REVIEWER}" id="${person}" userId="wanglihua@example.cn" providerId="AD"/></personList>`;
    parts['xl/threadedComments/threadedComment1.xml'] =
      `${xml}<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><threadedComment ref="B1" dT="2026-11-01T08:00:00.00" personId="${person}" id="{00000000-0001-0000-0000-000000000000}"><text>工资核对</text></threadedComment></ThreadedComments>`;
    parts['xl/comments1.xml'] =
      `${xml}<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors><author>tc=${person}</author><author>${REVIEWER}</author></authors><commentList><comment ref="B1" authorId="1"><text><t>工资核对</t></text></comment></commentList></comments>`;
    parts['xl/revisions/userNames.xml'] =
      `${xml}<users xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"><userInfo guid="${person}" name="${REVIEWER}" id="1" dateTime="2026-11-01T08:00:00"/></users>`;
    parts['xl/revisions/revisionHeaders.xml'] =
      `${xml}<headers xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" guid="${person}"><header guid="${person}" dateTime="2026-11-01T08:00:00" maxSheetId="2" userName="${REVIEWER}"><sheetIdMap count="1"><sheetId val="1"/></sheetIdMap></header></headers>`;
    parts['xl/workbook.xml'] = text(parts['xl/workbook.xml'] as Uint8Array).replace(
      /(<workbook\b[^>]*>)/,
      `$1<fileSharing readOnlyRecommended="1" userName="${REVIEWER}"/>`,
    );
    const xlsx = zipOf(parts);
    const clean = stripOoxml(xlsx);
    const out = unzipParts(clean);
    expect(Object.keys(out).sort()).toEqual(Object.keys(parts).sort());
    const all = Object.values(out).map(text).join('\n');
    for (const n of [REVIEWER, 'wanglihua']) expect(all, n).not.toContain(n);
    for (const [name, part] of Object.entries(out)) if (name.endsWith('.xml')) wellFormed(text(part));
    expect(text(out['xl/persons/person.xml'])).toContain(
      `displayName="" id="${person}" userId="" providerId=""`,
    );
    // The thread still names its person by id (the link holds; the person has no name any more).
    expect(text(out['xl/threadedComments/threadedComment1.xml'])).toContain(`personId="${person}"`);
    expect(text(out['xl/comments1.xml'])).toContain('<authors><author></author><author></author></authors>');
    expect(text(out['xl/workbook.xml'])).toContain('<fileSharing readOnlyRecommended="1" userName=""/>');
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(clean as unknown as ArrayBuffer);
    expect(back.getWorksheet('排班')!.getRow(1).values).toEqual([undefined, '月嫂', 880000]);
  });

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

// Issue 14, the rest of known gap 5 -------------------------------------------------------------------------------

/** A Windows user's folders as Word records them in a template or link path. */
const WINDOWS_USER = '张三';
const TEMPLATE_PATH = `file:///C:\\Users\\${WINDOWS_USER}\\AppData\\Roaming\\Microsoft\\Templates\\家政合同.dotm`;
const PICTURE_PATH = `file:///C:\\Users\\${WINDOWS_USER}\\Pictures\\IMG_0001.jpg`;
const MERGE_PATH = `C:\\Users\\${WINDOWS_USER}\\Desktop\\名单.xlsx`;
const SHARE_PATH = `\\\\FILESRV-${WINDOWS_USER}\\hr\\排班表.xlsx`;
const W16DU = 'xmlns:w16du="http://schemas.microsoft.com/office/word/2023/wordml/word16du"';
const W16CEX = 'xmlns:w16cex="http://schemas.microsoft.com/office/word/2018/wordml/cex"';
const RELS_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

/**
 * The tracked DOCX again, as Word 365 saves it from a template on a user's disk: `w16du:dateUtc` beside each
 * `w:date`, commentsExtensible with `w16cex:dateUtc`, settings.xml naming the attached template through
 * settings.xml.rels, a linked (not embedded) picture and a hyperlink to a file share, a web link, and a date content
 * control whose `<w:date>` element is the document's content.
 */
function templatedDocxParts(): Record<string, string> {
  const parts = trackedDocxParts();
  const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
  parts['word/document.xml'] = parts['word/document.xml']!.replace(
    `<w:document ${W}`,
    `<w:document ${W} ${W16DU}`,
  )
    .replaceAll(
      'w:date="2026-11-01T08:00:00Z"',
      'w:date="2026-11-01T08:00:00Z" w16du:dateUtc="2026-11-01T00:00:00Z"',
    )
    .replace(
      '</w:body>',
      '<w:p><w:sdt><w:sdtPr><w:date w:fullDate="2026-12-01T00:00:00Z"><w:dateFormat w:val="yyyy-MM-dd"/></w:date></w:sdtPr><w:sdtContent><w:r><w:t>2026-12-01</w:t></w:r></w:sdtContent></w:sdt></w:p>' +
        '<w:p><w:hyperlink r:id="rId11"><w:r><w:t>排班表</w:t></w:r></w:hyperlink><w:hyperlink r:id="rId12"><w:r><w:t>官网</w:t></w:r></w:hyperlink></w:p></w:body>',
    );
  parts['word/_rels/document.xml.rels'] = parts['word/_rels/document.xml.rels']!.replace(
    '</Relationships>',
    `<Relationship Id="rId10" Type="${REL}/image" Target="${PICTURE_PATH}" TargetMode="External"/>` +
      `<Relationship Id="rId11" Type="${REL}/hyperlink" Target="${SHARE_PATH}" TargetMode="External"/>` +
      `<Relationship Id="rId12" Type="${REL}/hyperlink" Target="https://www.example.cn/services?id=1" TargetMode="External"/>` +
      `<Relationship Id="rId13" Type="http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible" Target="commentsExtensible.xml"/>` +
      '</Relationships>',
  );
  parts['word/settings.xml'] = parts['word/settings.xml']!.replace(
    `<w:settings ${W}>`,
    `<w:settings ${W} xmlns:r="${REL}"><w:attachedTemplate r:id="rId1"/><w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/><w:dataType w:val="native"/><w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;User ID=Admin;Data Source=${MERGE_PATH}"/><w:query w:val="SELECT * FROM \`Sheet1$\`"/><w:dataSource r:id="rId2"/></w:mailMerge>`,
  );
  parts['word/_rels/settings.xml.rels'] =
    `${xml}<Relationships xmlns="${RELS_NS}"><Relationship Id="rId1" Type="${REL}/attachedTemplate" Target="${TEMPLATE_PATH}" TargetMode="External"/><Relationship Id="rId2" Type="${REL}/mailMergeSource" Target="file:///${MERGE_PATH}" TargetMode="External"/></Relationships>`;
  parts['word/commentsExtensible.xml'] =
    `${xml}<w16cex:commentsExtensible ${W16CEX}><w16cex:commentExtensible w16cex:durableId="6A1B2C3D" w16cex:dateUtc="2026-11-01T00:00:00Z"/></w16cex:commentsExtensible>`;
  parts['[Content_Types].xml'] = parts['[Content_Types].xml']!.replace(
    '</Types>',
    '<Override PartName="/word/commentsExtensible.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtensible+xml"/></Types>',
  );
  return parts;
}

describe('DOCX / XLSX: dates and paths', () => {
  test('revision and comment dates (w:date, w16du:dateUtc, w16cex:dateUtc) are gone; a date content control stays', () => {
    const docx = zipOf(templatedDocxParts());
    const parts = unzipParts(stripOoxml(docx));
    const all = Object.values(parts).map(text).join('\n');
    for (const n of ['w:date=', 'dateUtc', '2026-11-01']) expect(all, n).not.toContain(n);
    for (const [name, part] of Object.entries(parts))
      expect(() => wellFormed(text(part)), name).not.toThrow();
    const doc = text(parts['word/document.xml']);
    for (const el of ['w:pPrChange', 'w:del', 'w:ins', 'w:rPrChange'])
      expect(doc, el).toMatch(new RegExp(`<${el} w:id="\\d" w:author="">`));
    expect(doc).toContain(
      '<w:date w:fullDate="2026-12-01T00:00:00Z"><w:dateFormat w:val="yyyy-MM-dd"/></w:date>',
    );
    expect(text(parts['word/commentsExtensible.xml'])).toContain(
      '<w16cex:commentExtensible w16cex:durableId="6A1B2C3D"/>',
    );
  });

  test('the attached template and mail-merge source are dropped; linked files keep only their name; web links stay; every r:id resolves', () => {
    const docx = zipOf(templatedDocxParts());
    const clean = stripOoxml(docx);
    const parts = unzipParts(clean);
    const all = Object.values(parts).map(text).join('\n');
    for (const n of [
      WINDOWS_USER,
      'Users',
      'AppData',
      'FILESRV',
      'attachedTemplate',
      '家政合同.dotm',
      'mailMerge',
      '名单',
    ])
      expect(all, n).not.toContain(n);
    expect(text(parts['word/_rels/settings.xml.rels'])).toBe(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="${RELS_NS}"></Relationships>`,
    );
    expect(text(parts['word/settings.xml'])).toContain(
      `<w:settings ${W} xmlns:r="${REL}"><w:trackRevisions/><w:defaultTabStop w:val="420"/></w:settings>`,
    );
    const rels = text(parts['word/_rels/document.xml.rels']);
    expect(rels).toContain(
      `<Relationship Id="rId10" Type="${REL}/image" Target="IMG_0001.jpg" TargetMode="External"/>`,
    );
    expect(rels).toContain(
      `<Relationship Id="rId11" Type="${REL}/hyperlink" Target="排班表.xlsx" TargetMode="External"/>`,
    );
    expect(rels).toContain('Target="https://www.example.cn/services?id=1" TargetMode="External"');
    // Every r:id used in the main part still names a relationship.
    const ids = new Set([...rels.matchAll(/Id="(rId\d+)"/g)].map((m) => m[1]));
    for (const [, id] of text(parts['word/document.xml']).matchAll(/r:id="(rId\d+)"/g))
      expect(ids.has(id), id).toBe(true);
    for (const [name, part] of Object.entries(parts))
      expect(() => wellFormed(text(part)), name).not.toThrow();
    expect(stripOoxml(clean).equals(clean)).toBe(true);
  });

  test('an xlsx external-workbook link and the saved-in folder (x15ac:absPath) lose their folders; ExcelJS still opens it', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('排班').addRow(['月嫂', 880000]);
    const parts: Record<string, string | Uint8Array> = unzipParts(Buffer.from(await wb.xlsx.writeBuffer()));
    const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';
    const absPath = `<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x15"><x15ac:absPath xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" url="C:\\Users\\${WINDOWS_USER}\\Desktop\\"/></mc:Choice></mc:AlternateContent>`;
    parts['xl/workbook.xml'] = text(parts['xl/workbook.xml'] as Uint8Array).replace(
      /(<workbook\b[^>]*>)/,
      `$1${absPath}`,
    );
    parts['xl/externalLinks/externalLink1.xml'] =
      `${xml}<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}"><externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>`;
    parts['xl/externalLinks/_rels/externalLink1.xml.rels'] =
      `${xml}<Relationships xmlns="${RELS_NS}"><Relationship Id="rId1" Type="${REL}/externalLinkPath" Target="file:///D:/Users/${WINDOWS_USER}/工资/2026-11.xlsx" TargetMode="External"/></Relationships>`;
    const clean = stripOoxml(zipOf(parts));
    const out = unzipParts(clean);
    expect(Object.keys(out).sort()).toEqual(Object.keys(parts).sort());
    const all = Object.values(out).map(text).join('\n');
    for (const n of [WINDOWS_USER, 'Desktop', '工资']) expect(all, n).not.toContain(n);
    expect(text(out['xl/workbook.xml'])).toContain('url=""/></mc:Choice>');
    expect(text(out['xl/externalLinks/_rels/externalLink1.xml.rels'])).toContain(
      'Target="2026-11.xlsx" TargetMode="External"',
    );
    for (const [name, part] of Object.entries(out)) if (/\.(xml|rels)$/.test(name)) wellFormed(text(part));
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(clean as unknown as ArrayBuffer);
    expect(back.getWorksheet('排班')!.getRow(1).values).toEqual([undefined, '月嫂', 880000]);
  });
});

/** A citizen ID number as a filled form might hide it. */
const ID_NUMBER = '440106199001011234';
const XFA_NAME = 'Zhao Liu';

/**
 * A filled form as Acrobat leaves it: a displayed text field with a default value, a hidden field and a zero-size
 * field holding someone's ID number (with appearance streams that spell it out), a field on no page, a ticked check
 * box, and the XFA packets (template and datasets) of a static XFA form.
 */
async function filledFormPdf(opts: { dynamicXfa?: boolean } = {}): Promise<Buffer> {
  const doc = await PdfLib.create({ updateMetadata: false });
  const page = doc.addPage([300, 300]);
  page.drawText('Health certificate', { x: 20, y: 250, size: 12 });
  const form = doc.getForm();
  const hours = form.createTextField('service.hours');
  hours.setText('8');
  hours.addToPage(page, { x: 150, y: 20, width: 100, height: 20 });
  hours.acroField.dict.set(PDFName.of('DV'), PDFString.of(`default ${ID_NUMBER}`));
  const hidden = form.createTextField('worker.idcard');
  hidden.setText(ID_NUMBER);
  hidden.addToPage(page, { x: 150, y: 60, width: 100, height: 20, hidden: true });
  const zero = form.createTextField('worker.phone');
  zero.setText('13800138000');
  zero.addToPage(page, { x: 150, y: 100, width: 100, height: 20 });
  zero.acroField.getWidgets()[0]!.setRectangle({ x: 0, y: 0, width: 0, height: 0 });
  const orphan = form.createTextField('worker.address');
  orphan.setText('1 Tianhe Road');
  const tick = form.createCheckBox('worker.vaccinated');
  tick.addToPage(page, { x: 20, y: 20, width: 12, height: 12 });
  tick.check();
  // Appearances drawn now: saving with them would go through getForm(), which drops /XFA.
  form.updateFieldAppearances();
  const { context } = doc;
  const packet = (s: string) => context.register(context.flateStream(s));
  form.acroForm.dict.set(
    PDFName.of('XFA'),
    context.obj([
      PDFString.of('template'),
      packet('<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"/>'),
      PDFString.of('datasets'),
      packet(
        `<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><form><name>${XFA_NAME}</name></form></xfa:data></xfa:datasets>`,
      ),
    ]),
  );
  if (opts.dynamicXfa) doc.catalog.set(PDFName.of('NeedsRendering'), context.obj(true));
  return Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
}

describe('PDF: form data, deflated JPEGs', () => {
  test('hidden form values, default values and XFA datasets are gone; displayed values and the form remain', async () => {
    const filled = await filledFormPdf();
    const before = await pdfAllText(filled);
    // Field values are UTF-16 hex strings and appearances hex glyph codes: the ID number is findable as text only in
    // the default value; the fields' values and appearances are checked through pdf-lib below.
    for (const n of [ID_NUMBER, XFA_NAME, 'xfa:datasets', '/XFA']) expect(before, n).toContain(n);
    const beforeForm = (await PdfLib.load(filled)).getForm();
    for (const name of ['worker.idcard', 'worker.phone', 'worker.address'])
      expect(beforeForm.getTextField(name).getText(), name).toBeDefined();
    for (const name of ['worker.idcard', 'worker.phone'])
      expect(beforeForm.getTextField(name).acroField.getWidgets()[0]!.getAppearances(), name).toBeDefined();

    const clean = await stripPdf(filled);
    const after = await pdfAllText(clean);
    for (const n of [ID_NUMBER, XFA_NAME, 'xfa:datasets', '/XFA', '/DV']) expect(after, n).not.toContain(n);
    const doc = await PdfLib.load(clean);
    expect(doc.getPageCount()).toBe(1);
    // (getForm() would drop /XFA itself: the raw AcroForm dictionary is what was stored.)
    expect(doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).has(PDFName.of('XFA'))).toBe(false);
    expect(doc.catalog.has(PDFName.of('NeedsRendering'))).toBe(false);
    const form = doc.getForm();
    // What the page shows is kept, with the appearance that shows it.
    const hours = form.getTextField('service.hours');
    expect(hours.getText()).toBe('8');
    expect(hours.acroField.getWidgets()[0]!.getAppearances()?.normal).toBeDefined();
    expect(form.getCheckBox('worker.vaccinated').isChecked()).toBe(true);
    // The hidden, zero-size and page-less fields are still fields, with no value and no appearance spelling it.
    for (const name of ['worker.idcard', 'worker.phone', 'worker.address']) {
      const field = form.getTextField(name);
      expect(field.getText(), name).toBeUndefined();
      for (const w of field.acroField.getWidgets()) expect(w.getAppearances(), name).toBeUndefined();
    }
    expect(
      form
        .getFields()
        .map((f) => f.getName())
        .sort(),
    ).toEqual(
      ['service.hours', 'worker.address', 'worker.idcard', 'worker.phone', 'worker.vaccinated'].sort(),
    );
    expect((await stripPdf(clean)).equals(clean)).toBe(true);
  });

  test('a dynamic XFA form (its content lives only in the XFA packets) is refused, not stored blank', async () => {
    expect(await failure(async () => stripPdf(await filledFormPdf({ dynamicXfa: true })))).toEqual({
      code: 'FILE_DAMAGED',
      en: expect.stringContaining('dynamic XFA'),
    });
  });

  /** taggedPdf with its JPEG compressed again with Flate (/Filter [/FlateDecode /DCTDecode]). */
  async function deflatedJpegPdf(jpeg?: Buffer): Promise<Buffer> {
    const doc = await PdfLib.load(await stripPdf(await taggedPdf()), { updateMetadata: false });
    const [ref, image] = doc.context
      .enumerateIndirectObjects()
      .find(
        ([, o]) => o instanceof PDFRawStream && o.dict.get(PDFName.of('Filter')) === PDFName.of('DCTDecode'),
      )!;
    const dict = (image as PDFRawStream).dict;
    dict.set(PDFName.of('Filter'), doc.context.obj(['FlateDecode', 'DCTDecode']));
    doc.context.assign(ref, PDFRawStream.of(dict, deflateSync(jpeg ?? pdfJpeg())));
    return Buffer.from(await doc.save({ useObjectStreams: false }));
  }
  const deflatedJpegs = async (pdf: Buffer) =>
    (await PdfLib.load(pdf, { updateMetadata: false })).context
      .enumerateIndirectObjects()
      .filter(([, o]) => o instanceof PDFRawStream && o.dict.get(PDFName.of('Filter')) instanceof PDFArray)
      .map(([, o]) => inflateSync((o as PDFRawStream).contents));

  test('a JPEG deflated on top of DCT loses its EXIF/XMP and stays the same picture, still deflated', async () => {
    const pdf = await deflatedJpegPdf();
    expect(await deflatedJpegs(pdf)).toEqual([pdfJpeg()]);
    const clean = await stripPdf(pdf);
    const [jpeg] = await deflatedJpegs(clean);
    expect(jpeg).toEqual(stripJpeg(pdfJpeg()));
    for (const n of ['Exif', 'xmpmeta', GPS_TEXT])
      expect(jpeg!.includes(Buffer.from(n, 'latin1')), n).toBe(false);
    expect((await PdfLib.load(clean)).getPageCount()).toBe(1);
    expect((await stripPdf(clean)).equals(clean)).toBe(true);
  });

  test('a deflated JPEG stream that inflates past the bound, or does not inflate, is FILE_DAMAGED', async () => {
    const bomb = await deflatedJpegPdf(Buffer.alloc(MAX_INFLATED_JPEG_BYTES + 1));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await failure(() => stripPdf(bomb))).toMatchObject({ code: 'FILE_DAMAGED' });
    const pdf = await deflatedJpegPdf();
    const doc = await PdfLib.load(pdf, { updateMetadata: false });
    const [ref, image] = doc.context
      .enumerateIndirectObjects()
      .find(([, o]) => o instanceof PDFRawStream && o.dict.get(PDFName.of('Filter')) instanceof PDFArray)!;
    doc.context.assign(ref, PDFRawStream.of((image as PDFRawStream).dict, Buffer.from('not deflate data')));
    const broken = Buffer.from(await doc.save({ useObjectStreams: false }));
    expect(await failure(() => stripPdf(broken))).toMatchObject({ code: 'FILE_DAMAGED' });
  });
});

const XMP_UUID = Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex');
/** An XMP `uuid` box as Adobe tools write it. */
const xmpBox = () =>
  box('uuid', XMP_UUID, Buffer.from(`<x:xmpmeta><dc:creator>${AUTHOR}</dc:creator></x:xmpmeta>`, 'latin1'));
/** Another tool's `uuid` box (a Smooth Streaming tfxd-like one): not metadata, kept. */
const OTHER_UUID = Buffer.from('6d1d9b0542d544e680e2141daff757b2', 'hex');

/**
 * A fragmented MP4 as a phone or a streaming packager writes it: ftyp, moov (mvhd, trak, mvex/trex, udta ©xyz), then
 * two fragments: moof (mfhd, udta ©xyz, traf (tfhd, tfdt, trun whose data offset points into the next mdat, meta
 * ilst, an XMP uuid, another uuid)) + mdat; between them a top-level meta, and an XMP uuid directly in the second moof.
 */
function fragmentedMp4(): { mp4: Buffer; dataOffsets: { moof: number; trun: number }[] } {
  const ftyp = box('ftyp', Buffer.from('iso6', 'latin1'), u32(0), Buffer.from('iso6mp41', 'latin1'));
  const xyz = box('\xa9xyz', Buffer.from([0, ISO6709.length, 0x15, 0xc7]), Buffer.from(ISO6709, 'latin1'));
  const ilst = full(
    'meta',
    full('hdlr', u32(0), Buffer.from('mdir', 'latin1'), Buffer.alloc(13)),
    box('ilst', box('\xa9nam', box('data', u32(1), u32(0), Buffer.from(AUTHOR, 'latin1')))),
  );
  const moov = box(
    'moov',
    full('mvhd', Buffer.alloc(96)),
    box('trak', full('tkhd', Buffer.alloc(80)), box('mdia', full('mdhd', Buffer.alloc(20)))),
    box('mvex', full('trex', u32(1), Buffer.alloc(16))),
    box('udta', xyz),
  );
  const half = MEDIA.length / 2;
  const fragment = (n: number, extra: Buffer[]) => {
    // trun: sample count 1, data-offset-present (flag 0x1) with the offset from the moof's start to the samples.
    const trun = (offset: number) => box('trun', Buffer.from([0, 0, 0, 1]), u32(1), u32(offset));
    const build = (offset: number) =>
      box(
        'moof',
        full('mfhd', u32(n)),
        box('udta', xyz),
        ...extra,
        box(
          'traf',
          full('tfhd', u32(1)),
          full('tfdt', u32(n * 1000)),
          trun(offset),
          ilst,
          xmpBox(),
          box('uuid', OTHER_UUID, Buffer.from('keep me', 'latin1')),
        ),
      );
    const moof = build(build(0).length + 8);
    return Buffer.concat([moof, box('mdat', MEDIA.subarray((n - 1) * half, n * half))]);
  };
  const first = fragment(1, []);
  const second = fragment(2, [xmpBox()]);
  const mp4 = Buffer.concat([ftyp, moov, first, ilst, second]);
  const moofs = mp4Boxes(mp4)
    .filter((b) => b.path === 'moof')
    .map((b) => b.at);
  const truns = mp4Boxes(mp4)
    .filter((b) => b.path.endsWith('trun'))
    .map((b) => b.at);
  return { mp4, dataOffsets: moofs.map((moof, i) => ({ moof, trun: truns[i]! })) };
}

describe('fragmented MP4', () => {
  test('udta, meta and XMP uuid boxes inside moof and traf, and top-level meta between fragments, become zeroed free boxes', () => {
    const { mp4, dataOffsets } = fragmentedMp4();
    expect(mp4.includes(Buffer.from(ISO6709, 'latin1'))).toBe(true);
    const clean = stripMp4(mp4);
    expect(clean.length).toBe(mp4.length);
    for (const n of [ISO6709, AUTHOR, 'xmpmeta', 'udta', 'ilst'])
      expect(clean.includes(Buffer.from(n, 'latin1')), n).toBe(false);
    const before = mp4Boxes(mp4);
    const after = mp4Boxes(clean);
    expect(after.map((b) => [b.at, b.size])).toEqual(before.map((b) => [b.at, b.size]));
    const freed = after.filter((b) => b.path.endsWith('free')).map((b) => b.path);
    expect(freed).toEqual([
      'moov/free',
      'moof/free',
      'moof/traf/free',
      'moof/traf/free',
      'free',
      'moof/free',
      'moof/free',
      'moof/traf/free',
      'moof/traf/free',
    ]);
    for (const b of after.filter((x) => x.path.endsWith('free')))
      expect(clean.subarray(b.at + 8, b.at + b.size).every((x) => x === 0)).toBe(true);
    // The other uuid box, the fragment headers and the samples are untouched; each trun still finds its samples.
    expect(clean.includes(Buffer.from('keep me', 'latin1'))).toBe(true);
    const kept = (p: string) => after.filter((b) => b.path === p);
    expect(kept('moof/traf/uuid')).toHaveLength(2);
    expect(kept('mdat')).toHaveLength(2);
    for (const [i, { moof, trun }] of dataOffsets.entries()) {
      const samples = moof + clean.readUInt32BE(trun + 16);
      const half = MEDIA.length / 2;
      expect(clean.subarray(samples, samples + half).equals(MEDIA.subarray(i * half, (i + 1) * half))).toBe(
        true,
      );
    }
    for (const p of ['moof/mfhd', 'moof/traf/tfhd', 'moof/traf/tfdt', 'moof/traf/trun', 'moov/mvex/trex'])
      for (const b of kept(p))
        expect(clean.subarray(b.at, b.at + b.size).equals(mp4.subarray(b.at, b.at + b.size)), p).toBe(true);
    expect(stripMp4(clean).equals(clean)).toBe(true);
  });

  test('a fragment that runs past the end of the file is FILE_DAMAGED', async () => {
    const { mp4 } = fragmentedMp4();
    const lastMoof = mp4Boxes(mp4)
      .filter((b) => b.path === 'moof')
      .at(-1)!;
    const broken = Buffer.from(mp4);
    // The traf inside the last moof claims more than its moof holds.
    const traf = mp4Boxes(mp4)
      .filter((b) => b.path === 'moof/traf')
      .at(-1)!;
    broken.writeUInt32BE(traf.size + 64, traf.at);
    expect(await failure(() => stripMp4(broken))).toMatchObject({ code: 'FILE_DAMAGED' });
    expect(await failure(() => stripMp4(mp4.subarray(0, lastMoof.at + 20)))).toMatchObject({
      code: 'FILE_DAMAGED',
    });
  });
});
