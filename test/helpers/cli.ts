import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled CLI (npm test builds it first), run as a user would: a separate Node process. */
export const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

export function runCli(args: string[], input?: string | Buffer): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { input: input ?? '', encoding: 'utf8', timeout: 180_000 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
