/**
 * The labelling page: plain HTML, CSS and a small script, all served by the review server itself
 * (no external asset, no framework). Buyer text is only ever put on the page as text
 * (`textContent`), never as markup.
 */

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Allina review</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <h1>Allina review</h1>
  <div id="file" class="muted"></div>
  <div class="progress"><div id="bar"></div></div>
  <div id="progress" class="muted" aria-live="polite"></div>
</header>
<main>
  <section id="card" hidden>
    <div class="meta"><span id="lang" class="pill"></span> <span id="count"></span> <span id="line" class="muted"></span></div>
    <blockquote id="text"></blockquote>
    <h2>The model's guesses</h2>
    <div id="guesses" class="choices"></div>
    <h2>Other intents</h2>
    <div id="others" class="choices"></div>
    <div class="actions">
      <button id="skip" type="button"><kbd>s</kbd> skip</button>
      <button id="undo" type="button"><kbd>u</kbd> undo</button>
    </div>
  </section>
  <section id="finished" hidden>
    <p id="finished-text"></p>
    <button id="revisit" type="button" hidden><kbd>r</kbd> go over the skipped questions</button>
  </section>
  <p id="status" class="muted" role="status"></p>
  <p id="error" role="alert" hidden></p>
  <p class="muted keys">Keys: <kbd>1</kbd>–<kbd>9</kbd>, <kbd>-</kbd> pick an intent · <kbd>0</kbd> other · <kbd>s</kbd> skip · <kbd>u</kbd> undo. Each label is saved to the file at once; close the tab whenever you like.</p>
</main>
</body>
</html>
`;

export const PAGE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #f6f8fa; }
header { background: #fff; border-bottom: 1px solid #d1d9e0; padding: 14px 28px 10px; }
h1 { margin: 0; font-size: 20px; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: #59636e; margin: 18px 0 6px; }
main { max-width: 880px; margin: 0 auto; padding: 18px 28px 40px; }
.muted { color: #59636e; font-size: 14px; }
.progress { height: 8px; background: #eaeef2; border-radius: 4px; margin: 8px 0 4px; overflow: hidden; }
#bar { height: 100%; width: 0; background: #1a7f37; transition: width .15s; }
section#card, section#finished { background: #fff; border: 1px solid #d1d9e0; border-radius: 8px; padding: 18px 22px; }
.meta { font-size: 14px; }
.pill { display: inline-block; padding: 0 8px; border-radius: 10px; background: #ddf4ff; color: #0550ae; font-weight: 600; }
blockquote { font-size: 22px; line-height: 1.4; margin: 12px 0 6px; padding: 10px 14px; border-left: 4px solid #0969da; background: #f6f8fa; white-space: pre-wrap; overflow-wrap: anywhere; }
.choices { display: flex; flex-wrap: wrap; gap: 8px; }
button { font: inherit; font-size: 15px; padding: 6px 12px; border: 1px solid #d1d9e0; border-radius: 6px; background: #fff; cursor: pointer; color: inherit; }
button:hover, button:focus-visible { border-color: #0969da; outline: none; box-shadow: 0 0 0 2px #0969da33; }
button.guess { background: #f0f7ff; border-color: #54aeff; }
button .conf { color: #59636e; font-size: 13px; margin-left: 4px; }
kbd { display: inline-block; min-width: 1.4em; text-align: center; font: 600 13px ui-monospace, Menlo, Consolas, monospace; padding: 0 4px; margin-right: 6px; border: 1px solid #d1d9e0; border-bottom-width: 2px; border-radius: 4px; background: #f6f8fa; }
.actions { margin-top: 18px; display: flex; gap: 8px; }
#error { color: #cf222e; font-weight: 600; }
.keys { margin-top: 24px; }
`;

export const PAGE_SCRIPT = `'use strict';
let state = null;
let queue = Promise.resolve();
const $ = (id) => document.getElementById(id);

function showError(message) {
  $('error').hidden = !message;
  $('error').textContent = message || '';
}

async function request(path, body) {
  const response = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json();
  if (!response.ok) {
    showError(data.error || ('request failed: ' + response.status));
    if (data.state) render(data.state);
    return;
  }
  showError('');
  render(data);
}

// Keys are handled one after another, each on the question the previous one left on screen,
// so typing ahead never labels the wrong question.
function enqueue(action) {
  queue = queue.then(action).catch((error) => showError(String(error)));
}

function choiceButton(choice) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = choice.guess ? 'guess' : '';
  button.dataset.intent = choice.intent;
  if (choice.description) button.title = choice.description;
  if (choice.key) {
    const key = document.createElement('kbd');
    key.textContent = choice.key;
    button.append(key);
  }
  button.append(document.createTextNode(choice.intent));
  if (choice.confidence !== undefined) {
    const confidence = document.createElement('span');
    confidence.className = 'conf';
    confidence.textContent = choice.confidence.toFixed(2);
    button.append(confidence);
  }
  button.addEventListener('click', () => enqueue(() => labelCurrent(choice.intent)));
  return button;
}

function render(next) {
  state = next;
  $('file').textContent = state.file;
  const done = state.labelled;
  $('bar').style.width = (state.total ? (100 * done) / state.total : 100) + '%';
  $('progress').textContent = done + ' of ' + state.total + ' labelled' + (state.skipped ? ' · ' + state.skipped + ' skipped' : '');
  $('undo').disabled = !state.canUndo;
  const last = state.last;
  $('status').textContent = !last ? '' : last.action === 'label' ? 'saved: ' + last.intent : last.action === 'skip' ? 'skipped' : last.action === 'undo' ? (last.row === null ? 'nothing to undo' : 'undone') : '';
  const question = state.question;
  $('card').hidden = !question;
  $('finished').hidden = !!question;
  if (!question) {
    $('finished-text').textContent = state.total === 0 ? 'This review file has no questions.' : state.skipped ? 'Every other question is labelled; ' + state.skipped + ' skipped.' : 'All ' + state.total + ' questions are labelled. The labels are saved in ' + state.file + '.';
    $('revisit').hidden = !state.skipped;
    return;
  }
  $('lang').textContent = question.lang;
  $('count').textContent = question.count === null ? '' : 'asked ' + question.count + (question.count === 1 ? ' time' : ' times');
  $('line').textContent = 'row ' + question.line;
  $('text').textContent = question.text;
  $('guesses').replaceChildren(...question.choices.filter((choice) => choice.guess).map(choiceButton));
  $('others').replaceChildren(...question.choices.filter((choice) => !choice.guess).map(choiceButton));
}

function labelCurrent(intent) {
  if (!state || !state.question) return;
  return request('/api/label', { row: state.question.row, intent });
}

function keyOf(event) {
  if (/^[0-9]$/.test(event.key) || event.key === '-') return event.key;
  const letter = event.key.toLowerCase();
  if (letter === 's' || letter === 'u' || letter === 'r') return letter;
  // Layouts whose number row types letters (Czech, Slovak, French): go by the physical key.
  const digit = /^(?:Digit|Numpad)([0-9])$/.exec(event.code);
  if (digit) return digit[1];
  if (event.code === 'Minus' || event.code === 'NumpadSubtract') return '-';
  const physical = /^Key([SUR])$/.exec(event.code);
  return physical ? physical[1].toLowerCase() : null;
}

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const key = keyOf(event);
  if (!key) return;
  event.preventDefault();
  enqueue(() => {
    if (!state) return;
    if (key === 'u') return request('/api/undo', {});
    if (key === 'r') return state.question ? undefined : request('/api/revisit', {});
    if (!state.question) return;
    if (key === 's') return request('/api/skip', { row: state.question.row });
    const choice = state.question.choices.find((candidate) => candidate.key === key);
    if (choice) return request('/api/label', { row: state.question.row, intent: choice.intent });
  });
});

document.addEventListener('DOMContentLoaded', () => {
  $('skip').addEventListener('click', () => enqueue(() => state && state.question && request('/api/skip', { row: state.question.row })));
  $('undo').addEventListener('click', () => enqueue(() => request('/api/undo', {})));
  $('revisit').addEventListener('click', () => enqueue(() => request('/api/revisit', {})));
  enqueue(() => request('/api/state'));
});
`;
