// Multipart probes for the fuzz suite (ASSURANCE.md §4.3, "Filenames" and "Files"): per upload route, valid requests
// (a small real file of an accepted type with the route's text fields) and mutated ones, each with one mutation:
// wrong magic bytes, an empty file, one byte over the route's limit, a `../` / NUL / `.php.jpg` filename, an extra
// field, no file part, a broken boundary. The same oracles as the JSON probes apply (fuzz.ts).
import type { RouteEntry } from '../../src/server/platform/http/authz.js';
import { PNG } from '../../test/factories/workers.js';
import { pdfWith } from '../../test/support/clamd.js';
import type { Probe } from './fuzz.js';

interface FilePart {
  name: string;
  type: string;
  bytes: Buffer;
}
interface Form {
  fields: [string, string][];
  file?: FilePart;
}

const PDF = pdfWith(Buffer.from('BT /F1 12 Tf 20 100 Td (Anxin) Tj ET', 'latin1'));
const png = (): FilePart => ({ name: '照片.png', type: 'image/png', bytes: PNG });
const pdf = (): FilePart => ({ name: '文件.pdf', type: 'application/pdf', bytes: PDF });
const csv = (text: string, name = '名单.csv'): FilePart => ({
  name,
  type: 'text/csv',
  bytes: Buffer.from(text),
});
const dayOff = (d: number) => new Date(Date.now() + 8 * 3600_000 + d * 86_400_000).toISOString().slice(0, 10);

const QUESTIONS = [
  '题型,题干,选项A,选项B,选项C,选项D,答案,分类,知识点,难度,解析',
  '单选,模糊测试题：下列正确的是？,甲,乙,丙,丁,B,家务服务,ethics,易,',
  '判断,模糊测试判断题,,,,,对,家务服务,law,易,',
].join('\n');

/** The valid form of each upload route (keyed by its URL template) and the route's file size limit. */
type IdFor = (key: string, i: number) => string | undefined;
/** `limit`: the route's file size limit in bytes; null = too large to probe (the mutation is skipped). */
const forms: Record<string, { form: (i: number, idFor: IdFor) => Form; limit: number | null }> = {
  // PDF lessons: 20 MB, refused by the service (the multipart limit is the videos' 100 MB).
  '/api/v1/training/courses/:id/lesson-files': {
    form: (i) => ({
      fields: [
        ['title', `消防安全第${i + 1}课`],
        ['minutes', '30'],
      ],
      file: pdf(),
    }),
    limit: 20 * 1024 * 1024,
  },
  // The training plugin's multipart limit is the lesson videos' 100 MB: no over-size probe of that size here.
  '/api/v1/training/banks/:id/import': {
    form: () => ({ fields: [], file: csv(QUESTIONS, '题库.csv') }),
    limit: null,
  },
  '/api/v1/feedback/files': { form: (i) => ({ fields: [], file: i % 2 ? pdf() : png() }), limit: 10 << 20 },
  '/api/v1/companies/:orgId/insurance/enrolments/upload': {
    form: (i, idFor) => ({
      fields: [
        ['productId', idFor('productId', i) ?? 'ipd_00000000000000000000000000'],
        ['startsOn', dayOff(1)],
      ],
      file: csv(`服务人员编号\n${idFor('workerId', i) ?? 'wk_00000000000000000000000000'}\n`),
    }),
    limit: 2 << 20,
  },
  '/api/v1/companies/applications/:id/licence': {
    form: (i) => ({ fields: [], file: i % 2 ? pdf() : png() }),
    limit: 10 << 20,
  },
  '/api/v1/content/items/:id/attachments': { form: () => ({ fields: [], file: pdf() }), limit: 10 << 20 },
  '/api/v1/conversations/:id/images': { form: () => ({ fields: [], file: png() }), limit: 2 << 20 },
  '/api/v1/workers/me/photo': { form: () => ({ fields: [], file: png() }), limit: 10 << 20 },
  '/api/v1/workers/me/documents': {
    form: () => ({
      fields: [
        ['kind', 'health'],
        ['issuedOn', dayOff(-30)],
        ['expiresOn', dayOff(300)],
      ],
      file: png(),
    }),
    limit: 10 << 20,
  },
  '/api/v1/companies/:companyId/workers/:workerId/documents': {
    form: () => ({
      fields: [
        ['kind', 'skill'],
        ['issuedOn', dayOff(-30)],
      ],
      file: png(),
    }),
    limit: 10 << 20,
  },
  '/api/v1/insights/wage-survey/editions/:id/import': {
    form: (i) => ({ fields: [], file: csv(`岗位,区域,金额(元)\n保洁员,440106,${5000 + i}\n`, '工资.csv') }),
    limit: 2 << 20,
  },
};

/** A multipart/form-data body; `boundary` may be broken on purpose. */
export function encode(form: Form, boundary = `----anxinfuzz${Math.random().toString(16).slice(2)}`) {
  const chunks: Buffer[] = [];
  for (const [k, v] of form.fields)
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (form.file)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${form.file.name}"\r\nContent-Type: ${form.file.type}\r\n\r\n`,
      ),
      form.file.bytes,
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { raw: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

type Mutation = {
  what: string;
  valid: boolean | null;
  apply(f: Form, limit: number | null): Form | 'bad-boundary';
};
const withFile = (f: Form, patch: Partial<FilePart>): Form =>
  f.file ? { ...f, file: { ...f.file, ...patch } } : f;
/** One mutation each; `valid: null` = may be accepted (a hostile filename must be stored safely, not refused). */
const mutations: Mutation[] = [
  {
    what: 'wrong magic bytes',
    valid: false,
    apply: (f) => withFile(f, { bytes: Buffer.from('<?php echo 1; ?>\n'.repeat(8)) }),
  },
  { what: 'empty file', valid: false, apply: (f) => withFile(f, { bytes: Buffer.alloc(0) }) },
  {
    what: 'over the size limit',
    valid: false,
    apply: (f, limit) =>
      withFile(f, {
        bytes: Buffer.concat([
          f.file?.bytes ?? Buffer.alloc(0),
          Buffer.alloc((limit ?? 0) + 1 - (f.file?.bytes.length ?? 0), 0x20),
        ]),
      }),
  },
  {
    what: 'filename ../',
    valid: null,
    apply: (f) => withFile(f, { name: `../../etc/${f.file?.name ?? 'x'}` }),
  },
  {
    what: 'filename %2e%2e%2f and NUL',
    valid: null,
    apply: (f) => withFile(f, { name: `%2e%2e%2f\u0000${f.file?.name ?? 'x'}` }),
  },
  {
    what: 'filename .php.jpg, 300 chars',
    valid: null,
    apply: (f) => withFile(f, { name: `${'长'.repeat(300)}.php.jpg` }),
  },
  {
    what: 'declared type lies (SVG)',
    valid: null,
    apply: (f) => withFile(f, { type: 'image/svg+xml', name: 'x.svg' }),
  },
  {
    what: 'extra field',
    valid: null,
    apply: (f) => ({ ...f, fields: [...f.fields, ['zzUnknownField', '__proto__']] }),
  },
  { what: 'no file part', valid: false, apply: (f) => ({ fields: f.fields }) },
  { what: 'broken boundary', valid: false, apply: () => 'bad-boundary' },
];

/** n valid and n mutated probes of one multipart route; `urlAt(i)` gives the i-th probe's URL (real ids). */
export function multipartProbes(
  route: RouteEntry,
  n: number,
  urlAt: (i: number) => { url: string; urlValid: boolean },
  idFor: IdFor = () => undefined,
): Probe[] {
  const spec = forms[route.url];
  if (!spec) throw new Error(`no multipart form known for ${route.url} (add it to fuzz-multipart.ts)`);
  const out: Probe[] = [];
  for (let i = 0; i < n; i++)
    out.push({ ...urlAt(i), ...encode(spec.form(i, idFor)), valid: true, what: 'valid multipart' });
  const applicable = mutations.filter((m) => spec.limit !== null || m.what !== 'over the size limit');
  for (let i = 0; i < n; i++) {
    const m = applicable[i % applicable.length]!;
    const f = m.apply(spec.form(i, idFor), spec.limit);
    const body =
      f === 'bad-boundary'
        ? { raw: encode(spec.form(i, idFor), 'aaa').raw, contentType: 'multipart/form-data; boundary=zzz' }
        : encode(f);
    out.push({ ...urlAt(i), ...body, valid: m.valid, what: `multipart ${m.what}` });
  }
  return out;
}

export const multipartRoutes = Object.keys(forms);
