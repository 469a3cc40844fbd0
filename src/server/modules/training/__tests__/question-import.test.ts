import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { parseCsv, parseXlsx } from '../../../platform/tabular/tabular.js';
import { parseQuestionRows } from '../question-import.js';
import { formatTrainingNumber, parseTrainingNumber } from '../training-number.js';

const HEADER = [
  '题型',
  '题干',
  '选项A',
  '选项B',
  '选项C',
  '选项D',
  '答案',
  '分类',
  '等级',
  '知识点',
  '难度',
  '解析',
];

describe('CSV', () => {
  test('quoted fields, doubled quotes, commas and new lines inside quotes, CRLF, BOM', () => {
    const text = '\uFEFFa,"b,1","c ""q"""\r\n"multi\nline",x,\r\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b,1', 'c "q"'],
      ['multi\nline', 'x', ''],
    ]);
  });
});

describe('question rows', () => {
  test('good rows of every type become questions (Chinese words map to codes)', () => {
    const { questions, errors } = parseQuestionRows([
      HEADER,
      ['单选', '急救电话是？', '110', '119', '120', '', 'C', '家务服务', '', '急救技能', '易', '医疗急救'],
      [
        '多选',
        '哪些正确？',
        '甲',
        '乙',
        '丙',
        '丁',
        'A,B,D',
        'maternal_infant',
        'level4',
        'ethics',
        'medium',
        '',
      ],
      ['判断', '可以扣押身份证。', '', '', '', '', '错', '家务服务', '', '法律常识', '难', ''],
    ]);
    expect(errors).toEqual([]);
    expect(questions).toEqual([
      {
        type: 'single',
        stem: '急救电话是？',
        options: ['110', '119', '120'],
        answer: [2],
        category: 'housework',
        level: null,
        topic: 'first_aid',
        difficulty: 'easy',
        explanation: '医疗急救',
      },
      {
        type: 'multiple',
        stem: '哪些正确？',
        options: ['甲', '乙', '丙', '丁'],
        answer: [0, 1, 3],
        category: 'maternal_infant',
        level: 'level4',
        topic: 'ethics',
        difficulty: 'medium',
        explanation: null,
      },
      {
        type: 'true_false',
        stem: '可以扣押身份证。',
        options: ['对', '错'],
        answer: [1],
        category: 'housework',
        level: null,
        topic: 'law',
        difficulty: 'hard',
        explanation: null,
      },
    ]);
  });

  test('every bad row is reported with its spreadsheet row number and column', () => {
    const { errors } = parseQuestionRows([
      HEADER,
      ['单选', '好题', 'a', 'b', '', '', 'A', '家务服务', '', '礼仪', '易', ''],
      ['填空', '题', 'a', 'b', '', '', 'A', '家务服务', '', '礼仪', '易', ''],
      ['单选', '', 'a', 'b', '', '', 'A', '家务服务', '', '礼仪', '易', ''],
      ['单选', '题', 'a', 'b', '', '', 'AB', '家务服务', '', '礼仪', '易', ''],
      ['多选', '题', 'a', 'b', 'c', '', 'A', '家务服务', '', '礼仪', '易', ''],
      ['单选', '题', 'a', 'b', '', '', 'E', '家务服务', '', '礼仪', '易', ''],
      ['单选', '题', 'a', '', 'c', '', 'A', '家务服务', '', '礼仪', '易', ''],
      ['判断', '题', '', '', '', '', '也许', '家务服务', '', '礼仪', '易', ''],
      ['单选', '题', 'a', 'b', '', '', 'A', '修车', '', '礼仪', '易', ''],
      ['单选', '题', 'a', 'b', '', '', 'A', '家务服务', '', '天文', '易', ''],
      ['单选', '题', 'a', 'b', '', '', 'A', '家务服务', '', '礼仪', '超难', ''],
      ['单选', '题', 'a', 'b', '', '', 'A', '家务服务', 'level9', '礼仪', '易', ''],
      ['', '', '', '', '', '', '', '', '', '', '', ''],
    ]);
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'type'],
      [4, 'stem'],
      [5, 'answer'],
      [6, 'answer'],
      [7, 'answer'],
      [8, 'options'],
      [9, 'answer'],
      [10, 'category'],
      [11, 'topic'],
      [12, 'difficulty'],
      [13, 'level'],
    ]);
    expect(errors.every((e) => e.message.length > 0)).toBe(true);
  });

  test('missing columns and empty files are refused', () => {
    expect(parseQuestionRows([['题型', '题干']]).errors.map((e) => e.column)).toEqual([
      'answer',
      'category',
      'topic',
      'difficulty',
    ]);
    expect(parseQuestionRows([HEADER]).errors).toEqual([{ row: 2, column: '', message: '文件中没有题目' }]);
    expect(parseQuestionRows([]).errors.length).toBeGreaterThan(0);
  });
});

describe('xlsx', () => {
  test('the first sheet is read as text rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('题库');
    ws.addRow(HEADER);
    ws.addRow(['判断', '工作时穿着整洁。', '', '', '', '', '对', '家务服务', '', '礼仪', '易', '']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const rows = await parseXlsx(buf);
    expect(rows[0]).toEqual(HEADER);
    expect(parseQuestionRows(rows).questions).toHaveLength(1);
  });
});

describe('training certificate numbers', () => {
  test('format and check character', () => {
    const n = formatTrainingNumber(2026, 42);
    expect(n).toMatch(/^PX-2026-000042-[0-9A-Z]$/);
    expect(parseTrainingNumber(` ${n.toLowerCase()} `)).toBe(n);
    expect(parseTrainingNumber(n.replace('000042', '000043'))).toBeNull();
    expect(() => formatTrainingNumber(2026, 0)).toThrow(RangeError);
  });
});
