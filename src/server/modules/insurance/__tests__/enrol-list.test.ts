import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import { readEnrolmentList } from '../enrol-list.js';

const a = 'wk_01abcdefghjkmnpqrstvwxyz00';
const b = 'wk_01abcdefghjkmnpqrstvwxyz01';

describe('enrolment list', () => {
  test('CSV with a 服务人员编号 column, other columns ignored, duplicates dropped', async () => {
    const csv = `\uFEFF姓名,服务人员编号\r\n张三,${a}\r\n李四,${b}\r\n张三,${a}\r\n`;
    expect(await readEnrolmentList({ data: Buffer.from(csv), filename: 'list.csv' })).toEqual([a, b]);
  });

  test('xlsx read from the first sheet', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['服务人员编号', '备注']);
    ws.addRow([a, '']);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await readEnrolmentList({ data, filename: 'list.xlsx' })).toEqual([a]);
  });

  test('a malformed id, an empty file or an unreadable workbook is not a list', async () => {
    expect(
      await readEnrolmentList({ data: Buffer.from(`服务人员编号\nnot-an-id\n`), filename: 'x.csv' }),
    ).toBeNull();
    expect(await readEnrolmentList({ data: Buffer.from(''), filename: 'x.csv' })).toBeNull();
    expect(await readEnrolmentList({ data: Buffer.from('garbage'), filename: 'x.xlsx' })).toBeNull();
  });
});
