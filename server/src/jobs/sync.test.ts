import { describe, expect, it } from 'vitest';
import { partialViewReason } from './sync.ts';

const jobsOf = (...users: string[]) => users.map((user) => ({ user }));

describe('partialViewReason', () => {
  it('is null when every user the ledger holds in the window is in the answer (or the ledger has none)', () => {
    expect(partialViewReason(jobsOf('alice', 'bob', 'bob'), ['alice', 'bob'])).toBeNull();
    expect(partialViewReason(jobsOf('alice', 'carol'), ['alice'])).toBeNull();
    expect(partialViewReason(jobsOf(), [])).toBeNull();
    expect(partialViewReason(jobsOf('alice'), [])).toBeNull();
  });

  it("names the missing users and what Slurm answered: one user's jobs, several users', or none", () => {
    expect(partialViewReason(jobsOf('alice', 'alice'), ['alice', 'bob', 'carol'])).toBe(
      "Slurm answered only alice's jobs, but the ledger holds jobs of 2 other user(s) that ended in this window (bob, carol): " +
        'the Slurm account may see only its own jobs (PrivateData=jobs and not an operator or administrator)',
    );
    // A coordinator sees the accounts it coordinates: several users, still not everyone.
    expect(partialViewReason(jobsOf('alice', 'dave'), ['alice', 'bob', 'dave'])).toMatch(/^Slurm answered jobs of 2 users, .*\(bob\)/);
    expect(partialViewReason(jobsOf(), ['bob'])).toMatch(/^Slurm answered no jobs, .*\(bob\)/);
  });

  it('names at most ten users', () => {
    const many = Array.from({ length: 25 }, (_, i) => `u${String(i).padStart(2, '0')}`);
    const reason = partialViewReason(jobsOf('alice'), ['alice', ...many])!;
    expect(reason).toContain('25 other user(s)');
    expect(reason).toContain('(u00, u01, u02, u03, u04, u05, u06, u07, u08, u09, …)');
  });
});
