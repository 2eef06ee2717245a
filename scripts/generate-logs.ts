/**
 * Writes realistic escalation logs of any size (see scripts/logs/generator.ts).
 *
 *   npm run build && node dist/scripts/generate-logs.js --out /tmp/allina-logs --events 1000000 --files 10
 *
 * Options: --events N (questions), --files N, --distinct N (pool of distinct questions),
 * --zipf S, --v2 SHARE, --bad-rate RATE, --seed N, --days N. Prints a JSON summary.
 */
import { parseArgs } from 'node:util';
import { existsSync, readdirSync } from 'node:fs';
import { generateLogs } from './logs/generator.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    events: { type: 'string' },
    files: { type: 'string', default: '1' },
    distinct: { type: 'string' },
    zipf: { type: 'string', default: '1' },
    v2: { type: 'string', default: '0.5' },
    'bad-rate': { type: 'string', default: '0.0005' },
    seed: { type: 'string', default: '1' },
    days: { type: 'string', default: '7' },
  },
});

function number(name: string, value: string | undefined, integer = true): number {
  const parsed = Number(value);
  if (value === undefined || !Number.isFinite(parsed) || parsed < 0 || (integer && !Number.isInteger(parsed))) {
    process.stderr.write(`generate-logs: --${name} must be a ${integer ? 'whole ' : ''}number ≥ 0 (got ${value ?? 'nothing'})\n`);
    process.exit(2);
  }
  return parsed;
}

if (!values.out) {
  process.stderr.write('generate-logs: --out DIR is required\n');
  process.exit(2);
}
if (existsSync(values.out) && readdirSync(values.out).length > 0) {
  process.stderr.write(`generate-logs: ${values.out} is not empty; give a new directory\n`);
  process.exit(1);
}
const started = Date.now();
const result = await generateLogs({
  outDir: values.out,
  events: number('events', values.events),
  files: number('files', values.files),
  distinct: values.distinct === undefined ? undefined : number('distinct', values.distinct),
  zipf: number('zipf', values.zipf, false),
  v2Share: number('v2', values.v2, false),
  badLineRate: number('bad-rate', values['bad-rate'], false),
  seed: number('seed', values.seed),
  days: number('days', values.days),
  onProgress: (written) => process.stderr.write(`${written.toLocaleString('en')} events written\n`),
});
process.stdout.write(`${JSON.stringify({ files: result.files.length, bytes: result.bytes, lines: result.lines, seconds: (Date.now() - started) / 1000 })}\n`);
