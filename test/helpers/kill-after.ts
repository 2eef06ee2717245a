import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI, for tests that start it as its own process. */
export const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** Runs node with `args` and SIGKILLs it after `delayMs` (if it is still running). */
export function killAfter(args: string[], delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Temporary siblings an interrupted atomic write leaves behind. */
export const strays = (directory: string) => readdirSync(directory).filter((name) => name.includes('.tmp-'));
