// W5 of the performance issue: approximate retrieval on trained embeddings of real images, through the
// Bregman → MIPS reduction and the MIPS → NN transform on the eval package's HNSW index (`BregmanAnnIndex`), next to
// exact blockwise search (`exactKnn`) on the same references, same divergence and same slot.
import { BregmanDivergence } from '@empirical-bregman/bregman-core';
import { SeededRandom } from '@empirical-bregman/common';
import { IcnnConvexFunction } from '@empirical-bregman/convex-net';
import { exactKnn } from '@empirical-bregman/search';
import { BregmanAnnIndex, neighbourRecall } from '@empirical-bregman/search/ann';
// datasets and losses are not (yet) dependencies of @empirical-bregman/perf: their builds, by path.
import { MPerClassSampler } from '@empirical-bregman/datasets';
import { loadDataset } from '@empirical-bregman/datasets/node';
import { ContrastiveLoss } from '@empirical-bregman/losses';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** Defaults of {@link runAnnWorkload}; every one can be overridden through its options. */
export const ANN_WORKLOAD_DEFAULTS = Object.freeze({
  /** Index sizes (prefixes of one shuffled reference set); the largest is the issue's 100,000. */
  sizes: [25_000, 50_000, 100_000],
  /** Search beam widths swept at every size. */
  widths: [16, 32, 64, 128, 256],
  /** Held-out queries (Fashion-MNIST test images that are neither indexed nor mirrored into the index). */
  queries: 1_000,
  k: 10,
  /** Recall@k the chosen width must reach at every size. */
  targetRecall: 0.95,
  /** Timed repetitions of every exact and ANN search (median; the issue asks for 3), after one warm-up search per index. */
  runs: 3,
  /** Training: Adam steps, batch size and samples per class of the m-per-class batches, learning rate. */
  trainSteps: 300,
  batchSize: 128,
  m: 16,
  learningRate: 1e-3,
  /** HNSW graph degree and build beam (BregmanAnnIndex's defaults). */
  connectivity: 16,
  expansionAdd: 128,
  /** usearch threads while building (0: all cores) and while searching (1: per-core, like exactKnn on tfjs-wasm). */
  buildThreads: 0,
  searchThreads: 1,
  seed: 5,
});

/**
 * W5: builds 100,000 reference embeddings of real images with a briefly trained Bregman model, indexes prefixes of
 * 25k / 50k / 100k of them with `BregmanAnnIndex`, and measures, for 1,000 held-out queries, recall@10 against
 * `exactKnn` and queries per second at several search widths, next to exact blockwise queries per second.
 *
 * The model (trained here, on Fashion-MNIST's 60,000 training images only): trunk 784 → 256 → 128 (ReLU after the
 * hidden layer) and the W1 ICNN φ on the embedding (2 hidden layers of 256, softplus, μ = 0.1), trained together
 * with the contrastive loss of the losses package under D_φ on m-per-class batches, Adam.
 *
 * The references (70,000 Fashion-MNIST images are not 100,000): all 60,000 training images, the 9,000 test images
 * that are not queries, and the horizontal mirror images of the first 31,000 training images; shuffled (seeded), so
 * every prefix mixes the three sources. The queries: 1,000 test images drawn at random (seeded), whose mirrors are
 * not indexed either.
 *
 * Queries take the left slot: items ranked by D_φ(query, item) for both the index and the exact search.
 *
 * @param tf the @tensorflow/tfjs-core module with the backend already initialised (as bench.mjs does).
 * @param options overrides of {@link ANN_WORKLOAD_DEFAULTS}, plus `log(line)` for progress lines (default none).
 * @returns rows shaped like runBregmanSuite's ({ workload, ms, reference, referenceMs, ratio, target, met, detail }):
 *   one informational row per size and width (`met: null`; extra fields n, width, recallAtK, queriesPerSecond,
 *   exactQueriesPerSecond, buildMs) and two rows held against the issue's W5 target: the smallest width with
 *   recall@k ≥ targetRecall at every size, and the item count at which that width beats exact search. Every tensor
 *   it creates is disposed before it returns.
 */
export async function runAnnWorkload(tf, options = {}) {
  const o = { ...ANN_WORKLOAD_DEFAULTS, ...options };
  const log = options.log ?? (() => {});
  const started = performance.now();
  const rng = new SeededRandom(o.seed);
  const sizes = [...o.sizes].sort((a, b) => a - b);
  const total = sizes[sizes.length - 1];

  const fashion = await loadDataset('fashion-mnist');
  const { train, test } = fashion.predefinedSplit;
  if (!Number.isInteger(o.queries) || o.queries < 1 || o.queries >= test.length) {
    throw new Error(`runAnnWorkload: expected 1 to ${test.length - 1} queries (test images), got ${o.queries}`);
  }
  const testOrder = rng.permutation(test.length);
  const queryIds = Array.from(testOrder.subarray(0, o.queries), (j) => test[j]);
  const otherTest = Array.from(testOrder.subarray(o.queries), (j) => test[j]);
  const mirrored = Math.max(0, total - train.length - otherTest.length);
  if (mirrored > train.length) {
    throw new Error(`runAnnWorkload: expected at most ${2 * train.length + otherTest.length} references, got ${total}`);
  }
  // A reference is a source image, mirrored or not: code = image index, or −(image index) − 1 for its mirror. The
  // pool is shuffled (seeded) and its first `total` entries kept (all of it at 100,000).
  const pool = new Int32Array(train.length + otherTest.length + mirrored);
  let c = 0;
  for (const i of train) pool[c++] = i;
  for (const i of otherTest) pool[c++] = i;
  for (let j = 0; j < mirrored; j++) pool[c++] = -train[j] - 1;
  const codes = rng.shuffle(pool).subarray(0, total);
  const isTest = new Uint8Array(fashion.labels.length);
  for (const i of test) isTest[i] = 1;
  const count = (keep) => codes.reduce((s, code) => s + (keep(code) ? 1 : 0), 0);
  const kilo = (v) => `${Number.isInteger(v / 1000) ? v / 1000 : (v / 1000).toFixed(1)}k`;
  const source = `Fashion-MNIST: ${kilo(count((x) => x >= 0 && !isTest[x]))} train + ${kilo(count((x) => x >= 0 && isTest[x] === 1))} test + ${kilo(count((x) => x < 0))} mirrored train images, shuffled`;
  log(`W5: ${total} references (${source}); ${o.queries} held-out test queries`);

  const model = createModel(tf, rng);
  const divergence = new BregmanDivergence(
    new IcnnConvexFunction({ dim: 128, hiddenSizes: [256, 256], activation: 'softplus', mu: 0.1, seed: o.seed }),
  );
  let references;
  let queries;
  try {
    const trainStarted = performance.now();
    const lastLoss = trainModel(tf, model, divergence, fashion, train, o);
    const trainMs = performance.now() - trainStarted;
    log(`W5: trained ${o.trainSteps} steps in ${(trainMs / 1000).toFixed(1)} s (last loss ${lastLoss.toFixed(3)})`);

    const embedStarted = performance.now();
    references = embed(tf, model, fashion.features, codes);
    queries = embed(tf, model, fashion.features, Int32Array.from(queryIds));
    log(`W5: embedded ${total + o.queries} images in ${((performance.now() - embedStarted) / 1000).toFixed(1)} s`);
    model.dispose();

    // Labels, to check the embeddings carry the classes: precision@k of the exact neighbours.
    const referenceLabels = Int32Array.from(codes, (code) => fashion.labels[code >= 0 ? code : -code - 1]);
    const queryLabels = Int32Array.from(queryIds, (i) => fashion.labels[i]);
    const labelsOf = (neighbours) => {
      let same = 0;
      for (let t = 0; t < neighbours.indices.length; t++) {
        if (referenceLabels[neighbours.indices[t]] === queryLabels[Math.floor(t / neighbours.k)]) same++;
      }
      return same / neighbours.indices.length;
    };
    const points = [];
    for (const n of sizes) {
      const items = n === total ? references : tf.slice(references, [0, 0], [n, 128]);
      try {
        points.push(...(await measureSize(divergence, items, queries, o, log, labelsOf)));
      } finally {
        if (items !== references) items.dispose();
      }
    }
    const rows = points.map((p) => ({
      workload: `W5 ANN n=${p.n / 1000}k width ${p.width}`,
      ms: p.searchMs,
      reference: 'exact blockwise',
      referenceMs: p.exactMs,
      ratio: p.searchMs / p.exactMs,
      target: '',
      met: null,
      detail: `recall@${o.k} ${p.recallAtK.toFixed(3)}; ${fmtInt(p.queriesPerSecond)} q/s vs exact ${fmtInt(p.exactQueriesPerSecond)} q/s; build ${(p.buildMs / 1000).toFixed(1)} s`,
      n: p.n,
      width: p.width,
      recallAtK: p.recallAtK,
      queriesPerSecond: p.queriesPerSecond,
      exactQueriesPerSecond: p.exactQueriesPerSecond,
      exactLabelPrecision: p.exactPrecision,
      buildMs: p.buildMs,
    }));
    rows.push(...summaryRows(points, sizes, o, source, trainMs));
    log(`W5: done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return rows;
  } finally {
    tf.dispose([references, queries].filter((t) => t !== undefined));
    model.dispose();
    divergence.dispose();
  }
}

/**
 * One size: exact search timed `runs` times (the first run's neighbours are the truth), the index build, then per
 * width `runs` timed searches after one warm-up search (the first timed search gives recall@k). Medians.
 */
async function measureSize(divergence, items, queries, o, log, labelPrecision) {
  const n = items.shape[0];
  const nq = queries.shape[0];
  const exactRuns = await timeRuns(() => exactKnn(divergence, queries, items, { k: o.k, queryIn: 'left' }), o.runs);
  const exact = exactRuns.first;
  const exactPrecision = labelPrecision(exact);
  const buildStarted = performance.now();
  const index = await BregmanAnnIndex.build(divergence, items, {
    queryIn: 'left',
    connectivity: o.connectivity,
    expansionAdd: o.expansionAdd,
    threads: o.buildThreads,
  });
  const buildMs = performance.now() - buildStarted;
  log(
    `W5: n=${n}: exact ${(exactRuns.medianMs / 1000).toFixed(2)} s per ${nq} queries (same-label precision@${o.k} ${exactPrecision.toFixed(3)}); index built in ${(buildMs / 1000).toFixed(1)} s`,
  );
  const search = () => index.search(queries, o.k, { width: o.widths[0], threads: o.searchThreads });
  await search();
  const out = [];
  for (const width of o.widths) {
    const runs = await timeRuns(() => index.search(queries, o.k, { width, threads: o.searchThreads }), o.runs);
    const point = {
      n,
      width,
      recallAtK: neighbourRecall(runs.first, exact, o.k),
      searchMs: runs.medianMs,
      exactMs: exactRuns.medianMs,
      exactPrecision,
      buildMs,
      queriesPerSecond: nq / (runs.medianMs / 1000),
      exactQueriesPerSecond: nq / (exactRuns.medianMs / 1000),
    };
    out.push(point);
    log(
      `W5: n=${n} width ${width}: recall@${o.k} ${point.recallAtK.toFixed(3)}, ${fmtInt(point.queriesPerSecond)} q/s`,
    );
  }
  return out;
}

/** Runs `fn` `runs` times; the median time in ms and the first run's result. */
async function timeRuns(fn, runs) {
  const times = [];
  let first;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const result = await fn();
    times.push(performance.now() - t0);
    if (i === 0) first = result;
  }
  times.sort((x, y) => x - y);
  return { medianMs: times[Math.floor(times.length / 2)], first };
}

/**
 * The two rows held against the W5 target. The width: the smallest whose recall@k reaches the target at every size.
 * The crossover: the item count where exact and ANN cost per query set meet (see crossoverCount).
 */
function summaryRows(points, sizes, o, source, trainMs) {
  const largest = sizes[sizes.length - 1];
  const width = o.widths.find((w) => points.filter((p) => p.width === w).every((p) => p.recallAtK >= o.targetRecall));
  const at = (w, n) => points.find((p) => p.width === w && p.n === n);
  const best = points.filter((p) => p.n === largest).reduce((a, b) => (b.recallAtK > a.recallAtK ? b : a));
  const chosen = width === undefined ? best : at(width, largest);
  const recallRow = {
    workload: `W5 ANN recall@${o.k}, ${largest / 1000}k references (${source})`,
    ms: chosen.searchMs,
    reference: 'exact blockwise',
    referenceMs: chosen.exactMs,
    ratio: chosen.recallAtK,
    target: `recall@${o.k} ≥ ${o.targetRecall} at some width`,
    met: width !== undefined,
    detail:
      width === undefined
        ? `no width of ${o.widths.join('/')} reaches ${o.targetRecall} at every size; best ${best.recallAtK.toFixed(3)} at width ${best.width}`
        : `width ${width} (smallest with recall ≥ ${o.targetRecall} at ${sizes.map((n) => `${n / 1000}k`).join('/')}: ${sizes.map((n) => at(width, n).recallAtK.toFixed(3)).join('/')}); ${fmtInt(chosen.queriesPerSecond)} q/s vs exact ${fmtInt(chosen.exactQueriesPerSecond)} q/s, ${(chosen.exactMs / chosen.searchMs).toFixed(1)}× faster; build ${(chosen.buildMs / 1000).toFixed(1)} s; model trained ${(trainMs / 1000).toFixed(0)} s, exact neighbours share the query's label ${(chosen.exactPrecision * 100).toFixed(0)}%`,
    width: width ?? null,
    recallAtK: chosen.recallAtK,
  };
  const w = chosen.width;
  const ann = sizes.map((n) => at(w, n).searchMs);
  const exact = sizes.map((n) => at(w, n).exactMs);
  const crossover = crossoverCount(sizes, ann, exact);
  const crossoverRow = {
    workload: `W5 ANN vs exact crossover (width ${w})`,
    ms: at(w, largest).searchMs,
    reference: 'exact blockwise',
    referenceMs: at(w, largest).exactMs,
    ratio: at(w, largest).searchMs / at(w, largest).exactMs,
    target: 'report the item count where ANN beats exact',
    met: crossover.n !== null,
    detail: `${crossover.how}; per ${o.queries} queries: ${sizes.map((n, i) => `${n / 1000}k ANN ${ann[i].toFixed(0)} ms / exact ${exact[i].toFixed(0)} ms`).join(', ')}`,
    crossoverItems: crossover.n,
    crossoverMethod: crossover.method,
  };
  return [recallRow, crossoverRow];
}

/**
 * The item count from which ANN (time `ann[i]` per query set at `sizes[i]`) beats exact search (`exact[i]`):
 * - measured, when the winner changes between two sizes: interpolated linearly between them;
 * - ANN already faster at the smallest size n₀: extrapolated down to n₀·A₀/E₀ (A₀, E₀ the times at n₀), an upper
 *   bound, since exact costs at least E₀·n/n₀ below n₀ (linear in n plus a query-side constant) and ANN at most A₀
 *   (its search is logarithmic in n, its query transform and re-scoring constant);
 * - exact still faster at the largest size: extrapolated with exact ≈ a + b·n and ANN ≈ c + d·ln n, least squares
 *   over the sizes with a, b, d ≥ 0.
 */
function crossoverCount(sizes, ann, exact) {
  const wins = sizes.map((_, i) => ann[i] < exact[i]);
  for (let i = 1; i < sizes.length; i++) {
    if (!wins[i - 1] && wins[i]) {
      const g0 = exact[i - 1] - ann[i - 1];
      const g1 = exact[i] - ann[i];
      const n = Math.round(sizes[i - 1] + ((sizes[i] - sizes[i - 1]) * -g0) / (g1 - g0));
      return {
        n,
        method: 'measured',
        how: `measured: ANN wins from ≈ ${fmtInt(n)} items (between ${fmtInt(sizes[i - 1])} and ${fmtInt(sizes[i])}, interpolated)`,
      };
    }
  }
  if (wins.every(Boolean)) {
    const n = Math.round((sizes[0] * ann[0]) / exact[0]);
    return {
      n,
      method: 'extrapolated',
      how: `extrapolated: ANN already wins at ${fmtInt(sizes[0])}, so from ≤ ${fmtInt(n)} items (n₀·ANN₀/exact₀: exact linear in n, ANN no dearer below n₀)`,
    };
  }
  if (wins.some(Boolean)) {
    return {
      n: null,
      method: 'inconclusive',
      how: `inconclusive: ANN wins at ${sizes.filter((_, i) => wins[i]).join('/')} but not at larger sizes (noise?)`,
    };
  }
  const linear = nonNegativeFit(sizes, exact, true);
  const logarithmic = nonNegativeFit(
    sizes.map((n) => Math.log(n)),
    ann,
    false,
  );
  const gap = (n) => linear.a + linear.b * n - (logarithmic.a + logarithmic.b * Math.log(n));
  const model = `exact ≈ ${linear.a.toFixed(0)} + ${(linear.b * 1000).toFixed(2)}·n/1000 ms, ANN ≈ ${logarithmic.a.toFixed(0)} + ${logarithmic.b.toFixed(1)}·ln n ms`;
  // exact − ANN grows without bound (b > 0 against a logarithm): bisection on ln n from the largest size.
  let lo = Math.log(sizes[sizes.length - 1]);
  let hi = Math.log(1e12);
  if (gap(Math.exp(hi)) <= 0) {
    return { n: null, method: 'extrapolated', how: `extrapolated: no crossover below 10¹² items (${model})` };
  }
  for (let it = 0; it < 100; it++) {
    const mid = (lo + hi) / 2;
    if (gap(Math.exp(mid)) > 0) hi = mid;
    else lo = mid;
  }
  const n = Math.round(Math.exp(hi));
  return { n, method: 'extrapolated', how: `extrapolated: ANN wins from ≈ ${fmtInt(n)} items (${model})` };
}

/** y ≈ a + b·x by least squares with b ≥ 0 (and a ≥ 0 when `interceptNonNegative`), refitting without the bound hit. */
function nonNegativeFit(x, y, interceptNonNegative) {
  let { a, b } = leastSquares(x, y);
  if (b < 0) {
    b = 0;
    a = y.reduce((s, v) => s + v, 0) / y.length;
  }
  if (interceptNonNegative && a < 0) {
    a = 0;
    b = x.reduce((s, v, i) => s + v * y[i], 0) / x.reduce((s, v) => s + v * v, 0);
  }
  return { a, b };
}

/** y ≈ a + b·x, least squares. */
function leastSquares(x, y) {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const b = sxx === 0 ? 0 : sxy / sxx;
  return { a: my - b * mx, b };
}

/** Trunk 784 → 256 → 128 (ReLU after the hidden layer), He-initialised from the workload's generator. */
function createModel(tf, rng) {
  const normal = (shape, std) => tf.tensor(rng.normalArray(shape[0] * shape[1], 0, std), shape);
  // tf.variable keeps its initial tensor alive beside it: create the initial values inside a tidy.
  const [w1, b1, w2, b2] = tf.tidy(() => [
    tf.variable(normal([PIXELS, 256], Math.sqrt(2 / PIXELS))),
    tf.variable(tf.zeros([256])),
    tf.variable(normal([256, 128], Math.sqrt(1 / 256))),
    tf.variable(tf.zeros([128])),
  ]);
  let disposed = false;
  return {
    variables: [w1, b1, w2, b2],
    apply: (x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2),
    dispose: () => {
      if (!disposed) tf.dispose([w1, b1, w2, b2]);
      disposed = true;
    },
  };
}

/** Adam on the trunk and φ together, contrastive loss under D_φ, m-per-class batches of the training images. */
function trainModel(tf, model, divergence, data, trainIds, o) {
  const sampler = new MPerClassSampler(data.labels, o.m, o.batchSize, { seed: o.seed, indices: trainIds });
  const loss = new ContrastiveLoss({ divergence });
  const optimizer = tf.train.adam(o.learningRate);
  const vars = [...model.variables, ...divergence.trainableVariables];
  const x = new Float32Array(o.batchSize * PIXELS);
  const labels = new Int32Array(o.batchSize);
  let last = Number.NaN;
  try {
    for (let step = 0; step < o.trainSteps; step++) {
      const batch = sampler.nextBatch();
      for (let b = 0; b < batch.length; b++) {
        x.set(data.features.subarray(batch[b] * PIXELS, (batch[b] + 1) * PIXELS), b * PIXELS);
        labels[b] = data.labels[batch[b]];
      }
      const value = optimizer.minimize(
        () => {
          const xs = tf.tensor2d(x, [o.batchSize, PIXELS]);
          return loss.compute(model.apply(xs), labels);
        },
        true,
        vars,
      );
      // One read per 50 steps (the last loss for the log), never a sync in every step.
      if (step % 50 === 49 || step === o.trainSteps - 1) last = value.dataSync()[0];
      value.dispose();
    }
  } finally {
    optimizer.dispose();
    loss.dispose();
  }
  return last;
}

/** Embeddings [codes.length, 128] of the images (code = index, or −index − 1 for the mirror image), in blocks. */
function embed(tf, model, features, codes) {
  const block = 4096;
  const parts = [];
  const x = new Float32Array(block * PIXELS);
  try {
    for (let start = 0; start < codes.length; start += block) {
      const size = Math.min(block, codes.length - start);
      for (let b = 0; b < size; b++) {
        const code = codes[start + b];
        const i = code >= 0 ? code : -code - 1;
        const image = features.subarray(i * PIXELS, (i + 1) * PIXELS);
        if (code >= 0) x.set(image, b * PIXELS);
        else
          for (let r = 0; r < SIDE; r++)
            for (let col = 0; col < SIDE; col++) x[b * PIXELS + r * SIDE + col] = image[r * SIDE + (SIDE - 1 - col)];
      }
      parts.push(tf.tidy(() => model.apply(tf.tensor2d(x.subarray(0, size * PIXELS), [size, PIXELS]))));
    }
    return tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}

const fmtInt = (v) => Math.round(v).toLocaleString('en-US');
