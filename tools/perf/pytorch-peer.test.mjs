import { mkdtempSync, readFileSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { timeInterleaved } from './harness.mjs';
import { PEER_COLUMNS, peerCells, peerEntries, peerFields } from './peer-columns.mjs';
import { startPytorchPeer } from './pytorch-peer.mjs';
import { writeFakePython } from './testing/fake-python.mjs';

// Every peer here is a real child process (testing/fake-peer.mjs behind a fake interpreter) speaking the protocol.
const dir = mkdtempSync(join(tmpdir(), 'eb-peer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const started = [];
afterEach(async () => {
  for (const peer of started.splice(0)) await peer.close();
});

let fakes = 0;
/** A started peer: the fake interpreter (a new one per call) running fake-peer.mjs with `peerArgs`. */
async function fakePeer(peerArgs = []) {
  const fakePython = writeFakePython(dir, `python-${++fakes}`, { torch: true, peerArgs });
  const peer = await startPytorchPeer({ env: { PATH: process.env.PATH, BREGMAN_PYTHON: fakePython } });
  started.push(peer);
  return peer;
}

describe('the PyTorch peer process', () => {
  it('starts, reports its versions and times a workload run by run', async () => {
    const peer = await fakePeer(['--ms', '6.5']);
    expect(peer.available).toBe(true);
    expect(peer.describe()).toEqual({
      name: 'pytorch',
      interpreter: expect.stringMatching(/python-\d+$/),
      torch: '0.0-fake',
      python: 'fake',
      ompWaitPolicy: 'PASSIVE',
    });
    expect(await peer.time('W2', { threads: 1, runs: 3 })).toEqual([6.5, 6.5, 6.5]);
  });

  it('is unavailable, with the child’s own reason, when the interpreter cannot import torch at start', async () => {
    const peer = await fakePeer(['--fail-start']);
    expect(peer.available).toBe(false);
    expect(peer.reason).toBe(
      "PyTorch peer: expected a ready line, got cannot import torch: ModuleNotFoundError: No module named 'torch'",
    );
    expect(peer.describe()).toEqual({ name: 'pytorch', error: peer.reason });
  });

  it('answers an error for one workload and goes on with the next', async () => {
    const peer = await fakePeer();
    await expect(peer.time('W9', { threads: 1 })).rejects.toThrow(
      'PyTorch peer: expected W9 on 1 thread, got error ValueError: expected workload W1, W1-trunk or W2, got W9',
    );
    expect(peer.available).toBe(true);
    expect(await peer.time('W1', { threads: 2 })).toEqual([8]);
  });

  it('says it crashed, with its exit code and last stderr line, and refuses later requests with the same reason', async () => {
    const peer = await fakePeer();
    const reason = 'PyTorch peer: expected an answer to crash on 1 thread, got exit 3: RuntimeError: fake crash';
    await expect(peer.time('crash', { threads: 1 })).rejects.toThrow(reason);
    expect(peer.available).toBe(false);
    expect(peer.reason).toBe(reason);
    await expect(peer.time('W1', { threads: 1 })).rejects.toThrow(reason);
  });

  it('stops a peer that does not answer in time', async () => {
    const peer = await fakePeer();
    await expect(peer.time('hang', { threads: 1, timeoutMs: 300 })).rejects.toThrow(
      'PyTorch peer: expected an answer to hang on 1 thread within 0.3 s, got none (stopped it)',
    );
    expect(peer.available).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(peer.connection.child.signalCode).toBe('SIGKILL');
  });
});

describe('rounds with the peer', () => {
  it('alternate a round of ours with a round of the peer’s, warm-up included', async () => {
    const log = join(dir, 'order.log');
    const peer = await fakePeer(['--log', log]);
    const ours = (name) => () => appendFileSync(log, `ours ${name}\n`);
    await timeInterleaved(
      [
        ours('W1'),
        ours('W1-trunk'),
        ...peerEntries(peer, 'W1', { threads: 1 }),
        ...peerEntries(peer, 'W1-trunk', { threads: 1 }),
      ],
      { runs: 2, warmup: 1 },
    );
    const round = ['ours W1', 'ours W1-trunk', 'peer W1', 'peer W1-trunk'];
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([...round, ...round, ...round]);
  });

  it('send a sample of several runs as their mean, and give JSON fields and table cells from the peer’s times', async () => {
    const peer = await fakePeer(['--ms', '4']);
    const [ours, theirs] = await timeInterleaved(
      [
        () => new Promise((resolve) => setTimeout(resolve, 10)),
        ...peerEntries(peer, 'W2', { threads: 2, runsPerSample: 5 }),
      ],
      { runs: 3, warmup: 0 },
    );
    expect(theirs.medianMs).toBe(4);
    const row = { ms: ours.medianMs, ...peerFields(peer, ours.medianMs, theirs, 2) };
    expect(row).toEqual({ ms: ours.medianMs, peerMs: 4, peerThreads: 2, peerRatio: ours.medianMs / 4 });
    expect(PEER_COLUMNS).toEqual(['PyTorch ms', '(wasm + native) / PyTorch']);
    expect(peerCells(row)).toEqual({
      'PyTorch ms': '4.0 (2 threads)',
      '(wasm + native) / PyTorch': `${(ours.medianMs / 4).toFixed(2)}×`,
    });
  });

  it('go on without a peer that crashes mid-way: its rows say why, ours keep every run', async () => {
    const peer = await fakePeer();
    let oursRuns = 0;
    const [ours, crashed, after] = await timeInterleaved(
      [() => oursRuns++, ...peerEntries(peer, 'crash', { threads: 1 }), ...peerEntries(peer, 'W1', { threads: 1 })],
      { runs: 3, warmup: 1 },
    );
    expect(oursRuns).toBe(4);
    expect(ours.medianMs).toBeGreaterThanOrEqual(0);
    const reason = 'PyTorch peer: expected an answer to crash on 1 thread, got exit 3: RuntimeError: fake crash';
    expect(crashed).toEqual({ medianMs: null, error: reason, runs: 3 });
    expect(peerFields(peer, ours.medianMs, after, 1)).toEqual({ peerError: reason });
    // A row timed after the crash has no peer entry at all; its reason comes from the peer.
    expect(peerEntries(peer, 'W2', { threads: 1 })).toEqual([]);
    expect(peerFields(peer, 1, undefined, 1)).toEqual({ peerError: reason });
    expect(peerCells({ peerError: reason })).toEqual({ 'PyTorch ms': reason, '(wasm + native) / PyTorch': '' });
  });

  it('leave rows blank without --peer, and rows the peer does not mirror blank with it', () => {
    expect(peerFields(undefined, 10, undefined, 1)).toEqual({});
    expect(peerCells({ ms: 10 })).toEqual({ 'PyTorch ms': '', '(wasm + native) / PyTorch': '' });
  });
});
