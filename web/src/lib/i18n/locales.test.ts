import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve(import.meta.dirname, 'locales');
const read = (file: string) => JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Record<string, unknown>;

/** Every dictionary file per language: `en.json` and `<area>.en.json`. */
function areas() {
  const out = new Map<string, Record<string, string>>();
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
    const m = /^(?:(.+)\.)?(en|th)\.json$/.exec(file);
    if (!m) throw new Error(`${file} is not named <area>.<en|th>.json`);
    const area = m[1] ?? '';
    out.set(area, { ...(out.get(area) ?? {}), [m[2]]: file });
  }
  return out;
}

describe('dictionaries', () => {
  it('hold the same keys in English and Thai, each with a non-empty text', () => {
    for (const [area, files] of areas()) {
      expect(Object.keys(files).sort(), `${area || 'main'} needs en and th`).toEqual(['en', 'th']);
      const en = read(files.en);
      const th = read(files.th);
      expect(Object.keys(th).sort(), files.th).toEqual(Object.keys(en).sort());
      for (const [k, v] of [...Object.entries(en), ...Object.entries(th)]) expect(typeof v === 'string' && v.trim() !== '', k).toBe(true);
    }
  });

  it('never define one key in two areas, where the later file would silently win', () => {
    const seen = new Map<string, string>();
    for (const [, files] of areas()) {
      for (const k of Object.keys(read(files.en))) {
        expect(seen.get(k), `${k} in ${files.en} and ${seen.get(k)}`).toBeUndefined();
        seen.set(k, files.en);
      }
    }
  });
});
