import { describe, expect, it } from 'vitest';
import { formatMemory, formatTimeLimit, latestOnly } from './quote';

describe('quote helpers', () => {
  it('writes memory and time limits as Slurm users do', () => {
    expect(formatMemory(512)).toBe('512 MiB');
    expect(formatMemory(65536)).toBe('64 GiB');
    expect(formatMemory(1536)).toBe('1.5 GiB');
    expect(formatMemory(2 * 1024 * 1024)).toBe('2 TiB');
    expect(formatTimeLimit(7200)).toBe('02:00:00');
    expect(formatTimeLimit(86400 + 90)).toBe('1-00:01:30');
    expect(formatTimeLimit(null)).toBe('—');
  });

  it('keeps only the newest answer', () => {
    const latest = latestOnly();
    const first = latest.next();
    const second = latest.next();
    expect(latest.isLatest(first)).toBe(false);
    expect(latest.isLatest(second)).toBe(true);
  });
});
