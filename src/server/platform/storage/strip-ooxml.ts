import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { AppError } from '../errors.js';
import { stripJpeg, stripPng } from './strip-metadata.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Removes author metadata from an OOXML package (DOCX, XLSX) without unpacking it (ASVS 14.2.8, PIPL): the zip's
 * central directory is read and checked against the limits first (entry count, declared unpacked size, compression
 * ratio, no ZIP64, no encryption), then every part is copied with its compressed bytes unchanged except these small
 * ones, which are inflated (bounded by their declared size), edited and deflated again:
 *  - docProps/core.xml → an empty coreProperties element (creator, lastModifiedBy, title, dates … gone);
 *  - docProps/app.xml → without Company and Manager;
 *  - docProps/custom.xml and word/people.xml (the comment authors' list) → dropped, with their relationships and
 *    content-type overrides;
 *  - revision and comment authors in the WordprocessingML parts (document, headers, footers, foot/endnotes, comments,
 *    glossary): `w:author`/`w:initials` on w:ins, w:del, w:comment, w:rPrChange … emptied, `w:rsid*` editing-session
 *    ids and the revision dates (`w:date`, `w16du:dateUtc`, `w16cex:dateUtc`) removed (and the w:rsids list in
 *    settings.xml);
 *  - settings.xml's attached template and mail-merge data source → dropped with their relationships; every other
 *    External relationship pointing at a file path (linked pictures, links to local files, external workbooks) →
 *    only the file name kept (`relsPart`);
 *  - xl/comments*.xml authors, xl/persons/person*.xml (threaded comments' authors: display name, user and provider
 *    id), the user names of xl/revisions (shared-workbook change tracking) and the workbook's fileSharing userName
 *    and saved-in folder (x15ac:absPath) → emptied;
 *  - JPEG and PNG parts (pasted photos, docProps/thumbnail.jpeg) → without EXIF/XMP/text, as any stored image.
 * The archive comment and per-entry comments are dropped. A broken zip throws `FILE_DAMAGED`; one over the limits
 * throws `FILE_ARCHIVE_TOO_LARGE` before anything is inflated.
 */
export function stripOoxml(data: Buffer, limits: ZipLimits = ZIP_LIMITS): Buffer {
  const entries = readCentralDirectory(data, limits);
  const names = new Set(entries.map((e) => e.name));
  const dropped = new Set(DROPPED.filter((n) => names.has(n)));
  const parts: { entry: ZipEntry; content?: Buffer }[] = [];
  for (const entry of entries) {
    if (dropped.has(entry.name)) continue;
    const edit = editorFor(entry.name, dropped);
    if (!edit) {
      parts.push({ entry });
      continue;
    }
    const before = inflate(data, entry);
    const after = edit(before);
    parts.push(after.equals(before) ? { entry } : { entry, content: after });
  }
  return writeZip(data, parts);
}

/** Bounds checked on the central directory before any part is inflated (ASSURANCE API4). */
export interface ZipLimits {
  maxEntries: number;
  maxUnpackedBytes: number;
  /** Largest unpacked/packed ratio of one entry, checked for entries above `ratioFloorBytes` unpacked. */
  maxRatio: number;
  ratioFloorBytes: number;
}

/** A 10 MB attachment: real DOCX/XLSX files have tens to a few hundred parts and compress XML about 10:1. */
export const ZIP_LIMITS: ZipLimits = {
  maxEntries: 1000,
  maxUnpackedBytes: 200 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
};

interface ZipEntry {
  name: string;
  /** The central-directory record (46 bytes + name + extra + comment). */
  record: Buffer;
  nameLength: number;
  method: number;
  flags: number;
  crc: number;
  packed: number;
  unpacked: number;
  localOffset: number;
  /** Where the compressed bytes start. */
  dataOffset: number;
}

const CORE = 'docProps/core.xml';
const APP = 'docProps/app.xml';
const CUSTOM = 'docProps/custom.xml';
const PEOPLE = 'word/people.xml';
/** Parts removed whole; the part holding their relationship is beside each. */
const DROPPED = [CUSTOM, PEOPLE];
const RELS_OF: Record<string, string> = { [CUSTOM]: '_rels/.rels', [PEOPLE]: 'word/_rels/document.xml.rels' };
/** WordprocessingML parts that carry revision marks or comments (w:ins, w:del, w:comment, w:*PrChange). */
const WORD_PART =
  /^word\/(?:glossary\/)?(?:document|header\d*|footer\d*|footnotes|endnotes|comments[A-Za-z]*|settings)\.xml$/;

const EMPTY_CORE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></cp:coreProperties>';

/** Elements `<tag …>…</tag>` or `<tag/>`, with or without a namespace prefix. */
const dropElement = (xml: string, tag: string) =>
  xml.replace(new RegExp(`<((?:\\w+:)?${tag})(?:\\s[^>]*)?(?:/>|>[\\s\\S]*?</\\1>)`, 'g'), '');
const emptyAttributes = (xml: string, names: string[]) =>
  xml.replace(new RegExp(`(\\s(?:${names.join('|')}))=(?:"[^"]*"|'[^']*')`, 'g'), '$1=""');
/** Revision-session ids (w:rsidR, w:rsidRPr, w:rsidDel, w:rsidP, w:rsidTr, w:rsidSect …): optional attributes. */
const dropRsids = (xml: string) => xml.replace(/\sw:rsid[A-Za-z]*=(?:"[^"]*"|'[^']*')/g, '');
/**
 * Revision and comment dates: `w:date` on w:ins, w:del, w:comment, w:rPrChange … (when the person edited),
 * `w16du:dateUtc` (the same in UTC, Word 2023+) and `w16cex:dateUtc` (commentsExtensible). All are optional
 * attributes: the marks stay valid and can still be accepted or rejected. (The `<w:date>` *element* of a date content
 * control is the document's content and is not matched: only attributes are.)
 */
const dropRevisionDates = (xml: string) =>
  xml.replace(/\s(?:w:date|w16du:dateUtc|w16cex:dateUtc)=(?:"[^"]*"|'[^']*')/g, '');
const wordPart = (name: string) => (xml: string) => {
  const clean = dropRevisionDates(dropRsids(emptyAttributes(xml, ['w:author', 'w:initials', 'w15:author'])));
  if (!name.endsWith('settings.xml')) return clean;
  // The attached template (C:\Users\<name>\…\Normal.dotm) and a mail merge's data source (its path, connection
  // string and query): their relationships go in settings.xml.rels. The merge fields stay in the text.
  return ['rsids', 'attachedTemplate', 'mailMerge'].reduce(dropElement, clean);
};

/**
 * Relationship parts: the attached template's and the mail-merge data source's relationships are dropped (with
 * their `w:attachedTemplate` and `w:mailMerge` elements in settings.xml, above); every other External relationship
 * whose target is a file path rather than a web address (`file:///C:\Users\张三\Pictures\IMG_0001.jpg`, `C:\…`,
 * `\\server\share\…`, `/Users/…`, `..\Desktop\…`: a linked picture, a hyperlink to a local file, an Excel external
 * workbook) keeps only its file name, so the folders (Windows user name, machine, share names) are gone while every
 * `r:id` still resolves and the link still works if the file lies beside the document. Web targets (http:, https:,
 * mailto: …) are content and stay.
 */
const DROPPED_RELATIONSHIPS =
  /<Relationship\b[^>]*\bType=["'][^"']*\/(?:attachedTemplate|mailMergeSource|mailMergeHeaderSource)["'][^>]*\/>/g;
const relsPart = (xml: string) =>
  xml.replace(DROPPED_RELATIONSHIPS, '').replace(/<Relationship\b[^>]*\/>/g, (rel) => {
    if (!/\bTargetMode=["']External["']/.test(rel)) return rel;
    return rel.replace(/\bTarget=(?:"([^"]*)"|'([^']*)')/, (all, dq?: string, sq?: string) => {
      const target = dq ?? sq ?? '';
      if (/^[a-z][a-z0-9+.-]+:/i.test(target) && !/^file:/i.test(target)) return all; // a URL, not a path
      const name = target.slice(Math.max(target.lastIndexOf('/'), target.lastIndexOf('\\')) + 1);
      const q = dq === undefined ? "'" : '"';
      return `Target=${q}${name || 'file:///'}${q}`;
    });
  });

const xmlEdit = (f: (xml: string) => string) => (b: Buffer) => Buffer.from(f(b.toString('utf8')), 'utf8');

function editorFor(name: string, dropped: Set<string>): ((part: Buffer) => Buffer) | undefined {
  // Pictures pasted into a document and its thumbnail keep a phone's EXIF GPS unless stripped like any upload.
  if (/\.(jpe?g|png)$/i.test(name))
    return (b) =>
      b[0] === 0xff && b[1] === 0xd8
        ? stripJpeg(b)
        : b.subarray(0, 8).equals(PNG_SIGNATURE)
          ? stripPng(b)
          : b;
  const xml = xmlEditorFor(name, dropped);
  return xml && xmlEdit(xml);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function xmlEditorFor(name: string, dropped: Set<string>): ((xml: string) => string) | undefined {
  if (name === CORE) return () => EMPTY_CORE;
  if (name === APP) return (xml) => dropElement(dropElement(xml, 'Company'), 'Manager');
  if (dropped.size && name === '[Content_Types].xml')
    return (xml) =>
      [...dropped].reduce(
        (x, part) =>
          x.replace(new RegExp(`<Override\\b[^>]*PartName="/${escapeRegExp(part)}"[^>]*/>`, 'g'), ''),
        xml,
      );
  if (/(?:^|\/)_rels\/[^/]*\.rels$/.test(name)) {
    const relsFor = [...dropped].filter((part) => RELS_OF[part] === name);
    return (xml) =>
      relsFor.reduce((x, part) => {
        // Targets are relative to the rels part's folder (`people.xml` beside word/document.xml) or absolute.
        const base = part.slice(part.lastIndexOf('/') + 1);
        const target = `(?:/${escapeRegExp(part)}|(?:\\./)?${escapeRegExp(name === '_rels/.rels' ? part : base)})`;
        return x.replace(new RegExp(`<Relationship\\b[^>]*Target="${target}"[^>]*/>`, 'g'), '');
      }, relsPart(xml));
  }
  if (WORD_PART.test(name)) return wordPart(name);
  if (/^xl\/comments\d*\.xml$/.test(name))
    return (xml) => xml.replace(/<author>[^<]*<\/author>/g, '<author></author>');
  if (/^xl\/persons\/person\d*\.xml$/.test(name))
    return (xml) => emptyAttributes(xml, ['displayName', 'userId', 'providerId']);
  if (name === 'xl/revisions/revisionHeaders.xml') return (xml) => emptyAttributes(xml, ['userName']);
  if (name === 'xl/revisions/userNames.xml') return (xml) => emptyAttributes(xml, ['name']);
  // fileSharing's user name, and the folder Excel last saved the workbook in (`x15ac:absPath url="C:\Users\…"`).
  if (name === 'xl/workbook.xml')
    return (xml) =>
      xml.replace(/<((?:\w+:)?(?:fileSharing|absPath))\b[^>]*>/g, (tag) =>
        emptyAttributes(tag, ['userName', 'url']),
      );
  return undefined;
}

const damaged = (why: string) =>
  new AppError('FILE_DAMAGED', {
    zh: '文档文件已损坏，无法处理',
    en: 'The document file is damaged and cannot be processed',
    detail: `The zip package is damaged: ${why}`,
  });
const tooLarge = (why: string) => new AppError('FILE_ARCHIVE_TOO_LARGE', { detail: why });

const EOCD = 0x06054b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;

function readCentralDirectory(data: Buffer, limits: ZipLimits): ZipEntry[] {
  // The end record is in the last 22 + 65535 bytes (its comment is at most 65535 bytes).
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--)
    if (data.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw damaged('no end of central directory');
  const disk = data.readUInt16LE(eocd + 4);
  const count = data.readUInt16LE(eocd + 10);
  const cdSize = data.readUInt32LE(eocd + 12);
  const cdOffset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw tooLarge('ZIP64 archives are not accepted');
  if (disk !== 0) throw damaged('multi-disk archive');
  if (count > limits.maxEntries) throw tooLarge(`${count} entries; the limit is ${limits.maxEntries}`);
  if (cdOffset + cdSize > eocd) throw damaged('central directory runs past its end record');
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || data.readUInt32LE(p) !== CDH) throw damaged(`bad central directory record ${n}`);
    const flags = data.readUInt16LE(p + 8);
    const method = data.readUInt16LE(p + 10);
    const crc = data.readUInt32LE(p + 16);
    const packed = data.readUInt32LE(p + 20);
    const unpacked = data.readUInt32LE(p + 24);
    const nameLength = data.readUInt16LE(p + 28);
    const extraLength = data.readUInt16LE(p + 30);
    const commentLength = data.readUInt16LE(p + 32);
    const localOffset = data.readUInt32LE(p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > eocd) throw damaged('central directory record runs past its end');
    const name = data.toString('utf8', p + 46, p + 46 + nameLength);
    if (packed === 0xffffffff || unpacked === 0xffffffff || localOffset === 0xffffffff)
      throw tooLarge('ZIP64 entries are not accepted');
    if (flags & 1) throw damaged(`encrypted entry ${name}`);
    if (method !== 0 && method !== 8) throw damaged(`compression method ${method}`);
    if (names.has(name)) throw damaged(`duplicate entry ${name}`);
    names.add(name);
    total += unpacked;
    if (total > limits.maxUnpackedBytes)
      throw tooLarge(
        `more than ${limits.maxUnpackedBytes} bytes unpacked; the limit is ${limits.maxUnpackedBytes}`,
      );
    if (unpacked > limits.ratioFloorBytes && unpacked > Math.max(packed, 1) * limits.maxRatio)
      throw tooLarge(`entry ${name} expands ${Math.round(unpacked / Math.max(packed, 1))}:1`);
    if (localOffset + 30 > cdOffset || data.readUInt32LE(localOffset) !== LFH)
      throw damaged(`no local header for ${name}`);
    const dataOffset =
      localOffset + 30 + data.readUInt16LE(localOffset + 26) + data.readUInt16LE(localOffset + 28);
    if (dataOffset + packed > cdOffset) throw damaged(`entry ${name} runs past the central directory`);
    entries.push({
      name,
      record: data.subarray(p, end),
      nameLength,
      method,
      flags,
      crc,
      packed,
      unpacked,
      localOffset,
      dataOffset,
    });
    p = end;
  }
  return entries;
}

function inflate(data: Buffer, e: ZipEntry): Buffer {
  const raw = data.subarray(e.dataOffset, e.dataOffset + e.packed);
  let out: Buffer;
  try {
    // Never more than the declared size, so a lying header cannot make this a bomb.
    out = e.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: Math.max(e.unpacked, 1) });
  } catch {
    throw damaged(`entry ${e.name} does not inflate to its declared size`);
  }
  if (out.length !== e.unpacked || crc32(out) !== e.crc) throw damaged(`entry ${e.name} fails its checksum`);
  return out;
}

/** A new archive: local headers rebuilt from the central directory (no data descriptors), no comments. */
function writeZip(data: Buffer, parts: { entry: ZipEntry; content?: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { entry, content } of parts) {
    const body = content
      ? deflateRawSync(content)
      : data.subarray(entry.dataOffset, entry.dataOffset + entry.packed);
    const method = content ? 8 : entry.method;
    const crc = content ? crc32(content) : entry.crc;
    const unpacked = content ? content.length : entry.unpacked;
    const flags = entry.flags & 0x0800; // only the UTF-8 name flag survives (no data descriptor)
    const name = entry.record.subarray(46, 46 + entry.nameLength);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LFH, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    entry.record.copy(local, 10, 12, 16); // modification time and date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(unpacked, 22);
    local.writeUInt16LE(entry.nameLength, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);
    // Extra fields (Unix uid/gid, NTFS and extended timestamps) are dropped with the comments.
    const record = Buffer.from(entry.record.subarray(0, 46 + entry.nameLength));
    record.writeUInt16LE(flags, 8);
    record.writeUInt16LE(method, 10);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(body.length, 20);
    record.writeUInt32LE(unpacked, 24);
    record.writeUInt16LE(0, 30);
    record.writeUInt16LE(0, 32);
    record.writeUInt32LE(offset, 42);
    central.push(record);
    offset += 30 + entry.nameLength + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
