/** The text of a PDF as pdfjs-dist (already a dependency) extracts it, page after page. */
export async function pdfPlainText(buf: Buffer | Uint8Array): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(buf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  let out = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const tc = await page.getTextContent();
    out += tc.items.map((it) => ('str' in it ? it.str : '')).join('');
  }
  await doc.destroy();
  return out;
}

/** The text of a PDF with all whitespace removed: wrapping can drop or add a space. */
export const pdfText = async (buf: Buffer | Uint8Array): Promise<string> => squash(await pdfPlainText(buf));

/** A value as pdfText shows it (no whitespace). */
export const squash = (s: string) => s.replace(/\s+/g, '');

/** A moment as the PDF prints it: Asia/Shanghai, to the minute. */
export const shanghaiMinute = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date(iso))
    .replace(/\s+/g, '');
