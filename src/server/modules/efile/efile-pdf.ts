import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';

// Same font as the certificate card: Debian fonts-noto-cjk, the SC face of the collection.
const CJK_FONT_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const CJK_FACE = 'NotoSansCJKsc-Regular';

let fontBytes: Buffer | null = null;
function font(): Buffer {
  fontBytes ??= readFileSync(CJK_FONT_PATH);
  return fontBytes;
}

/** One section of the printed file: label/value rows, or a note when it holds nothing. */
export interface PdfSection {
  title: string;
  rows: [string, string][];
  /** Printed when there are no rows, e.g. 暂无记录. */
  empty?: string;
}

export interface PdfFile {
  title: string;
  subtitle: string;
  sections: PdfSection[];
}

const A4 = { w: 595.28, h: 841.89 };
const M = 50;

/** Renders the worker's e-file as a readable A4 PDF in Chinese, with page numbers (第 n 页 / 共 m 页). */
export async function renderEfilePdf(f: PdfFile): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: M, bottom: M + 20, left: M, right: M },
    bufferPages: true,
    info: { Title: f.title, Subject: f.subtitle },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(CJK_FACE, font(), CJK_FACE);
  doc.font(CJK_FACE);
  const width = A4.w - 2 * M;
  const bottom = A4.h - M - 30;

  doc.fillColor('#0f6e3a').fontSize(20).text(f.title, M, M, { width });
  doc.fillColor('#666666').fontSize(9).text(f.subtitle, { width });
  doc.moveDown(1);

  for (const s of f.sections) {
    if (doc.y > bottom - 60) doc.addPage();
    doc.moveDown(0.5);
    doc.fillColor('#0f6e3a').fontSize(13).text(s.title, M, doc.y, { width });
    const lineY = doc.y + 2;
    doc
      .moveTo(M, lineY)
      .lineTo(M + width, lineY)
      .lineWidth(0.5)
      .stroke('#0f6e3a');
    doc.moveDown(0.4);
    if (!s.rows.length) {
      doc
        .fillColor('#888888')
        .fontSize(10)
        .text(s.empty ?? '暂无记录', M, doc.y, { width });
      continue;
    }
    for (const [label, value] of s.rows) {
      const h = Math.max(
        doc.heightOfString(label, { width: 120 }),
        doc.heightOfString(value || '—', { width: width - 130 }),
      );
      if (doc.y + h > bottom) doc.addPage();
      const y = doc.y;
      doc.fillColor('#666666').fontSize(10).text(label, M, y, { width: 120 });
      doc
        .fillColor('#222222')
        .fontSize(10)
        .text(value || '—', M + 130, y, { width: width - 130 });
      doc.y = y + h + 3;
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin; without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc
      .fillColor('#888888')
      .fontSize(8)
      .text(`第 ${i + 1} 页 / 共 ${range.count} 页`, M, A4.h - M, {
        width,
        align: 'center',
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}
