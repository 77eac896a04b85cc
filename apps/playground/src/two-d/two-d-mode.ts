import { CLASS_COLOURS, colourAt } from '../plot/colour-map';
import { drawLineChart } from '../plot/draw-line-chart';
import { levelSetBoundary, quantile } from '../plot/level-set-boundary';
import type { PlaygroundMode } from '../playground-mode';
import { probe } from '../probe';
import { TrainingLoop } from '../training-loop';
import { type LabelledPoint, PRESET_NAMES, type PresetName, preset, VIEW } from './presets';
import { type DivergenceField, TwoDTrainer } from './two-d-trainer';

const CANVAS = 480;
const GRID = 72;
// Colours of the three balls around the centre.
const LEFT = '#f2b134';
const RIGHT = '#ff4fa3';
const EUCLIDEAN = '#ffffff';

/**
 * 2-D mode: place points of up to four classes by clicking (or load a preset), train an ICNN Bregman divergence on
 * them live, and see φ as a colour map with level lines, and around a chosen centre c the divergence balls
 * {x : D(x, c) ≤ r} and {x : D(c, x) ≤ r} (the two slots differ: D is asymmetric) beside the Euclidean ball
 * {x : ‖x − c‖² ≤ r}, each radius chosen so that its ball holds the same share of the points.
 */
export class TwoDMode implements PlaygroundMode {
  readonly title = '2-D';
  private points: LabelledPoint[] = preset('moons');
  private centre = { x: 0.3, y: 0.1 };
  private currentClass = 0;
  private tool: 'points' | 'centre' = 'points';
  private share = 0.25;
  private losses: number[] = [];
  private stepMs: number[] = [];
  private trainer = new TwoDTrainer();
  private loop = this.makeLoop();
  private lastDraw = 0;
  // Drawings run one after another; unmount and restart wait for the one in flight before freeing the model.
  private drawing: Promise<void> = Promise.resolve();
  private unmounted = false;
  private elements!: {
    canvas: HTMLCanvasElement;
    chart: HTMLCanvasElement;
    train: HTMLButtonElement;
    status: HTMLElement;
  };

  mount(root: HTMLElement): void {
    root.innerHTML = `
      <section class="panel controls">
        <h2>Data</h2>
        <div class="row" data-role="classes"></div>
        <label><input type="radio" name="tool" value="points" checked> click adds a point</label>
        <label><input type="radio" name="tool" value="centre"> click moves the centre ×</label>
        <div class="row" data-role="presets"></div>
        <h2>Training</h2>
        <div class="row"><button data-role="train">Train</button><button data-role="reset">New φ</button></div>
        <div data-role="status">step 0</div>
        <canvas data-role="chart" width="260" height="90"></canvas>
        <h2>Balls around ×</h2>
        <label>share of points inside <input data-role="share" type="range" min="0.05" max="0.75" step="0.05" value="0.25"></label>
        <div class="legend"><span class="swatch" style="background:${LEFT}"></span> D(x, c) ≤ r (x left)<br>
          <span class="swatch" style="background:${RIGHT}"></span> D(c, x) ≤ r (x right)<br>
          <span class="swatch" style="background:${EUCLIDEAN};border:1px solid #999"></span> ‖x − c‖² ≤ r</div>
      </section>
      <section class="panel"><h2>φ (colour, level lines) and the balls</h2>
        <canvas data-role="plot" width="${CANVAS}" height="${CANVAS}"></canvas></section>`;
    const get = <T extends HTMLElement>(role: string) => root.querySelector(`[data-role="${role}"]`) as T;
    this.elements = {
      canvas: get<HTMLCanvasElement>('plot'),
      chart: get<HTMLCanvasElement>('chart'),
      train: get<HTMLButtonElement>('train'),
      status: get('status'),
    };
    const classes = get('classes');
    CLASS_COLOURS.forEach((colour, label) => {
      const button = document.createElement('button');
      button.innerHTML = `<span class="swatch" style="background:${colour}"></span> class ${label + 1}`;
      button.dataset.class = String(label);
      button.addEventListener('click', () => {
        this.currentClass = label;
        for (const b of classes.querySelectorAll('button')) b.style.fontWeight = b === button ? '700' : '400';
      });
      if (label === 0) button.style.fontWeight = '700';
      classes.append(button);
    });
    const presets = get('presets');
    for (const name of [...PRESET_NAMES, 'clear'] as const) {
      const button = document.createElement('button');
      button.textContent = name;
      button.dataset.preset = name;
      button.addEventListener('click', () => {
        this.points = name === 'clear' ? [] : preset(name as PresetName);
        void this.restart();
      });
      presets.append(button);
    }
    for (const radio of root.querySelectorAll<HTMLInputElement>('input[name="tool"]')) {
      radio.addEventListener('change', () => {
        this.tool = radio.value === 'centre' ? 'centre' : 'points';
      });
    }
    get<HTMLInputElement>('share').addEventListener('input', (event) => {
      this.share = Number((event.target as HTMLInputElement).value);
      void this.draw();
    });
    this.elements.train.addEventListener('click', () => void this.toggleTraining());
    get('reset').addEventListener('click', () => void this.restart());
    this.elements.canvas.addEventListener('click', (event) => this.onCanvasClick(event));
    probe().mode = '2-D';
    void this.draw();
  }

  async unmount(): Promise<void> {
    this.unmounted = true;
    await this.loop.stop();
    await this.drawing;
    this.trainer.dispose();
  }

  private makeLoop(): TrainingLoop {
    return new TrainingLoop(
      () => this.trainer.step(this.points),
      async (loss, steps, ms) => {
        this.losses.push(loss);
        this.stepMs.push(ms);
        Object.assign(probe(), { steps, losses: this.losses, stepMs: this.stepMs });
        this.elements.status.textContent = `step ${steps} · loss ${loss.toFixed(4)} · ${this.points.length} points`;
        // Redraw the field at most ~6 times a second: evaluating a 72×72 grid costs more than a step.
        if (performance.now() - this.lastDraw > 150) await this.draw();
      },
    );
  }

  private async toggleTraining(): Promise<void> {
    if (this.loop.isRunning) {
      await this.loop.stop();
      this.elements.train.textContent = 'Train';
      await this.draw();
      return;
    }
    if (new Set(this.points.map((p) => p.label)).size < 2) {
      this.elements.status.textContent = 'place points of at least two classes first';
      return;
    }
    this.elements.train.textContent = 'Stop';
    this.loop.start();
  }

  /** A fresh φ and loss curve (after a preset or "New φ"); training resumes if it was running. */
  private async restart(): Promise<void> {
    // The new model is in place at once, so a click on Train meanwhile starts it, not the model being retired;
    // the old one is freed after its step and drawing in flight.
    const old = { loop: this.loop, trainer: this.trainer, wasRunning: this.loop.isRunning };
    this.trainer = new TwoDTrainer({ seed: Math.floor(Math.random() * 1e6) });
    this.loop = this.makeLoop();
    this.losses = [];
    this.stepMs = [];
    Object.assign(probe(), { steps: 0, losses: this.losses, stepMs: this.stepMs });
    this.elements.status.textContent = `step 0 · ${this.points.length} points`;
    await old.loop.stop();
    await this.drawing;
    old.trainer.dispose();
    if (old.wasRunning) this.loop.start();
    await this.draw();
  }

  private onCanvasClick(event: MouseEvent): void {
    const box = this.elements.canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * 2 * VIEW - VIEW;
    const y = VIEW - ((event.clientY - box.top) / box.height) * 2 * VIEW;
    if (this.tool === 'centre') this.centre = { x, y };
    else this.points = [...this.points, { x, y, label: this.currentClass }];
    void this.draw();
  }

  private draw(): Promise<void> {
    this.drawing = this.drawing.then(() => (this.unmounted ? undefined : this.drawNow()));
    return this.drawing;
  }

  private async drawNow(): Promise<void> {
    this.lastDraw = performance.now();
    const field = await this.trainer.field(GRID, VIEW, this.centre);
    const radii =
      this.points.length > 0
        ? (await this.trainer.toCentre(this.points, this.centre)).map((d) => quantile(d, this.share))
        : [1, 1, 1];
    this.paint(field, radii as [number, number, number]);
    drawLineChart(this.elements.chart, [{ values: this.losses, colour: '#1f3a5f', label: 'loss' }]);
  }

  private paint(field: DivergenceField, [rLeft, rRight, rEuclid]: [number, number, number]): void {
    const ctx = this.elements.canvas.getContext('2d')!;
    // φ as colours on the grid, level lines where the tenth of its range changes between neighbouring cells.
    const image = new ImageData(GRID, GRID);
    let [lo, hi] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (const v of field.phi) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    const band = (k: number) => Math.floor(((field.phi[k]! - lo) / (hi - lo || 1)) * 12);
    for (let k = 0; k < GRID * GRID; k++) {
      const [r, g, b] = colourAt((field.phi[k]! - lo) / (hi - lo || 1));
      const edge =
        (k % GRID < GRID - 1 && band(k) !== band(k + 1)) || (k + GRID < GRID * GRID && band(k) !== band(k + GRID));
      const shade = edge ? 0.6 : 1;
      image.data.set([r * shade, g * shade, b * shade, 255], 4 * k);
    }
    const scratch = new OffscreenCanvas(GRID, GRID);
    scratch.getContext('2d')!.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(scratch, 0, 0, CANVAS, CANVAS);
    const cell = CANVAS / GRID;
    const balls: [Float32Array | undefined, number, string][] = [
      [field.euclidean, rEuclid, EUCLIDEAN],
      [field.left, rLeft, LEFT],
      [field.right, rRight, RIGHT],
    ];
    for (const [values, r, colour] of balls) {
      if (!values) continue;
      ctx.fillStyle = colour;
      for (const k of levelSetBoundary(values, GRID, r)) {
        ctx.fillRect((k % GRID) * cell + cell / 4, Math.floor(k / GRID) * cell + cell / 4, cell / 2, cell / 2);
      }
    }
    const toPixel = (x: number, y: number) => [((x + VIEW) / (2 * VIEW)) * CANVAS, ((VIEW - y) / (2 * VIEW)) * CANVAS];
    for (const p of this.points) {
      const [px, py] = toPixel(p.x, p.y);
      ctx.beginPath();
      ctx.arc(px!, py!, 4, 0, 2 * Math.PI);
      ctx.fillStyle = CLASS_COLOURS[p.label % CLASS_COLOURS.length]!;
      ctx.fill();
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    const [cx, cy] = toPixel(this.centre.x, this.centre.y);
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(cx! - 7, cy! - 7);
    ctx.lineTo(cx! + 7, cy! + 7);
    ctx.moveTo(cx! + 7, cy! - 7);
    ctx.lineTo(cx! - 7, cy! + 7);
    ctx.stroke();
  }
}
