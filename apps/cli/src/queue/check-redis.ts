import { Redis } from 'ioredis';
import { CliError } from '../cli-error';
import { type RedisTarget, redisOptions, scrubSecrets } from './redis-url';

/**
 * Connects once to the queue's Redis and sends PING, with a bounded timeout and no retries, so an unreachable or
 * misconfigured server is one clear line (UNAVAILABLE: exit code 5) before anything is written or any worker starts. The message
 * shows the URL with its password masked.
 */
export async function ensureRedisReachable(target: RedisTarget, component: string, timeoutMs = 5_000): Promise<void> {
  const client = new Redis({
    ...redisOptions(target),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's error ("connect ECONNREFUSED …") says more than connect()'s rejection ("Connection is closed");
  // the listener also keeps ioredis from logging it.
  let socketError: Error | undefined;
  client.on('error', (error: Error) => {
    socketError ??= error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const cause = socketError ?? (error as Error);
    const reason = scrubSecrets(cause.message.split('\n')[0] ?? String(cause), target);
    throw new CliError(component, 'UNAVAILABLE', `expected a reachable Redis at ${target.display}, got ${reason}`);
  } finally {
    client.disconnect();
  }
}
