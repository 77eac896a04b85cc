import { type BackendName, describeBackend, initBackend, isBackendName } from '@empirical-bregman/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type { PlaygroundMode } from './playground-mode';
import { probe } from './probe';
import { DigitsMode } from './digits/digits-mode';
import { ModelMode } from './model/model-mode';
import { TwoDMode } from './two-d/two-d-mode';

// `?backend=wasm` (or webgl, webgpu, cpu) demands one backend; by default runtime picks WebGPU → WebGL → wasm → cpu.
const params = new URLSearchParams(location.search);
const demanded = params.get('backend');
const modes: Record<string, () => PlaygroundMode> = {
  '2-D': () => new TwoDMode(),
  Digits: () => new DigitsMode(),
  Model: () => new ModelMode(),
};

const backendLine = document.getElementById('backend')!;
const tabs = document.getElementById('tabs')!;
const root = document.getElementById('mode')!;
const debug = document.getElementById('debug')!;
let active: PlaygroundMode | undefined;
let switching = Promise.resolve();

async function start(): Promise<void> {
  const force: BackendName | undefined = demanded && isBackendName(demanded) ? demanded : undefined;
  const info = await initBackend({ wasmPaths: '/tfjs-wasm/', force, quiet: true });
  backendLine.textContent = describeBackend(info).replace('empirical-bregman: ', '');
  backendLine.dataset.state = 'ready';
  backendLine.dataset.backend = info.backend;
  probe().backend = info;
  for (const title of Object.keys(modes)) {
    const button = document.createElement('button');
    button.textContent = title;
    button.dataset.mode = title;
    button.addEventListener('click', () => void show(title));
    tabs.append(button);
  }
  await show(params.get('mode') ?? '2-D');
  setInterval(showMemory, 500);
}

/** Stops and frees the current mode (its training loop and every tensor) before the next one mounts. */
function show(title: string): Promise<void> {
  switching = switching.then(async () => {
    if (!modes[title]) return;
    await active?.unmount();
    root.replaceChildren();
    for (const b of tabs.querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.mode === title));
    active = modes[title]();
    active.mount(root);
    showMemory();
  });
  return switching;
}

function showMemory(): void {
  const memory = tf.memory();
  probe().numTensors = memory.numTensors;
  debug.textContent =
    `tf.memory(): ${memory.numTensors} tensors, ${(memory.numBytes / 1024).toFixed(0)} KiB` +
    ` · backend ${tf.getBackend()}`;
}

start().catch((error: unknown) => {
  backendLine.dataset.state = 'failed';
  backendLine.textContent = `no backend: ${error instanceof Error ? error.message : String(error)}`;
  throw error;
});
