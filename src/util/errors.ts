/**
 * Errors that reach the user as one line. The CLI prints `message` and exits with `exitCode`;
 * library callers can catch them by class.
 */
export class AllinaError extends Error {
  /** 1 = the input or the environment is wrong; 2 = the command line is wrong. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad data in a file the user gave us. The message names the file and, where known, the row. */
export class DataError extends AllinaError {
  constructor(file: string, row: number | undefined, problem: string) {
    super(row === undefined ? `${file}: ${problem}` : `${file}:${row}: ${problem}`, 1);
  }
}

/** A model artifact that is missing, truncated or of an incompatible format. */
export class ArtifactError extends AllinaError {
  constructor(dir: string, problem: string) {
    super(`${dir}: ${problem}`, 1);
  }
}

/**
 * A decision option that is not a valid setting (a NaN or out-of-range threshold, a string where
 * a list of intents belongs, …): the bot must not answer by accident, so it is an error, not a
 * default. Exit code 2 when it comes from the command line.
 */
export class PolicyError extends AllinaError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** A command-line mistake (bad option value, missing argument): exit code 2. */
export class UsageError extends AllinaError {
  constructor(message: string) {
    super(message, 2);
  }
}
