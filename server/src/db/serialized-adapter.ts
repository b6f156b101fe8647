import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

/**
 * The better-sqlite3 adapter has one connection and locks it only for interactive transactions;
 * any other query runs on that connection in between and so becomes part of whatever transaction
 * is open, and is rolled back with it (a session or ledger write lost with someone's failed
 * receipt). Here every query outside a transaction waits until no transaction is open.
 */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

function wrapTransaction(tx: Transaction, release: () => void): Transaction {
  let released = false;
  const done = () => {
    if (!released) {
      released = true;
      release();
    }
  };
  return new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop === 'commit' || prop === 'rollback') {
        return async () => {
          try {
            await target[prop]();
          } finally {
            done();
          }
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function serialize(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const mutex = new Mutex();
  return new Proxy(adapter, {
    get(target, prop, receiver) {
      if (prop === 'queryRaw' || prop === 'executeRaw' || prop === 'executeScript') {
        return (arg: never) => mutex.run(() => (target[prop] as (a: never) => Promise<unknown>)(arg));
      }
      if (prop === 'startTransaction') {
        return async (isolationLevel?: never) => {
          const release = await mutex.acquire();
          try {
            return wrapTransaction(await target.startTransaction(isolationLevel), release);
          } catch (error) {
            release();
            throw error;
          }
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Where the adapter's one better-sqlite3 connection is put once Prisma has connected (see bulk.ts). */
export interface ConnectionSlot {
  connection?: unknown;
}

export function serializedAdapter(
  factory: SqlMigrationAwareDriverAdapterFactory,
  slot: ConnectionSlot = {},
  onConnect?: (connection: unknown) => void,
): SqlMigrationAwareDriverAdapterFactory {
  return new Proxy(factory, {
    get(target, prop, receiver) {
      if (prop === 'connect') {
        return async () => {
          const adapter = await target.connect();
          slot.connection = (adapter as { client?: unknown }).client;
          onConnect?.(slot.connection);
          return serialize(adapter);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
