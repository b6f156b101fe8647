import { readFile } from 'node:fs/promises';
import PDFDocument from 'pdfkit';
import { type DocumentLabels, formatBaht, type InvoiceDocument, labels } from './document.ts';
import { amountInWordsEn, bahtText } from './thai-baht-text.ts';
import { formatDocumentDate } from './thai-date.ts';

type Pdf = PDFKit.PDFDocument;
type Weight = 'regular' | 'bold';

interface Style {
  weight?: Weight;
  size?: number;
  color?: string;
}

const FONT_DIR = new URL('../../assets/fonts/', import.meta.url);
const FONT_FILES: Record<Weight, string> = { regular: 'Laksaman.ttf', bold: 'Laksaman-Bold.ttf' };

// A4 in points. Laksaman, like the Sarabun it derives from, draws small for its size, hence the larger sizes.
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 48;
const LEFT = MARGIN;
const RIGHT = PAGE_WIDTH - MARGIN;
const CONTENT = RIGHT - LEFT;
const FOOTER_Y = PAGE_HEIGHT - MARGIN + 12;
const BOTTOM = PAGE_HEIGHT - MARGIN - 8;
const BODY = 13;
const SMALL = 11.5;
// Room above and below for Thai's stacked vowels and tone marks, so they never touch the next line's.
const LINE_FACTOR = 1.45;
const INK = '#1a1a1a';
const MUTED = '#5c5c5c';
const RULE = '#b8b8b8';
const SHADE = '#efefef';
const CELL_PAD = 5;

/** Widths of # | description | quantity | unit | unit price | amount; the description takes what is left. */
const COLUMNS = [38, 0, 66, 58, 78, 92];
COLUMNS[1] = CONTENT - COLUMNS.reduce((a, b) => a + b, 0);

let fontData: Promise<Record<Weight, Buffer>> | undefined;

function loadFonts(): Promise<Record<Weight, Buffer>> {
  fontData ??= Promise.all([readFile(new URL(FONT_FILES.regular, FONT_DIR)), readFile(new URL(FONT_FILES.bold, FONT_DIR))]).then(
    ([regular, bold]) => ({ regular, bold }),
    (error: unknown) => {
      fontData = undefined;
      throw error;
    },
  );
  return fontData;
}

const words = new Intl.Segmenter('th', { granularity: 'word' });
const graphemes = new Intl.Segmenter('th', { granularity: 'grapheme' });

/** The parts of pdfkit's embedded-font object (not in its types) that hold the text a viewer copies out. */
interface EmbeddedFontInternals {
  font: { getGlyph(id: number): { name: string } };
  subset: { glyphs: number[] };
  unicode: number[][];
}

const isEmbeddedFont = (f: unknown): f is EmbeddedFontInternals =>
  typeof f === 'object' && f !== null && 'unicode' in f && 'subset' in f && 'font' in f && Array.isArray((f as EmbeddedFontInternals).unicode);

// "uni0E49.low" is the tone mark U+0E49 in its lowered form; ligatures (".liga") stand for several characters.
const SINGLE_CHARACTER_GLYPH = /^uni([0-9A-F]{4})(?:\.(?!liga)[\w.]+)?$/;

/**
 * Fontkit loses track of which character a Thai mark glyph came from when the font's GSUB reorders or replaces it
 * (the lowered tone mark in ผู้ comes out as U+0E39), and pdfkit keeps the first answer for the ToUnicode map, so
 * copied or searched text would read ผููใหู. The TLWG fonts name their glyphs after the character (uni0E49.low),
 * so each such glyph is mapped back from its name. Sara am (ำ) is drawn as nikhahit and sara aa and so reads back
 * as those two, which NFKC treats as the same text.
 */
function mapGlyphsToCharacters(pdf: Pdf): void {
  const families = (pdf as unknown as { _fontFamilies: Record<string, unknown> })._fontFamilies;
  for (const f of new Set(Object.values(families))) {
    if (!isEmbeddedFont(f)) continue;
    f.subset.glyphs.forEach((glyph, cid) => {
      const m = SINGLE_CHARACTER_GLYPH.exec(f.font.getGlyph(glyph).name);
      if (m) f.unicode[cid] = [Number.parseInt(m[1], 16)];
    });
  }
}

/** Draws one document: text measured, wrapped and placed by hand, so every line lands where the layout says. */
class Writer {
  y = MARGIN;

  constructor(
    readonly pdf: Pdf,
    readonly l: DocumentLabels,
  ) {}

  use({ weight = 'regular', size = BODY, color = INK }: Style): this {
    this.pdf.font(weight).fontSize(size).fillColor(color);
    return this;
  }

  lineHeight(style: Style): number {
    return (style.size ?? BODY) * LINE_FACTOR;
  }

  width(text: string, style: Style): number {
    return this.use(style).pdf.widthOfString(text);
  }

  /**
   * Thai is written without spaces between words, and pdfkit's line breaker (UAX #14 without a dictionary) finds
   * no place to break it; so lines break at the word boundaries ICU's Thai dictionary finds, and a word too long
   * for a line at grapheme clusters, which keep each vowel and tone mark on its consonant.
   */
  wrap(text: string, width: number, style: Style): string[] {
    this.use(style);
    const fits = (s: string) => this.pdf.widthOfString(s) <= width;
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      const push = () => {
        lines.push(line.trimEnd());
        line = '';
      };
      for (const { segment } of words.segment(paragraph)) {
        if (line === '' && segment.trim() === '') continue;
        if (fits(line + segment)) {
          line += segment;
          continue;
        }
        if (segment.trim() === '') {
          push();
          continue;
        }
        // The dictionary misreads loanwords ("พาร์ทิชัน" as "พาร์|ทิชั|น"), so a space near the end of the line
        // is the better place to break, and it keeps an opening bracket with the word after it.
        const space = line.lastIndexOf(' ');
        const tail = space >= 0 ? line.slice(space + 1) : '';
        if (tail !== '' && this.pdf.widthOfString(tail) < width * 0.3 && fits(tail + segment)) {
          line = line.slice(0, space);
          push();
          line = tail + segment;
          continue;
        }
        if (line.trim() !== '') push();
        if (fits(segment)) {
          line = segment;
          continue;
        }
        for (const { segment: g } of graphemes.segment(segment)) {
          if (line !== '' && !fits(line + g)) push();
          line += g;
        }
      }
      if (line !== '' || lines.length === 0 || paragraph === '') push();
    }
    return lines;
  }

  /** One line at (x, y), left, right or centre of `width`; never wrapped, never starting a page. */
  line(text: string, x: number, y: number, style: Style, align: 'left' | 'right' | 'center' = 'left', width = 0): void {
    const w = align === 'left' ? 0 : this.width(text, style);
    const at = align === 'right' ? x + width - w : align === 'center' ? x + (width - w) / 2 : x;
    this.use(style).pdf.text(text, at, y, { lineBreak: false });
  }

  /** Wrapped text from the current y; returns its height. */
  block(text: string, x: number, width: number, style: Style): number {
    const lines = this.wrap(text, width, style);
    lines.forEach((t, i) => this.line(t, x, this.y + i * this.lineHeight(style), style));
    const h = lines.length * this.lineHeight(style);
    this.y += h;
    return h;
  }

  rule(y: number, color = RULE, x0 = LEFT, x1 = RIGHT, width = 0.6): void {
    this.pdf.save().moveTo(x0, y).lineTo(x1, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  shade(x: number, y: number, w: number, h: number): void {
    this.pdf.save().rect(x, y, w, h).fill(SHADE).restore();
  }

  newPage(): void {
    this.pdf.addPage();
    this.y = MARGIN;
  }

  /** Starts a new page unless `height` more fits on this one. */
  room(height: number): boolean {
    if (this.y + height <= BOTTOM) return false;
    this.newPage();
    return true;
  }
}

/** Label–value rows with the values lined up after the widest label; measured first, so a shade can go behind. */
function pairs(w: Writer, rows: [string, string][], x: number, width: number, style: Style = {}): { height: number; draw: () => void } {
  const labelStyle = { ...style, weight: 'bold' as const };
  const labelWidth = Math.max(...rows.map(([k]) => w.width(k, labelStyle))) + 10;
  const lh = w.lineHeight(style);
  const laid = rows.map(([k, v]) => [k, w.wrap(v, width - labelWidth, style)] as const);
  const height = laid.reduce((h, [, lines]) => h + lines.length * lh, 0);
  const draw = () => {
    for (const [k, lines] of laid) {
      w.line(k, x, w.y, labelStyle);
      lines.forEach((t, i) => w.line(t, x + labelWidth, w.y + i * lh, style));
      w.y += lines.length * lh;
    }
  };
  return { height, draw };
}

function header(w: Writer, doc: InvoiceDocument): void {
  const { l } = w;
  const titleStyle: Style = { weight: 'bold', size: 26 };
  const title = l.title[doc.kind];
  const titleWidth = w.width(title, titleStyle);
  const leftWidth = CONTENT - titleWidth - 24;
  w.line(title, LEFT, MARGIN - 6, titleStyle, 'right', CONTENT);

  w.y = MARGIN;
  w.block(l.provider, LEFT, leftWidth, { size: SMALL, color: MUTED });
  w.block(doc.center.name, LEFT, leftWidth, { weight: 'bold', size: 16 });
  w.block(doc.center.address, LEFT, leftWidth, { size: SMALL });
  w.block(`${l.taxId} ${doc.center.taxId}`, LEFT, leftWidth, { size: SMALL });
  const contact = [doc.center.phone && `${l.phone} ${doc.center.phone}`, doc.center.email && `${l.email} ${doc.center.email}`];
  if (contact.some(Boolean)) w.block(contact.filter(Boolean).join('   '), LEFT, leftWidth, { size: SMALL });
  w.y += 10;
  w.rule(w.y, INK, LEFT, RIGHT, 1);
  w.y += 10;
}

function parties(w: Writer, doc: InvoiceDocument): void {
  const { l } = w;
  const top = w.y;
  const metaWidth = 235;
  const customerWidth = CONTENT - metaWidth - 24;

  w.block(l.customer, LEFT, customerWidth, { size: SMALL, color: MUTED });
  w.block(doc.customer.name, LEFT, customerWidth, { weight: 'bold', size: 14 });
  if (doc.customer.address) w.block(doc.customer.address, LEFT, customerWidth, { size: SMALL });
  const details: [string, string][] = [];
  if (doc.customer.taxId) details.push([l.taxId, doc.customer.taxId]);
  if (doc.customer.account) details.push([l.account, doc.customer.account]);
  if (doc.customer.username) details.push([l.username, doc.customer.username]);
  if (details.length) pairs(w, details, LEFT, customerWidth, { size: SMALL }).draw();
  const customerBottom = w.y;

  w.y = top;
  const meta: [string, string][] = [
    [l.number, doc.number],
    [l.date, formatDocumentDate(doc.issuedAt, doc.locale, doc.timeZone)],
  ];
  if (doc.dueAt) meta.push([l.dueDate, formatDocumentDate(doc.dueAt, doc.locale, doc.timeZone)]);
  const x = RIGHT - metaWidth;
  const pad = 8;
  const block = pairs(w, meta, x + pad, metaWidth - 2 * pad);
  const height = block.height + 2 * pad;
  w.shade(x, top, metaWidth, height);
  w.y = top + pad;
  block.draw();
  w.y = Math.max(customerBottom, top + height) + 16;
}

const HEAD: Style = { weight: 'bold', size: SMALL };
const CELL: Style = { size: BODY };

function columnX(i: number): number {
  return LEFT + COLUMNS.slice(0, i).reduce((a, b) => a + b, 0);
}

const ALIGN = ['center', 'left', 'right', 'right', 'right', 'right'] as const;

/** Cells already wrapped, one list of lines per column, from line `from` for `count` lines. */
function drawCells(w: Writer, cells: string[][], style: Style, from: number, count: number): void {
  const lh = w.lineHeight(style);
  cells.forEach((lines, i) => {
    lines.slice(from, from + count).forEach((t, j) => {
      w.line(t, columnX(i) + CELL_PAD, w.y + CELL_PAD + j * lh, style, ALIGN[i], COLUMNS[i] - 2 * CELL_PAD);
    });
  });
}

const wrapCells = (w: Writer, texts: string[], style: Style) => texts.map((t, i) => w.wrap(t, COLUMNS[i] - 2 * CELL_PAD, style));

function tableHead(w: Writer): void {
  const { l } = w;
  const cells = wrapCells(w, [l.itemNo, l.description, l.quantity, l.unit, l.unitPrice, l.amount], HEAD);
  const count = Math.max(...cells.map((c) => c.length));
  const height = count * w.lineHeight(HEAD) + 2 * CELL_PAD;
  w.shade(LEFT, w.y, CONTENT, height);
  drawCells(w, cells, HEAD, 0, count);
  w.y += height;
  w.rule(w.y, INK);
}

function table(w: Writer, doc: InvoiceDocument): void {
  const lh = w.lineHeight(CELL);
  tableHead(w);
  doc.lines.forEach((line, n) => {
    const texts = [String(n + 1), line.description, line.quantity, line.unit ?? '', line.unitPrice ?? '', formatBaht(line.amountSatang)];
    const cells = wrapCells(w, texts, CELL);
    const count = Math.max(...cells.map((c) => c.length));
    // A row that fits a page moves whole to the next one; a taller row is split, continuing under a repeated head.
    if (w.room(Math.min(count * lh + 2 * CELL_PAD, (BOTTOM - MARGIN) / 2))) tableHead(w);
    for (let from = 0; from < count; ) {
      const fit = Math.max(1, Math.min(count - from, Math.floor((BOTTOM - w.y - 2 * CELL_PAD) / lh)));
      drawCells(w, cells, CELL, from, fit);
      w.y += fit * lh + 2 * CELL_PAD;
      w.rule(w.y);
      from += fit;
      if (from < count) {
        w.newPage();
        tableHead(w);
      }
    }
  });
}

function totals(w: Writer, doc: InvoiceDocument): void {
  const { l } = w;
  const width = 250;
  const x = RIGHT - width;
  const rows: [string, string, Style][] = [[l.subtotal, formatBaht(doc.subtotalSatang), {}]];
  if (doc.vat) rows.push([l.vat(doc.vat.ratePercent), formatBaht(doc.vat.satang), {}]);
  rows.push([l.total, formatBaht(doc.totalSatang), { weight: 'bold', size: 14 }]);

  const inWords = doc.locale === 'th' ? bahtText(doc.totalSatang) : amountInWordsEn(doc.totalSatang);
  const wordsWidth = CONTENT - width - 16;
  const wordStyle: Style = { weight: 'bold' };
  const wordLines = w.wrap(`(${inWords})`, wordsWidth - 16, wordStyle);
  const rowsHeight = rows.reduce((h, [, , s]) => h + w.lineHeight(s) + 6, 0);
  const wordsHeight = w.lineHeight({ size: SMALL }) + wordLines.length * w.lineHeight(wordStyle) + 16;
  w.room(Math.max(rowsHeight, wordsHeight) + 8);

  const top = w.y + 8;
  w.shade(LEFT, top, wordsWidth, wordsHeight);
  w.y = top + 8;
  w.block(l.amountInWords, LEFT + 8, wordsWidth - 16, { size: SMALL, color: MUTED });
  wordLines.forEach((t, i) => w.line(t, LEFT + 8, w.y + i * w.lineHeight(wordStyle), wordStyle));

  let y = top;
  rows.forEach(([label, amount, style], i) => {
    const last = i === rows.length - 1;
    if (last) w.rule(y, INK, x, RIGHT, 1);
    y += 3;
    w.line(label, x + CELL_PAD, y, style);
    w.line(`${amount} ${l.currency}`, x, y, style, 'right', width - CELL_PAD);
    y += w.lineHeight(style) + 3;
    if (last) {
      w.rule(y, INK, x, RIGHT, 1);
      w.rule(y + 2, INK, x, RIGHT, 1);
    }
  });
  w.y = Math.max(y, top + wordsHeight) + 16;
}

function notes(w: Writer, doc: InvoiceDocument): void {
  if (!doc.notes) return;
  const lines = w.wrap(doc.notes, CONTENT, { size: SMALL });
  w.room(w.lineHeight(HEAD) + Math.min(lines.length, 3) * w.lineHeight({ size: SMALL }));
  w.block(w.l.notes, LEFT, CONTENT, HEAD);
  for (const t of lines) {
    w.room(w.lineHeight({ size: SMALL }));
    w.line(t, LEFT, w.y, { size: SMALL });
    w.y += w.lineHeight({ size: SMALL });
  }
}

function footers(w: Writer, doc: InvoiceDocument): void {
  const range = w.pdf.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    w.pdf.switchToPage(range.start + i);
    w.rule(FOOTER_Y - 6);
    const style = { size: 10, color: MUTED };
    w.line(`${w.l.title[doc.kind]} ${doc.number}`, LEFT, FOOTER_Y, style);
    w.line(w.l.page(i + 1, range.count), LEFT, FOOTER_Y, style, 'right', CONTENT);
  }
}

/**
 * The document as an A4 PDF with the Thai font embedded (subset). The same document always gives the same bytes:
 * the PDF's dates are the issue date and its producer text is fixed, and pdfkit derives the file ID from those.
 */
export async function renderInvoicePdf(doc: InvoiceDocument): Promise<Buffer> {
  const fonts = await loadFonts();
  const l = labels(doc.locale);
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    lang: doc.locale === 'th' ? 'th-TH' : 'en-GB',
    info: {
      Title: `${l.title[doc.kind]} ${doc.number}`,
      Author: doc.center.name,
      Producer: 'hpc-accounting',
      Creator: 'hpc-accounting',
      CreationDate: doc.issuedAt,
      ModDate: doc.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.registerFont('regular', fonts.regular);
  pdf.registerFont('bold', fonts.bold);

  const w = new Writer(pdf, l);
  header(w, doc);
  parties(w, doc);
  table(w, doc);
  totals(w, doc);
  notes(w, doc);
  footers(w, doc);
  mapGlyphsToCharacters(pdf);
  pdf.end();
  return done;
}
