import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';

/**
 * Structured JSON logs to stdout and to a daily-rotated file under the instance directory
 * (pino-roll keeps the last 14 files), so an operator has history without a log shipper.
 */
export function createLogger(instanceDir: string, level: string) {
  const dir = path.join(instanceDir, 'logs');
  mkdirSync(dir, { recursive: true });
  return pino(
    { level },
    pino.transport({
      targets: [
        { target: 'pino/file', level, options: { destination: 1 } },
        {
          target: 'pino-roll',
          level,
          options: { file: path.join(dir, 'server'), extension: '.log', frequency: 'daily', size: '50m', limit: { count: 14 }, mkdir: true },
        },
      ],
    }),
  );
}
