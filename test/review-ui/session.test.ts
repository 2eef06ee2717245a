import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../src/index.js';
import { readCsvTable } from '../../src/data/csv.js';
import { readReviewedFiles } from '../../src/learning/review.js';
import { CHOICE_KEYS, OTHER_KEY, ReviewSession, StaleQuestionError } from '../../src/review-ui/session.js';
import { temporaryDirectory, writeCsv } from '../helpers/fixtures.js';
import { writeReviewFixture } from './fixture.js';

const model = loadModel();
const { intents, otherIntent, languages } = model.manifest;
const open = (file: string) => ReviewSession.open(file, intents, otherIntent);
/** Labels as the project's own reader (used by `allina retrain`) sees them, by text. */
const savedLabels = (file: string) => readReviewedFiles([file], new Set(intents), new Set(languages)).reviewed.map((question) => [question.text, question.intent]);
const labelColumn = (file: string) => readCsvTable(file, ['label']).rows.map((row) => row.values.label);

describe('review session (allina review --ui)', () => {
  it('saves each label to the file at once, in a form retrain reads', () => {
    const file = join(temporaryDirectory(), 'review.csv');
    writeReviewFixture(file, 6);
    const session = open(file);
    const first = session.state().question!;
    const second = session.label(first.row, 'complaint').question!;
    expect(savedLabels(file)).toEqual([[first.text, 'complaint']]);
    session.label(second.row, otherIntent);
    expect(savedLabels(file)).toEqual([[first.text, 'complaint'], [second.text, otherIntent]]);
    expect(session.state()).toMatchObject({ total: 6, labelled: 2, skipped: 0, canUndo: true });
  });

  it('gives every intent its own single key: the guesses first, 0 for other (50 questions)', () => {
    const file = join(temporaryDirectory(), 'review.csv');
    writeReviewFixture(file, 50);
    const session = open(file);
    for (let index = 0; index < 50; index++) {
      const question = session.state().question!;
      const keys = question.choices.map((choice) => choice.key);
      expect(new Set(keys).size).toBe(intents.length);
      expect(keys.every((key) => key !== null && [...CHOICE_KEYS, OTHER_KEY].includes(key as never))).toBe(true);
      expect(question.choices.map((choice) => choice.intent).sort()).toEqual([...intents].sort());
      expect(question.choices.find((choice) => choice.intent === otherIntent)!.key).toBe(OTHER_KEY);
      const guesses = question.choices.filter((choice) => choice.guess);
      expect(guesses.length).toBeGreaterThan(0);
      expect(question.choices.slice(0, guesses.length)).toEqual(guesses);
      const firstNonOther = guesses.find((choice) => choice.intent !== otherIntent);
      if (firstNonOther) expect(firstNonOther.key).toBe('1');
      session.label(question.row, question.choices[index % question.choices.length].intent);
    }
    expect(session.state()).toMatchObject({ labelled: 50, question: null });
    expect(labelColumn(file).every((label) => intents.includes(label))).toBe(true);
  });

  it('undo takes back the last label (also from the file) or skip; skipped questions come back at the end', () => {
    const file = join(temporaryDirectory(), 'review.csv');
    writeReviewFixture(file, 4);
    const session = open(file);
    const rows = () => session.state().question?.row;
    expect(rows()).toBe(0);
    session.label(0, 'complaint');
    session.skip(1);
    expect(rows()).toBe(2);
    session.undo();
    expect(rows()).toBe(1);
    session.skip(1);
    session.label(2, 'return_order');
    session.label(3, 'cancel_order');
    expect(session.state()).toMatchObject({ labelled: 3, skipped: 1, question: null });
    session.undo();
    expect(labelColumn(file)).toEqual(['complaint', '', 'return_order', '']);
    expect(rows()).toBe(3);
    session.label(3, 'cancel_order');
    expect(session.revisitSkipped().question!.row).toBe(1);
    expect(session.state().canUndo).toBe(false);
    expect(session.undo().last).toEqual({ action: 'undo', row: null });
  });

  it('a new session starts after the last labelled question; skipped ones come round after the rest', () => {
    const file = join(temporaryDirectory(), 'review.csv');
    writeReviewFixture(file, 5);
    const first = open(file);
    first.label(0, 'complaint');
    first.skip(1);
    first.label(2, 'complaint');
    const next = open(file);
    expect(next.state()).toMatchObject({ labelled: 2, skipped: 0 });
    expect(next.state().question!.row).toBe(3);
    next.label(3, 'complaint');
    next.label(4, 'complaint');
    expect(next.state().question!.row).toBe(1);
  });

  it('refuses a label for a question that is no longer current, and changes nothing', () => {
    const file = join(temporaryDirectory(), 'review.csv');
    writeReviewFixture(file, 3);
    const session = open(file);
    session.label(0, 'complaint');
    const before = readFileSync(file, 'utf8');
    expect(() => session.label(0, 'other')).toThrow(StaleQuestionError);
    expect(() => session.skip(2)).toThrow(/row 4 is no longer the current one/);
    expect(() => session.label(1, 'no_such_intent')).toThrow(/unknown intent 'no_such_intent'/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('does not overwrite a file another program changed since it was read', () => {
    const file = join(temporaryDirectory(), 'review.csv');
    writeReviewFixture(file, 3);
    const session = open(file);
    const edited = readFileSync(file, 'utf8').replace(/,\n/, ',complaint\n');
    writeFileSync(file, edited);
    expect(() => session.label(0, 'other')).toThrow(/changed by another program/);
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(session.state().labelled).toBe(0);
  });

  it('keeps every other column byte for byte, shows formula-like text as written and asks again for unknown labels', () => {
    const file = join(temporaryDirectory(), 'review.csv');
    writeCsv(file, ['text', 'lang', 'count', 'guess_1', 'confidence_1', 'label', 'note'], [
      ["'=HYPERLINK(\"x\")", 'en', '3', 'complaint', '0.500', 'complaint_typo', 'keep "me", please'],
      ['hol van a csomag', 'hu', '', '', '', '', ''],
    ]);
    const session = open(file);
    expect(session.problems).toEqual([{ line: 2, problem: "unknown intent in label 'complaint_typo'; the question is asked again" }]);
    const question = session.state().question!;
    expect(question).toMatchObject({ row: 0, line: 2, text: '=HYPERLINK("x")', lang: 'en', count: 3 });
    expect(question.choices[0]).toMatchObject({ key: '1', intent: 'complaint', confidence: 0.5, guess: true });
    session.label(0, 'other');
    const rows = readCsvTable(file, ['text']).rows.map((row) => row.values);
    expect(rows[0]).toEqual({ text: "'=HYPERLINK(\"x\")", lang: 'en', count: '3', guess_1: 'complaint', confidence_1: '0.500', label: 'other', note: 'keep "me", please' });
    expect(session.state().question).toMatchObject({ row: 1, count: null });
  });

  it('names the file and row of a guess the model does not know', () => {
    const file = join(temporaryDirectory(), 'review.csv');
    writeCsv(file, ['text', 'lang', 'guess_1', 'label'], [['where is it', 'en', 'shipping', '']]);
    expect(() => open(file)).toThrow(/review\.csv:2: guess_1 'shipping' is not an intent of this model/);
  });
});
