import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseNpz } from '@empirical-bregman/datasets/node';
import { loadModel } from '@empirical-bregman/model/node';
import { initBackend } from '@empirical-bregman/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../io/npy';
import { isLoopbackHost } from './listen-server';
import { BREGMAN_BIN, runBregman } from '../testing/run-bregman';
import { tableRows, trainTinyTableModel } from './serve-test-model';

// The built binary: flags and folders checked before listening, one real listen on 127.0.0.1 port 0, and SIGTERM
// while a request is in flight (the request is answered, then the process exits 0).
const root = mkdtempSync(join(tmpdir(), 'eb-serve-e2e-'));
let modelDir: string;
const indexDir = join(root, 'index');
const queries = tableRows(4, 9).rows;
const children: ChildProcess[] = [];
const execFileAsync = promisify(execFile);
/** [n · k] → n rows of k numbers. */
const rowsOf = (flat: ArrayLike<number>, k: number) =>
  Array.from({ length: flat.length / k }, (_, i) => Array.from(flat).slice(i * k, (i + 1) * k));

beforeAll(async () => {
  await initBackend({ quiet: true });
  modelDir = await trainTinyTableModel(root);
  const model = await loadModel(modelDir);
  const items = tableRows(50, 3);
  const index = await model.index(items.rows, items.labels);
  await index.save(indexDir);
  index.dispose();
  model.dispose();
}, 120_000);
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** Starts `bregman serve` and resolves with its URL (from the start line on stderr) and a live view of stderr. */
function startServer(args: string[]) {
  const child = spawn(process.execPath, [BREGMAN_BIN, 'serve', ...args]);
  children.push(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', () => {
      const found = /listening on (http:\/\/\S+)/.exec(stderr);
      if (found) resolve(found[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}

describe('bregman serve (built binary)', () => {
  it('usage errors exit 2, a missing model or index folder exits 3 — each one line', async () => {
    for (const flags of [
      ['--port', '70000'],
      ['--max-batch', '0'],
      ['--max-queue', '-1'],
      ['--max-body', 'lots'],
      ['--host', 'a b'],
    ]) {
      const done = await runBregman(['serve', modelDir, ...flags]);
      expect(done.status, `${flags}: ${done.stderr}`).toBe(2);
      expect(done.stderr.trim().split('\n')).toHaveLength(1);
    }
    const missing = await runBregman(['serve', join(root, 'nope')]);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/expected a model folder, got no folder/);
    expect((await runBregman(['serve', modelDir, '--index', join(root, 'nope')])).status).toBe(3);
  });

  it('an index folder that does not load is one line and exit 3, in this thread and on the compute thread (--compute-thread)', async () => {
    const notAnIndex = mkdtempSync(join(root, 'not-an-index-'));
    writeFileSync(join(notAnIndex, 'index.json'), '{"format": "something else"}');
    const model = await loadModel(modelDir);
    const inProcess = await model.loadIndex(notAnIndex).then(
      () => null,
      (error: Error) => error.message,
    );
    model.dispose();
    expect(inProcess).not.toBeNull();
    for (const where of [[], ['--compute-thread']]) {
      const done = await runBregman(['serve', modelDir, '--index', notAnIndex, '--port', '0', '--quiet', ...where]);
      expect(done.status, `${where}: ${done.stderr}`).toBe(3);
      expect(done.stderr.trim().split('\n')).toEqual([`bregman: ${inProcess}`]);
    }
  });

  it.each([
    ['in this thread', []],
    ['on the compute thread', ['--compute-thread']],
  ])(
    'listens on 127.0.0.1 (said on stderr), serves /search (%s) as the saved index answers in process, stops on SIGTERM',
    async (_where, flags) => {
      const server = startServer([modelDir, '--index', indexDir, '--port', '0', '--quiet', ...flags]);
      const url = await server.url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.stderr()).toMatch(/exact index of 50 items/);
      expect(server.stderr()).not.toMatch(/warning/);
      const reply = await fetch(`${url}/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ queries, k: 5 }),
      });
      expect(reply.status).toBe(200);
      const model = await loadModel(modelDir);
      const index = await model.loadIndex(indexDir);
      const ref = await index.search(queries, { k: 5 });
      const { results } = (await reply.json()) as { results: Array<{ indices: number[]; divergences: number[] }> };
      expect(results.flatMap((r) => r.indices)).toEqual(Array.from(ref.indices));
      expect(results.flatMap((r) => r.divergences)).toEqual(Array.from(ref.divergences));
      // The same rows as a .npy body over the socket (k in the query string): the same answer.
      const npy = await fetch(`${url}/search?k=5`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-npy' },
        body: encodeNpy(Float32Array.from(queries.flat()), [queries.length, queries[0]!.length]),
      });
      expect(npy.status).toBe(200);
      expect(((await npy.json()) as { results: unknown }).results).toEqual(results);
      // Binary both ways: .npy rows in, the answer as .npz arrays [queries, k].
      const npz = await fetch(`${url}/search?k=5`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-npy', accept: 'application/x-npz' },
        body: encodeNpy(Float32Array.from(queries.flat()), [queries.length, queries[0]!.length]),
      });
      expect(npz.headers.get('content-type')).toBe('application/x-npz');
      const arrays = parseNpz(new Uint8Array(await npz.arrayBuffer()), 'answer');
      expect(arrays.get('indices')).toMatchObject({ shape: [queries.length, 5], data: ref.indices });
      expect(arrays.get('divergences')).toMatchObject({ shape: [queries.length, 5], data: ref.divergences });
      index.dispose();
      model.dispose();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    },
    60_000,
  );

  it("the README's Python client (numpy, .npy rows in, .npz arrays out) reads index.search's answer", async () => {
    // The block after "From Python, binary both ways" in this app's README, run as written with /usr/bin/python3
    // (python3-numpy is a prerequisite of the test command), against this server instead of port 8765.
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const block = /From Python, binary both ways[\s\S]*?```python\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'the Python block of the README').toBeDefined();
    const server = startServer([modelDir, '--index', indexDir, '--port', '0', '--quiet']);
    const url = await server.url;
    const script = [
      'import json, numpy as np',
      `queries = np.array(${JSON.stringify(queries)})`,
      block!.replaceAll('http://127.0.0.1:8765', url),
      'print(json.dumps({name: [str(answer[name].dtype), answer[name].tolist()] for name in answer.files}))',
    ].join('\n');
    const { stdout } = await execFileAsync('/usr/bin/python3', ['-c', script]);
    const answer = JSON.parse(stdout) as Record<string, [string, number[][]]>;
    const model = await loadModel(modelDir);
    const index = await model.loadIndex(indexDir);
    const ref = await index.search(queries, { k: 10 });
    expect(answer.indices).toEqual(['int32', rowsOf(ref.indices, 10)]);
    expect(answer.divergences).toEqual(['float32', rowsOf(ref.divergences, 10)]);
    expect(answer.labels).toEqual(['int32', rowsOf(ref.labels!, 10)]);
    index.dispose();
    model.dispose();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 60_000);

  it('SIGTERM during a request: stops accepting, answers the request in flight, exits 0', async () => {
    const server = startServer([modelDir, '--index', indexDir, '--port', '0', '--quiet', '--test-hold-ms', '1500']);
    const url = await server.url;
    const inFlight = fetch(`${url}/embed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: queries }),
    });
    await expect.poll(() => server.stderr(), { timeout: 10_000 }).toMatch(/holding a request/);
    server.child.kill('SIGTERM');
    await expect.poll(() => server.stderr(), { timeout: 10_000 }).toMatch(/SIGTERM: finishing/);
    await expect(fetch(`${url}/health`)).rejects.toThrow(); // no longer accepting
    const reply = await inFlight;
    expect(reply.status).toBe(200);
    expect(((await reply.json()) as { embeddings: number[][] }).embeddings).toHaveLength(queries.length);
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toMatch(/stopped/);
  }, 60_000);

  it('loopback hosts are told from others (a non-loopback --host prints a warning)', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.org']) expect(isLoopbackHost(host)).toBe(false);
  });
});
