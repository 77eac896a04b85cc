import { parse } from 'csv-parse/sync';
import type { DataFileContents } from './data-file-contents';
import { causeText, DatasetError } from './dataset-error';
import { readHashedFile } from './hashed-file';
import { parseDecimalCell } from './numeric-rows';

/** Options of {@link readTableFile}. */
export interface TableFileOptions {
  readonly delimiter: ',' | '\t';
  /** The header name of the label column. */
  readonly labelColumn: string;
}

/**
 * A CSV or TSV file with a header row: the `labelColumn` holds the class labels (any text; integers sort as numbers),
 * every other column is a numeric feature in decimal notation (checked by {@link parseDecimalCell}: finite, within
 * float32). Quoting follows RFC 4180 (csv-parse); a UTF-8 BOM, CRLF line ends and blank lines are accepted.
 *
 * Errors are `BAD_FORMAT` and name the file; "row" is the line in the file (the header is row 1), "column" counts
 * from 1 and includes the label column: invalid UTF-8, broken quoting, an empty or duplicate header name, a missing
 * label column (the columns found are listed), no data rows, ragged rows, an empty label, a non-numeric feature cell.
 */
export async function readTableFile(
  path: string,
  options: TableFileOptions,
  component = 'readTableFile',
): Promise<DataFileContents> {
  const fail = (message: string): never => {
    throw new DatasetError(component, 'BAD_FORMAT', `${path}: ${message}`);
  };
  const file = await readHashedFile(path, component);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch {
    fail('expected UTF-8 text, got invalid UTF-8 (a binary file, or another encoding)');
  }
  const records: { record: string[]; line: number }[] = [];
  try {
    parse(text, {
      delimiter: options.delimiter,
      bom: true,
      // Ragged rows are reported below, with the header's width and the row.
      relax_column_count: true,
      skip_empty_lines: true,
      // Any line end, also mixed: otherwise a CRLF file's first line fixes '\r\n' and a lone '\n' later stays in a cell.
      record_delimiter: ['\r\n', '\n', '\r'],
      // The line each record ends on, for messages (a quoted cell may span lines).
      on_record: (record: string[], context) => {
        records.push({ record, line: context.lines });
        return null;
      },
    });
  } catch (cause) {
    throw new DatasetError(
      component,
      'BAD_FORMAT',
      `${path}: expected well-formed ${options.delimiter === ',' ? 'CSV' : 'TSV'}, got ${causeText(cause)}`,
      { cause },
    );
  }
  // A line of spaces parses as one blank cell: it is a blank line, not a row.
  const rows = records.filter((r) => !(r.record.length === 1 && r.record[0].trim() === ''));
  if (rows.length === 0) fail('expected a header row, got no rows (empty file)');
  const header = rows[0].record.map((name) => name.trim());
  header.forEach((name, c) => {
    if (name === '') {
      fail(
        `expected a name for every column in the header, got an empty one in column ${c + 1} (an index column? pandas: to_csv(index=False))`,
      );
    }
    if (header.indexOf(name) !== c) fail(`expected distinct column names, got ${JSON.stringify(name)} twice`);
  });
  const labelAt = header.indexOf(options.labelColumn);
  if (labelAt < 0) {
    fail(
      `expected a label column ${JSON.stringify(options.labelColumn)}, got the columns ${header.map((h) => JSON.stringify(h)).join(', ')} (choose one with labelColumn)`,
    );
  }
  if (header.length < 2)
    fail(`expected at least one feature column besides ${JSON.stringify(options.labelColumn)}, got none`);
  if (rows.length === 1) fail('expected at least one data row after the header, got none');
  const width = header.length;
  const d = width - 1;
  const features = new Float32Array((rows.length - 1) * d);
  const rawLabels: string[] = [];
  for (let r = 1; r < rows.length; r++) {
    const { record, line: row } = rows[r];
    if (record.length !== width) {
      fail(`expected ${width} cells in every row (as in the header), got ${record.length} at row ${row} (ragged rows)`);
    }
    let k = (r - 1) * d;
    for (let c = 0; c < width; c++) {
      if (c === labelAt) continue;
      features[k++] = parseDecimalCell(record[c], { source: path, row, column: c + 1 }, component);
    }
    const label = record[labelAt].trim();
    if (label === '') {
      fail(
        `expected a class label in column ${labelAt + 1} (${JSON.stringify(options.labelColumn)}), got an empty cell at row ${row}`,
      );
    }
    rawLabels.push(label);
  }
  return {
    features,
    sampleShape: [d],
    rawLabels,
    input: {
      kind: 'table',
      featureNames: header.filter((_, c) => c !== labelAt),
      labelColumn: options.labelColumn,
      delimiter: options.delimiter,
    },
    files: [file],
  };
}
