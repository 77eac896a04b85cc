import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BregmanModel } from './bregman-model';
import { fileListSource } from './file-list-source';
import { MemoryFiles } from './memory-files';
import type { ModelError } from './model-error';
import { directorySink } from './node/directory-sink';
import { directorySource } from './node/directory-source';
import { loadModel } from './node/load-model';
import { blobs, writeTestModel } from './testing/write-test-model';
import { urlSource } from './url-source';

const root = mkdtempSync(join(tmpdir(), 'eb-model-sources-'));
const dir = join(root, 'model');
const data = blobs(12, 4, 3);
let reference: Float32Array;
let server: Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  const saved = await writeTestModel(dir);
  saved.trunk.dispose();
  saved.head.dispose();
  const model = await loadModel(dir);
  reference = await model.embedArray(data.values);
  model.dispose();
  // A static file server over `root`: 404 for what is not there, 500 for /broken/.
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url?.startsWith('/broken/')) {
      response.writeHead(500, 'Internal Server Error').end();
      return;
    }
    try {
      const body = readFileSync(join(root, decodeURIComponent(request.url ?? '/')));
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

async function embeddingsOf(model: BregmanModel): Promise<Float32Array> {
  try {
    return await model.embedArray(data.values);
  } finally {
    model.dispose();
  }
}

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: (error as ModelError).code, message: (error as Error).message };
  }
  throw new Error('expected a rejection');
}

describe('model sources: one model, the same embeddings from every source', () => {
  it('a URL (fetch), from the main entry: no Node needed', async () => {
    requests.length = 0;
    const model = await BregmanModel.load(`${base}/model`); // no trailing slash: taken as a folder
    expect(await embeddingsOf(model)).toEqual(reference);
    expect(requests).toEqual([
      '/model/manifest.json',
      '/model/divergence.json',
      '/model/model.json',
      '/model/weights.bin',
    ]);
    expect(await embeddingsOf(await BregmanModel.load(urlSource(new URL(`${base}/model/`))))).toEqual(reference);
  });

  it('a URL: a missing file is NOT_FOUND, a server error IO', async () => {
    const missing = await codeOf(BregmanModel.load(`${base}/nothing-here/`));
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(
      /expected the manifest manifest.json in http:\/\/127.0.0.1:\d+\/nothing-here\/, got no such file/,
    );
    const broken = await codeOf(BregmanModel.load(`${base}/broken/`));
    expect(broken).toMatchObject({ code: 'IO' });
    expect(broken.message).toMatch(/answer 200, got 500/);
  });

  it('picked files (File objects, as a browser folder pick gives them)', async () => {
    const files = readdirSync(dir).map((name) => new File([readFileSync(join(dir, name))], name));
    expect(await embeddingsOf(await BregmanModel.load(files))).toEqual(reference);
    // A folder pick: webkitRelativePath starts with the folder's name.
    const picked = readdirSync(dir).map((name) => {
      const file = new File([readFileSync(join(dir, name))], name);
      Object.defineProperty(file, 'webkitRelativePath', { value: `my-model/${name}` });
      return file;
    });
    expect(await embeddingsOf(await BregmanModel.load(fileListSource(picked)))).toEqual(reference);
    const partial = files.filter((f) => f.name !== 'weights.bin');
    expect(await codeOf(BregmanModel.load(partial))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('memory, and a model saved byte for byte (to memory, then to a folder)', async () => {
    const model = await loadModel(dir);
    const memory = new MemoryFiles();
    await model.save(memory);
    expect([...memory.files.keys()].sort()).toEqual(['divergence.json', 'manifest.json', 'model.json', 'weights.bin']);
    expect([...memory.files.keys()].at(-1)).toBe('manifest.json'); // written last
    for (const [name, bytes] of memory.files)
      expect(Buffer.from(bytes).equals(readFileSync(join(dir, name)))).toBe(true);
    const copy = join(root, 'copy');
    await model.save(copy); // a folder path: the model was loaded through ./node
    expect(await model.fingerprint()).toBe(await (await BregmanModel.load(memory)).fingerprint());
    model.dispose();
    expect(await embeddingsOf(await BregmanModel.load(memory))).toEqual(reference);
    expect(await embeddingsOf(await BregmanModel.load(directorySource(pathToFileURL(copy))))).toEqual(reference);
  });

  it('a folder path needs Node: the main entry says where to get it', async () => {
    const viaMain = await codeOf(BregmanModel.load('relative/folder'));
    expect(viaMain.code).toBe('INVALID_ARGUMENT');
    expect(viaMain.message).toMatch(/for a folder on disk use loadModel from @empirical-bregman\/model\/node/);
    expect(await codeOf(BregmanModel.load(new MemoryFiles()))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await codeOf(BregmanModel.load(42 as never))).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('directorySource refuses names leaving the folder; directorySink writes atomically into sub-folders', async () => {
    const source = directorySource(dir);
    await expect(source.readBytes('../copy/manifest.json')).rejects.toThrow(/expected a file name inside/);
    expect(await source.readBytes('no-such-file')).toBeNull();
    const sink = directorySink(join(root, 'out'));
    await sink.write('a/b.txt', 'hello');
    expect(readFileSync(join(root, 'out/a/b.txt'), 'utf8')).toBe('hello');
    await expect(sink.write('../escape.txt', 'x')).rejects.toThrow(/inside/);
  });

  it('loading leaves only the model’s variables, freed by dispose', async () => {
    const before = tf.memory().numTensors;
    const model = await loadModel(dir);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
