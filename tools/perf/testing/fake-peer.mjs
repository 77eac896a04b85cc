// A stand-in for pytorch_peer.py in tests: a real process speaking the same JSON-lines protocol, without torch.
// Arguments (set by testing/fake-python.mjs; not the environment, which a turbo task would have to declare):
// --fail-start answers like a Python without torch and exits 1; --ms N is the time it reports per run (default 8);
// --log FILE appends "peer <workload>" to FILE for each request, before answering (the tests' order log).
// Workloads "crash" (exits 3 after a line on stderr) and "hang" (never answers) act out the failures.
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const send = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

const { values: options } = parseArgs({
  options: { 'fail-start': { type: 'boolean' }, ms: { type: 'string' }, log: { type: 'string' } },
});
if (options['fail-start']) {
  send({ error: "cannot import torch: ModuleNotFoundError: No module named 'torch'" });
  process.exit(1);
}
send({ ready: true, torch: '0.0-fake', python: 'fake' });
const ms = Number(options.ms ?? 8);
createInterface({ input: process.stdin }).on('line', (line) => {
  const request = JSON.parse(line);
  if (options.log) appendFileSync(options.log, `peer ${request.workload}\n`);
  if (request.workload === 'crash') {
    process.stderr.write('RuntimeError: fake crash\n');
    process.exit(3);
  }
  if (request.workload === 'hang') return;
  if (!['W1', 'W1-trunk', 'W2'].includes(request.workload)) {
    send({
      workload: request.workload,
      error: `ValueError: expected workload W1, W1-trunk or W2, got ${request.workload}`,
    });
    return;
  }
  send({ workload: request.workload, threads: request.threads, ms: Array.from({ length: request.runs }, () => ms) });
});
