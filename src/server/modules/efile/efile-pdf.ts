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

/** One part of a section (e.g. 会话 / 我发送的消息): label/value rows, or a note when it holds nothing. */
export interface PdfPart {
  title: string;
  rows: [string, string][];
  /** Printed when there are no rows; 无记录 when not given. */
  empty?: string;
}

/** One section of the printed file: label/value rows, or parts with their own subheadings. */
export interface PdfSection {
  title: string;
  rows: [string, string][];
  /** Printed when there are no rows (and no parts), e.g. 暂无记录. */
  empty?: string;
  /** Subsections printed after the rows, each with its own heading. */
  parts?: PdfPart[];
}

export interface PdfFile {
  title: string;
  subtitle: string;
  sections: PdfSection[];
}

const A4 = { w: 595.28, h: 841.89 };
const M = 50;
/**
 * Rows printed per section or part. Keeps the PDF bounded for a worker with years of records; the rest is named
 * with its count and is in the JSON export, which always holds everything.
 */
export const PDF_MAX_ROWS = 2000;

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

  const note = (text: string) => {
    if (doc.y + 14 > bottom) doc.addPage();
    doc.fillColor('#888888').fontSize(10).text(text, M, doc.y, { width });
  };
  let laidOut = 0;
  const rows = async (list: [string, string][]) => {
    for (const [label, value] of list.slice(0, PDF_MAX_ROWS)) {
      // Laying out text is synchronous CPU work: let other requests run every so often on a long export.
      if (++laidOut % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
      doc.fontSize(10);
      const h = Math.max(
        doc.heightOfString(label, { width: 120 }),
        doc.heightOfString(value || '—', { width: width - 130 }),
      );
      if (h > bottom - M - 20) {
        // Taller than a page (a long message): label above, the value flowing over pages as one paragraph.
        if (doc.y + 40 > bottom) doc.addPage();
        doc.fillColor('#666666').text(label, M, doc.y, { width });
        doc.fillColor('#222222').text(value, M, doc.y, { width });
        doc.moveDown(0.2);
        continue;
      }
      if (doc.y + h > bottom) doc.addPage();
      const y = doc.y;
      doc.fillColor('#666666').text(label, M, y, { width: 120 });
      doc.fillColor('#222222').text(value || '—', M + 130, y, { width: width - 130 });
      doc.y = y + h + 3;
    }
    if (list.length > PDF_MAX_ROWS)
      note(`另有 ${list.length - PDF_MAX_ROWS} 条记录未在本文件列出，完整内容见 JSON 格式导出。`);
  };

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
    if (!s.rows.length && !s.parts?.length) {
      note(s.empty ?? '暂无记录');
      continue;
    }
    await rows(s.rows);
    for (const part of s.parts ?? []) {
      if (doc.y > bottom - 40) doc.addPage();
      doc.moveDown(0.3);
      doc.fillColor('#0f6e3a').fontSize(11).text(part.title, M, doc.y, { width });
      doc.moveDown(0.2);
      if (part.rows.length) await rows(part.rows);
      else note(part.empty ?? '无记录');
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
