import { describe, expect, it, vi } from 'vitest';
import type { Exec } from '../lib/exec.ts';
import { type AccountStatus, checkShadowAccount, createPamAuthenticator, isValidUsername, loadPam, type PamModule, parseShadowLine } from './pam.ts';

/** A fake authenticate-pam: each call waits until the test answers it, like a PAM call parked in the libuv pool. */
function fakePam() {
  const calls: Array<{ username: string; password: string; options?: { serviceName?: string; remoteHost?: string }; answer: (error?: unknown) => void }> = [];
  const module: PamModule = {
    authenticate(username, password, callback, options) {
      calls.push({ username, password, options, answer: (error) => setImmediate(() => callback(error)) });
    },
  };
  return { module, calls };
}

const usable = async (): Promise<AccountStatus> => ({ usable: true });
const tick = () => new Promise((r) => setImmediate(r));

describe('createPamAuthenticator', () => {
  it('answers true for a right password and false for PAM errors, passing service and remote host', async () => {
    const { module, calls } = fakePam();
    const pam = createPamAuthenticator({ module, service: 'hpc-accounting', accountCheck: usable });
    const good = pam.authenticate('alice', 'secret', { remoteHost: '10.0.0.7' });
    const bad = pam.verify('bob', 'wrong');
    await tick();
    expect(calls.map((c) => c.options)).toEqual([{ serviceName: 'hpc-accounting', remoteHost: '10.0.0.7' }, { serviceName: 'hpc-accounting' }]);
    calls[0].answer();
    calls[1].answer('Authentication failure');
    expect(await good).toBe(true);
    expect(await bad).toEqual({ ok: false, reason: 'pam-error', detail: 'Authentication failure' });
  });

  it('runs at most maxConcurrent PAM calls; the rest wait for a slot', async () => {
    const { module, calls } = fakePam();
    const pam = createPamAuthenticator({ module, maxConcurrent: 2, accountCheck: usable });
    const results = ['u1', 'u2', 'u3', 'u4', 'u5'].map((u) => pam.authenticate(u, 'pw'));
    await tick();
    expect(calls.map((c) => c.username)).toEqual(['u1', 'u2']);
    expect(pam.pending).toBe(5);
    calls[0].answer('Authentication failure');
    await tick();
    await tick();
    expect(calls.map((c) => c.username)).toEqual(['u1', 'u2', 'u3']);
    calls[1].answer();
    calls[2].answer();
    await tick();
    await tick();
    expect(calls).toHaveLength(5);
    calls[3].answer();
    calls[4].answer(new Error('boom'));
    expect(await Promise.all(results)).toEqual([false, true, true, true, false]);
    expect(pam.pending).toBe(0);
  });

  it('fails at once, without calling PAM, when the queue is full', async () => {
    const { module, calls } = fakePam();
    const pam = createPamAuthenticator({ module, maxConcurrent: 1, maxQueue: 1, accountCheck: usable });
    const first = pam.verify('u1', 'pw');
    const second = pam.verify('u2', 'pw');
    expect(await pam.verify('u3', 'pw')).toMatchObject({ ok: false, reason: 'busy' });
    await tick();
    calls[0].answer();
    await tick();
    await tick();
    calls[1].answer();
    expect([(await first).ok, (await second).ok]).toEqual([true, true]);
    expect(calls.map((c) => c.username)).toEqual(['u1', 'u2']);
  });

  it('refuses invalid names, empty, NUL-containing and over-long passwords without calling PAM', async () => {
    const { module, calls } = fakePam();
    const pam = createPamAuthenticator({ module, accountCheck: usable });
    for (const name of ['', ' alice', 'alice ', '-alice', '../etc', 'al:ice', 'a'.repeat(33), 'ali\0ce', 'root;id', 'ünï']) {
      expect(await pam.verify(name, 'pw'), JSON.stringify(name)).toMatchObject({ ok: false, reason: 'invalid-input' });
    }
    for (const pw of ['', 'right\0wrong', 'x'.repeat(127), 'ก'.repeat(43)]) {
      expect(await pam.authenticate('alice', pw), JSON.stringify(pw.slice(0, 12))).toBe(false);
    }
    expect(await pam.authenticate(42 as unknown as string, 'pw')).toBe(false);
    expect(calls).toHaveLength(0);
  });

  it('turns a synchronous throw from the module into false and frees the slot', async () => {
    let n = 0;
    const module: PamModule = {
      authenticate(_u, _p, callback) {
        if (++n === 1) throw new TypeError('Argument 0 and 1 should be a String');
        setImmediate(() => callback());
      },
    };
    const pam = createPamAuthenticator({ module, maxConcurrent: 1, accountCheck: usable });
    expect(await pam.verify('alice', 'pw')).toMatchObject({ ok: false, reason: 'pam-error' });
    expect(await pam.authenticate('alice', 'pw')).toBe(true);
    expect(pam.pending).toBe(0);
  });

  it('gives up waiting after timeoutMs but keeps the slot until PAM answers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { module, calls } = fakePam();
      const pam = createPamAuthenticator({ module, maxConcurrent: 1, timeoutMs: 1000, accountCheck: usable });
      const first = pam.verify('alice', 'pw');
      const second = pam.verify('bob', 'pw');
      vi.advanceTimersByTime(1000);
      expect(await first).toMatchObject({ ok: false, reason: 'timeout' });
      expect(calls).toHaveLength(1);
      calls[0].answer(); // late: must not turn the timed-out login into a success
      await tick();
      await tick();
      expect(calls).toHaveLength(2);
      calls[1].answer();
      expect(await second).toEqual({ ok: true, note: undefined });
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a right password when the account check says the account is not usable, or fails', async () => {
    const { module, calls } = fakePam();
    let status: AccountStatus | Error = { usable: false, reason: 'account-expired' };
    const pam = createPamAuthenticator({
      module,
      accountCheck: async () => {
        if (status instanceof Error) throw status;
        return status;
      },
    });
    const answerAll = async <T,>(p: Promise<T>) => {
      await tick();
      calls.at(-1)!.answer();
      return p;
    };
    expect(await answerAll(pam.verify('alice', 'pw'))).toEqual({ ok: false, reason: 'account-expired', detail: undefined });
    status = new Error('getent: not found');
    expect(await answerAll(pam.verify('alice', 'pw'))).toMatchObject({ ok: false, reason: 'account-check-failed' });
    status = { usable: true };
    expect(await answerAll(pam.authenticate('alice', 'pw'))).toBe(true);
  });

  it('does not run the account check when the password is wrong', async () => {
    const { module, calls } = fakePam();
    const accountCheck = vi.fn(usable);
    const pam = createPamAuthenticator({ module, accountCheck });
    const r = pam.authenticate('alice', 'wrong');
    await tick();
    calls[0].answer('Authentication failure');
    expect(await r).toBe(false);
    expect(accountCheck).not.toHaveBeenCalled();
  });
});

describe('isValidUsername', () => {
  it('accepts login names useradd accepts', () => {
    for (const name of ['alice', 'bob_2', '_svc', 'a.b-c', 'Alice', 'hpcacct_t1_x9z', 'a'.repeat(32)]) expect(isValidUsername(name), name).toBe(true);
  });
});

describe('parseShadowLine', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const today = Math.floor(now.getTime() / 86_400_000);

  it.each([
    ['a normal account', `alice:$y$j9T$abc:${today - 10}:0:99999:7:::`, { usable: true }],
    ['aging off (empty last change)', 'alice:$y$abc::0:99999:7:::', { usable: true }],
    ['expiring tomorrow', `alice:$y$abc:${today - 10}:0:99999:7::${today + 1}:`, { usable: true }],
    ['changed "in the future" (clock skew)', `alice:$y$abc:${today + 3}:0:30:7:::`, { usable: true }],
  ])('%s is usable', (_label, line, expected) => {
    expect(parseShadowLine(line, now)).toEqual(expected);
  });

  it.each([
    ['locked (usermod -L)', `alice:!$y$abc:${today - 10}:0:99999:7:::`, 'account-locked'],
    ['locked without a password', `alice:!:${today - 10}:0:99999:7:::`, 'account-locked'],
    ['expired (chage -E 0)', `alice:$y$abc:${today - 10}:0:99999:7::0:`, 'account-expired'],
    ['expired today', `alice:$y$abc:${today - 10}:0:99999:7::${today}:`, 'account-expired'],
    ['must change password (chage -d 0)', 'alice:$y$abc:0:0:99999:7:::', 'password-expired'],
    ['password older than max', `alice:$y$abc:${today - 40}:0:30:7:::`, 'password-expired'],
    ['password expired beyond inactivity', `alice:$y$abc:${today - 40}:0:30:7:5::`, 'account-expired'],
    ['garbled', 'alice:x:abc:0', 'account-check-failed'],
    ['non-numeric field', 'alice:x:abc:0:99999:7:::', 'account-check-failed'],
  ])('%s is refused', (_label, line, reason) => {
    expect(parseShadowLine(line, now)).toMatchObject({ usable: false, reason });
  });
});

describe('checkShadowAccount', () => {
  /** A fake Exec answering getent by database → [exit code, stdout]. */
  const getent = (answers: Record<string, [number | null, string]>, seen: string[][] = []): Exec => (cmd, args) => {
    seen.push([cmd, ...args]);
    const [code, out] = answers[args[0]] ?? [2, ''];
    return {
      lines: (async function* () {
        yield* out ? out.split('\n') : [];
      })(),
      done: Promise.resolve({ code, stderr: '', error: code === null ? new Error('spawn getent ENOENT') : undefined }),
    };
  };
  const now = new Date('2026-06-01T00:00:00Z');

  it('judges the shadow entry when there is one', async () => {
    const seen: string[][] = [];
    expect(await checkShadowAccount('alice', { exec: getent({ shadow: [0, 'alice:!$y$x:20000:0:99999:7:::'] }, seen), now })).toMatchObject({ usable: false, reason: 'account-locked' });
    expect(seen).toEqual([['getent', 'shadow', 'alice']]);
    expect(await checkShadowAccount('alice', { exec: getent({ shadow: [0, 'alice:$y$x:20000:0:99999:7:::'] }), now })).toEqual({ usable: true });
  });

  it('lets a passwd-only account through and refuses one that exists nowhere', async () => {
    expect(await checkShadowAccount('ldapuser', { exec: getent({ passwd: [0, 'ldapuser:*:5000:5000::/home/ldapuser:/bin/bash'] }), now })).toMatchObject({ usable: true });
    expect(await checkShadowAccount('ghost', { exec: getent({}), now })).toMatchObject({ usable: false, reason: 'unknown-account' });
  });

  it('fails closed when getent cannot run or errs', async () => {
    expect(await checkShadowAccount('alice', { exec: getent({ shadow: [null, ''] }), now })).toMatchObject({ usable: false, reason: 'account-check-failed' });
    expect(await checkShadowAccount('alice', { exec: getent({ shadow: [1, ''] }), now })).toMatchObject({ usable: false, reason: 'account-check-failed' });
    expect(await checkShadowAccount('alice', { exec: getent({ passwd: [3, ''] }), now })).toMatchObject({ usable: false, reason: 'account-check-failed' });
    expect(await checkShadowAccount('-x', { exec: getent({}), now })).toMatchObject({ usable: false });
  });
});

describe('loadPam', () => {
  it('returns an authenticator or null, and logs why PAM is off', async () => {
    const log = { warn: vi.fn(), info: vi.fn() };
    const pam = await loadPam(log);
    if (pam) expect(typeof pam.authenticate).toBe('function');
    else expect(log.warn.mock.calls[0][0]).toMatch(/^PAM unavailable: /);
  });
});
