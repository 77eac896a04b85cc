import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { commandOnPath, plan, readManifest, realSystem } from './prerequisites.mjs';

const manifest = readManifest(fileURLToPath(new URL('./system-prerequisites.json', import.meta.url)));
const fakeSystem = ({ present = [], root = true, debian = true }) => ({
  has: (p) => present.includes(p.file ?? p.command),
  isRoot: () => root,
  isDebian: () => debian,
});

describe('the system prerequisites', () => {
  it('lists the packages the test suite needs, by Debian name', () => {
    expect(manifest.map((p) => p.debian)).toEqual(['chromium', 'redis-server', 'dataset-fashion-mnist']);
  });

  it('does nothing when everything is present', () => {
    const all = manifest.map((p) => p.present.file ?? p.present.command);
    expect(plan(manifest, fakeSystem({ present: all }))).toEqual({ action: 'none', names: [] });
  });

  it('installs only the missing packages as root on Debian', () => {
    const result = plan(manifest, fakeSystem({ present: ['redis-server'] }));
    expect(result).toEqual({ action: 'install', names: ['chromium', 'dataset-fashion-mnist'] });
  });

  it('stops with the one exact command when not root', () => {
    const result = plan(manifest, fakeSystem({ present: ['/usr/bin/chromium'], root: false }));
    expect(result.action).toBe('stop');
    expect(result.message).toContain(
      'Install with: sudo apt-get update && sudo apt-get install -y redis-server dataset-fashion-mnist',
    );
    expect(result.message.split('\n')).toHaveLength(1);
  });

  it('names the Debian packages when the system is not Debian, even as root', () => {
    const result = plan(manifest, fakeSystem({ debian: false }));
    expect(result.action).toBe('stop');
    expect(result.message).toMatch(/not Debian.*chromium, redis-server, dataset-fashion-mnist/);
  });

  it('rejects a malformed manifest entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prereqs-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ packages: [{ debian: 'Bad Name', present: {}, neededBy: 'x' }] }));
    expect(() => readManifest(path)).toThrow(/expected \{debian, present/);
    rmSync(dir, { recursive: true });
  });
});

describe('commandOnPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prereqs-path-'));
  afterAll(() => rmSync(dir, { recursive: true }));

  it('finds an executable file and ignores a non-executable one', () => {
    writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
    chmodSync(join(dir, 'tool'), 0o755);
    writeFileSync(join(dir, 'data'), 'x');
    chmodSync(join(dir, 'data'), 0o644);
    expect(commandOnPath('tool', `/nonexistent:${dir}`)).toBe(true);
    expect(commandOnPath('missing', dir)).toBe(false);
    // root can read any file, but X_OK still needs an execute bit
    expect(commandOnPath('data', dir)).toBe(false);
  });
});

describe('realSystem.has', () => {
  it('follows the variable that points to a file elsewhere (BREGMAN_CHROMIUM)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prereqs-env-'));
    const browser = join(dir, 'my-chromium');
    writeFileSync(browser, '');
    const present = manifest.find((p) => p.debian === 'chromium').present;
    expect(present.env).toBe('BREGMAN_CHROMIUM');
    expect(realSystem.has(present, { BREGMAN_CHROMIUM: browser })).toBe(true);
    expect(realSystem.has(present, { BREGMAN_CHROMIUM: join(dir, 'nothing') })).toBe(false);
    rmSync(dir, { recursive: true });
  });
});
