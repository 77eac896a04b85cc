import { ModelError } from './model-error';

interface SubtleDigest {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
}

/**
 * SHA-256 of `bytes` in lower-case hex, through Web Crypto (`crypto.subtle`: Node ≥ 20 and browsers in a secure
 * context, i.e. HTTPS or localhost). Where it is missing the checksums of index files cannot be written or
 * checked, and this throws `UNAVAILABLE`. Internal.
 */
export async function sha256Hex(component: string, bytes: Uint8Array): Promise<string> {
  const subtle = (globalThis as { crypto?: { subtle?: SubtleDigest } }).crypto?.subtle;
  if (subtle === undefined) {
    throw new ModelError(
      component,
      'UNAVAILABLE',
      'expected Web Crypto (crypto.subtle) for SHA-256 checksums, got none: browsers offer it on HTTPS and localhost only',
    );
  }
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}
