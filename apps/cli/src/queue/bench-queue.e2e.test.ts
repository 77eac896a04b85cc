import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAME } from './queue-job';
import { BREGMAN_BIN } from '../testing/run-bregman';
import { waitFor } from '../testing/wait-for';

// The real thing: a redis-server on a random port, `bregman worker` processes and `bregman bench --queue`, all from
// the built binary. `pnpm test` installs redis-server first (tools/prereqs); without it these tests fail, never skip.
const root = mkdtempSync(join(tmpdir(), 'eb-queue-'));
const PASSWORD = 's3cret-pw';
const children: ChildProcess[] = [];
let redis: ChildProcess | undefined;
let port = 0;

/** A 6-run grid of tiny runs (Wine, 3 epochs of 25 steps), long enough to kill a worker in the middle of a run. */
const GRID = ['bench', '--suite', 'standard', '--datasets', 'wine', '--divergences', 'euclidean,cosine,mahalanobis'];
const gridArgs = () => [...GRID, '--seeds', '2', '--config', join(root, 'tiny.json')];

function url(db: number, password = PASSWORD): string {
  return `redis://:${password}@127.0.0.1:${port}/${db}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Cli {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exit: Promise<number | null>;
}

function start(args: string[], cwd?: string): Cli {
  const child = spawn(process.execPath, [BREGMAN_BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
  });
  children.push(child);
  const cli: Cli = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    cli.stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    cli.stderr += chunk.toString();
  });
  return cli;
}

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = start(args);
  const code = await cli.exit;
  return { code, stdout: cli.stdout, stderr: cli.stderr };
}

function startWorker(db: number): Cli {
  // Started in the test's folder: a worker writes the submitter's run folders only inside the folder it runs in.
  return start(['worker', '--queue', url(db), '--stall-timeout', '3'], root);
}

async function stop(cli: Cli): Promise<void> {
  if (cli.child.exitCode !== null || cli.child.signalCode !== null) return;
  cli.child.kill('SIGTERM');
  await cli.exit;
}

/** The only bench folder under `out` (runs/<timestamp>-bench-standard). */
function benchFolders(out: string): string[] {
  return existsSync(out)
    ? readdirSync(out)
        .filter((d) => d.includes('-bench-'))
        .sort()
        .map((d) => join(out, d))
    : [];
}

/** results.md without its "Suite: … · backend · timestamp" line. */
function table(benchDir: string): string {
  return readFileSync(join(benchDir, 'results.md'), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('Suite:'))
    .join('\n');
}

interface BenchRunJson {
  dataset: string;
  protocol: string;
  divergence: string;
  seed: number;
  model: string;
  querySlot?: string;
  runDir?: string;
  metrics: Record<string, number>;
}

function runsOf(benchDir: string): BenchRunJson[] {
  const data = JSON.parse(readFileSync(join(benchDir, 'results.json'), 'utf8')) as { runs: BenchRunJson[] };
  return data.runs.map(({ runDir: _runDir, ...rest }) => rest);
}

function startedJobs(log: string): string[] {
  return [...log.matchAll(/worker: started (\S+) \(job/g)].map((m) => m[1]!);
}

let inProcess = '';
/** The two grid tests run 12 tiny runs each on 2 shared cores (about a minute when the machine is quiet). */
const LONG = 300_000;

beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL('../../dist/queue-processor.js', import.meta.url)))) {
    throw new Error('apps/cli/dist is missing: run `pnpm build` first (turbo does it before `pnpm test`)');
  }
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'redis-server is not installed: the job-queue tests need a real Redis (Debian: apt-get install redis-server; pnpm test installs it as root)',
    );
  }
  writeFileSync(
    join(root, 'tiny.json'),
    JSON.stringify({ epochs: 3, stepsPerEpoch: 25, patience: 0, hidden: [16], embeddingDim: 4 }),
  );
  port = await freePort();
  const dataDir = join(root, 'redis');
  mkdirSync(dataDir, { recursive: true });
  const server = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dataDir,
      '--requirepass',
      PASSWORD,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  redis = server;
  let log = '';
  server.stdout!.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  await waitFor(() => log.includes('Ready to accept connections') || server.exitCode !== null, 20_000, 'redis-server');
  if (server.exitCode !== null) throw new Error(`redis-server did not start: ${log.slice(-500)}`);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (redis && redis.exitCode === null) {
    const exited = new Promise((resolve) => redis!.on('exit', resolve));
    redis.kill('SIGTERM');
    await exited;
  }
  rmSync(root, { recursive: true, force: true });
});

describe.sequential('bregman bench --queue and bregman worker (BullMQ on a real redis-server)', () => {
  let workers: Cli[] = [];
  const queueOut = () => join(root, 'queue');

  it(
    'a 6-run grid over 2 worker processes gives the table of the in-process run',
    async () => {
      const local = await run([...gridArgs(), '--out', join(root, 'local'), '--workers', '2', '--quiet']);
      expect(local.code, local.stderr).toBe(0);
      inProcess = benchFolders(join(root, 'local'))[0]!;

      workers = [startWorker(0), startWorker(0)];
      const queued = await run([...gridArgs(), '--out', queueOut(), '--queue', url(0)]);
      expect(queued.code, [queued.stderr, ...workers.map((w) => w.stderr)].join('\n')).toBe(0);
      const [benchDir] = benchFolders(queueOut());
      expect(table(benchDir!)).toBe(table(inProcess));
      expect(runsOf(benchDir!)).toEqual(runsOf(inProcess));
      expect(queued.stdout).toBe(
        readFileSync(join(benchDir!, 'results.md'), 'utf8') + `\nbench folder: ${benchDir} (open report.html)\n`,
      );
      // Progress as plain lines (stderr is not a terminal), the last one all done.
      expect(queued.stderr).toContain('queue: 6/6 done, 0 running, 0 failed, 0 queued');
      // Both workers took jobs, and no run was executed twice.
      const started = workers.map((w) => startedJobs(w.stderr));
      expect(started.every((names) => names.length > 0)).toBe(true);
      expect(started.flat().sort()).toEqual([...new Set(started.flat())].sort());
      expect(started.flat()).toHaveLength(6);
      // Which host and backend ran each job.
      const record = JSON.parse(readFileSync(join(benchDir!, 'queue.json'), 'utf8'));
      expect(record.jobs).toHaveLength(6);
      for (const job of record.jobs) expect(job.backend.backend).toBeTruthy();
      // The password is never printed.
      for (const text of [queued.stdout, queued.stderr, ...workers.map((w) => w.stderr)]) {
        expect(text).not.toContain(PASSWORD);
      }
      expect(queued.stderr).toContain(`redis://:***@127.0.0.1:${port}/0`);
    },
    LONG,
  );

  it('submitting the same grid again reuses the finished results: no run is executed twice', async () => {
    const runsDir = join(queueOut(), 'queue');
    const stamps = () =>
      readdirSync(runsDir).map((d) => [d, statSync(join(runsDir, d, 'results.json')).mtimeMs] as const);
    const before = stamps();
    expect(before).toHaveLength(6);
    const again = await run([...gridArgs(), '--out', queueOut(), '--queue', url(0)]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('6 jobs (6 already finished)');
    expect(stamps()).toEqual(before);
    expect(workers.flatMap((w) => startedJobs(w.stderr))).toHaveLength(6);
    const [first, second] = benchFolders(queueOut());
    expect(table(second!)).toBe(table(first!));
  });

  it('a malformed job payload fails at once with a clear message; the worker keeps going', async () => {
    const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port, password: PASSWORD } });
    try {
      const badOut = join(root, 'bad');
      await queue.add(
        'run',
        { version: 1, config: { dataset: 'wine', epochs: 0 }, outDir: badOut, runFolder: 'bad-run' },
        { jobId: 'bad-config', attempts: 3 },
      );
      await queue.add('run', 'not a payload', { jobId: 'bad-shape', attempts: 3 });
      // A folder outside the worker's root (it was started in `root`): refused, not written.
      const outside = join(tmpdir(), `eb-outside-${process.pid}`);
      await queue.add(
        'run',
        { version: 1, config: { dataset: 'wine' }, outDir: outside, runFolder: 'escape' },
        { jobId: 'outside', attempts: 3 },
      );
      // Data that is not JSON at all (written by something other than bench): BullMQ cannot even parse it.
      await queue.pause();
      await queue.add('run', { version: 1 }, { jobId: 'not-json', attempts: 3 });
      const raw = new Redis({ host: '127.0.0.1', port, password: PASSWORD });
      await raw.hset(`bull:${QUEUE_NAME}:not-json`, 'data', 'not json {');
      raw.disconnect();
      await queue.resume();
      const ids = ['bad-config', 'bad-shape', 'outside', 'not-json'];
      for (const started = Date.now(); ; ) {
        const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
        if (states.every((s) => s === 'failed')) break;
        if (Date.now() - started > 30_000) throw new Error(`expected every job to fail, got ${states.join(', ')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const escaped = await queue.getJob('outside');
      expect(escaped!.failedReason).toMatch(
        /^job outside: expected "outDir" inside the worker's root .* \(start the worker there, or give it --out DIR\), got /,
      );
      expect(existsSync(outside)).toBe(false);
      const unreadable = await new Redis({ host: '127.0.0.1', port, password: PASSWORD, lazyConnect: false });
      expect(await unreadable.hget(`bull:${QUEUE_NAME}:not-json`, 'failedReason')).toMatch(
        /^job not-json: expected its data to be JSON \(a job of bregman bench --queue\), got text that is not/,
      );
      unreadable.disconnect();
      expect(workers.map((w) => w.stderr).join('')).toContain('failed job not-json: its data is not JSON');
      const config = await queue.getJob('bad-config');
      expect(config!.failedReason).toBe('job bad-config config: "epochs" must be ≥ 1; got 0');
      expect(config!.attemptsMade).toBe(1);
      const shape = await queue.getJob('bad-shape');
      expect(shape!.failedReason).toBe('job bad-shape: expected a payload object, got "not a payload"');
      expect(existsSync(badOut)).toBe(false);
      for (const w of workers) expect(w.child.exitCode).toBeNull();
      expect(workers.map((w) => w.stderr).join('')).toContain('"epochs" must be ≥ 1; got 0');
    } finally {
      await queue.close();
    }
    await Promise.all(workers.map(stop));
  });

  it(
    'a worker killed with SIGKILL mid-run: the grid completes, each run once, the killed run as if uninterrupted',
    async () => {
      // A fresh queue (database 1) and folder: the same grid runs again from scratch.
      const out = join(root, 'kill');
      const [a, b] = [startWorker(1), startWorker(1)];
      const bench = start([...gridArgs(), '--out', out, '--queue', url(1)]);
      let victim = '';
      await waitFor(
        () => {
          const name = startedJobs(a.stderr).at(-1);
          const runsDir = join(out, 'queue');
          if (!name || !existsSync(runsDir)) return false;
          const folder = readdirSync(runsDir).find((d) => d.startsWith(`${name}-`));
          if (!folder) return false;
          const metrics = join(runsDir, folder, 'metrics.jsonl');
          // Epoch 0 and epoch 1 are done (a checkpoint exists), epochs 2 and 3 are not.
          if (!existsSync(metrics) || readFileSync(metrics, 'utf8').trim().split('\n').length !== 2) return false;
          victim = name;
          return true;
        },
        60_000,
        'a checkpoint of a run of the first worker',
      );
      a.child.kill('SIGKILL');
      expect(await a.exit).toBeNull();
      const code = await bench.exit;
      expect(code, [bench.stderr, a.stderr, b.stderr].join('\n')).toBe(0);
      const [benchDir] = benchFolders(out);
      expect(runsOf(benchDir!)).toEqual(runsOf(inProcess));
      expect(table(benchDir!)).toBe(table(inProcess));
      const record = JSON.parse(readFileSync(join(benchDir!, 'queue.json'), 'utf8'));
      const killed = record.jobs.find((j: { name: string }) => j.name === victim);
      expect(killed.resumedFromEpoch).toBeGreaterThanOrEqual(1);
      expect(b.stderr).toContain('lost its worker');
      // Every other run was executed exactly once.
      const started = [...startedJobs(a.stderr), ...startedJobs(b.stderr)];
      expect(started.filter((n) => n === victim)).toHaveLength(2);
      expect(started.filter((n) => n !== victim).sort()).toEqual(
        [...new Set(started.filter((n) => n !== victim))].sort(),
      );
      expect(new Set(started).size).toBe(6);
      await stop(b);
    },
    LONG,
  );

  it('an unreachable Redis or a wrong password: one clear line, exit code 5 (unavailable), nothing written', async () => {
    const closed = await freePort();
    const out = join(root, 'unreachable');
    const bench = await run([...gridArgs(), '--out', out, '--queue', `redis://:${PASSWORD}@127.0.0.1:${closed}`]);
    expect(bench.code).toBe(5);
    expect(bench.stderr).toBe(
      `bregman: bench --queue: expected a reachable Redis at redis://:***@127.0.0.1:${closed}/0, got connect ECONNREFUSED 127.0.0.1:${closed}\n`,
    );
    expect(existsSync(out)).toBe(false);
    const wrong = await run([...gridArgs(), '--out', out, '--queue', url(0, 'wrong-password')]);
    expect(wrong.code).toBe(5);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stderr).toMatch(/expected a reachable Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0, got WRONGPASS/);
    expect(wrong.stderr).not.toContain('wrong-password');
    expect(existsSync(out)).toBe(false);
    const worker = await run(['worker', '--queue', `redis://:${PASSWORD}@127.0.0.1:${closed}`]);
    expect(worker.code).toBe(5);
    expect(worker.stderr).toMatch(
      /^bregman: worker: expected a reachable Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0, got connect ECONNREFUSED/,
    );
    expect(worker.stderr).not.toContain(PASSWORD);
  });
});
