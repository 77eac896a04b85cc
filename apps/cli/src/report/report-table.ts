/** A table as both renderers (markdown and HTML) draw it: plain text cells, one alignment per column. */
export interface ReportTable {
  /** Heading above the table, e.g. 'mnist · class-disjoint'. */
  readonly caption: string;
  readonly columns: readonly { readonly label: string; readonly align: 'left' | 'right' }[];
  readonly rows: readonly (readonly string[])[];
  /** Per row: true for an untrained reference row (raw input, untrained network), styled apart in HTML. */
  readonly reference?: readonly boolean[];
}

/** True for a model name that denotes an untrained reference row ('raw input', 'untrained network', …). */
export function isReferenceModel(model: string): boolean {
  return /raw|untrained|baseline|reference/i.test(model);
}
