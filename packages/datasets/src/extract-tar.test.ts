import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error';
import { extractTar } from './extract-tar';

const dir = mkdtempSync(join(tmpdir(), 'eb-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One ustar header block + data, written from the POSIX ustar layout (name 0–99, size 124 octal, checksum 148). */
function member(name: string, body: string | Buffer, type = '0'): Buffer {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write(type, 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(32, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([header, padded]);
}

const tar = (...members: Buffer[]) => Buffer.concat([...members, Buffer.alloc(1024)]);

describe('extractTar', () => {
  it('extracts files and directories (raw and gzip)', async () => {
    const archive = tar(
      member('top/', '', '5'),
      member('top/a.txt', 'hello'),
      member('top/sub/b.bin', Buffer.alloc(700, 7)),
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
    const archive = tar(member('top/', '', '5'), member('top/a.txt', 'hello'), member('top/b.txt', 'skipped'));
    const out = join(dir, 'some');
    const written = await extractTar(archive, out, 'some', { include: (path) => path.endsWith('a.txt') });
    expect(written).toEqual([join(out, 'top/a.txt')]);
    expect(readdirSync(join(out, 'top'))).toEqual(['a.txt']);
    const unsafe = tar(member('top/a.txt', 'hello'), member('../evil.txt', 'x'));
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
        await extractTar(tar(member('fine.txt', 'first'), member(bad, 'x')), out, 'evil.tar');
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
    await expect(extractTar(tar(member('link', '', '2')), join(dir, 'l'))).rejects.toThrow(
      /links and devices are refused/,
    );
    const corrupt = tar(member('a.txt', 'x'));
    corrupt[0] = 'b'.charCodeAt(0);
    await expect(extractTar(corrupt, join(dir, 'c'))).rejects.toThrow(/header checksum/);
  });
});
