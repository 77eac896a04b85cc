// Load measurement of `bregman serve` (not a test): a small model trained with the CLI, a 10,000-item index (exact
// and ANN) of rows through that model, the built server on 127.0.0.1 only, autocannon against POST /search at batch 1
// and 64 for a bounded time per case, and the same index.search in process. Prints a Markdown table and the HTTP
// overhead at batch 64: time per request (1 / requests/s, client included), HTTP over in process (target ≤ 1.25×).
// autocannon's latencies are whole milliseconds.
//
//   pnpm --filter @empirical-bregman/cli build && node apps/cli/perf/serve-load.mjs [--seconds 5] [--rounds 3]
//     [--compute-thread] [--kinds exact,ann] [--batches 1,64] [--formats json:json,npy:json,npy:npz]
//
// `--formats`: body:answer pairs. The request body as JSON (`{"queries": [[…]], "k": 10}`, the numbers as
// JSON.stringify writes float32 values, as a Python client's `json.dumps(x.tolist())` does) or as a float32 .npy
// array (`application/x-npy`, k in the query string); the answer as JSON or as .npz arrays (`Accept:
// application/x-npz`, what `np.load(io.BytesIO(body))` reads).
//
// Each case alternates in process and HTTP `--rounds` times (the median round is reported) so that a change in the
// machine's load during the run falls on both. HTTP runs with one connection (each request waits for the previous
// answer: the client's time is in the figure) and with two (the server computes one request while the next is read:
// its throughput).
//
// The floor: the same client against null-server.mjs, which holds its thread for the in-process search time of the
// round and answers as many bytes as the .npz answer. What HTTP costs on this machine around a compute that long (the
// client, loopback, waking idle cores) whatever the server does: no format can be below it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from '@empirical-bregman/common';
import { loadModel } from '@empirical-bregman/model/node';
import { initBackend } from '@empirical-bregman/runtime';
import autocannon from 'autocannon';

const HOST = '127.0.0.1'; // never any other address
const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 5;
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1]) || 3;
const listArg = (name, fallback) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1].split(',') : fallback;
const kinds = listArg('--kinds', ['exact', 'ann']);
const batches = listArg('--batches', ['1', '64']).map(Number);
const formats = listArg('--formats', ['json:json', 'npy:json', 'npy:npz']).map((f) => {
  const [body, answer] = f.split(':');
  if (!['json', 'npy'].includes(body) || !['json', 'npz'].includes(answer))
    throw new Error(`--formats: expected body:answer pairs of json|npy:json|npz, got ${f}`);
  return { name: f, body, answer };
});
// `bregman serve --compute-thread`: the model on a worker thread (the default computes on the HTTP thread).
const computeThread = process.argv.includes('--compute-thread');
const FEATURES = 16;
const CLASSES = 5;
const ITEMS = 10_000;
const K = 10;
const bin = fileURLToPath(new URL('../bin/bregman.js', import.meta.url));
const nullServerScript = fileURLToPath(new URL('./null-server.mjs', import.meta.url));
/** What the floor is measured with: a .npy body, an answer of raw bytes. */
const NULL_FORMAT = { name: 'null', body: 'npy', answer: 'bytes' };
const root = mkdtempSync(join(tmpdir(), 'eb-serve-load-'));

/** n rows of FEATURES values around a per-class centre, with their classes. */
function rows(n, seed) {
  const rng = new SeededRandom(seed);
  const values = new Float32Array(n * FEATURES);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % CLASSES;
    for (let j = 0; j < FEATURES; j++) values[i * FEATURES + j] = labels[i] * ((j % 3) - 1) + rng.normal(0, 0.5);
  }
  return { values, labels };
}
const toRows = (flat, n) =>
  Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * FEATURES, (i + 1) * FEATURES)));

function trainModel() {
  const { values, labels } = rows(1000, 1);
  const header = [...Array.from({ length: FEATURES }, (_, j) => `f${j}`), 'label'].join(',');
  const lines = toRows(values, 1000).map((r, i) => `${r.map((v) => v.toFixed(4)).join(',')},c${labels[i]}`);
  writeFileSync(join(root, 'train.csv'), `${header}\n${lines.join('\n')}\n`);
  const args = [
    'train',
    '--data',
    join(root, 'train.csv'),
    '--protocol',
    'closed-set',
    '--hidden',
    '64',
    '--embedding-dim',
    '16',
    '--icnn-hidden',
    '32',
    '--epochs',
    '2',
    '--steps-per-epoch',
    '5',
    '--patience',
    '0',
    '--batch-size',
    '50',
    '--quiet',
    '--out',
    join(root, 'runs'),
  ];
  const done = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`bregman train failed: ${done.stderr}`);
  return join(root, 'runs', readdirSync(join(root, 'runs'))[0], 'model');
}

/** The round with the median requests/s. */
function medianRound(results) {
  return [...results].sort((a, b) => a.rps - b.rps)[Math.floor(results.length / 2)];
}

/**
 * The median over rounds of (time per request over HTTP) / (time in process) of the same round: a change of the
 * machine's load between rounds falls on both sides of each ratio.
 */
function medianRatio(local, http) {
  const ratios = local.map((here, round) => here.rps / http[round].rps).sort((a, b) => a - b);
  return ratios[Math.floor(ratios.length / 2)];
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** index.search in a loop for `seconds`: requests/s, p50/p99/mean latency in ms. */
async function inProcess(index, queries) {
  for (let i = 0; i < 3; i++) await index.search(queries, { k: K }); // warm-up
  const times = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    const t0 = performance.now();
    await index.search(queries, { k: K });
    times.push(performance.now() - t0);
  }
  const total = times.reduce((a, b) => a + b, 0);
  times.sort((a, b) => a - b);
  return {
    rps: times.length / (total / 1000),
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    mean: total / times.length,
  };
}

/** `bregman serve` on 127.0.0.1:0, resolved with its URL and a stop function. */
function startServer(modelDir, indexDir) {
  return startListening([
    bin,
    'serve',
    modelDir,
    '--index',
    indexDir,
    '--host',
    HOST,
    '--port',
    '0',
    '--max-batch',
    '64',
    '--quiet',
    ...(computeThread ? ['--compute-thread'] : []),
  ]);
}

/** A node process that says "listening on http://127.0.0.1:PORT" on stderr: its URL and a stop function. */
async function startListening(args) {
  const child = spawn(process.execPath, args);
  process.once('exit', () => child.kill('SIGKILL')); // never leave a server behind this script
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t) => (stderr += t));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    child.stderr.on('data', () => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m) resolve(m[1]);
    });
    exited.then((code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  return {
    url,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A float32 [n, FEATURES] array as .npy bytes (version 1.0, the header padded to 64 bytes as NumPy writes it). */
function npyBody(flat, n) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${FEATURES}), }`;
  header += `${' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64)}\n`;
  const out = Buffer.alloc(10 + header.length + flat.byteLength);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(out);
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  Buffer.from(flat.buffer, flat.byteOffset, flat.byteLength).copy(out, 10 + header.length);
  return out;
}

/**
 * autocannon on POST url/search?query for `seconds` over `connections` connections, in `format` (body and answer;
 * a JSON body carries k itself).
 */
async function overHttp(url, queries, batch, connections, format, query = `k=${K}`) {
  const opts =
    format.body === 'npy'
      ? {
          url: `${url}/search?${query}`,
          headers: { 'content-type': 'application/x-npy' },
          body: npyBody(queries, batch),
        }
      : {
          url: `${url}/search`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ queries: toRows(queries, batch), k: K }),
        };
  if (format.answer === 'npz') opts.headers.accept = 'application/x-npz';
  Object.assign(opts, { method: 'POST', connections });
  await autocannon({ ...opts, amount: 20 }); // warm-up
  const r = await autocannon({ ...opts, duration: seconds });
  if (r.non2xx || r.errors) throw new Error(`autocannon: ${r.non2xx} non-2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average };
}

await initBackend({ quiet: true });
const modelDir = trainModel();
const model = await loadModel(modelDir);
const items = rows(ITEMS, 2);
const table = [];
const overhead64 = {};
for (const kind of kinds) {
  const built = await model.index(items.values, items.labels, { kind });
  const indexDir = join(root, `index-${kind}`);
  await built.save(indexDir);
  built.dispose();
  // In process, the index the server loads (same search settings, e.g. usearch's threads), not the one just built.
  const index = await model.loadIndex(indexDir);
  for (const batch of batches) {
    const queries = rows(batch, 3 + batch).values;
    const server = await startServer(modelDir, indexDir);
    const local = [];
    const http = Object.fromEntries(
      formats.flatMap((f) => [
        [`${f.name} 1`, []],
        [`${f.name} 2`, []],
      ]),
    );
    const floor = { 1: [], 2: [] };
    const nullServer = await startListening([nullServerScript]);
    // The floor answers as many bytes as the server's smallest answer (.npz).
    const answer = await fetch(`${server.url}/search?k=${K}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-npy', accept: 'application/x-npz' },
      body: npyBody(queries, batch),
    });
    if (answer.status !== 200 || answer.headers.get('content-type') !== 'application/x-npz')
      throw new Error(`serve-load: expected a 200 .npz answer, got ${answer.status} ${await answer.text()}`);
    const answerBytes = (await answer.arrayBuffer()).byteLength;
    for (let round = 0; round < rounds; round++) {
      const here = await inProcess(index, queries);
      local.push(here);
      for (const format of formats)
        for (const connections of [1, 2])
          http[`${format.name} ${connections}`].push(await overHttp(server.url, queries, batch, connections, format));
      for (const connections of [1, 2]) {
        const hold = `hold-ms=${here.mean}&answer-bytes=${answerBytes}`;
        floor[connections].push(await overHttp(`${nullServer.url}`, queries, batch, connections, NULL_FORMAT, hold));
      }
    }
    await Promise.all([server.stop(), nullServer.stop()]);
    const inProcessRound = medianRound(local);
    table.push({ kind, batch, where: 'in process', ...inProcessRound });
    const [floorOne, floorTwo] = [1, 2].map((c) => medianRound(floor[c]));
    table.push(
      { kind, batch, where: 'floor (null server), 1 connection', ...floorOne },
      { kind, batch, where: 'floor (null server), 2 connections', ...floorTwo },
    );
    if (batch === 64)
      overhead64[`${kind}, floor: a server that only holds its thread for the in-process time`] = {
        one: medianRatio(local, floor[1]),
        two: medianRatio(local, floor[2]),
      };
    for (const { name } of formats) {
      const [one, two] = [1, 2].map((c) => medianRound(http[`${name} ${c}`]));
      table.push(
        { kind, batch, where: `HTTP ${name}, 1 connection`, ...one },
        { kind, batch, where: `HTTP ${name}, 2 connections`, ...two },
      );
      if (batch === 64)
        overhead64[`${kind}, ${name} (body:answer)`] = {
          one: medianRatio(local, http[`${name} 1`]),
          two: medianRatio(local, http[`${name} 2`]),
        };
    }
  }
  index.dispose();
}
model.dispose();
rmSync(root, { recursive: true, force: true });

const f = (x, d = 2) => x.toFixed(d);
console.log(
  `\`bregman serve${computeThread ? ' --compute-thread' : ''}\` /search, ${ITEMS} items, embedding dim 16, k = ${K}, ${seconds} s per measurement, median of ${rounds} rounds (overheads: the median of the rounds' ratios)\n`,
);
console.log('| index | batch | where | requests/s | p50 ms | p99 ms | mean ms |');
console.log('| --- | ---: | --- | ---: | ---: | ---: | ---: |');
for (const r of table)
  console.log(`| ${r.kind} | ${r.batch} | ${r.where} | ${f(r.rps, 1)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.mean)} |`);
console.log('');
for (const [kind, ratio] of Object.entries(overhead64))
  console.log(
    `HTTP overhead at batch 64, ${kind}: time per request ${f(ratio.one)}× in process with one connection, ${f(ratio.two)}× with two (target ≤ 1.25×)`,
  );
