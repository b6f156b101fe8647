import { describe, expect, it } from 'vitest';
import { ownCopy, parseElapsed, parseTresString, tresReader } from './tres.ts';

/** parseElapsed's regex reading, which its digit-by-digit path must agree with exactly. */
function regexElapsed(text: string): number {
  const s = text.trim();
  if (!s) return 0;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = /^(?:(\d+)-)?(\d+):(\d+)(?::(\d+))?(?:\.(\d+))?$/.exec(s);
  if (!m) return 0;
  const days = m[1] ? Number(m[1]) : 0;
  const [h, min, sec] = m[4] !== undefined ? [Number(m[2]), Number(m[3]), Number(m[4])] : m[1] ? [Number(m[2]), Number(m[3]), 0] : [0, Number(m[2]), Number(m[3])];
  return days * 86400 + h * 3600 + min * 60 + sec + (m[5] ? Number(`0.${m[5]}`) : 0);
}

function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

describe('parseElapsed', () => {
  it('reads every sacct form to the same double as the regex reading', () => {
    const next = random(2);
    const digits = (max: number) => String(next(10 ** (1 + next(max)))).padStart(1 + next(3), '0');
    for (let i = 0; i < 20_000; i++) {
      const frac = next(2) ? `.${digits(9)}` : '';
      const forms = [`${digits(2)}:${digits(2)}${frac}`, `${digits(2)}:${digits(2)}:${digits(2)}${frac}`, `${digits(4)}-${digits(2)}:${digits(2)}:${digits(2)}`, `${digits(3)}-${digits(2)}:${digits(2)}${frac}`];
      for (const text of forms) expect(parseElapsed(text), text).toBe(regexElapsed(text));
    }
  });

  it('leaves odd text to the regex reading', () => {
    const odd = [' 01:02:03', '01:02:03 ', '1-2', '1:2:3:4', ':01', '01:', '01:02.', '01:02.1234567890123', '0000000000000000001:00', '12345678901234567890:00', '-01:00', '1.5', '007', '١:٢', '01:02:03\n', 'INVALID'];
    for (const text of odd) expect(parseElapsed(text), JSON.stringify(text)).toBe(regexElapsed(text));
  });
});

describe('tresReader', () => {
  it('reads as parseTresString does, a fresh map each time, and forgets once full', () => {
    const read = tresReader(2);
    const texts = ['cpu=4,mem=4000M,node=1,billing=4,gres/gpu=1', 'cpu=1', '', 'mem=62.50G,fs/disk=3M', 'cpu=4,mem=4000M,node=1,billing=4,gres/gpu=1', 'a=1,a=2,junk'];
    const seen = texts.map((t) => read(t));
    texts.forEach((t, i) => expect(seen[i], t).toEqual(parseTresString(t)));
    expect(Object.keys(seen[0])).toEqual(Object.keys(parseTresString(texts[0])));
    expect(seen[0]).not.toBe(seen[4]);
    expect(read(undefined)).toEqual({});
    expect(read(null)).toEqual({});
  });
});

describe('ownCopy', () => {
  it('is the same text', () => {
    const piece = `${'x'.repeat(1000)}billing=4,cpu=4,gres/gpu=1,mem=4000M,node=1\u{1F600}\ud800`;
    const slice = piece.slice(1000);
    expect(ownCopy(slice)).toBe(slice);
  });
});
