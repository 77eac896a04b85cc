/**
 * The convention: a code block of a package README is run by the test when the line right before its opening
 * fence is the marker `<!-- runs -->` and the fence is ```ts. The marker may name a fixture the tool prepares in
 * the block's working folder first: `<!-- runs fixture=wine-model -->` (see fixtures.mjs). Unmarked blocks
 * (interfaces, fragments, browser code) are documentation only. A marker not followed by a ```ts fence is an error,
 * so a typo never silently drops an example.
 */
const MARKER = /^<!--\s*runs(?:\s+fixture=([a-z0-9-]+))?\s*-->\s*$/;
const FENCE = /^(`{3,}|~{3,})\s*([\w-]*)/;

/** A closing fence: only the opening fence's character, at least as many. */
function closes(text, fence) {
  const t = text.trim();
  return t.length >= fence.length && t === fence[0].repeat(t.length);
}

/**
 * The runnable blocks of one Markdown document, in order.
 * @param {string} markdown
 * @returns {{ line: number, code: string, fixture: string | null }[]} `line`: 1-based line of the opening fence.
 */
export function runnableBlocks(markdown) {
  const lines = markdown.split(/\r?\n/);
  const blocks = [];
  let open = null; // the fence that opened the current block
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    if (open !== null) {
      if (closes(text, open.fence)) {
        if (open.block) open.block.code = lines.slice(open.start + 1, i).join('\n') + '\n';
        open = null;
      }
      continue;
    }
    const fence = FENCE.exec(text);
    if (fence) {
      const marker = i > 0 ? MARKER.exec(lines[i - 1]) : null;
      const block = marker ? { line: i + 1, code: '', fixture: marker[1] ?? null } : null;
      if (block && fence[2] !== 'ts') {
        throw new Error(`line ${i}: expected a \`\`\`ts fence after <!-- runs -->, got ${JSON.stringify(text)}`);
      }
      if (block) blocks.push(block);
      open = { fence: fence[1], start: i, block };
      continue;
    }
    if (MARKER.test(text) && !FENCE.test(lines[i + 1] ?? '')) {
      const next = JSON.stringify(lines[i + 1] ?? '');
      throw new Error(`line ${i + 1}: expected a \`\`\`ts fence after <!-- runs -->, got ${next}`);
    }
  }
  if (open?.block) throw new Error(`line ${open.block.line}: the block marked <!-- runs --> is never closed`);
  return blocks;
}
