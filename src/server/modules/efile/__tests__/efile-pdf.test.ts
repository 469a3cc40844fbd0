import { expect, test } from 'vitest';
import { PDF_MAX_ROWS, renderEfilePdf } from '../efile-pdf.js';
import { day, minute } from '../efile-pdf-sections.js';
import { pdfText } from '../../../../../test/support/pdf-text.js';

// The printed e-file stays bounded: a section past PDF_MAX_ROWS names how many rows the JSON export has beyond it;
// an empty part says 无记录; a value taller than a page is printed whole, flowing over pages.
test('a long section is cut at PDF_MAX_ROWS with the count left; empty parts say 无记录; long values print whole', async () => {
  const extra = 7;
  const long = `长消息开始${'请按时到达并带好工具。'.repeat(300)}长消息结束`;
  const pdf = await renderEfilePdf({
    title: '测试档案',
    subtitle: '单元测试',
    sections: [
      {
        title: '一、很多行',
        rows: Array.from({ length: PDF_MAX_ROWS + extra }, (_, i): [string, string] => [
          `第${i}行`,
          `值${i}`,
        ]),
      },
      {
        title: '二、分组',
        rows: [],
        parts: [
          { title: '空的分组', rows: [] },
          { title: '长内容', rows: [['消息', long]] },
        ],
      },
    ],
  });
  const text = await pdfText(pdf);
  expect(text).toContain(`第${PDF_MAX_ROWS - 1}行值${PDF_MAX_ROWS - 1}`);
  expect(text).not.toContain(`第${PDF_MAX_ROWS}行`);
  expect(text).toContain(`另有${extra}条记录未在本文件列出`);
  expect(text).toContain('空的分组无记录');
  expect(text).toMatch(/第1页\/共\d+页/);
  // The long value runs over a page break; the footer sits between its halves in the text.
  expect(text.replace(/第\d+页\/共\d+页/g, '').includes(long)).toBe(true);
}, 120_000);

test('times print in Asia/Shanghai; calendar days print as they are', () => {
  // 17:30 UTC is already the next day in Shanghai.
  expect(minute('2026-03-01T17:30:00.000Z')).toBe('2026-03-02 01:30');
  expect(day('2026-03-01T17:30:00.000Z')).toBe('2026-03-02');
  expect(day('2026-03-01')).toBe('2026-03-01');
  expect(day(null)).toBe('—');
});
