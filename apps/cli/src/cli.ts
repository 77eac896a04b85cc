import { CLI_VERSION } from './cli-version';
import { Command } from 'commander';
import { type CliOutput, PROCESS_OUTPUT } from './cli/cli-output';
import { environmentHelp } from './cli/environment';
import { EXIT_CODES, EXIT_CODES_HELP, exitStatusOf } from './cli/exit-codes';
import { failPoint } from './fault-injection';
import { registerBenchCommand } from './commands/bench-command';
import { registerDataCommand } from './commands/data-command';
import { registerEmbedCommand } from './commands/embed-command';
import { registerIndexCommand } from './commands/index-command';
import { registerEvalCommand } from './commands/eval-command';
import { registerQueryCommand } from './commands/query-command';
import { registerReportCommand } from './commands/report-command';
import { registerServeCommand } from './commands/serve-command';
import { registerTrainCommand } from './commands/train-command';
import { registerWorkerCommand } from './commands/worker-command';

export type { CliOutput } from './cli/cli-output';

/**
 * The `bregman` program: each command registers its own flags (`commands/<name>-command.ts`); this file only
 * composes them and turns errors into exit codes.
 */
export function buildProgram(out: CliOutput): Command {
  const program = new Command('bregman')
    .description('Deep metric learning with learned Bregman divergences: train, benchmark, evaluate, report.')
    .version(CLI_VERSION, '-V, --version')
    // Inherited by every command created after this point: usage errors end as a CommanderError, not process.exit.
    .exitOverride()
    .configureOutput({
      writeOut: out.stdout,
      writeErr: out.stderr,
      // Usage errors as one line: "bregman: error: unknown option '--epoch' (Did you mean --epochs?)".
      outputError: (text, write) => write(`bregman: ${text.trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
    })
    .addHelpText('after', `\n${environmentHelp()}\n\n${EXIT_CODES_HELP}\n`)
    // Tests only (BREGMAN_FAULT=command/<name>): a command that fails as a bug would.
    .hook('preAction', (_program, command) => failPoint(`command/${commandPath(command)}`));
  registerTrainCommand(program, out);
  registerBenchCommand(program, out);
  registerWorkerCommand(program, out);
  registerReportCommand(program, out);
  registerEvalCommand(program, out);
  registerEmbedCommand(program, out);
  registerIndexCommand(program, out);
  registerQueryCommand(program, out);
  registerDataCommand(program, out);
  registerServeCommand(program, out);
  return program;
}

/** `data list` → 'data-list'. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join('-');
}

/**
 * Runs the CLI; returns the exit code: 0 ok, 1 bug, 2 usage, 3 data/IO, 4 numerical, 5 unavailable resource,
 * 6 some bench cells failed (see cli/exit-codes.ts). A failure is one line on stderr (a bug keeps its stack).
 */
export async function main(argv: readonly string[], out: CliOutput = PROCESS_OUTPUT): Promise<number> {
  const program = buildProgram(out);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    const { exitCode, message } = exitStatusOf(error);
    if (message) out.stderr(message);
    return exitCode;
  }
}
