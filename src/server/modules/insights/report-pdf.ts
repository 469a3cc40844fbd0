import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';

/** Debian fonts-noto-cjk; pdfkit embeds only the glyphs used. */
const CJK_FONT_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const CJK_FACE = 'NotoSansCJKsc-Regular';

export interface ReportPdfData {
  /** `YYYY-MM` */
  month: string;
  cityName: string;
  asOf: Date;
  headline: { label: string; value: string }[];
  /** Orders created and completed per district in the month. */
  byDistrict: { label: string; created: number; completed: number }[];
  /** The 12 months ending with the report month. */
  trend: { month: string; created: number; completed: number }[];
  byCategory: { label: string; created: number; completed: number; valueYuan: string }[];
  complaints: { label: string; filed: number; answeredInSla: number; slaDue: number; pct: string }[];
  /** Fixed creation time, so the same inputs render the same bytes. */
  createdAt: Date;
}

let fontBytes: Buffer | null = null;

const fmtAsOf = (d: Date) =>
  new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * The monthly industry report (家政服务业月度报告) as an A4 PDF in Chinese: headline figures, a bar chart of orders
 * per district, a line chart of the 12-month trend (both drawn with vector primitives, no image renderer), and the
 * tables behind them.
 */
export async function renderReportPdf(d: ReportPdfData): Promise<Buffer> {
  fontBytes ??= readFileSync(CJK_FONT_PATH);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 50, bottom: 50, left: 50, right: 50 },
    bufferPages: true,
    info: {
      Title: `${d.cityName}家政服务业月度报告 ${d.month}`,
      CreationDate: d.createdAt,
      ModDate: d.createdAt,
      Producer: 'Anxin',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(CJK_FACE, fontBytes, CJK_FACE);
  doc.font(CJK_FACE);
  const left = 50;
  const width = doc.page.width - 100;

  doc.fillColor('#111111').fontSize(18).text(`${d.cityName}家政服务业月度报告`, left, 50, { width });
  doc
    .fontSize(10)
    .fillColor('#444444')
    .text(`统计月份：${d.month}　数据截至：${fmtAsOf(d.asOf)}（北京时间）`, { width });
  doc.moveDown(0.8);

  // Headline figures: a grid of four per row.
  const cellW = width / 4;
  let y = doc.y;
  d.headline.forEach((h, i) => {
    const x = left + (i % 4) * cellW;
    if (i > 0 && i % 4 === 0) y += 46;
    doc.rect(x + 2, y, cellW - 4, 40).fillAndStroke('#f4f7fb', '#d0d7e2');
    doc
      .fillColor('#555555')
      .fontSize(8)
      .text(h.label, x + 8, y + 5, { width: cellW - 16, lineBreak: false });
    doc
      .fillColor('#111111')
      .fontSize(14)
      .text(h.value, x + 8, y + 18, { width: cellW - 16, lineBreak: false });
  });
  doc.y = y + 56;

  // Bar chart: orders per district.
  section(doc, '各区订单（本月新增 / 完成）', left, width);
  bars(doc, d.byDistrict, left, doc.y + 4, width, 150);
  doc.y += 190;

  // Line chart: 12-month trend.
  section(doc, '近 12 个月订单趋势', left, width);
  lines(doc, d.trend, left, doc.y + 4, width, 140);
  doc.y += 180;

  doc.addPage();
  section(doc, '分服务类别', left, width);
  table(
    doc,
    ['服务类别', '新增订单', '完成订单', '完成金额(元)'],
    d.byCategory.map((c) => [c.label, String(c.created), String(c.completed), c.valueYuan]),
    left,
    width,
  );
  doc.moveDown(1);
  section(doc, '投诉处理（按区）', left, width);
  table(
    doc,
    ['区域', '投诉数', '时限内答复', '应答复数', '时限内答复率'],
    d.complaints.map((c) => [c.label, String(c.filed), String(c.answeredInSla), String(c.slaDue), c.pct]),
    left,
    width,
  );
  doc.moveDown(1);
  doc
    .fontSize(8)
    .fillColor('#666666')
    .text(
      '说明：数据来自平台汇总表（定时刷新）；订单按创建月份、完成按完成月份统计；时限内答复率 = 在答复时限内答复的投诉 ÷ 已答复或已超过答复时限的投诉。',
      left,
      doc.y,
      { width },
    );

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .fontSize(8)
      .fillColor('#666666')
      .text(`${d.month} 月度报告　第 ${i + 1} 页 / 共 ${range.count} 页`, 0, doc.page.height - 32, {
        width: doc.page.width,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}

type Doc = InstanceType<typeof PDFDocument>;

function section(doc: Doc, title: string, left: number, width: number) {
  doc.fillColor('#1f3a5f').fontSize(12).text(title, left, doc.y, { width });
  doc.moveDown(0.3);
}

const BLUE = '#3b6fb6';
const GREEN = '#3f9b5a';

function legend(doc: Doc, x: number, y: number) {
  doc.rect(x, y, 8, 8).fill(BLUE);
  doc
    .fillColor('#333333')
    .fontSize(8)
    .text('新增', x + 11, y - 1, { lineBreak: false });
  doc.rect(x + 40, y, 8, 8).fill(GREEN);
  doc
    .fillColor('#333333')
    .fontSize(8)
    .text('完成', x + 51, y - 1, { lineBreak: false });
}

function bars(
  doc: Doc,
  rows: { label: string; created: number; completed: number }[],
  x: number,
  y: number,
  w: number,
  h: number,
) {
  const max = Math.max(1, ...rows.map((r) => Math.max(r.created, r.completed)));
  const slot = w / Math.max(1, rows.length);
  const bw = Math.min(14, slot / 3);
  doc
    .moveTo(x, y + h)
    .lineTo(x + w, y + h)
    .strokeColor('#999999')
    .lineWidth(0.5)
    .stroke();
  rows.forEach((r, i) => {
    const cx = x + i * slot + slot / 2;
    const h1 = (r.created / max) * (h - 14);
    const h2 = (r.completed / max) * (h - 14);
    doc.rect(cx - bw - 1, y + h - h1, bw, h1).fill(BLUE);
    doc.rect(cx + 1, y + h - h2, bw, h2).fill(GREEN);
    doc
      .fillColor('#333333')
      .fontSize(7)
      .text(String(r.created), cx - bw - 6, y + h - h1 - 9, {
        width: bw + 10,
        align: 'center',
        lineBreak: false,
      });
    doc
      .fontSize(7)
      .text(r.label, cx - slot / 2, y + h + 3, { width: slot, align: 'center', lineBreak: false });
  });
  legend(doc, x + w - 80, y);
}

function lines(
  doc: Doc,
  rows: { month: string; created: number; completed: number }[],
  x: number,
  y: number,
  w: number,
  h: number,
) {
  const max = Math.max(1, ...rows.map((r) => Math.max(r.created, r.completed)));
  const step = rows.length > 1 ? w / (rows.length - 1) : w;
  doc
    .moveTo(x, y + h)
    .lineTo(x + w, y + h)
    .strokeColor('#999999')
    .lineWidth(0.5)
    .stroke();
  for (const [key, color] of [
    ['created', BLUE],
    ['completed', GREEN],
  ] as const) {
    rows.forEach((r, i) => {
      const px = x + i * step;
      const py = y + h - (r[key] / max) * (h - 14);
      if (i === 0) doc.moveTo(px, py);
      else doc.lineTo(px, py);
    });
    doc.strokeColor(color).lineWidth(1.5).stroke();
    rows.forEach((r, i) => {
      doc.circle(x + i * step, y + h - (r[key] / max) * (h - 14), 2).fill(color);
    });
  }
  rows.forEach((r, i) => {
    doc
      .fillColor('#333333')
      .fontSize(7)
      .text(r.month.slice(2), x + i * step - 16, y + h + 3, { width: 32, align: 'center', lineBreak: false });
  });
  legend(doc, x + w - 80, y);
}

function table(doc: Doc, header: string[], rows: string[][], left: number, width: number) {
  const colW = width / header.length;
  const row = (cells: string[], bold: boolean) => {
    if (doc.y > doc.page.height - 80) doc.addPage();
    const y = doc.y;
    if (bold) doc.rect(left, y - 2, width, 16).fill('#e8eef6');
    cells.forEach((c, i) => {
      doc
        .fillColor('#222222')
        .fontSize(9)
        .text(c, left + i * colW + 4, y, { width: colW - 8, lineBreak: false, align: i ? 'right' : 'left' });
    });
    doc.y = y + 16;
  };
  row(header, true);
  for (const r of rows) row(r, false);
}
