#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { AllinaError } from '../util/errors.js';
import { packageVersion } from '../util/package-root.js';

type Register = (program: Command) => void;

/** Each CLI module, the top-level commands it registers, and how to import it. */
const COMMAND_MODULES: { commands: string[]; load: () => Promise<Register> }[] = [
  { commands: ['train'], load: async () => (await import('./train.js')).registerTrain },
  { commands: ['eval'], load: async () => (await import('./eval.js')).registerEval },
  { commands: ['classify'], load: async () => (await import('./classify.js')).registerClassify },
  { commands: ['data'], load: async () => (await import('./data-check.js')).registerDataCheck },
  { commands: ['review', 'retrain', 'promote', 'rollback'], load: async () => (await import('./learning.js')).registerLearningCommands },
  { commands: ['logs', 'report'], load: async () => (await import('./logs.js')).registerLogCommands },
  { commands: ['discover'], load: async () => (await import('./discover.js')).registerDiscover },
  { commands: ['serve'], load: async () => (await import('./serve.js')).registerServe },
];

/**
 * `allina` command line: a thin shell over the library. Exit codes, one rule for every command:
 * 0 ok; 1 the input or the environment is wrong (bad data, bad or missing model, a store that is
 * not a store, a rejected candidate); 2 the command line is wrong (unknown command or option, a
 * missing or invalid value, no subcommand). Errors are one line on standard error.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('allina')
    .version(packageVersion())
    .description('Allina: multilingual buyer-question intent classification that knows when not to answer.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText('after', `
Quick start:
  $ allina classify "Gdzie jest moja paczka?"      # decision from the shipped model
  $ allina eval --data data/test                   # how good is it?
  $ allina train --out models/mine                 # retrain on data/

Exit codes: 0 ok, 1 failure (bad data / model / failed check), 2 usage error.`);
  program.configureOutput({ writeErr: (text) => process.stderr.write(text) });
  // Only the module of the command being run is imported: `classify` and `serve` load no
  // training code (and so no TensorFlow.js), and a one-question classify starts fast. Help and
  // unknown commands need every command registered.
  const wanted = COMMAND_MODULES.filter((entry) => entry.commands.includes(argv[2]));
  for (const entry of wanted.length > 0 ? wanted : COMMAND_MODULES) (await entry.load())(program);
  program.commands.forEach(function propagate(command: Command) {
    command.exitOverride();
    command.commands.forEach(propagate);
  });
  // A command that needs a subcommand, given none, is a usage mistake: help on stderr, exit 2.
  const words = argv.slice(2);
  if (words.length === 0 || (words.length === 1 && (words[0] === 'data' || words[0] === 'logs'))) {
    (words.length === 0 ? program : program.commands.find((command) => command.name() === words[0])!).outputHelp({ error: true });
    return 2;
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are normal exits; everything else commander reports is usage.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    if (error instanceof AllinaError) {
      process.stderr.write(`allina: ${error.message}\n`);
      return error.exitCode;
    }
    process.stderr.write(`allina: unexpected error: ${(error as Error)?.stack ?? error}\n`);
    return 1;
  }
}

// A reader that stops early (`allina classify --json < questions.txt | head -1`) closes the pipe:
// like other Unix tools, stop quietly instead of failing with EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
