import { describe, expect, it } from 'vitest';
import { eventSerializer } from './pubsub.ts';

describe('events as they cross Redis', () => {
  it('come back with their Dates as Dates, to the millisecond, and everything else as sent', () => {
    const rate = { tier: 'gov', cpuPerHour: '0.8', gpuPerHour: '20', memGBPerHour: '0.1', updatedAt: new Date('2026-03-04T05:06:07.089Z'), updatedBy: null };
    const back = eventSerializer.parse(eventSerializer.stringify(rate)) as typeof rate;
    expect(back).toEqual(rate);
    expect(back.updatedAt).toBeInstanceOf(Date);

    const progress = { from: new Date(0), to: new Date('2026-12-01T00:00:00Z'), chunkStatus: null, nested: [{ at: new Date(1) }] };
    expect(eventSerializer.parse(eventSerializer.stringify(progress))).toEqual(progress);
  });

  it('leave a string that looks like a time a string', () => {
    const e = { kind: 'session', id: '2026-03-04T05:06:07.089Z' };
    expect(eventSerializer.parse(eventSerializer.stringify(e))).toEqual(e);
  });

  it('send an invalid Date as one, instead of throwing in the publisher', () => {
    const back = eventSerializer.parse(eventSerializer.stringify({ at: new Date(Number.NaN) })) as { at: Date };
    expect(back.at).toBeInstanceOf(Date);
    expect(Number.isNaN(back.at.getTime())).toBe(true);
  });
});
