import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

describe('allina review --ui: command-line mistakes', () => {
  const workspace = temporaryDirectory();
  const existing = join(workspace, 'review.csv');
  writeFileSync(existing, 'text,lang,label\n');

  it('needs --logs unless --ui labels an existing file', () => {
    const result = runCli(['review', '--out', existing]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/give --logs .* --aggregates .* or --topics .*, or --ui to label an existing --out/);
  });

  it('never rebuilds a review file that may hold labels', () => {
    const result = runCli(['review', '--ui', '--logs', workspace, '--out', existing]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`allina: ${existing} already exists and may hold labels: resume with 'allina review --ui --out ${existing}' (without --logs), or choose a new --out\n`);
  });

  it('names a missing review file, and rejects a port out of range', () => {
    const missing = runCli(['review', '--ui', '--out', join(workspace, 'nope.csv'), '--port', '0']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nope\.csv: cannot read file \(ENOENT\)/);
    const badPort = runCli(['review', '--ui', '--out', existing, '--port', '70000']);
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toMatch(/expected a port number from 0 to 65535/);
  });
});
