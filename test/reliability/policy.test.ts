import { describe, expect, it } from 'vitest';
import { resolvePolicy, type DecisionOptions } from '../../src/runtime/decision.js';
import { loadModel } from '../../src/runtime/model.js';
import { PolicyError } from '../../src/util/errors.js';
import { defaultPaths } from '../../src/cli/options.js';
import { testPolicy } from '../helpers/policy.js';
import { runCli } from '../helpers/cli.js';
// Imported here, not inside a test: its afterAll, which removes the temporary directories, must be registered while the file is collected.
import { temporaryDirectory, writeCsv } from '../helpers/fixtures.js';

/** Issue "Nothing lost, nothing answered by accident", item 3: invalid policy values are errors, never defaults. */
describe('decision options are validated', () => {
  const defaults = testPolicy({ threshold: 0.7 });

  it.each([
    ['a NaN threshold', { threshold: Number.NaN }, /threshold must be a number from 0 to 1, got NaN/],
    ['a negative threshold', { threshold: -0.1 }, /threshold must be a number from 0 to 1, got -0\.1/],
    ['a threshold above 1', { threshold: 1.5 }, /threshold must be/],
    ['a string threshold', { threshold: '0.5' as unknown as number }, /threshold must be a number from 0 to 1, got "0\.5"/],
    ['an infinite margin', { margin: Number.POSITIVE_INFINITY }, /margin must be a number from 0 to 1, got Infinity/],
    ['enabled as a string', { enabled: 'no' as unknown as boolean }, /enabled must be true or false, got "no"/],
    ['answerableIntents as a string', { answerableIntents: 'delivery_status' }, /answerableIntents must be a list of intents, got "delivery_status"/],
    ['answerableIntents holding numbers', { answerableIntents: [1, 2] as unknown as string[] }, /answerableIntents must hold intent names, got 1/],
    ['options that are not an object', 'threshold=0' as unknown as DecisionOptions, /decision options must be an object/],
  ])('rejects %s with a PolicyError', (_, options, message) => {
    expect(() => resolvePolicy(defaults, options as DecisionOptions)).toThrow(PolicyError);
    expect(() => resolvePolicy(defaults, options as DecisionOptions)).toThrow(message);
  });

  it('accepts valid options and keeps the defaults for the rest', () => {
    const policy = resolvePolicy(defaults, { threshold: 0, margin: 1, enabled: false, answerableIntents: new Set(['complaint']) });
    expect(policy).toMatchObject({ threshold: 0, margin: 1, enabled: false, minimumLetters: defaults.minimumLetters });
    expect([...policy.answerableIntents]).toEqual(['complaint']);
    expect(resolvePolicy(defaults, {})).toEqual(defaults);
  });

  it('rejects an unknown intent in the model, and classify never answers by accident', () => {
    const model = loadModel(defaultPaths.model);
    expect(() => model.classify('Gdzie jest moja paczka?', { answerableIntents: ['delivery_statuss'] })).toThrow(/unknown intent 'delivery_statuss'/);
    expect(() => model.classify('Gdzie jest moja paczka?', { threshold: Number.NaN })).toThrow(PolicyError);
    expect(() => model.classifyBatch(['Gdzie jest moja paczka?'], { enabled: 'no' as unknown as boolean })).toThrow(PolicyError);
  });

  it('gives exit code 2 and no decision for an empty or non-numeric --threshold in the CLI', () => {
    for (const value of ['', ' ', 'abc', 'NaN', '-1']) {
      const result = runCli(['classify', '--threshold', value, 'Gdzie jest moja paczka?']);
      expect(result.status, value).toBe(2);
      expect(result.stderr).toMatch(/--threshold <t>' argument .* is invalid\. expected a number between 0 and 1/);
      expect(result.stdout).toBe('');
    }
  });
});

describe('evaluation of nothing', () => {
  it('is an error (exit 1), not "100% precision on 0 answered"', async () => {
    const { join } = await import('node:path');
    const file = writeCsv(join(temporaryDirectory(), 'empty.csv'), ['text', 'lang', 'intent'], []);
    const result = runCli(['eval', '--data', file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/empty\.csv: no labelled questions to evaluate/);
    expect(result.stdout).toBe('');
  });
});

describe('library misuse gets typed errors', () => {
  it('classifyBatch needs an array; loadModel() loads the shipped model and refuses a non-path', async () => {
    const { SHIPPED_MODEL_PATH } = await import('../../src/runtime/model.js');
    const { ArtifactError } = await import('../../src/util/errors.js');
    const model = loadModel();
    expect(model.manifest.modelVersion).toBe(loadModel(SHIPPED_MODEL_PATH).manifest.modelVersion);
    expect(() => model.classifyBatch('abc' as unknown as string[])).toThrow(PolicyError);
    expect(() => model.classifyBatch(null as unknown as string[])).toThrow(/classifyBatch takes an array of questions, got null/);
    expect(() => loadModel(42 as unknown as string)).toThrow(ArtifactError);
  });
});

describe('a reader that stops early', () => {
  it('ends `classify --json | head -1` quietly with exit 0, not an EPIPE stack trace', async () => {
    const { spawnSync } = await import('node:child_process');
    const { join } = await import('node:path');
    const { writeFileSync } = await import('node:fs');
    const { fileURLToPath } = await import('node:url');
    const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
    const input = join(temporaryDirectory(), 'many.txt');
    writeFileSync(input, Array.from({ length: 20000 }, (_, index) => `gdzie jest moja paczka ${index}`).join('\n'));
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "${cli}" classify --json --input "${input}" | head -1 > /dev/null; echo "status=\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(result.stdout.trim()).toBe('status=0');
    expect(result.stderr).not.toMatch(/EPIPE|Error/);
  });
});
