import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { projectUmap } from './project-umap';
import { renderBenchReport } from './render-bench-report';
import { renderRunReport } from './render-run-report';
import { benchFixture, gaussianClusters, runFixture } from './report-fixtures';

/**
 * End-to-end: the generated pages open in a real headless Chromium (Debian `chromium` + `playwright-core`) with no
 * network, every chart is a rendered SVG of non-zero size, every retrieval image decodes, the console stays clean,
 * and a screenshot is kept as a test artifact in apps/cli/test-artifacts/.
 */
/** The Debian package's binary; BREGMAN_CHROMIUM overrides it (e.g. for another distribution). */
const CHROMIUM = process.env.BREGMAN_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

interface PageCheck {
  charts: { name: string; width: number; height: number; svgs: number }[];
  images: { complete: boolean; naturalWidth: number }[];
  consoleErrors: string[];
  requests: string[];
}

async function openAndCheck(htmlPath: string, screenshotPath: string): Promise<PageCheck> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `report-in-browser: expected Chromium at ${CHROMIUM}, got none. Install it with ` +
        '`apt-get update && apt-get install -y chromium` (Debian; `pnpm test` does it as root).',
    );
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'bregman-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('request', (r) => {
      if (!/^(file|data):/.test(r.url())) requests.push(r.url());
    });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    const charts = await page.$$eval('[data-chart]', (els) =>
      els.map((el) => {
        const svg = el.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          name: el.getAttribute('data-chart') ?? '',
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          svgs: el.querySelectorAll('svg').length,
        };
      }),
    );
    const images = await page.$$eval('img', (els) =>
      els.map((el) => ({ complete: el.complete, naturalWidth: el.naturalWidth })),
    );
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return { charts, images, consoleErrors, requests };
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

describe('report.html in headless Chromium', () => {
  it('renders every chart of a run report, decodes every image, logs no error', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const clusters = gaussianClusters(5, 60, 16, 2);
    const projection = projectUmap(clusters.embeddings, clusters.n, 16, {
      seed: 1,
      labels: clusters.labels,
      nEpochs: 200,
    });
    const htmlPath = join(ARTIFACTS, 'report.html');
    writeFileSync(htmlPath, await renderRunReport({ ...runFixture(), projection }));
    const check = await openAndCheck(htmlPath, join(ARTIFACTS, 'report.png'));
    expect(check.charts.map((c) => c.name)).toEqual([
      'train-curve',
      'validation-curve',
      'projection',
      'divergence-matrix',
      'phi-surface',
    ]);
    for (const chart of check.charts) {
      expect(chart.svgs, chart.name).toBe(1);
      expect(chart.width, chart.name).toBeGreaterThan(100);
      expect(chart.height, chart.name).toBeGreaterThan(100);
    }
    expect(check.images.length).toBe(18);
    for (const image of check.images) expect(image).toEqual({ complete: true, naturalWidth: 12 });
    expect(check.consoleErrors).toEqual([]);
    expect(check.requests).toEqual([]);
    expect(existsSync(join(ARTIFACTS, 'report.png'))).toBe(true);
  });

  it('renders every chart of a bench report', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const htmlPath = join(ARTIFACTS, 'bench-report.html');
    writeFileSync(htmlPath, await renderBenchReport(benchFixture()));
    const check = await openAndCheck(htmlPath, join(ARTIFACTS, 'bench-report.png'));
    expect(check.charts.map((c) => c.name)).toEqual(['bench-mnist-closed-set', 'bench-wine-closed-set']);
    for (const chart of check.charts) {
      expect(chart.width, chart.name).toBeGreaterThan(50);
      expect(chart.height, chart.name).toBeGreaterThan(100);
    }
    expect(check.consoleErrors).toEqual([]);
    expect(check.requests).toEqual([]);
  });
});
