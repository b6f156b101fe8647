import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A real HAProxy on loopback in front of `backends`, configured as deploy/haproxy.cfg without TLS. */
export interface Balancer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function haproxyPath(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v haproxy || ls /usr/sbin/haproxy 2>/dev/null'], { encoding: 'utf8' });
  return found.stdout.trim().split('\n')[0] || null;
}

export async function startBalancer(port: number, backends: number[], healthPath = '/readyz'): Promise<Balancer> {
  const bin = haproxyPath();
  if (!bin) throw new Error('haproxy is not installed (apt-get install haproxy)');
  const dir = mkdtempSync(path.join(tmpdir(), 'hpc-acct-haproxy-'));
  const config = path.join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    `defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h

frontend accounting
  bind 127.0.0.1:${port}
  option forwardfor
  default_backend replicas

backend replicas
  balance roundrobin
  option httpchk GET ${healthPath}
  http-check expect status 200
  default-server inter 500ms fall 2 rise 1
${backends.map((p, i) => `  server r${i} 127.0.0.1:${p} check`).join('\n')}
`,
  );
  const check = spawnSync(bin, ['-c', '-f', config], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused its configuration: ${check.stderr || check.stdout}`);
  // -db: stay in the foreground, so the test owns the process and its exit.
  const child: ChildProcess = spawn(bin, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  // Ready when it forwards a request to a backend that answers.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${stderr}`);
    const ok = await fetch(`${url}${healthPath}`).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (i > 600) throw new Error(`haproxy did not forward to ${backends.join(', ')} within a minute: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
