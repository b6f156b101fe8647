import { DomainError } from '../errors.ts';
import { dialect } from './dialect.ts';

export interface RetryOptions {
  /** Runs at most this many times. */
  attempts?: number;
  /** Gives up sooner when this much time has passed since the first run. */
  deadlineMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Who hears of each conflict: a transaction run again, or given up on with RETRY_LATER (the metrics count them). */
const retryObservers = new Set<(outcome: 'retried' | 'gave_up') => void>();
export function observeRetries(observer: (outcome: 'retried' | 'gave_up') => void): () => void {
  retryObservers.add(observer);
  return () => void retryObservers.delete(observer);
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs a transaction again while the database reports a busy or serialization conflict: only a
 * fresh transaction can proceed, and it reads what the other one committed. After a bounded
 * number of tries the caller gets RETRY_LATER, a code that says the same request may succeed
 * later, instead of a raw driver error.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 40, deadlineMs = 10_000, now = Date.now, sleep = sleepFor } = options;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!dialect.isBusy(error)) throw error;
      if (attempt >= attempts || now() - started >= deadlineMs) {
        for (const observe of retryObservers) observe('gave_up');
        throw new DomainError('RETRY_LATER', 'the database is busy with other writes; nothing was changed, try again in a moment', {}, { cause: error });
      }
      for (const observe of retryObservers) observe('retried');
      // jittered, so processes that collided do not collide again in step
      await sleep(Math.min(20 * 2 ** attempt, 250) * (0.5 + Math.random() / 2));
    }
  }
}
