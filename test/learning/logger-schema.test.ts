import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { EscalationLogger } from '../../src/learning/logger.js';
import { readEscalationLogs, type EscalationEvent } from '../../src/learning/events.js';
import { intentLabels, languageClasses } from '../../src/data/taxonomy.js';
import { packageRoot } from '../../src/util/package-root.js';
import { temporaryDirectory } from '../helpers/fixtures.js';
import { handMadeModel } from '../helpers/hand-made-model.js';

// ajv ships CommonJS: depending on the loader, the default import is the export itself or holds it in `.default`.
type Ajv2020Class = typeof Ajv2020Module.default;
type AddFormats = typeof addFormatsModule.default;
const Ajv2020 = (Ajv2020Module as unknown as { default?: Ajv2020Class }).default ?? (Ajv2020Module as unknown as Ajv2020Class);
const addFormats = (addFormatsModule as unknown as { default?: AddFormats }).default ?? (addFormatsModule as unknown as AddFormats);

const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'escalation-event.schema.json'), 'utf8'));
// strictRequired is ajv's lint against `required` inside `not`, which is how the schema tells v1 lines (no "v") from v2.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const schemaErrors = (value: unknown) => (validate(value) ? [] : validate.errors!.map((error: { instancePath: string; message?: string }) => `${error.instancePath} ${error.message}`));

/** The escalation log as services write it, checked against the published JSON Schema. */
describe('the escalation log and its JSON Schema', () => {
  const model = handMadeModel();
  const intents = new Set(intentLabels());
  const languages = new Set(languageClasses());

  it('every event the logger writes is valid against schemas/escalation-event.schema.json', () => {
    const file = join(temporaryDirectory(), 'logs', 'escalations-web1.jsonl');
    const logger = new EscalationLogger(file);
    const answered = model.classify('where is my parcel');
    expect(answered.answer).toBe(true);
    const written = [
      logger.log({ text: 'where is my parcel', decision: answered, outcome: 'accepted' }),
      logger.log({ text: 'where is my parcel', decision: answered, outcome: 'escalated', label: 'delivery_status', sellerId: 's-17', id: 'fixed-id', timestamp: new Date(Date.UTC(2026, 10, 20, 10, 0, 0)) }),
      logger.log({ text: 'hmm ok', decision: model.classify('hmm ok'), outcome: 'not_shown' }),
      // No features at all: intent and language are null; the marketplace's language is logged.
      logger.log({ text: '?!', decision: model.classify('?!'), outcome: 'not_shown', language: 'cs' }),
      logger.log({ text: 'Wo ist mein Paket?', decision: model.classify('Wo ist mein Paket?'), outcome: 'not_shown', language: 'other' }),
      logger.log({ text: 'proszę o fakturę', decision: model.classify('proszę o fakturę', { enabled: false }), outcome: 'not_shown' }),
    ];
    logger.close();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual(written);
    for (const line of lines) expect(schemaErrors(line), JSON.stringify(line)).toEqual([]);
    // The reasons the log carries include the empty input, the switched-off bot and `other`.
    expect(lines.map((line) => line.decision.reason)).toEqual(expect.arrayContaining(['answerable', 'empty_input', 'disabled']));
    expect(lines[3].decision.intent).toBeNull();
    // And the readers take back exactly what was written.
    expect(readEscalationLogs([file], intents, languages)).toEqual({ events: written, skipped: [], duplicateIds: 0, outcomesWithoutDecision: 0 });
  });

  it('a question longer than the schema allows is refused, not written as an invalid event', () => {
    const file = join(temporaryDirectory(), 'long.jsonl');
    const logger = new EscalationLogger(file);
    const text = 'gdzie jest moja paczka '.repeat(50);
    expect(() => logger.log({ text, decision: model.classify(text), outcome: 'not_shown' })).toThrow(/longer than 1000 characters/);
    logger.close();
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) expect(schemaErrors(JSON.parse(line))).toEqual([]);
  });

  it('every decision reason and outcome the code knows is one the schema accepts', () => {
    const event: EscalationEvent = { id: 'a', timestamp: '2026-11-20T10:00:00.000Z', text: 'x', language: 'pl', modelVersion: 'm', decision: { intent: 'other', confidence: 0.5, answer: false, reason: 'answerable' }, outcome: 'accepted' };
    for (const reason of schema.properties.decision.properties.reason.enum) expect(schemaErrors({ ...event, decision: { ...event.decision, reason } })).toEqual([]);
    for (const outcome of ['accepted', 'escalated', 'not_shown']) expect(schemaErrors({ ...event, outcome })).toEqual([]);
  });

  it.each([
    ['no id', { id: undefined }],
    ['a timestamp that is not a date', { timestamp: 'yesterday' }],
    ['an empty text', { text: '' }],
    ['an unsupported language code', { language: 'de' }],
    ['a confidence above 1', { decision: { intent: 'other', confidence: 1.5, answer: false, reason: 'out_of_scope' } }],
    ['an unknown reason', { decision: { intent: 'other', confidence: 0.5, answer: false, reason: 'maybe' } }],
    ['an answer that is not a boolean', { decision: { intent: 'other', confidence: 0.5, answer: 'no', reason: 'out_of_scope' } }],
    ['an unknown outcome', { outcome: 'maybe' }],
    ['a numeric seller id', { sellerId: 17 }],
  ])('what the schema rejects (%s), the log readers reject too', (_, change) => {
    const good: Record<string, unknown> = { id: 'a', timestamp: '2026-11-20T10:00:00.000Z', text: 'hol van a csomagom', language: 'hu', modelVersion: 'm', decision: { intent: 'delivery_status', confidence: 0.9, answer: true, reason: 'answerable' }, outcome: 'accepted' };
    expect(schemaErrors(good)).toEqual([]);
    const bad = JSON.parse(JSON.stringify({ ...good, ...change }));
    expect(schemaErrors(bad)).not.toEqual([]);
    const file = join(temporaryDirectory(), 'bad.jsonl');
    writeFileSync(file, `${JSON.stringify(bad)}\n`);
    const read = readEscalationLogs([file], intents, languages);
    expect(read.events).toEqual([]);
    expect(read.skipped).toHaveLength(1);
    expect(read.skipped[0].line).toBe(1);
  });
});
