/**
 * Amounts in words, as written under the total of an invoice or on a cheque, so the figure cannot be altered.
 * Thai is read as banks print it: สิบ (not หนึ่งสิบ) and ยี่สิบ in the tens, เอ็ด for a final 1 after higher
 * digits (หนึ่งร้อยเอ็ด, หนึ่งล้านเอ็ด), and ล้าน repeating for each further six digits (10^12 is หนึ่งล้านล้าน).
 */

const TH_DIGITS = ['ศูนย์', 'หนึ่ง', 'สอง', 'สาม', 'สี่', 'ห้า', 'หก', 'เจ็ด', 'แปด', 'เก้า'];
const TH_PLACES = ['', 'สิบ', 'ร้อย', 'พัน', 'หมื่น', 'แสน'];
const MILLION = 1_000_000n;

/** 1 to 999,999; `afterHigher` when a larger group precedes, so a lone final 1 reads เอ็ด (หนึ่งล้านเอ็ด). */
function thaiGroup(n: number, afterHigher: boolean): string {
  const digits = String(n).split('').map(Number).reverse();
  let out = '';
  for (let place = digits.length - 1; place >= 0; place--) {
    const d = digits[place];
    if (d === 0) continue;
    if (place === 0) out += d === 1 && (n > 1 || afterHigher) ? 'เอ็ด' : TH_DIGITS[d];
    else if (place === 1) out += (d === 1 ? '' : d === 2 ? 'ยี่' : TH_DIGITS[d]) + 'สิบ';
    else out += TH_DIGITS[d] + TH_PLACES[place];
  }
  return out;
}

/** A positive whole number in Thai words. */
function thaiNumber(n: bigint, afterHigher = false): string {
  if (n < MILLION) return thaiGroup(Number(n), afterHigher);
  const high = n / MILLION;
  const low = n % MILLION;
  return `${thaiNumber(high, afterHigher)}ล้าน${low > 0n ? thaiGroup(Number(low), true) : ''}`;
}

/**
 * Satang → Thai words: 123450n → "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์", 100000n → "หนึ่งพันบาทถ้วน",
 * 25n → "ยี่สิบห้าสตางค์", 0n → "ศูนย์บาทถ้วน"; a negative amount (a credit note) starts with ลบ.
 */
export function bahtText(satang: bigint): string {
  if (satang < 0n) return `ลบ${bahtText(-satang)}`;
  if (satang === 0n) return 'ศูนย์บาทถ้วน';
  const baht = satang / 100n;
  const rest = satang % 100n;
  const bahtPart = baht > 0n ? `${thaiNumber(baht)}บาท` : '';
  return rest > 0n ? `${bahtPart}${thaiNumber(rest)}สตางค์` : `${bahtPart}ถ้วน`;
}

const EN_ONES = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
// Short scale; far beyond 64-bit satang (about 92 quadrillion baht), which is the most the ledger stores.
const EN_SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion', 'quintillion', 'sextillion', 'septillion', 'octillion', 'nonillion', 'decillion'];

/** 1 to 999. */
function englishHundreds(n: number): string {
  const words: string[] = [];
  if (n >= 100) words.push(`${EN_ONES[Math.floor(n / 100)]} hundred`);
  const r = n % 100;
  if (r >= 20) words.push(EN_TENS[Math.floor(r / 10)] + (r % 10 ? `-${EN_ONES[r % 10]}` : ''));
  else if (r > 0) words.push(EN_ONES[r]);
  return words.join(' ');
}

/** A positive whole number in English words, without "and" inside it (the "and" joins baht and satang). */
function englishNumber(n: bigint): string {
  const groups: string[] = [];
  for (let scale = 0; n > 0n; scale++, n /= 1000n) {
    const g = Number(n % 1000n);
    if (scale >= EN_SCALES.length) throw new RangeError('amount too large to write in English words');
    if (g > 0) groups.unshift(EN_SCALES[scale] ? `${englishHundreds(g)} ${EN_SCALES[scale]}` : englishHundreds(g));
  }
  return groups.join(' ');
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Satang → English words: 123450n → "One thousand two hundred thirty-four baht and fifty satang",
 * 100000n → "One thousand baht only", 25n → "Twenty-five satang"; a negative amount starts with "Minus".
 */
export function amountInWordsEn(satang: bigint): string {
  if (satang < 0n) return `Minus ${amountInWordsEn(-satang).replace(/^./, (c) => c.toLowerCase())}`;
  if (satang === 0n) return 'Zero baht only';
  const baht = satang / 100n;
  const rest = satang % 100n;
  if (rest === 0n) return capitalize(`${englishNumber(baht)} baht only`);
  const satangWords = `${englishNumber(rest)} satang`;
  return capitalize(baht > 0n ? `${englishNumber(baht)} baht and ${satangWords}` : satangWords);
}
