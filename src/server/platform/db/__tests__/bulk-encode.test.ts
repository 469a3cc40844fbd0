import { boolean, doublePrecision, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { describe, expect, test } from 'vitest';
import { CopyBlock, encodeCopyRows } from '../bulk.js';

// The COPY text the generator sends, encoded straight into Buffers (issue 13): every byte as COPY's text format
// wants it — reserved characters escaped, nulls as \N, arrays and JSON as their literals, UTF-8 for Chinese text.
const t = pgTable('copy_probe', {
  id: text('id').primaryKey(),
  name: text('name'),
  n: integer('n'),
  tags: text('tags').array(),
  doc: jsonb('doc'),
  at: timestamp('at', { withTimezone: true }),
  ok: boolean('ok'),
  x: doublePrecision('x'),
});

describe('COPY text encoding into Buffers', () => {
  test('tabs, newlines, carriage returns, backslashes, nulls, Chinese text, arrays and JSON', () => {
    const out = encodeCopyRows(t, [
      {
        id: 'a\tb',
        name: '陈\n志\\强\r',
        n: 7,
        tags: ['x y', 'q"t', 'b\\s', '月嫂'],
        doc: { k: 'v\t"w"\\', zh: '安心' },
        at: new Date('2026-01-02T03:04:05.006Z'),
        ok: true,
        x: 1.5,
      },
      { id: '\\N', name: null, n: null, tags: null, doc: null, at: null, ok: false, x: -0.25 },
    ]);
    const line1 = [
      String.raw`a\tb`,
      String.raw`陈\n志\\强\r`,
      '7',
      String.raw`{"x y","q\\"t","b\\\\s","月嫂"}`,
      String.raw`{"k":"v\\t\\"w\\"\\\\","zh":"安心"}`,
      '2026-01-02T03:04:05.006Z',
      't',
      '1.5',
    ].join('\t');
    const line2 = [String.raw`\\N`, '\\N', '\\N', '\\N', '\\N', '\\N', 'f', '-0.25'].join('\t');
    expect(out.toString('utf8')).toBe(`${line1}\n${line2}\n`);
    // Multi-byte text is UTF-8 on the wire (陈 is 3 bytes), not UTF-16 or escaped.
    expect(out.includes(Buffer.from('陈', 'utf8'))).toBe(true);
  });

  test('a column no row sets is left out of the COPY (it keeps its default)', () => {
    const out = encodeCopyRows(t, [{ id: '1' }, { id: '2', n: 3 }]);
    expect(out.toString('utf8')).toBe('1\t\\N\n2\t3\n');
  });

  test('values larger than the buffer grow it without losing or reordering bytes', () => {
    const big = '广州安心\t'.repeat(30_000); // 150 k characters, 420 kB of UTF-8 once escaped (the block starts at 64 bytes)
    const rows = [
      { id: 'a', name: big },
      { id: 'b', name: 'x' },
      { id: 'c', name: big },
    ];
    const out = encodeCopyRows(t, rows);
    const esc = big.replaceAll('\t', '\\t');
    expect(out.toString('utf8')).toBe(`a\t${esc}\nb\tx\nc\t${esc}\n`);
  });

  test('take hands the bytes over and starts a fresh block', () => {
    const b = new CopyBlock(4);
    b.text('安心');
    b.sep(9);
    b.nil();
    const first = b.take();
    b.text('z');
    b.sep(10);
    const second = b.take();
    expect(first.toString('utf8')).toBe('安心\t\\N');
    expect(second.toString('utf8')).toBe('z\n');
    expect(b.length).toBe(0);
  });
});
