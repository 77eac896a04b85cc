import { describeValue } from '@empirical-bregman/common';
import { ModelError } from './model-error';
import type { FetchLike, ModelSource } from './model-source';
import { utf8Text } from './utf8';

export interface UrlSourceOptions {
  /** The `fetch` to use (default: the global one); e.g. one that adds credentials. */
  readonly fetch?: FetchLike;
}

/**
 * A {@link ModelSource} over HTTP(S) (or any URL the given `fetch` serves): file `name` is fetched from
 * `new URL(name, base)`, `base` being taken as a folder (a missing final `/` is added). A relative `base` is
 * resolved against the page's address in a browser. 404 and 410 mean "no such file"; any other failure rejects
 * with an `IO` {@link ModelError}.
 *
 * ```ts
 * const model = await BregmanModel.load(urlSource('https://example.org/runs/mnist-icnn/model/'));
 * ```
 */
export function urlSource(base: string | URL, options: UrlSourceOptions = {}): ModelSource {
  const component = 'urlSource';
  const folder = folderUrl(component, base);
  const fetchFn = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
  if (typeof fetchFn !== 'function') {
    throw new ModelError(
      component,
      'UNAVAILABLE',
      `expected a global fetch or options.fetch, got ${describeValue(fetchFn)}`,
    );
  }
  const readBytes = async (name: string): Promise<Uint8Array | null> => {
    const url = new URL(name, folder).href;
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await fetchFn(url);
    } catch (error) {
      throw new ModelError(component, 'IO', `expected to fetch ${url}, got ${String(error)}`, { cause: error });
    }
    if (response.status === 404 || response.status === 410) return null;
    if (!response.ok) {
      throw new ModelError(
        component,
        'IO',
        `expected ${url} to answer 200, got ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  };
  return {
    description: folder.href,
    readBytes,
    async readText(name) {
      const bytes = await readBytes(name);
      return bytes === null ? null : utf8Text(bytes);
    },
  };
}

/** `base` as an absolute URL ending with `/`. */
function folderUrl(component: string, base: string | URL): URL {
  let url: URL;
  try {
    const page = (globalThis as { location?: { href?: string } }).location?.href;
    url = new URL(String(base), page);
  } catch (error) {
    throw new ModelError(
      component,
      'INVALID_ARGUMENT',
      `expected an absolute URL (or, in a browser, one relative to the page), got ${describeValue(String(base))}; for a folder on disk use loadModel from @empirical-bregman/model/node`,
      { cause: error },
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  url.search = '';
  url.hash = '';
  return url;
}
