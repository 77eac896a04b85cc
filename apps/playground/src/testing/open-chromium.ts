import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/** The Debian package's binary; BREGMAN_CHROMIUM overrides it (e.g. for another distribution). */
export const CHROMIUM = process.env.BREGMAN_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Test helper: headless Chromium with `args` (e.g. `--enable-unsafe-webgpu`), one page whose console errors, page
 * errors and failed requests (a 404 included) are collected in `problems`.
 */
export async function openChromium(args: string[] = []): Promise<{ browser: Browser; page: Page; problems: string[] }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `playground e2e: expected Chromium at ${CHROMIUM}, got none. Install it with ` +
        '`apt-get update && apt-get install -y chromium` (Debian; `pnpm test` does it as root).',
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-quic', '--no-first-run', ...args],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { browser, page, problems };
}
