/** Draws `series` (each a list of y values, x = index) on `canvas`, scaled to fit, with the last values as text. */
export function drawLineChart(
  canvas: HTMLCanvasElement,
  series: readonly { values: readonly number[]; colour: string; label: string }[],
): void {
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const all = series.flatMap((s) => s.values.filter(Number.isFinite));
  if (all.length === 0) return;
  const [lo, hi] = [Math.min(...all), Math.max(...all)];
  const span = hi - lo || 1;
  const n = Math.max(2, ...series.map((s) => s.values.length));
  series.forEach((s, k) => {
    ctx.strokeStyle = s.colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    s.values.forEach((v, i) => {
      const x = (i / (n - 1)) * (width - 4) + 2;
      const y = height - 14 - ((v - lo) / span) * (height - 20);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
    const last = s.values[s.values.length - 1];
    ctx.fillStyle = s.colour;
    ctx.font = '11px system-ui';
    ctx.fillText(`${s.label} ${last === undefined ? '' : last.toFixed(3)}`, 4 + k * 120, height - 2);
  });
}
