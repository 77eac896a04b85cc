import { DatasetError } from './dataset-error';
import { type LabelledData, validateLabelledData } from './labelled-data';
import { parseDecimalCell } from './numeric-rows';

/** Options of {@link parseLabelledCsv}. */
export interface LabelledCsvOptions {
  /** Name of the file or stream, used in error messages. Default `'<csv>'`. */
  readonly source?: string;
  /**
   * `'sklearn'`: a first line `n_samples,n_features,<class names…>` (scikit-learn's bundled UCI files), checked
   * against the rows; `'none'`: data from the first line. Default `'none'`.
   */
  readonly header?: 'sklearn' | 'none';
  /** Name given to the data. Default: the source. */
  readonly name?: string;
  /** Shape of one sample (∏ must equal the number of feature columns). Default `[features]`. */
  readonly sampleShape?: readonly number[];
}

/**
 * Parses a labelled CSV: one sample per line, numeric features, then a non-negative integer class label last.
 * Blank lines are skipped. Errors are `BAD_FORMAT` {@link DatasetError}s naming the source, the line and the
 * column: ragged rows, non-numeric cells (decimal notation only; values must fit float32: `1e400` and `0x1F` are
 * refused), missing or non-integer labels, a header that disagrees with the rows.
 *
 * ```ts
 * const iris = parseLabelledCsv(readFileSync('iris.csv', 'utf8'), { source: 'iris.csv', header: 'sklearn' });
 * ```
 */
export function parseLabelledCsv(text: string, options: LabelledCsvOptions = {}): LabelledData {
  const source = options.source ?? '<csv>';
  const fail = (message: string): never => {
    throw new DatasetError('parseLabelledCsv', 'BAD_FORMAT', `${source}: ${message}`);
  };
  const lines = text.split(/\r?\n/);
  let first = 0;
  let declared: { samples: number; features: number; classNames: string[] } | undefined;
  if (options.header === 'sklearn') {
    const cells = (lines[0] ?? '').split(',').map((c) => c.trim());
    const samples = Number(cells[0]);
    const features = Number(cells[1]);
    if (cells.length < 2 || !Number.isInteger(samples) || !Number.isInteger(features) || features < 1) {
      fail(`expected a header line "n_samples,n_features,<class names…>" on line 1, got ${JSON.stringify(lines[0])}`);
    }
    declared = { samples, features, classNames: cells.slice(2) };
    first = 1;
  }
  const rows: number[][] = [];
  const labels: number[] = [];
  let width = declared ? declared.features + 1 : -1;
  for (let l = first; l < lines.length; l++) {
    const line = lines[l].trim();
    if (line === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    const lineNo = l + 1;
    if (width < 0) {
      if (cells.length < 2)
        fail(`expected at least one feature and a label on line ${lineNo}, got ${cells.length} cell`);
      width = cells.length;
    }
    if (cells.length !== width) {
      if (cells.length === width - 1 || cells[cells.length - 1] === '') {
        fail(`expected ${width} cells (features then label) on line ${lineNo}, got ${cells.length} (missing label?)`);
      }
      fail(`expected ${width} cells on line ${lineNo}, got ${cells.length} (ragged row)`);
    }
    const row: number[] = [];
    for (let c = 0; c < width - 1; c++)
      row.push(parseDecimalCell(cells[c], { source, row: lineNo, column: c + 1 }, 'parseLabelledCsv'));
    const labelCell = cells[width - 1];
    if (labelCell === '')
      fail(`expected a class label in the last column on line ${lineNo}, got an empty cell (missing label)`);
    const label = Number(labelCell);
    if (!/^\+?\d+(\.0*)?$/.test(labelCell) || !Number.isSafeInteger(label)) {
      fail(`expected a non-negative integer label on line ${lineNo}, got ${JSON.stringify(labelCell)}`);
    }
    rows.push(row);
    labels.push(label);
  }
  if (rows.length === 0) fail('expected at least one data row, got none');
  if (declared && declared.samples !== rows.length) {
    fail(`expected ${declared.samples} rows as the header says, got ${rows.length}`);
  }
  const d = width - 1;
  const features = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) features.set(rows[i], i * d);
  const numClasses = Math.max(declared?.classNames.length ?? 0, ...labels.map((y) => y + 1));
  const classNames = declared && declared.classNames.length === numClasses ? declared.classNames : undefined;
  const sampleShape = options.sampleShape ?? [d];
  if (sampleShape.reduce((a, b) => a * b, 1) !== d) {
    throw new DatasetError(
      'parseLabelledCsv',
      'INVALID_SHAPE',
      `expected a sample shape with ${d} values, got [${sampleShape.join(', ')}]`,
    );
  }
  return validateLabelledData(
    {
      name: options.name ?? source,
      features,
      labels: Int32Array.from(labels),
      sampleShape,
      numClasses,
      ...(classNames ? { classNames } : {}),
    },
    'parseLabelledCsv',
  );
}
