import { readFileSync } from 'node:fs';
import { isEmpiricalBregmanError } from '@empirical-bregman/common';
import { Command, CommanderError } from 'commander';
import { type CliOutput, PROCESS_OUTPUT } from './cli/cli-output';
import { registerBenchCommand } from './commands/bench-command';
import { registerDataCommand } from './commands/data-command';
import { registerEmbedCommand } from './commands/embed-command';
import { registerEvalCommand } from './commands/eval-command';
import { registerQueryCommand } from './commands/query-command';
import { registerReportCommand } from './commands/report-command';
import { registerTrainCommand } from './commands/train-command';
import { registerWorkerCommand } from './commands/worker-command';

export type { CliOutput } from './cli/cli-output';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/**
 * The `bregman` program: each command registers its own flags (`commands/<name>-command.ts`); this file only
 * composes them and turns errors into exit codes.
 */
export function buildProgram(out: CliOutput): Command {
  const program = new Command('bregman')
    .description('Deep metric learning with learned Bregman divergences: train, benchmark, evaluate, report.')
    .version(VERSION, '-V, --version')
    // Inherited by every command created after this point: usage errors end as a CommanderError, not process.exit.
    .exitOverride()
    .configureOutput({
      writeOut: out.stdout,
      writeErr: out.stderr,
      // Usage errors as one line: "bregman: error: unknown option '--epoch' (Did you mean --epochs?)".
      outputError: (text, write) => write(`bregman: ${text.trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
    });
  registerTrainCommand(program, out);
  registerBenchCommand(program, out);
  registerWorkerCommand(program, out);
  registerReportCommand(program, out);
  registerEvalCommand(program, out);
  registerEmbedCommand(program, out);
  registerQueryCommand(program, out);
  registerDataCommand(program, out);
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage or input error). */
export async function main(argv: readonly string[], out: CliOutput = PROCESS_OUTPUT): Promise<number> {
  const program = buildProgram(out);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; commander already printed its message.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isEmpiricalBregmanError(error)) {
      out.stderr(`bregman: ${error.message}\n`);
      return error.code === 'NUMERICAL' || error.code === 'IO' ? 1 : 2;
    }
    out.stderr(
      `bregman: unexpected error (a bug; please report it with this trace):\n${(error as Error).stack ?? String(error)}\n`,
    );
    return 1;
  }
}
