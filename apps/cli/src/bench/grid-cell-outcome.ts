import type { GridItemResult } from './run-grid-item';

/** Why a grid cell failed: the error's stable code when it has one (e.g. NUMERICAL), and its first line. */
export interface CellError {
  readonly code: string | null;
  readonly message: string;
}

/**
 * How one cell of a bench grid ended. A failed cell does not stop the grid: the others finish, the report marks it,
 * and `bregman bench` exits with code 6.
 */
export type GridCellOutcome<R extends GridItemResult = GridItemResult> =
  | { readonly status: 'finished'; readonly result: R }
  | { readonly status: 'failed'; readonly dir: string; readonly error: CellError };

/** The record of a cell's error (any thrown value). */
export function cellError(error: unknown): CellError {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return { code: typeof code === 'string' ? code : null, message: message.split('\n')[0]! };
}
