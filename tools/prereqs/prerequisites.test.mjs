import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  commandOnPath,
  libraryFolders,
  libraryInFolders,
  plan,
  readBuilds,
  readManifest,
  realSystem,
  staleBuilds,
} from './prerequisites.mjs';

const manifestPath = fileURLToPath(new URL('./system-prerequisites.json', import.meta.url));
const manifest = readManifest(manifestPath);
const root = fileURLToPath(new URL('../..', import.meta.url));
const fakeSystem = ({ present = [], root = true, debian = true }) => ({
  has: (p) => present.includes(p.file ?? p.command ?? p.library),
  isRoot: () => root,
  isDebian: () => debian,
});

describe('the system prerequisites', () => {
  it('lists the packages the test suite needs, by Debian name', () => {
    expect(manifest.map((p) => p.debian)).toEqual([
      'chromium',
      'redis-server',
      'dataset-fashion-mnist',
      'gcc',
      'libopenblas-dev',
      'python3-numpy',
    ]);
  });

  it('does nothing when everything is present', () => {
    const all = manifest.map((p) => p.present.file ?? p.present.command ?? p.present.library);
    expect(plan(manifest, fakeSystem({ present: all }))).toEqual({ action: 'none', names: [] });
  });

  it('installs only the missing packages as root on Debian', () => {
    const result = plan(manifest, fakeSystem({ present: ['redis-server', 'gcc'] }));
    expect(result).toEqual({
      action: 'install',
      names: ['chromium', 'dataset-fashion-mnist', 'libopenblas-dev', 'python3-numpy'],
    });
  });

  it('stops with the one exact command when not root', () => {
    const result = plan(manifest, fakeSystem({ present: ['/usr/bin/chromium', 'libopenblas.so'], root: false }));
    expect(result.action).toBe('stop');
    expect(result.message).toContain(
      'Install with: sudo apt-get update && sudo apt-get install -y redis-server dataset-fashion-mnist gcc python3-numpy',
    );
    expect(result.message.split('\n')).toHaveLength(1);
  });

  it('names the Debian packages when the system is not Debian, even as root', () => {
    const result = plan(manifest, fakeSystem({ debian: false }));
    expect(result.action).toBe('stop');
    expect(result.message).toMatch(/not Debian.*chromium, redis-server, dataset-fashion-mnist, gcc, libopenblas-dev/);
  });

  it('rejects a malformed manifest entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prereqs-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ packages: [{ debian: 'Bad Name', present: {}, neededBy: 'x' }] }));
    expect(() => readManifest(path)).toThrow(/expected \{debian, present/);
    const ok = { debian: 'gcc', present: { command: 'gcc' }, neededBy: 'x' };
    writeFileSync(path, JSON.stringify({ packages: [ok], builds: [{ name: 'addon', output: 'a.node', command: [] }] }));
    expect(() => readManifest(path)).toThrow(/expected \{name, output, sources/);
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

describe('shared libraries (libopenblas-dev)', () => {
  it('finds a library in a multiarch folder of a library root, and not elsewhere', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prereqs-lib-'));
    mkdirSync(join(dir, 'aarch64-linux-gnu'));
    mkdirSync(join(dir, 'python3'));
    writeFileSync(join(dir, 'aarch64-linux-gnu', 'libopenblas.so'), '');
    writeFileSync(join(dir, 'python3', 'libother.so'), '');
    const folders = libraryFolders([dir, join(dir, 'missing')]);
    expect(folders).toEqual([dir, join(dir, 'aarch64-linux-gnu')]);
    expect(libraryInFolders('libopenblas.so', folders)).toBe(true);
    expect(libraryInFolders('libother.so', folders)).toBe(false);
    rmSync(dir, { recursive: true });
  });

  it('is how the manifest tells libopenblas-dev is present', () => {
    expect(manifest.find((p) => p.debian === 'libopenblas-dev').present).toEqual({ library: 'libopenblas.so' });
  });
});

describe('builds after the packages (the native BLAS addon)', () => {
  const builds = readBuilds(manifestPath);
  const files = (times) => ({ mtime: (path) => times[path.slice(root.length)] ?? null });

  it('names the addon, its sources and the strict build command, all of which exist', () => {
    expect(builds.map((b) => b.name)).toEqual(['the native BLAS addon']);
    const [addon] = builds;
    expect(addon.output).toBe('packages/native-blas/build/native_blas.node');
    expect(addon.command).toEqual(['node', 'packages/native-blas/scripts/build-addon.mjs', '--strict']);
    for (const source of addon.sources) expect(existsSync(join(root, source)), source).toBe(true);
  });

  it('runs a build whose output is missing or older than a source, and not one that is up to date', () => {
    const [addon] = builds;
    const [c, script] = addon.sources;
    expect(staleBuilds(builds, root, files({ [c]: 10, [script]: 10 }))).toEqual([addon]);
    expect(staleBuilds(builds, root, files({ [c]: 30, [script]: 10, [addon.output]: 20 }))).toEqual([addon]);
    expect(staleBuilds(builds, root, files({ [c]: 10, [script]: 10, [addon.output]: 20 }))).toEqual([]);
  });
});
