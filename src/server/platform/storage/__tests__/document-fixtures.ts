import {
  decodePDFRawStream,
  PDFDict,
  PDFDocument as PdfLib,
  PDFName,
  PDFRawStream,
  PDFStream,
  PDFString,
} from '@cantoo/pdf-lib';
import { strToU8, unzipSync, zipSync } from 'fflate';
import PDFKit from 'pdfkit';
import { GPS_TEXT, tinyJpeg } from './image-fixtures.js';

/**
 * Real small documents and videos with the metadata their tools write, made here rather than checked in: a PDF
 * (pdfkit Info + XMP, a page XMP and PieceInfo, an embedded JPEG with EXIF GPS, object streams), a DOCX (docProps
 * core/app/custom, comment authors), an MP4 (udta ©xyz, meta ilst) and a WebM (Info Title/DateUTC, Tags LOCATION).
 */

export const AUTHOR = 'Li Wei 13800138000';
export const COMPANY = 'Tianhe Homecare Co';
export const ISO6709 = '+23.1291+113.2644/';
/** Strings none of the stored files may contain (after inflating and decoding what can be). */
export const DOC_NEEDLES = [AUTHOR, COMPANY, ISO6709, GPS_TEXT, 'Exif', 'xmpmeta', 'Private-Notes'];

export const MINIMAL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

const JPEG_BLOCKS = [
  [40, 200, 90, 250],
  [0, 128, 255, 64],
];
export const pdfJpeg = () => tinyJpeg(JPEG_BLOCKS, { metadata: true });

function pdfkit(opts: PDFKit.PDFDocumentOptions, draw: (d: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFKit(opts);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc);
  doc.end();
  return done;
}

/** A PDF carrying an author everywhere a PDF can, saved with object streams; one page with text and a JPEG. */
export async function taggedPdf(): Promise<Buffer> {
  const base = await pdfkit(
    { info: { Author: AUTHOR, Title: 'evidence', Subject: GPS_TEXT }, subset: 'PDF/A-2b', pdfVersion: '1.7' },
    (d) => {
      d.text('Anxin evidence page');
      d.image(pdfJpeg(), 72, 120, { width: 32 });
    },
  );
  const lib = await PdfLib.load(base, { updateMetadata: false });
  const { context } = lib;
  const page = lib.getPage(0).node;
  page.set(
    PDFName.of('Metadata'),
    context.register(
      context.stream(`<x:xmpmeta><dc:creator>${AUTHOR}</dc:creator></x:xmpmeta>`, {
        Type: 'Metadata',
        Subtype: 'XML',
      }),
    ),
  );
  page.set(
    PDFName.of('PieceInfo'),
    context.obj({ Illustrator: { Private: PDFString.of(`Private-Notes ${AUTHOR}`) } }),
  );
  return Buffer.from(await lib.save({ useObjectStreams: true }));
}

/** A pdf-lib encrypted PDF (RC4/AES with a user password). */
export async function encryptedPdf(): Promise<Buffer> {
  const lib = await PdfLib.create();
  lib.addPage();
  lib.setAuthor(AUTHOR);
  lib.encrypt({ userPassword: 'secret', ownerPassword: 'owner' } as Parameters<PdfLib['encrypt']>[0]);
  return Buffer.from(await lib.save());
}

/**
 * Everything a PDF holds as text, for needle searches: the trailer, every object, every stream decoded where pdf-lib
 * can (Flate), raw otherwise (JPEG).
 */
export async function pdfAllText(pdf: Buffer): Promise<string> {
  const lib = await PdfLib.load(pdf, { updateMetadata: false });
  const parts = [JSON.stringify(lib.context.trailerInfo.Info ?? null)];
  for (const [, o] of lib.context.enumerateIndirectObjects()) {
    parts.push(o.toString().slice(0, 10_000));
    if (o instanceof PDFRawStream) {
      let bytes: Uint8Array;
      try {
        bytes = decodePDFRawStream(o).decode();
      } catch {
        bytes = o.contents;
      }
      parts.push(Buffer.from(bytes).toString('latin1'));
    } else if (o instanceof PDFStream) parts.push(Buffer.from(o.getContents()).toString('latin1'));
  }
  return parts.join('\n');
}

/** The contents of the DCTDecode streams of a PDF. */
export async function pdfJpegs(pdf: Buffer): Promise<Buffer[]> {
  const lib = await PdfLib.load(pdf, { updateMetadata: false });
  return lib.context
    .enumerateIndirectObjects()
    .filter(
      ([, o]) => o instanceof PDFRawStream && o.dict.get(PDFName.of('Filter')) === PDFName.of('DCTDecode'),
    )
    .map(([, o]) => Buffer.from((o as PDFRawStream).contents));
}

/** Keys of the catalog, the pages and the trailer that must be gone. */
export async function pdfMetadataKeys(pdf: Buffer): Promise<string[]> {
  const lib = await PdfLib.load(pdf, { updateMetadata: false });
  const found: string[] = [];
  if (lib.context.trailerInfo.Info) found.push('trailer/Info');
  for (const [ref, o] of lib.context.enumerateIndirectObjects()) {
    const dict = o instanceof PDFStream ? o.dict : o instanceof PDFDict ? o : undefined;
    for (const k of ['Metadata', 'PieceInfo'])
      if (dict?.has(PDFName.of(k))) found.push(`${ref.toString()}/${k}`);
  }
  return found;
}

// OOXML ------------------------------------------------------------------------------------------------------------

export const DOCX_MAIN = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>家政服务合同附件</w:t></w:r></w:p></w:body></w:document>`;

/** A DOCX as Word writes it: core (creator, lastModifiedBy), app (Company, Manager), custom, comments, a pasted photo. */
export function taggedDocx(): Buffer {
  const ct = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>`;
  const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>`;
  const core = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Contract</dc:title><dc:creator>${AUTHOR}</dc:creator><cp:lastModifiedBy>${AUTHOR}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2026-11-01T08:00:00Z</dcterms:created></cp:coreProperties>`;
  const app = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Pages>1</Pages><Company>${COMPANY}</Company><Manager>${AUTHOR}</Manager><AppVersion>16.0000</AppVersion></Properties>`;
  const custom = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Location"><vt:lpwstr xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">${ISO6709}</vt:lpwstr></property></Properties>`;
  const comments = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="${AUTHOR}" w:initials="LW"><w:p><w:r><w:t>ok</w:t></w:r></w:p></w:comment></w:comments>`;
  return Buffer.from(
    zipSync({
      '[Content_Types].xml': strToU8(ct),
      '_rels/.rels': strToU8(rels),
      'docProps/core.xml': strToU8(core),
      'docProps/app.xml': strToU8(app),
      'docProps/custom.xml': strToU8(custom),
      'word/document.xml': strToU8(DOCX_MAIN),
      'word/comments.xml': strToU8(comments),
      'word/media/image1.jpeg': new Uint8Array(pdfJpeg()),
    }),
  );
}

/** A zip that file-type calls a DOCX, with `extra` further entries (empty, stored). */
export function docxWithEntries(extra: number): Buffer {
  const files: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(unzipParts(taggedDocx()))) files[k] = v;
  for (let i = 0; i < extra; i++) files[`word/media/x${i}.bin`] = new Uint8Array(0);
  return Buffer.from(zipSync(files, { level: 0 }));
}

/** A DOCX-looking zip with one entry of `bytes` zeros (deflates about 1000:1). */
export function docxWithZeros(bytes: number): Buffer {
  const files: Record<string, Uint8Array> = unzipParts(taggedDocx());
  files['word/media/zeros.bin'] = new Uint8Array(bytes);
  return Buffer.from(zipSync(files, { level: 9 }));
}

/** The parts of a zip, inflated by fflate (an independent reader). */
export function unzipParts(zip: Buffer): Record<string, Uint8Array> {
  return unzipSync(new Uint8Array(zip));
}

// ISO BMFF ---------------------------------------------------------------------------------------------------------

export const box = (type: string, ...body: Buffer[]): Buffer => {
  const payload = Buffer.concat(body);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(payload.length + 8, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, payload]);
};
export const full = (type: string, ...body: Buffer[]) => box(type, Buffer.alloc(4), ...body);
export const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/** Media bytes of the fixture videos: recognisable, never touched. */
export const MEDIA = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) & 0xff));

/**
 * ftyp, mdat, then moov with a phone's metadata: moov/udta/©xyz, moov/meta (hdlr, ilst ©nam), trak/udta and
 * trak/mdia/meta. The stco chunk offset points into mdat. `largeMdat` writes mdat with a 64-bit size.
 */
export function taggedMp4(opts: { largeMdat?: boolean } = {}): Buffer {
  const ftyp = box(
    'ftyp',
    Buffer.from('isom', 'latin1'),
    u32(0x200),
    Buffer.from('isomiso2avc1mp41', 'latin1'),
  );
  let mdat: Buffer;
  if (opts.largeMdat) {
    const head = Buffer.alloc(16);
    head.writeUInt32BE(1, 0);
    head.write('mdat', 4, 'latin1');
    head.writeBigUInt64BE(BigInt(MEDIA.length + 16), 8);
    mdat = Buffer.concat([head, MEDIA]);
  } else mdat = box('mdat', MEDIA);
  const mediaAt = ftyp.length + (opts.largeMdat ? 16 : 8);
  const xyz = box('\xa9xyz', Buffer.from([0, ISO6709.length, 0x15, 0xc7]), Buffer.from(ISO6709, 'latin1'));
  const nam = box('\xa9nam', box('data', u32(1), u32(0), Buffer.from(AUTHOR, 'latin1')));
  const meta = full(
    'meta',
    full('hdlr', u32(0), Buffer.from('mdir', 'latin1'), Buffer.alloc(13)),
    box('ilst', nam),
  );
  const stbl = box('stbl', full('stco', u32(1), u32(mediaAt)));
  const trak = box(
    'trak',
    full('tkhd', Buffer.alloc(80)),
    box('udta', xyz),
    box('mdia', full('mdhd', Buffer.alloc(20)), box('minf', stbl), meta),
  );
  const moov = box('moov', full('mvhd', Buffer.alloc(96)), box('udta', xyz, nam), meta, trak);
  return Buffer.concat([ftyp, mdat, moov]);
}

/** Every box with its path (`moov/trak/udta`), offset and size, walking the containers the stripper visits. */
export function mp4Boxes(
  buf: Buffer,
  start = 0,
  end = buf.length,
  path = '',
): { path: string; at: number; size: number }[] {
  const out: { path: string; at: number; size: number }[] = [];
  for (let p = start; p < end; ) {
    let size = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    let header = 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(p + 8));
      header = 16;
    }
    if (size < header || p + size > end) throw new Error(`bad box at ${p}`);
    const here = path ? `${path}/${type}` : type;
    out.push({ path: here, at: p, size });
    if (['moov', 'trak', 'mdia', 'minf', 'stbl', 'mvex', 'moof', 'traf'].includes(type))
      out.push(...mp4Boxes(buf, p + header, p + size, here));
    p += size;
  }
  return out;
}

// EBML -------------------------------------------------------------------------------------------------------------

const vsize = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n) | (1n << 56n));
  return b;
};
const UNKNOWN = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
export const el = (id: string, ...body: Buffer[]) => {
  const payload = Buffer.concat(body);
  return Buffer.concat([Buffer.from(id, 'hex'), vsize(payload.length), payload]);
};
const openEl = (id: string, ...body: Buffer[]) => Buffer.concat([Buffer.from(id, 'hex'), UNKNOWN, ...body]);
const uint = (n: number) => Buffer.from([n]);
const str = (s: string) => Buffer.from(s, 'utf8');

/** The Cluster of the fixture WebM (a Timecode and one SimpleBlock of MEDIA). */
export const webmCluster = (open = false) =>
  (open ? openEl : el)('1f43b675', el('e7', uint(0)), el('a3', Buffer.from([0x81, 0, 0, 0x80]), MEDIA));

/** A WebM with Info Title and DateUTC and a Tags LOCATION; `open` writes Segment and Cluster of unknown size. */
export function taggedWebm(opts: { open?: boolean } = {}): Buffer {
  const header = el(
    '1a45dfa3',
    el('4286', uint(1)),
    el('42f7', uint(1)),
    el('42f2', uint(4)),
    el('42f3', uint(8)),
    el('4282', str('webm')),
    el('4287', uint(4)),
    el('4285', uint(2)),
  );
  const info = el(
    '1549a966',
    el('2ad7b1', Buffer.from([0x0f, 0x42, 0x40])),
    el('7ba9', str(`Interview ${AUTHOR}`)),
    el('4d80', str('anxin-test')),
    el('5741', str('anxin-test')),
    el('4461', Buffer.alloc(8, 7)),
  );
  const tracks = el('1654ae6b', el('ae', el('d7', uint(1)), el('83', uint(1)), el('86', str('V_VP8'))));
  const tags = el('1254c367', el('7373', el('67c8', el('45a3', str('LOCATION')), el('4487', str(ISO6709)))));
  const body = [info, tracks, tags, webmCluster(opts.open)];
  // With an open-ended Cluster, Tags must come before it (the Cluster runs to the end).
  return Buffer.concat([header, (opts.open ? openEl : el)('18538067', ...body)]);
}

/** Top-level and Segment-level element ids (hex) with their offsets, and Info's children. */
export function ebmlIds(buf: Buffer): string[] {
  const ids: string[] = [];
  const read = (p: number): { id: string; data: number; end: number } => {
    const first = buf[p]!;
    const idLen = Math.clz32(first) - 23;
    const id = buf.subarray(p, p + idLen).toString('hex');
    const s = buf[p + idLen]!;
    const sLen = Math.clz32(s) - 23;
    let size = s & (0xff >> sLen);
    let allOnes = size === 0xff >> sLen;
    for (let i = 1; i < sLen; i++) {
      size = size * 256 + buf[p + idLen + i]!;
      if (buf[p + idLen + i] !== 0xff) allOnes = false;
    }
    const data = p + idLen + sLen;
    return { id, data, end: allOnes ? buf.length : data + size };
  };
  const walk = (start: number, end: number, depth: number) => {
    for (let p = start; p < end; ) {
      const e = read(p);
      ids.push(`${'  '.repeat(depth)}${e.id}`);
      if (['18538067', '1549a966'].includes(e.id)) walk(e.data, e.end, depth + 1);
      if (e.id === '1f43b675' && e.end === buf.length && depth > 0) {
        // An open Cluster runs to the end of the file here.
        walk(e.data, e.end, depth + 1);
      }
      p = e.end;
    }
  };
  walk(0, buf.length, 0);
  return ids;
}
