/** Makes text safe for one GitHub-markdown table cell: `|` is escaped, line breaks become spaces. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * A GitHub-flavoured markdown table. `align[i]` is 'left' or 'right' (numbers); cells are escaped with
 * {@link markdownCell}.
 *
 * ```ts
 * markdownTable(['a', 'b'], [['x', '1']], ['left', 'right']);
 * // | a | b |\n| :--- | ---: |\n| x | 1 |
 * ```
 */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('left' | 'right')[] = [],
): string {
  const line = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
  const rule = `| ${headers.map((_, i) => (align[i] === 'right' ? '---:' : ':---')).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}
