/**
 * A cluster user logs into the real server with their Linux password (PAM), is created on first
 * login, and gets their role from Slurm's AdminLevel through sacctmgr. Needs root (to set the
 * test accounts' passwords and to let PAM read /etc/shadow) and the Slurm of tests/system/slurm/up.sh.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../server/src/app.ts';
import { loadConfig } from '../../server/src/config.ts';
import { findSandbox, type SandboxEnv } from './slurm/sandbox.ts';

const root = process.getuid?.() === 0;
const sandbox = findSandbox();
if (!root) console.warn('PAM login test skipped: it must run as root (tests/system/run.sh)');
if (!sandbox.ok && process.env.HPC_SLURM_REQUIRED === '1') {
  describe('real Slurm', () => {
    it('is up', () => {
      throw new Error(sandbox.reason);
    });
  });
}

// Passwords of the sandbox's own accounts; set here, as the accounts exist only for tests.
const PASSWORDS: Record<string, string> = { alice: 'Alice-pam-9x', admin1: 'Admin1-pam-7q', oper: 'Oper-pam-5z' };

describe.skipIf(!root || !sandbox.ok)('PAM login into the server, roles from Slurm', () => {
  let app: App;
  let dir: string;
  let base: string;
  let csrf: string;

  beforeAll(async () => {
    const env = (sandbox as { env: SandboxEnv }).env;
    execFileSync('chpasswd', { input: Object.entries(PASSWORDS).map(([u, p]) => `${u}:${p}`).join('\n') });
    dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-pam-'));
    process.env.SLURM_CONF = env.slurmConf;
    const config = loadConfig({
      INSTANCE_DIR: dir,
      ADMIN_PASSWORD: 'local-admin-pass',
      WEB_HANDLER: '',
      SYNC_INTERVAL_SEC: '0',
      SLURM_SOURCES: 'csv',
      PORT: '0',
      HOST: '127.0.0.1',
      PAM_SERVICE: 'login',
      ROLES_FROM_SLURM: '1',
      DEFAULT_TIER: 'gov',
    });
    app = await buildApp(config, { logger: pino({ level: 'silent' }) });
    const { port } = await app.start();
    base = `http://127.0.0.1:${port}`;
    const res = await fetch(`${base}/login`);
    csrf = /csrf=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1];
  });
  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const login = (username: string, password: string) =>
    fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', origin: base, cookie: `csrf=${csrf}`, 'x-csrf-token': csrf },
      body: JSON.stringify({ username, password }),
    });

  it('logs a cluster user in with the real password and creates the account with the default tier', async () => {
    const res = await login('alice', PASSWORDS.alice);
    expect(await res.json()).toEqual({ ok: true, redirect: '/playground' });
    const user = await app.db.user.findUniqueOrThrow({ where: { username: 'alice' } });
    expect(user).toMatchObject({ origin: 'pam', role: 'user', tier: 'gov', passwordHash: null });
    const audit = await app.db.auditEntry.findFirstOrThrow({ where: { action: 'auth.login.success', target: 'alice' } });
    expect(JSON.parse(audit.extra)).toEqual({ method: 'pam' });
  });

  it('refuses a wrong password with the generic answer', async () => {
    const res = await login('alice', 'not-her-password');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ ok: false, code: 'INVALID_CREDENTIALS' });
  });

  it('gives Slurm administrators and operators their role at login', async () => {
    expect((await login('admin1', PASSWORDS.admin1)).status).toBe(200);
    expect((await login('oper', PASSWORDS.oper)).status).toBe(200);
    const roles = Object.fromEntries((await app.db.user.findMany({ where: { origin: 'pam' } })).map((u) => [u.username, u.role]));
    expect(roles).toMatchObject({ alice: 'user', admin1: 'admin', oper: 'operator' });
  });
});
