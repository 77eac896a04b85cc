/**
 * Where the CLI writes: the process's streams, or a test's buffers. stdout carries the results only (a table, or
 * with `--json` exactly one JSON document); progress, notes and errors go to stderr.
 */
export interface CliOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The process's standard streams. */
export const PROCESS_OUTPUT: CliOutput = {
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
};

/** Writes `value` as the one JSON document of a `--json` command. */
export function printJson(out: CliOutput, value: unknown): void {
  out.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
