#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { AllinaError } from '../util/errors.js';
import { packageVersion } from '../util/package-root.js';
import { registerServe } from './serve.js';

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
  // A serving process loads no training code, and so no TensorFlow.js: the other commands are
  // imported only when the command is not `serve`.
  if (argv[2] !== 'serve') {
    const [{ registerTrain }, { registerEval }, { registerClassify }, { registerDataCheck }, { registerLearningCommands }, { registerLogCommands }, { registerDiscover }] = await Promise.all([import('./train.js'), import('./eval.js'), import('./classify.js'), import('./data-check.js'), import('./learning.js'), import('./logs.js'), import('./discover.js')]);
    registerTrain(program);
    registerEval(program);
    registerClassify(program);
    registerDataCheck(program);
    registerLearningCommands(program);
    registerLogCommands(program);
    registerDiscover(program);
  }
  registerServe(program);
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
