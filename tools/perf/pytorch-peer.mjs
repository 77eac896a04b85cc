// `bench:perf --peer pytorch`: the PyTorch peer process (pytorch_peer.py) behind a small interface the suites time
// against. A peer that cannot start is a normal state, not an error: `available` is false and `reason` says why.
import { fileURLToPath } from 'node:url';
import { EmpiricalBregmanError } from '@empirical-bregman/common';
import { findTorchPython } from './find-torch-python.mjs';
import { LinePeer } from './line-peer.mjs';

export const PYTORCH_PEER_SCRIPT = fileURLToPath(new URL('./pytorch_peer.py', import.meta.url));

/**
 * libgomp's threads spin while they wait for work by default. Measured here while another job held both cores: W1
 * on 2 threads took ~800 ms a step spinning, 17 ms passive (1 thread: 17 ms), so the spinning figure measures the
 * scheduler, not PyTorch. Passive waiting costs a wake-up per parallel region on an idle machine.
 */
const OMP_WAIT_POLICY = 'PASSIVE';

export class PytorchPeer {
  constructor({ connection, python, reason }) {
    this.connection = connection;
    this.python = python;
    this.notStarted = reason;
  }

  /** True while the peer can still answer. */
  get available() {
    return this.connection !== null && this.connection.failure === null;
  }

  /** Why the peer cannot answer (one line), or null. */
  get reason() {
    if (this.notStarted !== undefined) return this.notStarted;
    return this.connection.failure === null ? null : this.connection.failureError().message;
  }

  /** The JSON document's `peer`: interpreter and versions, or the reason there is no peer. */
  describe() {
    if (this.connection === null) return { name: 'pytorch', error: this.reason };
    const { torch, python } = this.connection.hello;
    return {
      name: 'pytorch',
      interpreter: this.python,
      torch,
      python,
      ompWaitPolicy: OMP_WAIT_POLICY,
      ...(this.available ? {} : { error: this.reason }),
    };
  }

  /**
   * Runs `workload` `runs` times back to back on `threads` threads (after its setup, on the first request) and
   * resolves to the peer's own milliseconds of each run. Rejects when the peer fails or answers with an error.
   */
  async time(workload, { threads, runs = 1, n, timeoutMs = 300_000 }) {
    if (this.connection === null) throw new EmpiricalBregmanError('PyTorch peer', 'UNAVAILABLE', this.reason);
    const reply = await this.connection.request(
      { workload, runs, threads, ...(n === undefined ? {} : { n }) },
      { what: `${workload} on ${threads} thread${threads === 1 ? '' : 's'}`, timeoutMs },
    );
    const ms = reply.ms;
    if (!Array.isArray(ms) || ms.length !== runs || !ms.every((t) => Number.isFinite(t) && t >= 0)) {
      throw new EmpiricalBregmanError(
        'PyTorch peer',
        'BAD_FORMAT',
        `expected ${runs} times in ms for ${workload}, got ${JSON.stringify(reply).slice(0, 80)}`,
      );
    }
    return ms;
  }

  /** D[i][j] = D_φ(a_i, b_j) computed by the peer for the ICNN `generator` (IcnnConvexFunction's toJSON()). */
  async pairwise(generator, a, b) {
    if (this.connection === null) throw new EmpiricalBregmanError('PyTorch peer', 'UNAVAILABLE', this.reason);
    return (await this.connection.request({ pairwise: { generator, a, b } }, { what: 'pairwise' })).pairwise;
  }

  async close() {
    await this.connection?.close();
  }
}

/**
 * Starts the PyTorch peer: finds an interpreter that imports torch (see find-torch-python), runs `script` in it
 * and waits for its ready line. Never rejects: a peer that cannot start comes back unavailable, with its reason.
 *
 * @param env environment of the search and of the peer (BREGMAN_PYTHON, PATH); default `process.env`.
 * @param candidates interpreters tried when BREGMAN_PYTHON is not set (default python3, /usr/bin/python3).
 * @param script the peer's program (default pytorch_peer.py beside this file).
 */
export async function startPytorchPeer({ env = process.env, candidates, script = PYTORCH_PEER_SCRIPT } = {}) {
  const found = findTorchPython({ env, candidates });
  if (found.reason !== undefined) return new PytorchPeer({ connection: null, reason: found.reason });
  try {
    const connection = await LinePeer.start({
      name: 'PyTorch peer',
      command: found.python,
      args: [script],
      env: { ...env, OMP_WAIT_POLICY },
    });
    return new PytorchPeer({ connection, python: found.python });
  } catch (error) {
    return new PytorchPeer({ connection: null, reason: error instanceof Error ? error.message : String(error) });
  }
}
