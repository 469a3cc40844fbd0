import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { TemplateClause } from './contract-template.js';

/** Debian fonts-noto-cjk; pdfkit embeds only the glyphs used (a subset), so a contract stays small. */
const CJK_FONT_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const CJK_FACE = 'NotoSansCJKsc-Regular';

export interface ContractPdfData {
  title: string;
  number: string;
  revision: number;
  templateVersion: number;
  filingNo: string | null;
  /** Shown across a document that is not in force (a preview before sealing). */
  draftMark: string | null;
  clauses: TemplateClause[];
  signatures: { label: string; name: string; signedAt: string; image: Buffer | null }[];
  verifyUrl: string;
  /** Fixed creation time, so the same inputs render the same bytes. */
  createdAt: Date;
}

let fontBytes: Buffer | null = null;

/** An A4 contract in Chinese: number, clauses, the parties' signatures, page numbers and a verification QR code. */
export async function renderContractPdf(d: ContractPdfData): Promise<Buffer> {
  fontBytes ??= readFileSync(CJK_FONT_PATH);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 60, bottom: 60, left: 56, right: 56 },
    bufferPages: true,
    info: {
      Title: `${d.title} ${d.number}`,
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
  const W = doc.page.width;
  const left = 56;
  const width = W - 112;

  // QR code (top right of the first page), drawn as squares so no image is needed.
  const qr = QRCode.create(d.verifyUrl, { errorCorrectionLevel: 'M' });
  const size = 72;
  const cell = size / qr.modules.size;
  const x0 = W - 56 - size;
  const y0 = 40;
  for (let r = 0; r < qr.modules.size; r++)
    for (let c = 0; c < qr.modules.size; c++)
      if (qr.modules.get(r, c)) doc.rect(x0 + c * cell, y0 + r * cell, cell, cell);
  doc.fill('#000000');
  doc
    .fontSize(7)
    .fillColor('#555555')
    .text('扫码核验合同', x0, y0 + size + 2, { width: size, align: 'center' });

  doc
    .fillColor('#111111')
    .fontSize(18)
    .text(d.title, left, 60, { width: width - size - 10, align: 'left' });
  doc.moveDown(0.4);
  doc
    .fontSize(9)
    .fillColor('#444444')
    .text(`合同编号：${d.number}　第 ${d.revision} 稿　模板版本 v${d.templateVersion}`, {
      width: width - size - 10,
    });
  doc.text(d.filingNo ? `备案编号：${d.filingNo}` : '备案编号：（全部签署后自动备案）', {
    width: width - size - 10,
  });
  if (d.draftMark) doc.fillColor('#b42318').text(d.draftMark, { width: width - size - 10 });
  doc.y = Math.max(doc.y, y0 + size + 20);

  for (const c of d.clauses) {
    doc.moveDown(0.6);
    doc.fillColor('#111111').fontSize(12).text(c.title, left, doc.y, { width });
    doc.moveDown(0.2);
    doc.fontSize(10).fillColor('#222222').text(c.body, left, doc.y, { width, lineGap: 3 });
  }

  doc.moveDown(1.2);
  doc.fontSize(12).fillColor('#111111').text('签署', left, doc.y, { width });
  for (const s of d.signatures) {
    if (doc.y > doc.page.height - 160) doc.addPage();
    const y = doc.y + 6;
    doc.fontSize(10).fillColor('#222222').text(`${s.label}：${s.name}`, left, y, { width: 200 });
    doc
      .fontSize(8)
      .fillColor('#555555')
      .text(s.signedAt ? `签署时间：${s.signedAt}` : '未签署', left, y + 16, { width: 200 });
    if (s.image) doc.image(s.image, left + 220, y - 4, { fit: [160, 50] });
    doc.y = y + 60;
  }

  // Page numbers on every page, once the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .fontSize(8)
      .fillColor('#666666')
      .text(`${d.number}　第 ${i + 1} 页 / 共 ${range.count} 页`, 0, doc.page.height - 36, {
        width: W,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
