// Fake Python interpreters for the peer's tests: executable shell scripts that answer `-c "import torch…"` as a
// Python with or without torch would, and otherwise run testing/fake-peer.mjs in place of pytorch_peer.py.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FAKE_PEER = fileURLToPath(new URL('./fake-peer.mjs', import.meta.url));

/** `text` as one single-quoted shell word. */
const quote = (text) => `'${text.replaceAll("'", `'"'"'`)}'`;

/**
 * Writes `dir/name`: with `torch`, it prints a torch version for `-c` and runs the fake peer with `peerArgs` (see
 * fake-peer.mjs) for anything else; without, it fails `-c` like a Python whose `import torch` raises
 * ModuleNotFoundError (exit 1). Returns its path.
 */
export function writeFakePython(dir, name, { torch, peerArgs = [] }) {
  const path = join(dir, name);
  const importTorch = torch
    ? 'echo 0.0-fake; exit 0'
    : `echo "Traceback (most recent call last):" >&2; echo "ModuleNotFoundError: No module named 'torch'" >&2; exit 1`;
  writeFileSync(
    path,
    `#!/bin/sh\nif [ "$1" = "-c" ]; then ${importTorch}; fi\nexec ${[process.execPath, FAKE_PEER, ...peerArgs].map(quote).join(' ')}\n`,
  );
  chmodSync(path, 0o755);
  return path;
}
