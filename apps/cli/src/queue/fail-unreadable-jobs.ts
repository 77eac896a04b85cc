import type { Redis } from 'ioredis';

/** BullMQ's key prefix (the default, which `bench --queue` and `worker` use). */
const PREFIX = 'bull';

/**
 * Moves the queue's active jobs whose data is not JSON to its failed set, and returns their ids. BullMQ parses a
 * job's data when a worker takes it; data that is not JSON (written to Redis by something other than `bregman bench`)
 * throws there, before any processor runs, so the job stays active forever and the worker logs the same Redis error
 * at every stall interval (seen with BullMQ 6.7). Such a job can never run: it is failed, with the reason, as a job
 * whose config is invalid would be. The move is one MULTI, and a job already gone or readable is left alone.
 */
export async function failUnreadableJobs(redis: Redis, queue: string, now = Date.now()): Promise<string[]> {
  const key = (suffix: string) => `${PREFIX}:${queue}:${suffix}`;
  const failed: string[] = [];
  for (const id of await redis.lrange(key('active'), 0, -1)) {
    const data = await redis.hget(key(id), 'data');
    if (data === null) continue;
    let reason: string | undefined;
    try {
      JSON.parse(data);
    } catch (error) {
      reason = `job ${id}: expected its data to be JSON (a job of bregman bench --queue), got text that is not (${(error as Error).message})`;
    }
    if (!reason) continue;
    const result = await redis
      .multi()
      .lrem(key('active'), 0, id)
      .del(key(`${id}:lock`))
      .hset(key(id), 'failedReason', reason, 'finishedOn', String(now))
      .zadd(key('failed'), now, id)
      .exec();
    if (result && result[0]?.[1] === 1) failed.push(id);
  }
  return failed;
}
