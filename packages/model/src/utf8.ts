const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of a string. Internal. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The string of UTF-8 bytes (invalid UTF-8 throws a `TypeError`). Internal. */
export function utf8Text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
