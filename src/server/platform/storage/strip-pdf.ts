import {
  EncryptedPDFError,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
} from '@cantoo/pdf-lib';
import { AppError } from '../errors.js';
import { stripJpeg } from './strip-metadata.js';

/**
 * Removes document metadata from a PDF (ASVS 14.2.8, PIPL): the trailer's /Info (Author, Creator, Producer, dates),
 * every /Metadata XMP stream (catalog, pages, images, fonts) and /PieceInfo (application private data), and the
 * EXIF/XMP/IPTC segments of embedded JPEG (DCTDecode) images, and on the pages' annotations the author of markup
 * annotations (comments, highlights, stamps …: /T) and every annotation's /M and /CreationDate. The file is rewritten by pdf-lib from the objects still
 * reachable from the catalog, so earlier revisions (incremental updates) and orphaned objects are dropped as well.
 * Page content, fonts and image pixels are copied unchanged. Encrypted or unparseable files throw
 * `AppError('FILE_DAMAGED')`: their metadata cannot be removed, so they are not stored.
 */
export async function stripPdf(data: Buffer): Promise<Buffer> {
  if (!data.subarray(0, 1024).includes('%PDF-')) throw damaged('no PDF header');
  // A file cut short in transfer has no end-of-file marker; pdf-lib would otherwise salvage part of it.
  if (!data.subarray(Math.max(0, data.length - 2048)).includes('%%EOF'))
    throw damaged('no end-of-file marker');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(data, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (e) {
    // Encrypted strings often fail to parse before pdf-lib gets to the /Encrypt check.
    if (e instanceof EncryptedPDFError || ENCRYPT.test(data.toString('latin1')))
      throw new AppError('FILE_DAMAGED', {
        zh: 'PDF 文件已加密，无法处理，请上传未加密的文件',
        en: 'The PDF is encrypted and cannot be processed; upload an unencrypted file',
        detail: 'Encrypted PDFs cannot have their metadata removed',
      });
    throw damaged(e instanceof Error ? e.message : 'unparseable');
  }
  const { context } = doc;
  try {
    const root = context.lookup(context.trailerInfo.Root);
    if (!(root instanceof PDFDict)) throw damaged('no document catalog');
    if (doc.getPageCount() < 1) throw damaged('no pages');
    let changed = context.trailerInfo.Info !== undefined;
    context.trailerInfo.Info = undefined;
    for (const [ref, object] of context.enumerateIndirectObjects()) {
      const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
      if (!dict) continue;
      if (dict.delete(METADATA)) changed = true;
      if (dict.delete(PIECE_INFO)) changed = true;
      if (object instanceof PDFRawStream && isPlainJpeg(dict)) {
        const clean = stripJpeg(Buffer.from(object.contents));
        if (clean.length !== object.contents.length) {
          context.assign(ref, PDFRawStream.of(dict, clean));
          changed = true;
        }
      }
    }
    if (stripAnnotationAuthors(doc)) changed = true;
    // Info, XMP streams and anything else no longer reachable from the catalog is not written.
    const reachable = reachableFrom(context.trailerInfo.Root, (r) => context.lookup(r));
    for (const [ref, object] of context.enumerateIndirectObjects()) {
      if (reachable.has(ref.tag)) continue;
      context.delete(ref);
      // Cross-reference and object streams are structure, rebuilt on save; anything else was content.
      const type = (object instanceof PDFStream ? object.dict : undefined)?.get(TYPE);
      if (type !== XREF && type !== OBJSTM) changed = true;
    }
    // A file with nothing to remove is stored byte for byte (and a second pass changes nothing).
    if (!changed) return data;
    // Object streams only where the file had them: a PDF 1.4 reader can still open what it could open before.
    const useObjectStreams = data.includes('/ObjStm');
    const bytes = await doc.save({ addDefaultPage: false, updateFieldAppearances: false, useObjectStreams });
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw damaged(e instanceof Error ? e.message : 'unparseable');
  }
}

const ENCRYPT = /\/Encrypt[\s/<\d]/;
const METADATA = PDFName.of('Metadata');
const PIECE_INFO = PDFName.of('PieceInfo');
const FILTER = PDFName.of('Filter');
const DCT = PDFName.of('DCTDecode');
const TYPE = PDFName.of('Type');
const XREF = PDFName.of('XRef');
const OBJSTM = PDFName.of('ObjStm');

const damaged = (why: string) =>
  new AppError('FILE_DAMAGED', {
    zh: 'PDF 文件已损坏，无法处理',
    en: 'The PDF file is damaged and cannot be processed',
    detail: `The PDF is damaged: ${why.slice(0, 200)}`,
  });

const ANNOTS = PDFName.of('Annots');
const SUBTYPE = PDFName.of('Subtype');
const AUTHOR = PDFName.of('T');
const ANNOTATION_DATES = [PDFName.of('M'), PDFName.of('CreationDate')];
/**
 * Markup annotations (ISO 32000-1 12.5.6.2), whose /T is the author's name. On other annotations /T means something
 * else or nothing (on a form field's widget it is the field's name, which the form needs).
 */
const MARKUP = new Set(
  [
    'Text',
    'FreeText',
    'Line',
    'Square',
    'Circle',
    'Polygon',
    'PolyLine',
    'Highlight',
    'Underline',
    'Squiggly',
    'StrikeOut',
    'Stamp',
    'Caret',
    'Ink',
    'FileAttachment',
    'Sound',
    'Redact',
    'Projection',
  ].map((n) => PDFName.of(n)),
);

/** Removes markup annotations' authors and every annotation's dates, page by page; true if anything was removed. */
function stripAnnotationAuthors(doc: PDFDocument): boolean {
  const { context } = doc;
  let changed = false;
  for (const page of doc.getPages()) {
    const annots = page.node.lookup(ANNOTS);
    if (!(annots instanceof PDFArray)) continue;
    for (let i = 0; i < annots.size(); i++) {
      const annot = context.lookup(annots.get(i));
      if (!(annot instanceof PDFDict)) continue;
      for (const key of ANNOTATION_DATES) if (annot.delete(key)) changed = true;
      const subtype = annot.get(SUBTYPE);
      if (subtype instanceof PDFName && MARKUP.has(subtype) && annot.delete(AUTHOR)) changed = true;
    }
  }
  return changed;
}

/** A JPEG image stream with no other filter on top: its bytes are a JPEG file. */
function isPlainJpeg(dict: PDFDict): boolean {
  const filter = dict.get(FILTER);
  if (filter === DCT) return true;
  return filter instanceof PDFArray && filter.size() === 1 && filter.get(0) === DCT;
}

/** Tags (`"12 0 R"`) of the indirect objects reachable from `root`. */
function reachableFrom(
  root: PDFObject | undefined,
  lookup: (r: PDFRef) => PDFObject | undefined,
): Set<string> {
  const seen = new Set<string>();
  const stack: (PDFObject | undefined)[] = [root];
  while (stack.length) {
    const o = stack.pop();
    if (o instanceof PDFRef) {
      if (seen.has(o.tag)) continue;
      seen.add(o.tag);
      stack.push(lookup(o));
    } else if (o instanceof PDFStream) {
      stack.push(o.dict);
    } else if (o instanceof PDFDict) {
      for (const [, v] of o.entries()) stack.push(v);
    } else if (o instanceof PDFArray) {
      for (let i = 0; i < o.size(); i++) stack.push(o.get(i));
    }
  }
  return seen;
}
