import { describe, expect, it } from 'vitest';
import { projectUmap } from './project-umap';
import { gaussianClusters } from './report-fixtures';

describe('projectUmap', () => {
  const clusters = gaussianClusters(3, 40, 8, 11);

  it('is deterministic for a seed and differs between seeds', () => {
    const options = { seed: 5, labels: clusters.labels, nEpochs: 100 };
    const a = projectUmap(clusters.embeddings, clusters.n, 8, options);
    const b = projectUmap(clusters.embeddings, clusters.n, 8, options);
    const c = projectUmap(clusters.embeddings, clusters.n, 8, { ...options, seed: 6 });
    expect(a.x).toEqual(b.x);
    expect(a.y).toEqual(b.y);
    expect(a.x).not.toEqual(c.x);
    expect(a.labels).toEqual(clusters.labels);
    expect(a.x.every(Number.isFinite) && a.y.every(Number.isFinite)).toBe(true);
  });

  it('keeps well-separated clusters separated in 2-D', () => {
    const p = projectUmap(clusters.embeddings, clusters.n, 8, { seed: 1, labels: clusters.labels, nEpochs: 200 });
    const centroids = [0, 1, 2].map((c) => {
      const idx = p.labels.flatMap((l, i) => (l === c ? [i] : []));
      return [idx.reduce((s, i) => s + p.x[i], 0) / idx.length, idx.reduce((s, i) => s + p.y[i], 0) / idx.length];
    });
    // Every point is nearer its own class centroid than any other, and the clusters are far apart relative to
    // their size: the smallest centroid distance exceeds twice the largest point-to-own-centroid distance.
    let radius = 0;
    for (let i = 0; i < p.x.length; i++) {
      const d = centroids.map(([cx, cy]) => Math.hypot(p.x[i] - cx, p.y[i] - cy));
      expect(d.indexOf(Math.min(...d))).toBe(p.labels[i]);
      radius = Math.max(radius, d[p.labels[i]]);
    }
    const gap = Math.min(
      Math.hypot(centroids[0][0] - centroids[1][0], centroids[0][1] - centroids[1][1]),
      Math.hypot(centroids[0][0] - centroids[2][0], centroids[0][1] - centroids[2][1]),
      Math.hypot(centroids[1][0] - centroids[2][0], centroids[1][1] - centroids[2][1]),
    );
    expect(gap).toBeGreaterThan(2 * radius);
  });

  it('subsamples deterministically to maxPoints and carries the labels over', () => {
    const a = projectUmap(clusters.embeddings, clusters.n, 8, {
      seed: 3,
      maxPoints: 30,
      labels: clusters.labels,
      nEpochs: 50,
    });
    const b = projectUmap(clusters.embeddings, clusters.n, 8, {
      seed: 3,
      maxPoints: 30,
      labels: clusters.labels,
      nEpochs: 50,
    });
    expect(a.x.length).toBe(30);
    expect(a.indices).toEqual(b.indices);
    const idx = a.indices ?? [];
    expect(new Set(idx).size).toBe(30);
    expect(idx).toEqual([...idx].sort((x, y) => x - y));
    expect(idx.every((i) => i >= 0 && i < clusters.n)).toBe(true);
    expect(a.labels).toEqual(idx.map((i) => clusters.labels[i]));
    expect(a.method).toContain('30 of 120 embeddings, seed 3');
  });

  it('handles tiny inputs and rejects inconsistent ones', () => {
    expect(projectUmap(new Float32Array(0), 0, 4, { seed: 1 }).x).toEqual([]);
    expect(projectUmap(new Float32Array(8), 2, 4, { seed: 1 })).toMatchObject({ x: [0, 1], y: [0, 0], labels: [0, 0] });
    expect(() => projectUmap(new Float32Array(7), 2, 4, { seed: 1 })).toThrow(/at least n·dim = 8 values, got 7/);
    expect(() => projectUmap(new Float32Array(8), 2, 4, { seed: 1, labels: [1] })).toThrow(/expected 2 labels, got 1/);
  });
});
