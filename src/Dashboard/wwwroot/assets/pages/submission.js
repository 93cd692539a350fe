// "/submissions/{id}": the source (highlighted), compile output and one row per test, filled in live from
// GET /api/events?id=; judge messages for keys with the judge scope; a rejudge button for admin keys.
import { h, $, showError, ready } from '../js/dom.js';
import { getJson, getText, postJson, me } from '../js/api.js';
import { openFeed } from '../js/feed.js';
import { layout } from '../js/layout.js';
import { verdictBadge, statusText, ms, memory, score, time, silo } from '../js/format.js';

const id = decodeURIComponent(location.pathname.slice('/submissions/'.length));
const HIGHLIGHT = {
  cpp17: 'cpp', cpp20: 'cpp', c11: 'c', python3: 'python', pypy3: 'python', java: 'java', kotlin: 'kotlin',
  rust: 'rust', go: 'go', javascript: 'javascript', csharp: 'csharp',
};
let current = null;
let judgeQuery = '';
let canRejudge = false;
let sourceShown = false;

function field(label, value, attrs = {}) {
  return h('div', {}, h('dt', {}, label), h('dd', attrs, value === '' || value === null || value === undefined ? '—' : value));
}

function renderSummary(s) {
  const summary = h('dl', { class: 'summary' },
    field('Verdict', s.verdict ? verdictBadge(s.verdict) : '', { class: 'verdict-big', id: 'verdict' }),
    field('Status', statusText({ ...s, testsDone: s.tests?.length ?? 0 }), { id: 'status', class: `status-${s.status}` }),
    field('Score', score(s)),
    field('CPU time', ms(s.timeMs)),
    field('Memory', memory(s.memoryKb)),
    field('Problem', s.problem),
    field('Language', s.language),
    field('Judged by', silo(s.judgedBy)),
    s.submittedBy ? field('Submitted by', s.submittedBy) : null,
    field('Judging', s.judging ?? 1),
    field('Created', time(s.createdAt)),
    field('Started', time(s.startedAt)),
    field('Finished', time(s.finishedAt)));
  const parts = [summary];
  if (s.message) parts.push(h('p', { class: 'error', id: 'message' }, s.message));
  $('#summary').replaceChildren(...parts);
  $('#summary').dataset.status = s.status ?? '';
  $('#summary').dataset.verdict = s.verdict ?? '';
  $('#summary').dataset.judging = String(s.judging ?? 1);
}

function renderCompile(s) {
  const output = s.compileOutput ?? '';
  $('#compile').hidden = !output;
  $('#compile-output').textContent = output;
}

function renderTests(s) {
  const tests = s.tests ?? [];
  const withJudge = tests.some(t => t.judgeMessage !== undefined && t.judgeMessage !== null);
  const withScore = tests.some(t => t.score !== undefined && t.score !== null);
  const head = ['#', 'Test', 'Verdict', 'CPU', 'Wall', 'Memory', 'Exit', 'Message'];
  if (withScore) head.splice(3, 0, 'Score');
  if (withJudge) head.push('Judge message');
  $('#tests thead').replaceChildren(h('tr', {}, head.map(name =>
    h('th', { scope: 'col', class: ['CPU', 'Wall', 'Memory', '#', 'Score'].includes(name) ? 'num' : null }, name))));
  const rows = tests.map((t, index) => h('tr', { dataset: { test: t.name, verdict: t.verdict } },
    h('td', { class: 'num' }, index + 1),
    h('td', { class: 'mono' }, t.name),
    h('td', {}, verdictBadge(t.verdict)),
    withScore ? h('td', { class: 'num' }, t.score === null || t.score === undefined ? '' : t.score) : null,
    // A skipped test never ran: it has no times to show.
    h('td', { class: 'num' }, t.verdict === 'SK' ? '' : ms(t.timeMs)),
    h('td', { class: 'num' }, t.verdict === 'SK' ? '' : ms(t.wallMs)),
    h('td', { class: 'num' }, t.verdict === 'SK' ? '' : memory(t.memoryKb)),
    h('td', {}, t.signal ? t.signal : (t.exitCode ?? '')),
    h('td', { class: 'wrap message' }, t.message ?? ''),
    withJudge ? h('td', { class: 'wrap judge-message' }, t.judgeMessage ?? '') : null));
  // While judging: the test being run, then the ones still to come.
  if (s.status !== 'finished' && s.testCount) {
    const columns = head.length;
    for (let index = tests.length; index < s.testCount; index++) {
      const running = index === tests.length && s.status === 'running';
      rows.push(h('tr', { class: 'pending', dataset: { pending: running ? 'running' : 'waiting' } },
        h('td', { class: 'num' }, index + 1),
        h('td', { class: 'mono' }, running && s.currentTest ? s.currentTest : ''),
        h('td', { colspan: columns - 2 }, running ? 'running…' : 'waiting')));
    }
  }
  $('#tests tbody').replaceChildren(...rows);
  $('#no-tests').hidden = rows.length > 0;
}

function renderJudgings(s) {
  const judgings = s.judgings ?? [];
  $('#judgings').hidden = judgings.length === 0;
  $('#judgings tbody').replaceChildren(...judgings.map(j => h('tr', {},
    h('td', { class: 'num' }, j.judging),
    h('td', {}, verdictBadge(j.verdict)),
    h('td', { class: 'num' }, score(j)),
    h('td', { class: 'num' }, ms(j.timeMs)),
    h('td', { class: 'num' }, memory(j.memoryKb)),
    h('td', { title: j.judgedBy ?? '' }, silo(j.judgedBy)),
    h('td', {}, time(j.finishedAt)))));
}

function renderActions(s) {
  const button = $('#rejudge');
  if (button) button.disabled = s.status !== 'finished';
}

function isOlder(a, b) {
  const rank = { queued: 0, compiling: 1, running: 2, finished: 3 };
  if ((a.judging ?? 1) !== (b.judging ?? 1)) return (a.judging ?? 1) < (b.judging ?? 1);
  if (rank[a.status] !== rank[b.status]) return rank[a.status] < rank[b.status];
  return (a.tests?.length ?? 0) < (b.tests?.length ?? 0);
}

function show(s) {
  if (s.id !== id || (current && isOlder(s, current))) return;
  current = s;
  renderSummary(s);
  renderCompile(s);
  renderTests(s);
  renderJudgings(s);
  renderActions(s);
  if (!sourceShown) loadSource(s.language);
}

async function loadSource(language) {
  sourceShown = true;
  const code = $('#source');
  try {
    code.textContent = await getText(`/api/submissions/${encodeURIComponent(id)}/source`);
    const highlight = HIGHLIGHT[language];
    if (highlight && window.hljs?.getLanguage(highlight)) {
      code.className = `language-${highlight}`;
      window.hljs.highlightElement(code); // highlight.js escapes the text it wraps in its spans
    }
  } catch (error) {
    code.textContent = '';
    code.append(h('span', { class: 'muted' }, `The source is not available: ${error.message}`));
  }
}

async function load() {
  try {
    show(await getJson(`/api/submissions/${encodeURIComponent(id)}${judgeQuery}`));
    showError(null);
  } catch (error) {
    showError(error.status === 404 ? `There is no submission with id ${id}.` : `Could not load the submission: ${error.message}`);
  }
}

async function rejudge() {
  const button = $('#rejudge');
  button.disabled = true;
  const note = $('#rejudge-note');
  try {
    const answer = await postJson(`/api/submissions/${encodeURIComponent(id)}/rejudge`);
    note.textContent = `Rejudging (judging ${answer?.judging ?? ''}).`;
  } catch (error) {
    note.textContent = `Rejudge refused: ${error.message}`;
    button.disabled = current?.status !== 'finished';
  }
}

async function init() {
  layout();
  document.title = `${id} · Judge`;
  $('#sub-id').textContent = id;
  try {
    const caller = await me();
    if (caller.scopes.includes('judge')) judgeQuery = '?judge=true';
    canRejudge = caller.scopes.includes('admin');
  } catch { /* read-only view */ }
  if (canRejudge) {
    $('#actions').replaceChildren(
      h('button', { type: 'button', id: 'rejudge', class: 'primary', disabled: true, onclick: rejudge }, 'Rejudge'),
      h('span', { id: 'rejudge-note', class: 'muted', role: 'status' }));
  }
  await load();
  ready();
  openFeed(`/api/events?id=${encodeURIComponent(id)}`, { onSubmission: show, onReset: load, status: $('#live') });
}

init();
