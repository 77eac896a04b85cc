import { BregmanModel, type BregmanModelIndex, fileListSource, type ModelLocation } from '@empirical-bregman/model';
import { type Digits, decodeDigits } from '../digits/digits-file';
import type { PlaygroundMode } from '../playground-mode';
import { probe } from '../probe';

const K = 5;

/**
 * Model mode: open a folder written by the CLI (an index saved with its model: `bregman index … --out DIR`, or
 * `index.save(dir)` in code) — picked from disk, or `?model=<url>` — and search its index in the tab with one of the
 * playground's digits as the query (models of 28 × 28 digits), listing the k nearest items by the model's divergence.
 */
export class ModelMode implements PlaygroundMode {
  readonly title = 'Model';
  private loaded: { model: BregmanModel; index: BregmanModelIndex } | undefined;
  private digits: Digits | undefined;
  private root!: HTMLElement;
  private unmounted = false;
  private busy: Promise<void> = Promise.resolve();

  mount(root: HTMLElement): void {
    this.root = root;
    root.innerHTML = `
      <section class="panel controls">
        <h2>Model folder</h2>
        <label>an index folder saved with its model <input data-role="folder" type="file" webkitdirectory multiple></label>
        <div data-role="summary">no model loaded</div>
        <h2>Query</h2>
        <label>digit # <input data-role="query" type="number" min="0" value="0" style="width:6rem"></label>
        <div class="row"><button data-role="search" disabled>Search</button></div>
      </section>
      <section class="panel"><h2>Nearest items of the index</h2><div data-role="results"></div></section>`;
    const folder = this.el<HTMLInputElement>('folder');
    folder.addEventListener('change', () => {
      if (folder.files && folder.files.length > 0) void this.load(fileListSource(folder.files));
    });
    this.el('search').addEventListener('click', () => void this.search());
    probe().mode = 'Model';
    const url = new URLSearchParams(location.search).get('model');
    if (url) void this.load(new URL(url, location.href).href);
  }

  async unmount(): Promise<void> {
    this.unmounted = true;
    await this.busy;
    this.release();
  }

  private el<T extends HTMLElement = HTMLElement>(role: string): T {
    return this.root.querySelector(`[data-role="${role}"]`) as T;
  }

  private release(): void {
    this.loaded?.index.dispose();
    this.loaded?.model.dispose();
    this.loaded = undefined;
  }

  private run(task: () => Promise<void>): Promise<void> {
    this.busy = this.busy
      .then(() => (this.unmounted ? undefined : task()))
      .catch((error: unknown) => {
        this.el('summary').textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
      });
    return this.busy;
  }

  private load(location: ModelLocation): Promise<void> {
    return this.run(async () => {
      this.release();
      this.el('summary').textContent = 'loading…';
      const loaded = await BregmanModel.loadWithIndex(location);
      if (this.unmounted) {
        loaded.index.dispose();
        loaded.model.dispose();
        return;
      }
      this.loaded = loaded;
      const { model, index } = loaded;
      const size = model.sampleShape.reduce((a, b) => a * b, 1);
      this.el('summary').textContent =
        `${model.manifest.input.kind} input [${model.sampleShape.join(', ')}], embeddings of ${model.embeddingDim}, ` +
        `query slot ${model.manifest.querySlot}; index of ${index.size} items`;
      if (size === 784 && !this.digits) {
        const response = await fetch('/digits.bin');
        this.digits = decodeDigits(await response.arrayBuffer());
      }
      this.el<HTMLButtonElement>('search').disabled = size !== 784;
      if (size !== 784) this.el('results').textContent = 'queries from the playground need a model of 28 × 28 digits';
      probe().modelReady = true;
    });
  }

  /** The query digit's pixels in [0, 1], as the CLI's mnist-digits runs train on them. */
  private queryPixels(i: number): Float32Array {
    const digits = this.digits!;
    const pixels = digits.side * digits.side;
    return Float32Array.from(digits.pixels.subarray(i * pixels, (i + 1) * pixels), (v) => v / 255);
  }

  private search(): Promise<void> {
    return this.run(async () => {
      if (!this.loaded || !this.digits) return;
      const query = Math.min(this.digits.count - 1, Math.max(0, Number(this.el<HTMLInputElement>('query').value) || 0));
      const result = await this.loaded.index.search(this.queryPixels(query), { k: K });
      const rows = Array.from(result.indices, (item, r) => ({
        item,
        label: result.labels ? this.loaded!.model.labelName(result.labels[r]!) : '',
        divergence: result.divergences[r]!,
      }));
      probe().modelSearch = { query, indices: Array.from(result.indices), divergences: Array.from(result.divergences) };
      const table = document.createElement('table');
      table.innerHTML =
        `<tr><th>rank</th><th>item</th><th>label</th><th>D</th></tr>` +
        rows
          .map(
            (r, i) =>
              `<tr><td>${i + 1}</td><td>${r.item}</td><td>${r.label}</td><td>${r.divergence.toFixed(4)}</td></tr>`,
          )
          .join('');
      const caption = document.createElement('p');
      caption.textContent = `query: digit #${query} (label ${this.digits.labels[query]})`;
      this.el('results').replaceChildren(caption, table);
    });
  }
}
