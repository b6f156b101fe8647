import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Thai above and below marks, whose order a PDF's text can give in any order around one base letter. */
const THAI_MARKS = /[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]+/g;

/**
 * Text as compared: NFKC (sara am ำ reads back from the PDF as nikhahit + sara aa, which NFKC makes of ำ too),
 * without whitespace (lines are wrapped and cells spaced), and each cluster of Thai marks in one order.
 */
export const norm = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(THAI_MARKS, (marks) => [...marks].sort().join(''));

/** The text of every page, as a reader would copy it, with its metadata and page size. */
export async function pdfText(pdf: Buffer) {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages: string[] = [];
  const items: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    const strs = content.items.map((item) => ('str' in item ? item.str : ''));
    pages.push(strs.join(''));
    items.push(...strs.map((str) => str.trim()).filter(Boolean));
  }
  const info = (await doc.getMetadata()).info as Record<string, unknown>;
  const view = (await doc.getPage(1)).view;
  await doc.destroy();
  return { pages, items, raw: pages.join('\n'), text: norm(pages.join('')), info, view };
}
