import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Running a command without a shell, as one injectable function: sacct, sacctmgr and getent go through it, and
 * tests pass a fake instead.
 */

export interface ExecResult {
  lines: AsyncIterable<string>;
  /** stdout as it arrives, for readers that split lines themselves (read either this or `lines`, not both). */
  stdout?: AsyncIterable<Buffer>;
  /** `code` null when the process was killed (timeout) or could not start (`error` then says why). */
  done: Promise<{ code: number | null; stderr: string; signal?: string | null; error?: Error }>;
  kill?: () => void;
}

export type Exec = (
  cmd: string,
  args: readonly string[],
  opts: { env: Record<string, string>; timeoutMs: number; signal?: AbortSignal },
) => ExecResult;

const STDERR_LIMIT = 16 * 1024;

/** Runs a command without a shell; stdout as lines, stderr kept (first 16 KiB) for error messages. */
export const spawnExec: Exec = (cmd, args, { env, timeoutMs, signal }) => {
  const child = spawn(cmd, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    signal,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += chunk;
  });
  // Made on first use, so a reader of `stdout` gets every byte; stdout stays paused until one of them reads.
  let iterator: AsyncIterator<string> | null = null;
  const lines = () => {
    // Take the iterator at once: readline drops lines emitted before its async iterator exists.
    iterator ??= createInterface({ input: child.stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();
    return iterator;
  };
  const done = new Promise<Awaited<ExecResult['done']>>((resolve) => {
    let error: Error | undefined;
    child.on('error', (err) => {
      error = err;
    });
    child.on('close', (code, sig) => resolve({ code, signal: sig, stderr, error }));
  });
  return { lines: { [Symbol.asyncIterator]: lines }, stdout: child.stdout, done, kill: () => child.kill('SIGKILL') };
};
