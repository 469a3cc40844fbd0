// `npx tsx bench/strip.ts` — CPU time of the storage metadata stripper per file (ASVS 14.2.8), printed as JSON:
// a first pass over raw upload bytes, and the wrapper's second pass over bytes prepareUpload already returned (which
// before issue 14's change parsed the file again). Timed passes include one copy of the input (Buffer.from).
import { storableBytes } from '../src/server/platform/storage/index.js';
import {
  docxWithZeros,
  MINIMAL_PDF,
  taggedMp4,
  taggedPdf,
  taggedWebm,
} from '../src/server/platform/storage/__tests__/document-fixtures.js';

const cpuMs = async (f: () => Promise<unknown>, runs: number) => {
  await f();
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i++) await f();
  const u = process.cpuUsage(start);
  return Math.round(((u.user + u.system) / 1000 / runs) * 1000) / 1000;
};

/** A video of `bytes` bytes: the fixture's boxes with a large mdat (the stripper skips media data). */
function bigMp4(bytes: number): Buffer {
  const small = taggedMp4();
  const at = small.indexOf(Buffer.from('mdat')) - 4;
  const size = small.readUInt32BE(at);
  const mdat = Buffer.alloc(bytes);
  mdat.writeUInt32BE(bytes, 0);
  mdat.write('mdat', 4, 'latin1');
  return Buffer.concat([small.subarray(0, at), mdat, small.subarray(at + size)]);
}

const pdf = await taggedPdf();
const files: [string, Buffer, number][] = [
  ['pdf_tagged', pdf, 50],
  ['pdf_clean_minimal', MINIMAL_PDF, 200],
  ['docx_1mb_zero_part', docxWithZeros(1024 * 1024), 50],
  ['mp4_100mb', bigMp4(100 * 1024 * 1024), 10],
  ['webm', taggedWebm(), 200],
];
const out: Record<
  string,
  { bytes: number; first_pass_cpu_ms: number; second_pass_cpu_ms: number; raw_again_cpu_ms: number }
> = {};
for (const [name, data, runs] of files) {
  const clean = await storableBytes(data);
  out[name] = {
    bytes: data.length,
    first_pass_cpu_ms: await cpuMs(() => storableBytes(Buffer.from(data)), runs),
    // What the wrapper does with prepareUpload's output now: a WeakSet lookup.
    second_pass_cpu_ms: await cpuMs(() => storableBytes(clean), runs),
    // What it did before: parse the (already clean) bytes again.
    raw_again_cpu_ms: await cpuMs(() => storableBytes(Buffer.from(clean)), runs),
  };
}
console.log(JSON.stringify({ strip: out }, null, 2));
