import { createRequire } from 'node:module';
import { type Exec, spawnExec } from '../lib/exec.ts';

/**
 * Password checks for cluster accounts through PAM (`authenticate-pam`), plus the account checks that module leaves
 * out. Every way of failing ends as `false` for the caller; `verify` keeps the reason for the server's own log.
 */

/** The native module's API (https://github.com/RushPL/node-authenticate-pam); injected in tests. */
export interface PamModule {
  authenticate(
    username: string,
    password: string,
    callback: (error?: unknown) => void,
    options?: { serviceName?: string; remoteHost?: string },
  ): void;
}

export type PamFailure =
  | 'invalid-input'
  | 'busy'
  | 'timeout'
  | 'pam-error'
  | 'account-locked'
  | 'account-expired'
  | 'password-expired'
  | 'unknown-account'
  | 'account-check-failed';

export type PamResult = { ok: true; note?: string } | { ok: false; reason: PamFailure; detail?: string };

export interface PamAuthenticator {
  /** True only when the password is right AND the account is usable; never rejects. */
  authenticate(username: string, password: string, opts?: { remoteHost?: string | null }): Promise<boolean>;
  /** The same check with the reason kept, for logs and the audit trail (never for the client). */
  verify(username: string, password: string, opts?: { remoteHost?: string | null }): Promise<PamResult>;
  /** Calls running plus waiting for a slot. */
  readonly pending: number;
}

export type AccountStatus =
  | { usable: true; note?: string }
  | { usable: false; reason: Extract<PamFailure, `account-${string}` | 'password-expired' | 'unknown-account'>; detail?: string };

export type AccountCheck = (username: string) => Promise<AccountStatus>;

export interface PamOptions {
  /** The file in /etc/pam.d to use (`PAM_SERVICE`). */
  service?: string;
  /** PAM calls at once; each wrong password holds a libuv pool thread (4 by default) for 2–4 s. */
  maxConcurrent?: number;
  /** Calls allowed to wait for a slot; beyond that a login fails at once instead of queueing without bound. */
  maxQueue?: number;
  /** How long a caller waits for PAM; the slot stays taken until PAM really returns. */
  timeoutMs?: number;
  module?: PamModule;
  /** Replaces the shadow check (tests; sites whose accounts are checked elsewhere). */
  accountCheck?: AccountCheck;
}

/**
 * Login names as useradd accepts them by default (Debian's NAME_REGEX, plus upper case, dots and up to 32 chars).
 * Anything else is refused before PAM or sacctmgr see it: such a name cannot be an account, and it keeps option-like
 * or oversized strings away from both.
 */
export const USERNAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;
export const isValidUsername = (name: string) => USERNAME_RE.test(name);

// The module copies the password into a 128-byte buffer without room for a longer one: a longer password would be
// cut (or read past the end), so it is refused rather than silently checked as a prefix.
const MAX_PASSWORD_BYTES = 126;
const MAX_RHOST_BYTES = 126;

const require = createRequire(import.meta.url);

export interface PamLog {
  warn(msg: string): void;
  info(msg: string): void;
}

/**
 * The authenticator, or null when the native module is not installed or not built (it is an optional dependency
 * that needs libpam0g-dev): local accounts keep working. Logs why PAM is off.
 */
export async function loadPam(log: PamLog, options: Omit<PamOptions, 'module'> = {}): Promise<PamAuthenticator | null> {
  const loaded = loadPamModule();
  if (!loaded.ok) {
    log.warn(`PAM unavailable: ${loaded.reason}`);
    return null;
  }
  if (process.getuid?.() !== 0) {
    // pam_unix then checks passwords through unix_chkpwd, which only accepts the invoking user's own password.
    log.warn('PAM loaded, but the server is not running as root: local (shadow) accounts cannot log in through PAM');
  }
  log.info(`PAM enabled (service "${options.service ?? 'login'}")`);
  return createPamAuthenticator({ ...options, module: loaded.module });
}

/** Loads `authenticate-pam` without throwing; `reason` says what an operator has to do. */
export function loadPamModule(): { ok: true; module: PamModule } | { ok: false; reason: string } {
  try {
    // require, not import(): the package's main is a .node file, which ESM import refuses.
    const module = require('authenticate-pam') as PamModule;
    if (typeof module?.authenticate !== 'function') return { ok: false, reason: 'authenticate-pam has no authenticate()' };
    return { ok: true, module };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/authenticate_pam\.node/.test(message)) {
      // pnpm does not retry a failed build on a later install or rebuild; the package has to be installed afresh.
      return {
        ok: false,
        reason: 'authenticate-pam is installed but not built: apt-get install libpam0g-dev, then rm -rf node_modules/.pnpm/authenticate-pam@* and pnpm install',
      };
    }
    if ((error as { code?: string })?.code === 'MODULE_NOT_FOUND') {
      return { ok: false, reason: 'the optional dependency authenticate-pam is not installed' };
    }
    return { ok: false, reason: `authenticate-pam failed to load: ${message}` };
  }
}

/** Without `options.module` this loads authenticate-pam and throws if it cannot (loadPam is the forgiving way). */
export function createPamAuthenticator(options: PamOptions = {}): PamAuthenticator {
  const service = options.service ?? 'login';
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 2);
  const maxQueue = Math.max(0, options.maxQueue ?? 32);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const module = options.module ?? (require('authenticate-pam') as PamModule);
  const accountCheck = options.accountCheck ?? ((name: string) => checkShadowAccount(name));

  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };

  /** One PAM call in a slot; the caller may stop waiting (timeout), the slot is freed only by PAM's callback. */
  function callPam(username: string, password: string, remoteHost: string | undefined): Promise<PamResult> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (r: PamResult) => {
        if (!settled) {
          settled = true;
          resolve(r);
        }
      };
      const run = () => {
        let freed = false;
        const free = () => {
          if (!freed) {
            freed = true;
            release();
          }
        };
        const timer = setTimeout(() => settle({ ok: false, reason: 'timeout', detail: `no answer from PAM in ${timeoutMs} ms` }), timeoutMs);
        timer.unref?.();
        try {
          module.authenticate(
            username,
            password,
            (error) => {
              clearTimeout(timer);
              free();
              settle(error ? { ok: false, reason: 'pam-error', detail: String(error) } : { ok: true });
            },
            remoteHost ? { serviceName: service, remoteHost } : { serviceName: service },
          );
        } catch (error) {
          // Thrown synchronously (bad argument types): the callback will never run.
          clearTimeout(timer);
          free();
          settle({ ok: false, reason: 'pam-error', detail: error instanceof Error ? error.message : String(error) });
        }
      };
      if (active < maxConcurrent) {
        active++;
        run();
      } else if (waiting.length < maxQueue) {
        waiting.push(run);
      } else {
        settle({ ok: false, reason: 'busy', detail: `${active} PAM calls running and ${waiting.length} waiting` });
      }
    });
  }

  async function verify(username: string, password: string, opts: { remoteHost?: string | null } = {}): Promise<PamResult> {
    if (typeof username !== 'string' || !isValidUsername(username)) return { ok: false, reason: 'invalid-input', detail: 'not a valid login name' };
    // An empty password must never reach PAM: Debian's pam_unix has `nullok`, so it would open password-less accounts.
    if (typeof password !== 'string' || password.length === 0) return { ok: false, reason: 'invalid-input', detail: 'empty password' };
    // C strings end at NUL: "right\0anything" would be checked as "right".
    if (password.includes('\0') || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
      return { ok: false, reason: 'invalid-input', detail: `password contains NUL or is longer than ${MAX_PASSWORD_BYTES} bytes` };
    }
    const rhost = opts.remoteHost && !opts.remoteHost.includes('\0') && Buffer.byteLength(opts.remoteHost) <= MAX_RHOST_BYTES ? opts.remoteHost : undefined;
    const result = await callPam(username, password, rhost);
    if (!result.ok) return result;
    // pam_authenticate alone accepts expired accounts; pam_acct_mgmt, which would refuse them, is never called.
    let status: AccountStatus;
    try {
      status = await accountCheck(username);
    } catch (error) {
      return { ok: false, reason: 'account-check-failed', detail: error instanceof Error ? error.message : String(error) };
    }
    return status.usable ? { ok: true, note: status.note } : { ok: false, reason: status.reason, detail: status.detail };
  }

  return {
    verify,
    authenticate: async (username, password, opts) => (await verify(username, password, opts)).ok,
    get pending() {
      return active + waiting.length;
    },
  };
}

const DAY_MS = 86_400_000;

/** A shadow(5) line, judged the way pam_unix's account step (check_shadow_expiry in passverify.c) judges it. */
export function parseShadowLine(line: string, now: Date = new Date()): AccountStatus {
  const f = line.trim().split(':');
  if (f.length < 8) return { usable: false, reason: 'account-check-failed', detail: 'unreadable shadow entry' };
  // Empty numeric fields mean "not set" (-1 in struct spwd).
  const num = (s: string | undefined) => (s === undefined || s === '' ? -1 : Number.isInteger(Number(s)) ? Number(s) : Number.NaN);
  const pw = f[1];
  const [lastChange, max, inactive, expire] = [num(f[2]), num(f[4]), num(f[6]), num(f[7])];
  if ([lastChange, max, inactive, expire].some(Number.isNaN)) {
    return { usable: false, reason: 'account-check-failed', detail: 'unreadable shadow entry' };
  }
  // `usermod -L` / `passwd -l` put a "!" in front of the hash.
  if (pw.startsWith('!')) return { usable: false, reason: 'account-locked' };
  const today = Math.floor(now.getTime() / DAY_MS);
  // pam_unix counts `chage -E 0` (day 0) as expired, although shadow(5) calls 0 ambiguous.
  if (expire !== -1 && today >= expire) return { usable: false, reason: 'account-expired', detail: `expired on day ${expire}` };
  // shadow(5): an empty last-change field turns password aging off.
  if (lastChange === -1) return { usable: true };
  // `passwd -e` / `chage -d 0`: a new password is required, which a web login cannot set.
  if (lastChange === 0) return { usable: false, reason: 'password-expired', detail: 'the password must be changed first' };
  if (today < lastChange) return { usable: true };
  const age = today - lastChange;
  if (max !== -1 && inactive !== -1 && age > max + inactive) {
    return { usable: false, reason: 'account-expired', detail: 'password expired and the inactivity period is over' };
  }
  if (max !== -1 && age > max) return { usable: false, reason: 'password-expired', detail: 'the password has expired' };
  return { usable: true };
}

async function runCommand(exec: Exec, cmd: string, args: string[], timeoutMs: number) {
  const out = exec(cmd, args, { env: {}, timeoutMs });
  const lines: string[] = [];
  for await (const line of out.lines) lines.push(line);
  return { lines, ...(await out.done) };
}

/**
 * The account's shadow entry through NSS (`getent shadow`, so LDAP/sssd shadow maps count too). An account found in
 * passwd but with no shadow entry (a directory that does not publish one) is let through: its own PAM module decides.
 * An account in neither is refused, and so is any failure to run the check.
 */
export async function checkShadowAccount(
  username: string,
  opts: { exec?: Exec; now?: Date; timeoutMs?: number; getent?: string } = {},
): Promise<AccountStatus> {
  const exec = opts.exec ?? spawnExec;
  const getent = opts.getent ?? 'getent';
  const timeoutMs = opts.timeoutMs ?? 5_000;
  if (!isValidUsername(username)) return { usable: false, reason: 'unknown-account', detail: 'not a valid login name' };
  const shadow = await runCommand(exec, getent, ['shadow', username], timeoutMs);
  if (shadow.code === 0) {
    const line = shadow.lines.find((l) => l.startsWith(`${username}:`));
    return line ? parseShadowLine(line, opts.now) : { usable: false, reason: 'account-check-failed', detail: 'getent printed no entry' };
  }
  // getent: 2 = no such entry (also what a non-root caller gets for /etc/shadow).
  if (shadow.code !== 2) {
    return { usable: false, reason: 'account-check-failed', detail: `getent shadow: ${shadow.error?.message ?? `exit ${shadow.code}`} ${shadow.stderr.trim()}`.trim() };
  }
  const passwd = await runCommand(exec, getent, ['passwd', username], timeoutMs);
  if (passwd.code === 0) return { usable: true, note: 'no shadow entry: expiry is left to the PAM module' };
  if (passwd.code === 2) return { usable: false, reason: 'unknown-account' };
  return { usable: false, reason: 'account-check-failed', detail: `getent passwd: ${passwd.error?.message ?? `exit ${passwd.code}`}` };
}
