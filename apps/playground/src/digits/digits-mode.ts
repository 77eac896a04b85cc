import { drawLineChart } from '../plot/draw-line-chart';
import { pca2d } from '../plot/pca-2d';
import type { PlaygroundMode } from '../playground-mode';
import { probe } from '../probe';
import { TrainingLoop } from '../training-loop';
import { type Digits, decodeDigits } from './digits-file';
import { DigitsTrainer, splitDigits } from './digits-trainer';

// Ten distinct colours, one a digit.
const DIGIT_COLOURS = [
  '#e8590c',
  '#1c7ed6',
  '#2f9e44',
  '#ae3ec9',
  '#f08c00',
  '#0c8599',
  '#c2255c',
  '#5c940d',
  '#495057',
  '#3b5bdb',
];
const VALIDATE_EVERY = 25;
const TILES = 8;

/**
 * Digits mode: a dense trunk and an ICNN divergence head trained together on MNIST digits in the tab (NCA loss, 120
 * digits a batch), with the loss and the validation MAP@R as curves, a PCA projection of the validation embeddings
 * (click a point to make it the query) and the query's nearest digits by the learned divergence as tiles.
 */
export class DigitsMode implements PlaygroundMode {
  readonly title = 'Digits';
  private digits: Digits | undefined;
  private split: { train: Int32Array; val: Int32Array } | undefined;
  private trainer: DigitsTrainer | undefined;
  private loop: TrainingLoop | undefined;
  private losses: number[] = [];
  private stepMs: number[] = [];
  private mapAtR: number[] = [];
  private query = 0;
  private last: { embeddings: Float32Array; neighbours: Int32Array; k: number } | undefined;
  private unmounted = false;
  // Validations run one after another; unmount waits for the one in flight before freeing the model.
  private validating: Promise<void> = Promise.resolve();
  private root!: HTMLElement;

  mount(root: HTMLElement): void {
    this.root = root;
    root.innerHTML = `
      <section class="panel controls">
        <h2>Training</h2>
        <div class="row"><button data-role="train" disabled>Train</button></div>
        <div data-role="status">loading the digits…</div>
        <canvas data-role="loss" width="260" height="90"></canvas>
        <canvas data-role="map" width="260" height="90"></canvas>
        <div class="legend">Trunk 784 → 128 → 16, φ an ICNN on the 16-d embeddings, NCA loss, Adam 10⁻³,
          batches of 12 digits × 10 classes. Validation: 50 held-out digits a class, MAP@R by D(query, ·).</div>
      </section>
      <section class="panel"><h2>Validation embeddings (PCA) — click one to query</h2>
        <canvas data-role="projection" width="380" height="380"></canvas></section>
      <section class="panel"><h2>Query and its nearest digits by D</h2><div data-role="tiles"></div></section>`;
    this.el('train').addEventListener('click', () => void this.toggle());
    this.el<HTMLCanvasElement>('projection').addEventListener('click', (event) => this.pick(event));
    probe().mode = 'Digits';
    Object.assign(probe(), { steps: 0, losses: this.losses, stepMs: this.stepMs, mapAtR: this.mapAtR });
    void this.load();
  }

  async unmount(): Promise<void> {
    this.unmounted = true;
    await this.loop?.stop();
    await this.validating;
    this.trainer?.dispose();
    this.trainer = undefined;
  }

  private el<T extends HTMLElement = HTMLElement>(role: string): T {
    return this.root.querySelector(`[data-role="${role}"]`) as T;
  }

  private async load(): Promise<void> {
    const response = await fetch('/digits.bin');
    if (!response.ok) throw new Error(`digits mode: expected /digits.bin, got HTTP ${response.status}`);
    const digits = decodeDigits(await response.arrayBuffer());
    if (this.unmounted) return; // the tab changed while the file loaded: build nothing
    this.digits = digits;
    this.split = splitDigits(digits.labels);
    this.trainer = new DigitsTrainer(digits, this.split.train);
    this.loop = new TrainingLoop(
      () => this.trainer!.step(),
      async (loss, steps, ms) => {
        this.losses.push(loss);
        this.stepMs.push(ms);
        probe().steps = steps;
        const recent = this.stepMs.slice(-20).sort((a, b) => a - b);
        const median = recent[Math.floor(recent.length / 2)]!;
        this.el('status').textContent =
          `step ${steps} · loss ${loss.toFixed(4)} · ${(1000 / median).toFixed(1)} steps/s`;
        drawLineChart(this.el('loss'), [{ values: this.losses, colour: '#1f3a5f', label: 'loss' }]);
        if (steps % VALIDATE_EVERY === 0) await this.validate();
      },
    );
    this.el('status').textContent =
      `${digits.count} digits: ${this.split.train.length} train, ${this.split.val.length} validation`;
    this.el<HTMLButtonElement>('train').disabled = false;
    probe().digitsReady = true;
    await this.validate();
  }

  private async toggle(): Promise<void> {
    if (!this.loop) return;
    const button = this.el<HTMLButtonElement>('train');
    if (this.loop.isRunning) {
      await this.loop.stop();
      button.textContent = 'Train';
      await this.validate();
    } else {
      button.textContent = 'Stop';
      this.loop.start();
    }
  }

  private validate(): Promise<void> {
    this.validating = this.validating.then(() => (this.unmounted ? undefined : this.validateNow()));
    return this.validating;
  }

  private async validateNow(): Promise<void> {
    if (!this.trainer || !this.split) return;
    const result = await this.trainer.validate(this.split.val);
    this.last = result;
    this.mapAtR.push(result.mapAtR);
    drawLineChart(this.el('map'), [{ values: this.mapAtR, colour: '#2f9e44', label: 'validation MAP@R' }]);
    this.drawProjection();
    this.drawTiles();
  }

  private projected: Float32Array | undefined;

  private drawProjection(): void {
    if (!this.last || !this.split || !this.digits) return;
    const n = this.split.val.length;
    const points = pca2d(this.last.embeddings, n, this.last.embeddings.length / n);
    this.projected = points;
    const canvas = this.el<HTMLCanvasElement>('projection');
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const { toPixel } = this.frame(points, canvas);
    for (let i = 0; i < n; i++) {
      const [x, y] = toPixel(i);
      ctx.fillStyle = DIGIT_COLOURS[this.digits.labels[this.split.val[i]!]!]!;
      ctx.fillRect(x - 2, y - 2, 4, 4);
    }
    const [qx, qy] = toPixel(this.query);
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.strokeRect(qx - 6, qy - 6, 12, 12);
  }

  private frame(points: Float32Array, canvas: HTMLCanvasElement) {
    let [x0, x1, y0, y1] = [
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    for (let i = 0; i < points.length / 2; i++) {
      [x0, x1] = [Math.min(x0, points[2 * i]!), Math.max(x1, points[2 * i]!)];
      [y0, y1] = [Math.min(y0, points[2 * i + 1]!), Math.max(y1, points[2 * i + 1]!)];
    }
    const pad = 10;
    const toPixel = (i: number): [number, number] => [
      pad + ((points[2 * i]! - x0) / (x1 - x0 || 1)) * (canvas.width - 2 * pad),
      pad + ((y1 - points[2 * i + 1]!) / (y1 - y0 || 1)) * (canvas.height - 2 * pad),
    ];
    return { toPixel };
  }

  private pick(event: MouseEvent): void {
    if (!this.projected) return;
    const canvas = this.el<HTMLCanvasElement>('projection');
    const box = canvas.getBoundingClientRect();
    const [px, py] = [event.clientX - box.left, event.clientY - box.top];
    const { toPixel } = this.frame(this.projected, canvas);
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.projected.length / 2; i++) {
      const [x, y] = toPixel(i);
      const distance = (x - px) ** 2 + (y - py) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    }
    this.query = best;
    this.drawProjection();
    this.drawTiles();
  }

  private drawTiles(): void {
    if (!this.last || !this.split || !this.digits) return;
    const container = this.el('tiles');
    container.replaceChildren();
    const queryLabel = this.digits.labels[this.split.val[this.query]!]!;
    const row = Array.from(this.last.neighbours.slice(this.query * this.last.k, this.query * this.last.k + TILES));
    const tiles = [this.query, ...row];
    tiles.forEach((i, position) => {
      const digit = this.split!.val[i]!;
      const label = this.digits!.labels[digit]!;
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = this.digits!.side;
      canvas.style.width = canvas.style.height = '56px';
      canvas.style.border = `3px solid ${position === 0 ? '#1f3a5f' : label === queryLabel ? '#2f9e44' : '#e03131'}`;
      canvas.style.marginRight = '4px';
      canvas.style.imageRendering = 'pixelated';
      const side = this.digits!.side;
      const image = new ImageData(side, side);
      for (let p = 0; p < side * side; p++) {
        const v = 255 - this.digits!.pixels[digit * side * side + p]!;
        image.data.set([v, v, v, 255], 4 * p);
      }
      canvas.getContext('2d')!.putImageData(image, 0, 0);
      canvas.title = position === 0 ? `query: ${label}` : `neighbour ${position}: ${label}`;
      canvas.dataset.label = String(label);
      container.append(canvas);
    });
  }
}
