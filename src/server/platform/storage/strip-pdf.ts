import { deflateSync, inflateSync } from 'node:zlib';
import {
  EncryptedPDFError,
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNull,
  PDFNumber,
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
 * EXIF/XMP/IPTC segments of embedded JPEG (DCTDecode) images, also when deflated on top (`[/FlateDecode /DCTDecode]`),
 * and on the pages' annotations the author of markup annotations (comments, highlights, stamps …: /T) and every
 * annotation's /M and /CreationDate, and form data nobody sees (XFA packets, default values, hidden fields' values:
 * `stripHiddenFormData`). The file is rewritten by pdf-lib from the objects still reachable from the catalog, so
 * earlier revisions (incremental updates) and orphaned objects are dropped as well. Page content, fonts and image
 * pixels are copied unchanged. Encrypted or unparseable files, and dynamic XFA forms, throw `AppError('FILE_DAMAGED')`:
 * their metadata cannot be removed, so they are not stored.
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
      } else if (object instanceof PDFRawStream && isDeflatedJpeg(dict)) {
        const jpeg = inflateJpeg(Buffer.from(object.contents));
        const clean = stripJpeg(jpeg);
        if (clean.length !== jpeg.length) {
          context.assign(ref, PDFRawStream.of(dict, deflateSync(clean)));
          changed = true;
        }
      }
    }
    if (stripAnnotationAuthors(doc)) changed = true;
    if (stripHiddenFormData(doc, root)) changed = true;
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
const FLATE = PDFName.of('FlateDecode');
const DECODE_PARMS = PDFName.of('DecodeParms');
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

/**
 * A JPEG compressed again with Flate (`/Filter [/FlateDecode /DCTDecode]`, as some scanners and PDF optimisers write
 * it) and no predictor on the Flate layer: inflated, stripped like a plain one and deflated again. Other filter
 * chains on top of DCT (ASCII85, LZW) are rare and left as they are.
 */
function isDeflatedJpeg(dict: PDFDict): boolean {
  const filter = dict.get(FILTER);
  if (!(filter instanceof PDFArray) || filter.size() !== 2) return false;
  if (filter.get(0) !== FLATE || filter.get(1) !== DCT) return false;
  const parms = dict.get(DECODE_PARMS);
  const first = parms instanceof PDFArray ? parms.get(0) : undefined;
  return parms === undefined || (parms instanceof PDFArray && (first === undefined || first === PDFNull));
}

/**
 * The image inside never expands much (JPEG data barely compresses), so the inflated size is bounded by the largest
 * upload: a stream that inflates past it is a bomb, not a picture.
 */
export const MAX_INFLATED_JPEG_BYTES = 64 * 1024 * 1024;

function inflateJpeg(deflated: Buffer): Buffer {
  try {
    return inflateSync(deflated, { maxOutputLength: MAX_INFLATED_JPEG_BYTES });
  } catch {
    throw damaged(`a Flate-compressed JPEG image does not inflate within ${MAX_INFLATED_JPEG_BYTES} bytes`);
  }
}

const ACRO_FORM = PDFName.of('AcroForm');
const XFA = PDFName.of('XFA');
const NEEDS_RENDERING = PDFName.of('NeedsRendering');
const FIELDS = PDFName.of('Fields');
const KIDS = PDFName.of('Kids');
const FT = PDFName.of('FT');
const SIG = PDFName.of('Sig');
const BTN = PDFName.of('Btn');
const VALUE = PDFName.of('V');
const DEFAULT_VALUE = PDFName.of('DV');
const RICH_VALUE = PDFName.of('RV');
const APPEARANCE = PDFName.of('AP');
const FLAGS = PDFName.of('F');
const RECT = PDFName.of('Rect');
const WIDGET = PDFName.of('Widget');
/** Annotation flags (ISO 32000-1 12.5.3): Hidden, Print, NoView. */
const HIDDEN = 2;
const PRINT = 4;
const NO_VIEW = 32;

/**
 * Form data nobody sees (ISO 32000-1 12.7): a filled form's visible values are its content and stay, but
 *  - the XFA packets (/XFA in /AcroForm: the template and the `datasets` stream, which holds every value typed into
 *    the form, hidden ones included) are dropped: the AcroForm fields still carry what is shown. A dynamic XFA form
 *    (/NeedsRendering true) has nothing else to show, so it is refused rather than stored blank;
 *  - every field's /DV (the value a reset restores; never displayed) is dropped;
 *  - a field none of whose widgets is displayed (not on any page, Hidden, NoView without Print, or a zero-area
 *    rectangle) loses its /V and /RV and, for text and choice fields, its widgets' /AP (the appearance would still
 *    spell the value out).
 * A displayed field keeps /V and /AP: its appearance stream already shows the value (or, under /NeedAppearances,
 * the viewer draws it from /V), so removing /V would hide nothing and only leave the file disagreeing with itself.
 * Signature fields are not touched (their /V is the signer's signature, the document's certification).
 */
function stripHiddenFormData(doc: PDFDocument, root: PDFDict): boolean {
  const { context } = doc;
  const form = root.lookup(ACRO_FORM);
  if (!(form instanceof PDFDict)) return false;
  let changed = false;
  if (form.has(XFA)) {
    const needsRendering = root.lookup(NEEDS_RENDERING);
    if (needsRendering instanceof PDFBool && needsRendering.asBoolean())
      throw new AppError('FILE_DAMAGED', {
        zh: 'PDF 是动态 XFA 表单，无法处理，请先打印为 PDF 再上传',
        en: 'The PDF is a dynamic XFA form and cannot be processed; print it to PDF and upload that',
        detail: 'A dynamic XFA form keeps its content and its data in the XFA packets',
      });
    form.delete(XFA);
    root.delete(NEEDS_RENDERING);
    changed = true;
  }
  const onPages = new Set<PDFObject>();
  for (const page of doc.getPages()) {
    const annots = page.node.lookup(ANNOTS);
    if (annots instanceof PDFArray)
      for (let i = 0; i < annots.size(); i++) {
        const a = annots.get(i);
        onPages.add(a instanceof PDFRef ? (context.lookup(a) ?? a) : a);
      }
  }
  const displayed = (node: PDFDict): boolean => {
    if (node.get(SUBTYPE) !== WIDGET || !onPages.has(node)) return false;
    const flags = node.lookup(FLAGS);
    const f = flags instanceof PDFNumber ? flags.asNumber() : 0;
    if (f & HIDDEN || (f & NO_VIEW && !(f & PRINT))) return false;
    const rect = node.lookup(RECT);
    if (!(rect instanceof PDFArray) || rect.size() !== 4) return false;
    const [x1, y1, x2, y2] = [0, 1, 2, 3].map((i) => {
      const n = rect.lookup(i);
      return n instanceof PDFNumber ? n.asNumber() : 0;
    }) as [number, number, number, number];
    return x1 !== x2 && y1 !== y2;
  };
  const seen = new Set<PDFDict>();
  /** Visits a field node; returns its widgets and whether any is displayed. */
  const visit = (
    node: PDFDict,
    inheritedType: PDFObject | undefined,
  ): { widgets: PDFDict[]; shown: boolean } => {
    if (seen.has(node)) return { widgets: [], shown: false };
    seen.add(node);
    const type = node.get(FT) ?? inheritedType;
    const widgets = node.get(SUBTYPE) === WIDGET ? [node] : [];
    let shown = displayed(node);
    const kids = node.lookup(KIDS);
    if (kids instanceof PDFArray)
      for (let i = 0; i < kids.size(); i++) {
        const kid = kids.lookup(i);
        if (!(kid instanceof PDFDict)) continue;
        const sub = visit(kid, type);
        widgets.push(...sub.widgets);
        if (sub.shown) shown = true;
      }
    if (type === SIG) return { widgets, shown };
    if (node.delete(DEFAULT_VALUE)) changed = true;
    if (!shown) {
      for (const key of [VALUE, RICH_VALUE]) if (node.delete(key)) changed = true;
      if (type !== BTN) for (const w of widgets) if (w.delete(APPEARANCE)) changed = true;
    }
    return { widgets, shown };
  };
  const fields = form.lookup(FIELDS);
  if (fields instanceof PDFArray)
    for (let i = 0; i < fields.size(); i++) {
      const field = fields.lookup(i);
      if (field instanceof PDFDict) visit(field, undefined);
    }
  return changed;
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
