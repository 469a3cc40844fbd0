import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { type ProductKind, productKindLabels } from './coverage.js';
import type { CoverageItem } from './insurance.tables.js';
import { amountFigure } from '../../../shared/money-words.js';

/** Debian fonts-noto-cjk, the face every Chinese document of the platform uses. */
const CJK_FONT_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const CJK_FACE = 'NotoSansCJKsc-Regular';

export interface PolicyCertificateData {
  number: string;
  insuredName: string;
  insurer: string;
  company: string;
  product: string;
  kind: ProductKind;
  startsOn: string;
  endsOn: string;
  coverage: CoverageItem[];
  premiumFen: number;
  subsidyFen: number;
  companyFen: number;
  workerFen: number;
  waitingDays: number;
  issuedOn: string;
}

let fontBytes: Buffer | null = null;
const yuan = (fen: number) => `${amountFigure(fen)} 元`;

/** An A4 insurance certificate (保险凭证) in Chinese: insured, period, coverage, and the premium split. */
export async function renderPolicyCertificatePdf(d: PolicyCertificateData): Promise<Buffer> {
  fontBytes ??= readFileSync(CJK_FONT_PATH);
  const W = 595;
  const doc = new PDFDocument({ size: 'A4', margin: 0, info: { Title: `保险凭证 ${d.number}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(CJK_FACE, fontBytes, CJK_FACE);
  doc.font(CJK_FACE);
  doc
    .rect(24, 24, W - 48, 794)
    .lineWidth(2)
    .stroke('#1d4f91');
  doc.fillColor('#1d4f91').fontSize(24).text('家政服务人员保险凭证', 0, 56, { width: W, align: 'center' });
  doc
    .fillColor('#666666')
    .fontSize(10)
    .text('“商业+公益”家政服务人员保险 · 安心家政', 0, 92, { width: W, align: 'center' });
  const rows: [string, string][] = [
    ['保单号', d.number],
    ['被保险人', d.insuredName],
    ['投保单位', d.company],
    ['保险机构', d.insurer],
    ['保险产品', `${d.product}（${productKindLabels[d.kind]}）`],
    ['保障期间', `${d.startsOn} 至 ${d.endsOn}`],
    ['等待期', `${d.waitingDays} 天`],
    ['保费', yuan(d.premiumFen)],
    ['其中：财政补贴', yuan(d.subsidyFen)],
    ['企业承担', yuan(d.companyFen)],
    ['个人承担', yuan(d.workerFen)],
  ];
  let y = 130;
  for (const [k, v] of rows) {
    doc.fillColor('#666666').fontSize(11).text(k, 64, y, { width: 110 });
    doc
      .fillColor('#111111')
      .fontSize(12)
      .text(v, 180, y - 1, { width: W - 240 });
    y += 26;
  }
  y += 10;
  doc.fillColor('#1d4f91').fontSize(14).text('保障项目', 64, y);
  y += 26;
  for (const c of d.coverage) {
    doc.fillColor('#111111').fontSize(12).text(c.label, 64, y, { width: 300 });
    doc.text(`保额 ${yuan(c.amountFen)}`, 360, y, { width: 170, align: 'right' });
    y += 22;
  }
  doc
    .fillColor('#666666')
    .fontSize(9)
    .text(
      `出具日期 ${d.issuedOn}。本凭证由保险机构确认承保后出具；保单状态以安心家政平台及“安心服务证”查验页为准。`,
      64,
      770,
      { width: W - 128 },
    );
  doc.end();
  return done;
}
