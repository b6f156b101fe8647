import type { Exec } from '../lib/exec.ts';
import { type SlurmTool, SlurmSourceError } from './types.ts';

/**
 * One run of a Slurm report command (sacctmgr, sreport) whose whole answer is small enough to hold: its stdout as
 * text, or a SlurmSourceError naming the command and why it failed.
 */
export async function runToText(
  tool: SlurmTool,
  exec: Exec,
  cmd: string,
  args: readonly string[],
  opts: { env: Record<string, string>; timeoutMs: number; signal?: AbortSignal },
): Promise<string> {
  const run = exec(cmd, args, opts);
  const lines: string[] = [];
  try {
    for await (const line of run.lines) lines.push(line);
  } catch (err) {
    run.kill?.();
    await run.done;
    throw new SlurmSourceError(tool, `reading the output of ${cmd} failed: ${(err as Error).message}`, { cause: err });
  }
  const end = await run.done;
  if (end.code === 0) return lines.join('\n');
  const stderr = end.stderr.trim().replace(/\s+/g, ' ').slice(0, 300);
  let what: string;
  if (end.error) what = `could not run ${cmd}: ${end.error.message}`;
  else if (end.code === null) what = `${cmd} was killed (${end.signal ?? 'signal'}; timeout ${opts.timeoutMs} ms)`;
  else what = `${cmd} exited with code ${end.code}`;
  throw new SlurmSourceError(tool, stderr ? `${what}: ${stderr}` : what, { cause: end.error });
}
