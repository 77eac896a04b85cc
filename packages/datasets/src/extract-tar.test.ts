import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error';
import { extractTar } from './extract-tar';
import { tarMember } from './testing/tar-bytes';

const dir = mkdtempSync(join(tmpdir(), 'eb-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tar = (...members: Buffer[]) => Buffer.concat([...members, Buffer.alloc(1024)]);

describe('extractTar', () => {
  it('extracts files and directories (raw and gzip)', async () => {
    const archive = tar(
      tarMember('top/', '', '5'),
      tarMember('top/a.txt', 'hello'),
      tarMember('top/sub/b.bin', Buffer.alloc(700, 7)),
    );
    for (const [name, bytes] of [
      ['raw', archive],
      ['gz', gzipSync(archive)],
    ] as const) {
      const out = join(dir, name);
      const written = await extractTar(bytes, out, name);
      expect(written).toHaveLength(2);
      expect(readFileSync(join(out, 'top/a.txt'), 'utf8')).toBe('hello');
      expect(readFileSync(join(out, 'top/sub/b.bin')).equals(Buffer.alloc(700, 7))).toBe(true);
    }
  });

  it('writes only the members `include` accepts, and still refuses an unsafe one it skips', async () => {
    const archive = tar(tarMember('top/', '', '5'), tarMember('top/a.txt', 'hello'), tarMember('top/b.txt', 'skipped'));
    const out = join(dir, 'some');
    const written = await extractTar(archive, out, 'some', { include: (path) => path.endsWith('a.txt') });
    expect(written).toEqual([join(out, 'top/a.txt')]);
    expect(readdirSync(join(out, 'top'))).toEqual(['a.txt']);
    const unsafe = tar(tarMember('top/a.txt', 'hello'), tarMember('../evil.txt', 'x'));
    await expect(
      extractTar(unsafe, join(dir, 'unsafe'), 'unsafe', { include: (path) => path === 'top/a.txt' }),
    ).rejects.toThrow(/'\.\.' segment/);
    expect(existsSync(join(dir, 'unsafe'))).toBe(false);
  });

  it("refuses members with '..' or an absolute path, and writes nothing", async () => {
    for (const [bad, problem] of [
      ['../evil.txt', /'\.\.' segment.*"\.\.\/evil\.txt"/],
      ['ok/../../evil.txt', /'\.\.' segment/],
      ['/etc/evil.txt', /absolute path.*"\/etc\/evil\.txt"/],
    ] as const) {
      const out = join(dir, `refuse-${readdirSync(dir).length}`);
      try {
        await extractTar(tar(tarMember('fine.txt', 'first'), tarMember(bad, 'x')), out, 'evil.tar');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(DatasetError);
        expect((error as DatasetError).code).toBe('BAD_FORMAT');
        expect((error as Error).message).toMatch(/^extractTar: evil\.tar: /);
        expect((error as Error).message).toMatch(problem);
      }
      expect(existsSync(out)).toBe(false); // checked before anything is written, even the good first member
    }
  });

  it('refuses links and corrupt headers', async () => {
    await expect(extractTar(tar(tarMember('link', '', '2')), join(dir, 'l'))).rejects.toThrow(
      /links and devices are refused/,
    );
    const corrupt = tar(tarMember('a.txt', 'x'));
    corrupt[0] = 'b'.charCodeAt(0);
    await expect(extractTar(corrupt, join(dir, 'c'))).rejects.toThrow(/header checksum/);
  });
});
