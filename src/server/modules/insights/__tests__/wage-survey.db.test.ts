import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../../test/app.js';
import { account } from '../../../../../test/factories/workers.js';
import { auditLog } from '../../../platform/audit/audit.tables.js';
import { wageSurveyEdition, wageSurveySample } from '../insights.tables.js';
import { percentileCont } from '../wage-positions.js';

// The wage survey on a crafted data set: imported rows with known values, percentiles checked against an
// independent computation, the privacy threshold hiding thin cells in public only, the edition's state machine,
// all-or-nothing imports, exports, and a stored monthly report.
let t: TestApp;
let regulator: Awaited<ReturnType<typeof account>>;
beforeAll(async () => {
  t = await buildTestApp();
  regulator = await account(t, [{ role: 'regulator' }]);
});
afterAll(async () => t?.close());

const post = (url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: { cookie: regulator.cookie }, payload });
const get = (url: string, cookie?: string) =>
  t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

function upload(id: string, name: string, data: Buffer) {
  const boundary = '----insights';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/insights/wage-survey/editions/${id}/import`,
    headers: { cookie: regulator.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
}

async function draft(minSamples?: number) {
  const res = await post('/api/v1/insights/wage-survey/editions', {
    title: '测试工资价位',
    periodFrom: '2026-01-01',
    periodTo: '2026-06-30',
    ...(minSamples ? { minSamples } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; state: string; sampleCount: number };
}

// 天河 月嫂: five samples (shown); 越秀 月嫂: four (hidden in public); 天河 钟点工 by the hour: six.
const tianheYuesao = [12000, 15000, 16000, 18000, 21000];
const yuexiuYuesao = [13000, 14000, 15000, 30000];
const tianheHourly = [40, 45, 50, 55, 60, 65];
const csv = [
  '岗位,区域,金额(元)',
  ...tianheYuesao.map((v) => `月嫂,天河区,${v}`),
  ...yuexiuYuesao.map((v) => `月嫂,440104,${v}`),
  ...tianheHourly.map((v) => `钟点工,天河区,${v}`),
].join('\n');

test('percentiles equal an independent computation; thin cells are hidden in public only', async () => {
  const e = await draft();
  expect(e.state).toBe('draft');
  const imp = await upload(e.id, 'survey.csv', Buffer.from(`\uFEFF${csv}`));
  expect(imp.statusCode, imp.body).toBe(200);
  expect(imp.json().imported).toBe(15);
  const cells = imp.json().edition.cells as {
    position: string;
    district: string;
    sampleCount: number;
    p25Fen: number;
    p50Fen: number;
    p75Fen: number;
    belowThreshold: boolean;
  }[];
  const cell = (p: string, d: string) => cells.find((c) => c.position === p && c.district === d)!;
  const fen = (xs: number[]) => xs.map((x) => x * 100).sort((a, b) => a - b);
  for (const [p, d, xs] of [
    ['yuesao', '440106', tianheYuesao],
    ['yuesao', '440104', yuexiuYuesao],
    ['yuesao', '', [...tianheYuesao, ...yuexiuYuesao]],
    ['hourly', '440106', tianheHourly],
  ] as const) {
    const c = cell(p, d);
    expect(c.sampleCount, `${p}/${d}`).toBe(xs.length);
    expect(c.p25Fen).toBe(Math.round(percentileCont(fen([...xs]), 0.25)!));
    expect(c.p50Fen).toBe(Math.round(percentileCont(fen([...xs]), 0.5)!));
    expect(c.p75Fen).toBe(Math.round(percentileCont(fen([...xs]), 0.75)!));
  }
  // The regulator sees the thin cell, flagged.
  expect(cell('yuesao', '440104').belowThreshold).toBe(true);
  expect(cell('yuesao', '440106').belowThreshold).toBe(false);

  // Not public before publishing.
  expect((await get(`/api/v1/public/wage-survey?edition=${e.id}`)).statusCode).toBe(404);
  expect((await post(`/api/v1/insights/wage-survey/editions/${e.id}/publish`)).statusCode).toBe(200);
  const pub = await get('/api/v1/public/wage-survey');
  expect(pub.statusCode).toBe(200);
  expect(pub.headers['cache-control']).toBe('public, max-age=300');
  const pcells = pub.json().cells as {
    position: string;
    district: string;
    hidden: boolean;
    sampleCount: number | null;
    p50Fen: number | null;
  }[];
  const thin = pcells.find((c) => c.position === 'yuesao' && c.district === '440104')!;
  expect(thin).toMatchObject({ hidden: true, sampleCount: null, p50Fen: null });
  const shown = pcells.find((c) => c.position === 'yuesao' && c.district === '440106')!;
  expect(shown).toMatchObject({ hidden: false, sampleCount: 5, p50Fen: 1_600_000 });
  // No value of the hidden cell appears anywhere in the public answer.
  expect(pub.body).not.toContain('3000000');

  // A higher threshold hides more.
  const strict = await draft(6);
  await upload(strict.id, 'survey.csv', Buffer.from(csv));
  await post(`/api/v1/insights/wage-survey/editions/${strict.id}/publish`);
  const sp = (await get(`/api/v1/public/wage-survey?edition=${strict.id}`)).json();
  expect(
    sp.cells.find(
      (c: { position: string; district: string }) => c.position === 'yuesao' && c.district === '440106',
    ).hidden,
  ).toBe(true);
  expect(
    sp.cells.find(
      (c: { position: string; district: string }) => c.position === 'hourly' && c.district === '440106',
    ).hidden,
  ).toBe(false);
});

test('the edition state machine: allowed and refused steps, audit rows', async () => {
  const e = await draft();
  // Withdrawing a draft is refused; publishing works once; a published one can be withdrawn, then nothing.
  const refused = await post(`/api/v1/insights/wage-survey/editions/${e.id}/withdraw`);
  expect(refused.statusCode).toBe(409);
  expect(refused.json().code).toBe('WAGE_SURVEY_INVALID_TRANSITION');
  expect((await post(`/api/v1/insights/wage-survey/editions/${e.id}/publish`)).json().state).toBe(
    'published',
  );
  expect((await post(`/api/v1/insights/wage-survey/editions/${e.id}/publish`)).statusCode).toBe(409);
  expect((await post(`/api/v1/insights/wage-survey/editions/${e.id}/discard`)).statusCode).toBe(409);
  // A published edition takes no new samples.
  const late = await upload(e.id, 'late.csv', Buffer.from(csv));
  expect(late.statusCode).toBe(409);
  expect((await post(`/api/v1/insights/wage-survey/editions/${e.id}/withdraw`)).json().state).toBe(
    'withdrawn',
  );
  expect((await post(`/api/v1/insights/wage-survey/editions/${e.id}/publish`)).statusCode).toBe(409);
  expect((await get(`/api/v1/public/wage-survey?edition=${e.id}`)).statusCode).toBe(404);
  const d = await draft();
  expect((await post(`/api/v1/insights/wage-survey/editions/${d.id}/discard`)).json().state).toBe(
    'discarded',
  );
  const audits = await t.database.db.select().from(auditLog).where(sql`${auditLog.objectId} = ${e.id}`);
  expect(audits.map((a) => a.action).sort()).toEqual(
    ['insights.wage_survey_created', 'insights.wage_survey_publish', 'insights.wage_survey_withdraw'].sort(),
  );
});

test('bad imports and periods are refused and store nothing', async () => {
  const e = await draft();
  const count = async () =>
    (await t.database.db.select().from(wageSurveySample).where(sql`${wageSurveySample.editionId} = ${e.id}`))
      .length;
  const before = await count();
  for (const body of [
    '岗位,金额(元)\n月嫂,15000',
    '岗位,区域,金额(元)\n月嫂,天河区,15000\n宇航员,天河区,20000',
    '岗位,区域,金额(元)\n月嫂,北京市,15000',
    '岗位,区域,金额(元)\n月嫂,天河区,-5',
    '岗位,区域,金额(元)\n月嫂,天河区,=1+1',
    '岗位,区域,金额(元)',
  ]) {
    const res = await upload(e.id, 'bad.csv', Buffer.from(body));
    expect(res.statusCode, body).toBe(422);
    expect(res.json().code).toBe('WAGE_SURVEY_IMPORT_INVALID');
  }
  const named = await upload(
    e.id,
    'bad.csv',
    Buffer.from('岗位,区域,金额(元)\n月嫂,天河区,15000\n宇航员,天河区,1'),
  );
  expect(named.json().errors?.[0]?.path ?? JSON.stringify(named.json())).toContain('row 3');
  expect(await count()).toBe(before);

  const reversed = await post('/api/v1/insights/wage-survey/editions', {
    title: 'x',
    periodFrom: '2026-06-01',
    periodTo: '2026-01-01',
  });
  expect(reversed.json().code).toBe('INSIGHTS_RANGE_REVERSED');
  const long = await post('/api/v1/insights/wage-survey/editions', {
    title: 'x',
    periodFrom: '2024-01-01',
    periodTo: '2026-01-01',
  });
  expect(long.json().code).toBe('INSIGHTS_RANGE_TOO_LARGE');
  const editions = await t.database.db
    .select()
    .from(wageSurveyEdition)
    .where(sql`${wageSurveyEdition.title} = 'x'`);
  expect(editions).toHaveLength(0);
});

test('an xlsx import works and the edition exports with every cell', async () => {
  const e = await draft();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('调查');
  ws.addRow(['岗位', '区域', '金额(元)']);
  for (const v of [6000, 6500, 7000]) ws.addRow(['保姆', '番禺区', v]);
  const imp = await upload(e.id, 'survey.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
  expect(imp.statusCode, imp.body).toBe(200);
  expect(imp.json().imported).toBe(3);
  const x = await get(`/api/v1/insights/wage-survey/editions/${e.id}/export`, regulator.cookie);
  expect(x.statusCode).toBe(200);
  const out = new ExcelJS.Workbook();
  await out.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
  const sheet = out.getWorksheet('工资价位')!;
  expect(sheet.getRow(2).getCell(1).text).toBe('岗位');
  const rows = [];
  for (let r = 3; r <= sheet.rowCount; r++) rows.push(sheet.getRow(r).values as unknown[]);
  // 番禺 and the city-wide cell, both with three samples and a P50 of 6500 元.
  expect(rows).toHaveLength(2);
  for (const r of rows) {
    expect(r[4]).toBe(3);
    expect(r[9]).toBe(6500);
    expect(r[11]).toBe('是');
  }
  const c = await get(`/api/v1/insights/wage-survey/editions/${e.id}/export?format=csv`, regulator.cookie);
  expect(c.body.startsWith('\uFEFF岗位,区域,单位,样本数')).toBe(true);
});

test('a monthly report is generated, stored, listed and downloaded', async () => {
  const res = await post('/api/v1/insights/reports', { month: '2026-01' });
  expect(res.statusCode, res.body).toBe(201);
  const r = res.json();
  const list = (await get('/api/v1/insights/reports', regulator.cookie)).json();
  expect(list.items.map((x: { month: string }) => x.month)).toContain('2026-01');
  const pdf = await get(`/api/v1/insights/reports/${r.id}/pdf`, regulator.cookie);
  expect(pdf.headers['content-type']).toBe('application/pdf');
  expect(pdf.rawPayload.length).toBe(r.bytes);
  expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  // Regenerating replaces the month's report instead of adding one.
  await post('/api/v1/insights/reports', { month: '2026-01' });
  const again = (await get('/api/v1/insights/reports', regulator.cookie)).json();
  expect(again.items.filter((x: { month: string }) => x.month === '2026-01')).toHaveLength(1);
  expect((await post('/api/v1/insights/reports', { month: '2999-01' })).statusCode).toBe(422);
  expect((await post('/api/v1/insights/reports', { month: '2026-1' })).statusCode).toBe(422);
});
