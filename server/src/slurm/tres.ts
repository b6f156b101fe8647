import type { TresMap } from './types.ts';

/** One entry of a slurmrestd TRES list: `{type:"gres", name:"gpu:a100", id:1002, count:4}`. */
export interface TresEntry {
  type: string;
  name?: string | null;
  count?: number | null | { set?: boolean; infinite?: boolean; number?: number };
}

const UNIT_TO_MIB: Record<string, number> = {
  K: 1 / 1024,
  M: 1,
  G: 1024,
  T: 1024 ** 2,
  P: 1024 ** 3,
};

/**
 * `cpu=2,mem=512M,node=1,billing=2,gres/gpu=1,gres/gpu:a100=4` → TresMap.
 * sacct `--noconvert` prints mem, gres/gpumem and bb as whole MB with an `M` (`mem=4000M`) and other TRES as bare
 * counts; without it (older captures, slurmctld's `tres_*_str`) the MB are divided by 1024 while they stay a multiple
 * of 512 and printed with two decimals (`mem=62.50G`), so any suffixed value is read back as MiB. slurmctld's
 * strings also scale fs/ and ic/ counts, from a base unit of one (`convert_num_unit(..., UNIT_NONE, ...)` in
 * https://github.com/SchedMD/slurm/blob/master/src/common/assoc_mgr.c).
 */
export function parseTresString(text: string | null | undefined): TresMap {
  const out: TresMap = {};
  if (!text) return out;
  for (const part of text.split(',')) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = parseTresValue(part.slice(eq + 1).trim(), key.startsWith('fs/') || key.startsWith('ic/') ? 1024 ** 2 : 1);
    if (key && value !== null) out[key] = value;
  }
  return out;
}

/**
 * parseTresString with a memory of the strings it has read: a cluster's jobs print few distinct TRES strings, and a
 * job's ReqTRES is often its AllocTRES. Each call returns a map of its own; the memory forgets everything once full.
 */
export function tresReader(capacity = 4096): (text: string | null | undefined) => TresMap {
  const seen = new Map<string, TresMap>();
  // The last text read, compared before the map is asked: a job's AllocTRES is mostly its ReqTRES.
  let lastText = '';
  let last: TresMap = {};
  return (text) => {
    if (!text) return {};
    if (text !== lastText) {
      let tres = seen.get(text);
      let key = text;
      if (!tres) {
        if (seen.size >= capacity) seen.clear();
        key = ownCopy(text);
        seen.set(key, (tres = parseTresString(text)));
      }
      lastText = key;
      last = tres;
    }
    return { ...last };
  };
}

/**
 * A string of its own: V8 makes a slice of 13 characters or more a view into the string it was cut from, so a field
 * kept as is keeps its whole piece of sacct's output alive. A memory held for a whole parse keeps copies.
 */
export function ownCopy(text: string): string {
  return structuredClone(text);
}

function parseTresValue(raw: string, scale: number): number | null {
  const m = /^(\d+(?:\.\d+)?)([KMGTP])?$/i.exec(raw);
  if (!m) return null;
  const n = Number(m[1]);
  if (!m[2]) return n;
  return Math.round(n * UNIT_TO_MIB[m[2].toUpperCase()] * scale);
}

/** slurmrestd `tres.allocated` / `tres.requested` lists; job-level `mem` counts are MB, i.e. already MiB. */
export function tresFromList(list: readonly TresEntry[] | null | undefined): TresMap {
  const out: TresMap = {};
  if (!Array.isArray(list)) return out;
  for (const entry of list) {
    if (!entry || typeof entry.type !== 'string') continue;
    const count = typeof entry.count === 'object' && entry.count !== null ? nvNumber(entry.count) : entry.count;
    // -2 is NO_VAL64 (e.g. energy): unset, not a count. https://slurm.schedmd.com/rest_api.html (SHAPES.md §9.8)
    if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) continue;
    out[entry.name ? `${entry.type}/${entry.name}` : entry.type] = count;
  }
  return out;
}

function nvNumber(v: { set?: boolean; infinite?: boolean; number?: number }): number | null {
  return v.set && !v.infinite && typeof v.number === 'number' ? v.number : null;
}

/** GPUs in a TRES map: the untyped `gres/gpu` total when present, else the sum of typed `gres/gpu:<type>` entries. */
export function gpuCount(tres: TresMap): number {
  if (typeof tres['gres/gpu'] === 'number') return tres['gres/gpu'];
  let sum = 0;
  for (const [key, value] of Object.entries(tres)) {
    if (key.startsWith('gres/gpu:')) sum += value;
  }
  return sum;
}

/**
 * sacct durations → seconds: `D-HH:MM:SS`, `HH:MM:SS`, `MM:SS`, `MM:SS.mmm` (TotalCPU under an hour),
 * `HH:MM:SS.mmm`. `INVALID`, `Unknown` and empty mean nothing was measured: 0. A bare number is seconds.
 */
export function parseElapsed(text: string | null | undefined): number {
  // sacct's own forms, read without a regex or a trim: every job line has a TotalCPU and an Elapsed.
  if (text) {
    const seconds = sacctDuration(text);
    if (seconds >= 0) return seconds;
  }
  const s = (text ?? '').trim();
  if (!s) return 0;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = /^(?:(\d+)-)?(\d+):(\d+)(?::(\d+))?(?:\.(\d+))?$/.exec(s);
  if (!m) return 0;
  const days = m[1] ? Number(m[1]) : 0;
  let h = 0;
  let min: number;
  let sec: number;
  if (m[4] !== undefined) {
    h = Number(m[2]);
    min = Number(m[3]);
    sec = Number(m[4]);
  } else if (m[1]) {
    // `D-HH:MM` is not printed by sacct, but Slurm's own time_str2secs reads it as days-hours:minutes.
    h = Number(m[2]);
    min = Number(m[3]);
    sec = 0;
  } else {
    min = Number(m[2]);
    sec = Number(m[3]);
  }
  const frac = m[5] ? Number(`0.${m[5]}`) : 0;
  return days * 86400 + h * 3600 + min * 60 + sec + frac;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** The index after the ASCII digits from `i`. */
function digitsEnd(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

function digitsValue(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

/**
 * `[D-]A:B[:C][.F]` read as parseElapsed's regex reads it, or -1 for anything else (spaces, bare numbers, a part too
 * long to be summed exactly digit by digit), which the general reading then takes. At most 15 digits a part and 9 of
 * a fraction keep every value exact, so the sum is the one Number() of each part would give.
 */
function sacctDuration(s: string): number {
  let start = 0;
  let end = digitsEnd(s, 0);
  if (end === 0 || end > 15) return -1;
  let days = 0;
  let hasDays = false;
  if (s.charCodeAt(end) === 45) {
    days = digitsValue(s, 0, end);
    hasDays = true;
    start = end + 1;
    end = digitsEnd(s, start);
    if (end === start || end - start > 15) return -1;
  }
  const first = digitsValue(s, start, end);
  if (s.charCodeAt(end) !== 58) return -1;
  start = end + 1;
  end = digitsEnd(s, start);
  if (end === start || end - start > 15) return -1;
  const second = digitsValue(s, start, end);
  let third = -1;
  if (s.charCodeAt(end) === 58) {
    start = end + 1;
    end = digitsEnd(s, start);
    if (end === start || end - start > 15) return -1;
    third = digitsValue(s, start, end);
  }
  let frac = 0;
  if (s.charCodeAt(end) === 46) {
    start = end + 1;
    end = digitsEnd(s, start);
    if (end === start || end - start > 9) return -1;
    // Both exact, so the quotient is the double nearest the decimal, as Number(`0.${digits}`) reads it.
    frac = digitsValue(s, start, end) / POW10[end - start];
  }
  if (end !== s.length) return -1;
  if (third >= 0) return days * 86400 + first * 3600 + second * 60 + third + frac;
  if (hasDays) return days * 86400 + first * 3600 + second * 60 + 0 + frac;
  return days * 86400 + 0 * 3600 + first * 60 + second + frac;
}

/**
 * Seconds in sacct's style: `elapsed` is `[D-]HH:MM:SS` (Elapsed); `cpu` is like TotalCPU, `MM:SS.mmm` under an
 * hour and whole seconds above.
 */
export function formatElapsed(seconds: number, style: 'elapsed' | 'cpu' = 'elapsed'): string {
  const total = Math.max(0, seconds);
  const whole = Math.floor(total);
  const days = Math.floor(whole / 86400);
  const h = Math.floor((whole % 86400) / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const p2 = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}-${p2(h)}:${p2(m)}:${p2(s)}`;
  if (h > 0 || style === 'elapsed') return `${p2(h)}:${p2(m)}:${p2(s)}`;
  const ms = Math.floor(Math.round((total - whole) * 1e6) / 1000);
  return `${p2(m)}:${p2(s)}.${String(ms).padStart(3, '0')}`;
}

/** A TresMap in sacct's order and units: keys sorted, mem with the largest exact unit (M, G, T). */
export function formatTres(tres: TresMap): string {
  return Object.keys(tres)
    .sort()
    .map((key) => {
      const v = tres[key];
      if (key !== 'mem') return `${key}=${v}`;
      // Like sacct (CONVERT_NUM_UNIT_EXACT): the largest unit that divides the value exactly.
      if (v > 0 && v % 1024 ** 2 === 0) return `mem=${v / 1024 ** 2}T`;
      if (v > 0 && v % 1024 === 0) return `mem=${v / 1024}G`;
      return `mem=${v}M`;
    })
    .join(',');
}
