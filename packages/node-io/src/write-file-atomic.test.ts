import * as fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEmpiricalBregmanError } from '@empirical-bregman/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NodeIoError } from './node-io-error';
import { writeFileAtomic } from './write-file-atomic';

// Every call into node:fs is recorded (and still performed), to check the order that makes the write durable.
const calls: string[] = [];
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const traced = <K extends 'openSync' | 'writeFileSync' | 'fsyncSync' | 'closeSync' | 'renameSync'>(name: K) =>
    ((...args: unknown[]) => {
      const target = typeof args[0] === 'string' ? (args[0].endsWith('.tmp') ? 'temp' : 'path') : 'fd';
      calls.push(`${name}(${target})`);
      return (real[name] as (...a: unknown[]) => unknown)(...args);
    }) as (typeof real)[K];
  return {
    ...real,
    openSync: traced('openSync'),
    writeFileSync: traced('writeFileSync'),
    fsyncSync: traced('fsyncSync'),
    closeSync: traced('closeSync'),
    renameSync: traced('renameSync'),
  };
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(join(tmpdir(), 'node-io-'));
  calls.length = 0;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes text and bytes, replaces an existing file, creates missing directories, leaves no temporary file', () => {
    const text = join(dir, 'a', 'b', 'run.json');
    writeFileAtomic(text, '{"epoch":1}');
    writeFileAtomic(text, '{"epoch":2}');
    expect(fs.readFileSync(text, 'utf8')).toBe('{"epoch":2}');
    const bytes = join(dir, 'items.bin');
    writeFileAtomic(bytes, new Uint8Array(new Float32Array([1.5, -2]).buffer));
    const read = fs.readFileSync(bytes);
    expect(Array.from(new Float32Array(read.buffer, read.byteOffset, read.length / 4))).toEqual([1.5, -2]);
    expect(fs.readdirSync(join(dir, 'a', 'b'))).toEqual(['run.json']);
    expect(fs.readdirSync(dir).sort()).toEqual(['a', 'items.bin']);
  });

  it('flushes the temporary file before renaming it over the target, then flushes the directory', () => {
    writeFileAtomic(join(dir, 'x.json'), 'x');
    expect(calls).toEqual([
      'openSync(temp)',
      'writeFileSync(fd)',
      'fsyncSync(fd)',
      'closeSync(fd)',
      'renameSync(temp)',
      'openSync(path)',
      'fsyncSync(fd)',
      'closeSync(fd)',
    ]);
  });

  it('on failure: a NodeIoError with code IO and the cause, the old target intact, no temporary file left', () => {
    // The target is a non-empty directory: the rename fails after the temporary file was written.
    const target = join(dir, 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(join(target, 'keep'), 'old');
    let caught: unknown;
    try {
      writeFileAtomic(target, 'new');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NodeIoError);
    expect(isEmpiricalBregmanError(caught)).toBe(true);
    expect((caught as NodeIoError).code).toBe('IO');
    expect((caught as NodeIoError).message).toMatch(/^writeFileAtomic: expected to write .*taken, got /);
    expect((caught as Error & { cause?: unknown }).cause).toBeInstanceOf(Error);
    expect(fs.readdirSync(dir)).toEqual(['taken']);
    expect(fs.readFileSync(join(target, 'keep'), 'utf8')).toBe('old');
  });

  it('rejects a path that is not a non-empty string', () => {
    expect(() => writeFileAtomic('', 'x')).toThrowError(/writeFileAtomic: expected a file path, got ""/);
    expect(() => writeFileAtomic(undefined as unknown as string, 'x')).toThrowError(NodeIoError);
  });

  it("deletes temporary files of writers that died mid-write, and keeps a live writer's", () => {
    const target = join(dir, 'checkpoint.bin');
    // A pid that is not running: spawn a process that exits, and use its pid.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const stale = join(dir, `.checkpoint.bin.${dead}.0badc0de.tmp`);
    const live = join(dir, `.checkpoint.bin.${process.ppid}.1234abcd.tmp`);
    const other = join(dir, `.other.bin.${dead}.0badc0de.tmp`);
    for (const f of [stale, live, other]) fs.writeFileSync(f, 'partial');
    writeFileAtomic(target, 'new');
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.existsSync(other)).toBe(true);
  });
});
