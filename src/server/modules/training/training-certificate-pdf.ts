import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/** Debian fonts-noto-cjk, the face the 安心服务证 card uses. */
const CJK_FONT_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const CJK_FACE = 'NotoSansCJKsc-Regular';

export interface TrainingCertificateData {
  number: string;
  name: string;
  courseTitle: string;
  category: string;
  hours: string;
  score: number;
  institution: string;
  issuedOn: string;
  verifyUrl: string;
}

let fontBytes: Buffer | null = null;

/** An A5 landscape training certificate (培训合格证明) in Chinese, with its number and a verification QR code. */
export async function renderTrainingCertificatePdf(d: TrainingCertificateData): Promise<Buffer> {
  fontBytes ??= readFileSync(CJK_FONT_PATH);
  const qr = QRCode.create(d.verifyUrl, { errorCorrectionLevel: 'M' });
  const W = 595;
  const H = 420;
  const doc = new PDFDocument({ size: [W, H], margin: 0, info: { Title: `培训合格证明 ${d.number}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(CJK_FACE, fontBytes, CJK_FACE);
  doc.font(CJK_FACE);
  doc
    .rect(12, 12, W - 24, H - 24)
    .lineWidth(2)
    .stroke('#0f6e3a');
  doc.fillColor('#0f6e3a').fontSize(26).text('培训合格证明', 0, 40, { width: W, align: 'center' });
  doc.fillColor('#666666').fontSize(10).text('安心家政 · 家政服务培训', 0, 76, { width: W, align: 'center' });
  doc
    .fillColor('#111111')
    .fontSize(13)
    .text(
      `${d.name} 同志于 ${d.issuedOn} 完成“${d.courseTitle}”（${d.category}）培训，累计学时 ${d.hours}，` +
        `考核成绩 ${d.score} 分，经考核合格，特发此证。`,
      48,
      118,
      { width: W - 96 - 130, lineGap: 8 },
    );
  const rows: [string, string][] = [
    ['证书编号', d.number],
    ['培训机构', d.institution],
    ['发证日期', d.issuedOn],
  ];
  let y = 290;
  for (const [k, v] of rows) {
    doc.fillColor('#666666').fontSize(10).text(k, 48, y, { width: 64 });
    doc
      .fillColor('#111111')
      .fontSize(11)
      .text(v, 116, y - 1, { lineBreak: false });
    y += 22;
  }
  const size = 110;
  const cell = size / qr.modules.size;
  const x0 = W - 48 - size;
  const y0 = 130;
  doc.fillColor('#000000');
  for (let r = 0; r < qr.modules.size; r++)
    for (let c = 0; c < qr.modules.size; c++)
      if (qr.modules.get(r, c)) doc.rect(x0 + c * cell, y0 + r * cell, cell, cell);
  doc.fill('#000000');
  doc
    .fillColor('#333333')
    .fontSize(8)
    .text('扫码查验真伪', x0, y0 + size + 6, { width: size, align: 'center' });
  doc.end();
  return done;
}

/** A QR code as SVG (the class check-in code shown at the venue). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
