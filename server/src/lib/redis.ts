import { Redis } from 'ioredis';

/** The two connections a replica keeps: one in subscriber mode (it can send nothing else), one for every other command. */
export interface RedisClients {
  commands: Redis;
  subscriber: Redis;
  close(): Promise<void>;
}

type Log = { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void };

function connect(url: string, name: string, log: Log, options: { maxRetriesPerRequest: number | null }) {
  const client = new Redis(url, { connectionName: `hpc-accounting-${name}`, ...options });
  let down = false;
  // ioredis emits an error at every failed reconnect: say it once per outage, and say when it is over.
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ connection: name, err: error.message }, 'Redis unreachable; retrying');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ connection: name }, 'Redis reachable again');
  });
  return client;
}

async function quit(client: Redis) {
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
  await Promise.race([client.quit().then(() => undefined, () => undefined), timeout]);
  client.disconnect();
}

export function openRedis(url: string, log: Log): RedisClients {
  const commands = connect(url, 'commands', log, { maxRetriesPerRequest: 3 });
  // Subscribe commands wait out an outage instead of failing: nothing awaits them, and ioredis subscribes again on reconnect.
  const subscriber = connect(url, 'subscriber', log, { maxRetriesPerRequest: null });
  return {
    commands,
    subscriber,
    close: async () => {
      await Promise.all([quit(subscriber), quit(commands)]);
    },
  };
}

export type RedisCheck = { ok: true; configured: boolean } | { ok: false; configured: true; error: string };

/**
 * Readiness: Redis answers a PING on the command connection within the time given, and the subscriber connection is
 * up (a replica whose subscriber is down would miss every other replica's events). Without Redis, ready.
 */
export async function checkRedis(clients: RedisClients | null, timeoutMs = 2000): Promise<RedisCheck> {
  if (!clients) return { ok: true, configured: false };
  if (clients.subscriber.status !== 'ready') return { ok: false, configured: true, error: `subscriber connection is ${clients.subscriber.status}` };
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      clients.commands.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to PING within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return answer === 'PONG' ? { ok: true, configured: true } : { ok: false, configured: true, error: `PING answered ${answer}` };
  } catch (error) {
    return { ok: false, configured: true, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
