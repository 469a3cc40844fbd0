import { readFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/** Debian fonts-noto-cjk; the collection holds the SC face registered below. */
export const CJK_FONT_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const CJK_FACE = 'NotoSansCJKsc-Regular';
const CJK_FAMILY = 'Noto Sans CJK SC';

/** Everything printed on the 安心服务证 card. */
export interface CardData {
  name: string;
  number: string;
  categories: string[];
  skillLevel: string | null;
  company: string | null;
  validFrom: string;
  validUntil: string;
  verifyUrl: string;
  photo: Buffer | null;
}

let fontBytes: Buffer | null = null;
function font(): Buffer {
  fontBytes ??= readFileSync(CJK_FONT_PATH);
  return fontBytes;
}

function photoMime(b: Buffer): 'image/jpeg' | 'image/png' | null {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  return null;
}
export { photoMime };

const clip = (s: string, n: number) =>
  Array.from(s).length > n
    ? `${Array.from(s)
        .slice(0, n - 1)
        .join('')}…`
    : s;
const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function lines(d: CardData): [string, string][] {
  return [
    ['姓名', d.name],
    ['证书编号', d.number],
    ['服务类别', d.categories.join('、') || '—'],
    ['技能等级', d.skillLevel ?? '—'],
    ['所属企业', d.company ?? '—'],
    ['有效期', `${d.validFrom} 至 ${d.validUntil}`],
  ];
}

// Card at 2× CR80 (85.6 × 54 mm) in points; the PNG is drawn on the same grid at 2 px per point.
const W = 486;
const H = 306;

/** The card as a one-page PDF with embedded (subset) Noto Sans CJK. */
export async function renderCardPdf(d: CardData): Promise<Buffer> {
  const qr = QRCode.create(d.verifyUrl, { errorCorrectionLevel: 'M' });
  const doc = new PDFDocument({ size: [W, H], margin: 0, info: { Title: `安心服务证 ${d.number}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(CJK_FACE, font(), CJK_FACE);
  doc.font(CJK_FACE);
  doc.rect(0, 0, W, 44).fill('#0f6e3a');
  doc.fillColor('#ffffff').fontSize(20).text('安心服务证', 18, 10);
  doc.fontSize(9).text('广州市家政服务 · 一人一卡一档一码', 150, 18);
  let photoDrawn = false;
  if (d.photo && photoMime(d.photo)) {
    try {
      doc.image(d.photo, 18, 60, { fit: [84, 112], align: 'center', valign: 'center' });
      photoDrawn = true;
    } catch {
      photoDrawn = false;
    }
  }
  if (!photoDrawn) {
    doc.rect(18, 60, 84, 112).lineWidth(1).stroke('#999999');
    doc.fillColor('#999999').fontSize(10).text('无照片', 42, 110);
  }
  let y = 60;
  for (const [k, v] of lines(d)) {
    doc.fillColor('#666666').fontSize(9).text(k, 116, y, { width: 56 });
    doc
      .fillColor('#111111')
      .fontSize(11)
      .text(k === '服务类别' || k === '所属企业' ? clip(v, 15) : v, 172, y - 1, { lineBreak: false });
    y += 22;
  }
  const cell = 120 / qr.modules.size;
  doc.fillColor('#000000');
  for (let r = 0; r < qr.modules.size; r++)
    for (let c = 0; c < qr.modules.size; c++)
      if (qr.modules.get(r, c)) doc.rect(350 + c * cell, 60 + r * cell, cell, cell);
  doc.fill('#000000');
  doc.fillColor('#333333').fontSize(8).text('扫码查验实时状态', 362, 186);
  doc
    .fillColor('#666666')
    .fontSize(8)
    .text('状态以扫码或在平台输入证书编号查询的实时结果为准', 18, 280, { lineBreak: false });
  doc.end();
  return done;
}

/** The card as an SVG (Noto CJK by family name); rendered to PNG by resvg. */
export function cardSvg(d: CardData): string {
  const qr = QRCode.create(d.verifyUrl, { errorCorrectionLevel: 'M' });
  const cell = 120 / qr.modules.size;
  const rects: string[] = [];
  for (let r = 0; r < qr.modules.size; r++)
    for (let c = 0; c < qr.modules.size; c++)
      if (qr.modules.get(r, c))
        rects.push(
          `<rect x="${(350 + c * cell).toFixed(3)}" y="${(60 + r * cell).toFixed(3)}" width="${cell.toFixed(3)}" height="${cell.toFixed(3)}"/>`,
        );
  const mime = d.photo ? photoMime(d.photo) : null;
  const photo =
    d.photo && mime
      ? `<image x="18" y="60" width="84" height="112" preserveAspectRatio="xMidYMid meet" href="data:${mime};base64,${d.photo.toString('base64')}"/>`
      : '<rect x="18" y="60" width="84" height="112" fill="none" stroke="#999"/><text x="42" y="120" font-size="10" fill="#999">无照片</text>';
  const rows = lines(d)
    .map(
      ([k, v], i) =>
        `<text x="116" y="${68 + i * 22}" font-size="9" fill="#666">${esc(k)}</text><text x="172" y="${68 + i * 22}" font-size="11" fill="#111">${esc(k === '服务类别' || k === '所属企业' ? clip(v, 15) : v)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W * 2}" height="${H * 2}" viewBox="0 0 ${W} ${H}" font-family="${CJK_FAMILY}">
<rect width="${W}" height="${H}" fill="#fff"/><rect width="${W}" height="44" fill="#0f6e3a"/>
<text x="18" y="31" font-size="20" fill="#fff">安心服务证</text><text x="150" y="28" font-size="9" fill="#fff">广州市家政服务 · 一人一卡一档一码</text>
${photo}${rows}<g fill="#000">${rects.join('')}</g>
<text x="362" y="195" font-size="8" fill="#333">扫码查验实时状态</text>
<text x="18" y="290" font-size="8" fill="#666">状态以扫码或在平台输入证书编号查询的实时结果为准</text></svg>`;
}

/** The card as a PNG (972 × 612 px). */
export function renderCardPng(d: CardData): Buffer {
  const r = new Resvg(cardSvg(d), {
    font: { fontFiles: [CJK_FONT_PATH], loadSystemFonts: false, defaultFontFamily: CJK_FAMILY },
  });
  return r.render().asPng();
}
