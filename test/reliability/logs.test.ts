import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EscalationLogger, LogEventError } from '../../src/learning/logger.js';
import { readEscalationLogs } from '../../src/learning/events.js';
import { intentLabels, languageClasses } from '../../src/data/taxonomy.js';
import { loadModel } from '../../src/runtime/model.js';
import type { Decision } from '../../src/runtime/model.js';
import { temporaryDirectory } from '../helpers/fixtures.js';

const intents = new Set(intentLabels());
const languages = new Set(languageClasses());

/** Issue "Nothing lost, nothing answered by accident", item 11: the writer and the readers agree. */
describe('the escalation log', () => {
  const decision = loadModel().classify('Gdzie jest moja paczka?');

  it('writes nothing its readers would reject, and says why with a typed error', () => {
    const file = join(temporaryDirectory(), 'escalations.jsonl');
    const logger = new EscalationLogger(file);
    expect(() => logger.log({ text: 'x', decision, outcome: 'maybe' as never })).toThrow(LogEventError);
    expect(() => logger.log({ text: '   ', decision, outcome: 'accepted' })).toThrow(/'text' must be a non-empty string/);
    expect(() => logger.log({ text: 'x', decision, outcome: 'escalated', label: 'delivery_statuss' })).toThrow(/unknown intent in label/);
    expect(() => logger.log({ text: 'x', outcome: 'accepted' } as unknown as { text: string; decision: Decision; outcome: 'accepted' })).toThrow(/'decision' must be the Decision/);
    const written = logger.log({ text: 'Gdzie jest moja paczka?', decision, outcome: 'accepted' });
    logger.close();
    const { events, skipped } = readEscalationLogs([file], intents, languages);
    expect(skipped).toEqual([]);
    expect(events).toEqual([written]);
  });

  it('logs a question in an unsupported language with language "other"', () => {
    const file = join(temporaryDirectory(), 'escalations.jsonl');
    const logger = new EscalationLogger(file);
    const foreign = loadModel().classify('Wo ist mein Paket? Ich warte schon eine Woche.');
    expect(foreign.language).toBe('other');
    logger.log({ text: 'Wo ist mein Paket? Ich warte schon eine Woche.', decision: foreign, outcome: 'not_shown' });
    logger.close();
    expect(readEscalationLogs([file], intents, languages).events).toHaveLength(1);
  });

  it('skips and reports a line of invalid UTF-8 instead of replacing it', () => {
    const file = join(temporaryDirectory(), 'escalations.jsonl');
    const logger = new EscalationLogger(file);
    logger.log({ text: 'first', decision, outcome: 'accepted', id: 'a' });
    logger.close();
    const good = readFileSync(file);
    const broken = Buffer.from(good.toString('utf8').replace('"first"', '"sec\u0000nd"').replace('"a"', '"b"'));
    const index = broken.indexOf(0);
    broken[index] = 0xff;
    writeFileSync(file, Buffer.concat([good, broken, good.subarray(0, 0)]));
    const { events, skipped } = readEscalationLogs([file], intents, languages);
    expect(events.map((event) => event.id)).toEqual(['a']);
    expect(skipped).toEqual([{ file, line: 2, problem: 'not valid UTF-8' }]);
    expect(existsSync(file)).toBe(true);
  });
});
