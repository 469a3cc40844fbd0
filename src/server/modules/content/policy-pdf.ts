import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';

/** Debian fonts-noto-cjk, the face every Chinese document of the platform uses. */
const CJK_FONT_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const CJK_FACE = 'NotoSansCJKsc-Regular';
let fontBytes: Buffer | null = null;

/** A plain A4 document in Chinese: a title, an issuer line and numbered paragraphs (demo policy text). */
export async function renderTextPdf(d: {
  title: string;
  issuer: string;
  paragraphs: string[];
}): Promise<Buffer> {
  fontBytes ??= readFileSync(CJK_FONT_PATH);
  const doc = new PDFDocument({ size: 'A4', margin: 64, info: { Title: d.title } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(CJK_FACE, fontBytes, CJK_FACE);
  doc.font(CJK_FACE);
  doc.fillColor('#b22222').fontSize(20).text(d.title, { align: 'center' });
  doc.moveDown(0.5).fillColor('#444444').fontSize(11).text(d.issuer, { align: 'center' });
  doc.moveDown(1).fillColor('#111111').fontSize(12);
  for (const p of d.paragraphs) doc.text(p, { lineGap: 4, indent: 24 }).moveDown(0.6);
  doc.end();
  return done;
}
