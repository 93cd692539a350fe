// "/": the live list of submissions, newest first. The first paint is a page of GET /api/submissions (server paging:
// smooth with any number of submissions); rows then change in place from the live feed.
import { h, $, showError, ready } from '../js/dom.js';
import { getJson } from '../js/api.js';
import { openFeed } from '../js/feed.js';
import { layout } from '../js/layout.js';
import { VERDICTS, STATUSES, verdictBadge, statusText, ms, memory, score, age, silo } from '../js/format.js';

const PAGE = 50; // rows a page; ?limit= (1..500) changes it
const MAX_ROWS = 500;
const FILTERS = ['problem', 'language', 'verdict', 'status', 'idPrefix'];
const KEPT = [...FILTERS, 'limit']; // what the address keeps besides the page cursor
const form = $('#filters');
const body = $('#submissions tbody');
const rows = new Map(); // id -> {summary, row}
let cursor = null;      // the "next" cursor of the page shown
let loading = 0;
let buffered = null;    // events that arrive while a snapshot loads, applied on top of it

function params() {
  const query = new URLSearchParams(location.search);
  const result = {};
  for (const name of [...KEPT, 'before']) {
    const value = query.get(name);
    if (value) result[name] = value;
  }
  return result;
}

function fillSelect(select, values, labelOf = v => v) {
  const current = select.value;
  select.replaceChildren(h('option', { value: '' }, 'any'), ...values.map(v => h('option', { value: v }, labelOf(v))));
  select.value = current;
}

function showFiltersInForm() {
  const p = params();
  for (const name of FILTERS) {
    const field = form.elements[name];
    if (field.tagName === 'SELECT' && p[name] && ![...field.options].some(o => o.value === p[name]))
      field.append(h('option', { value: p[name] }, p[name]));
    field.value = p[name] ?? '';
  }
}

function matches(summary) {
  const p = params();
  return (!p.problem || summary.problem === p.problem)
    && (!p.language || summary.language === p.language)
    && (!p.verdict || summary.verdict === p.verdict)
    && (!p.status || summary.status === p.status)
    && (!p.idPrefix || summary.id.startsWith(p.idPrefix));
}

function cells(s, now) {
  return [
    h('td', { class: 'id mono', title: s.id }, h('a', { href: `/submissions/${encodeURIComponent(s.id)}` }, s.id)),
    h('td', {}, s.problem),
    h('td', {}, s.language),
    h('td', { class: `status status-${s.status}` }, statusText(s)),
    h('td', {}, verdictBadge(s.verdict)),
    h('td', { class: 'num' }, score(s)),
    h('td', { class: 'num' }, ms(s.timeMs)),
    h('td', { class: 'num' }, memory(s.memoryKb)),
    h('td', { title: s.judgedBy ?? '' }, silo(s.judgedBy)),
    h('td', { class: 'num age', dataset: { created: s.createdAt ?? '' }, title: s.createdAt ?? '' }, age(s.createdAt, now)),
  ];
}

function render(row, summary) {
  row.dataset.id = summary.id;
  row.dataset.status = summary.status ?? '';
  row.dataset.verdict = summary.verdict ?? '';
  row.replaceChildren(...cells(summary, Date.now()));
}

/** Newest first: createdAt desc, then id desc. */
function before(a, b) {
  const ta = Date.parse(a.createdAt), tb = Date.parse(b.createdAt);
  return ta !== tb ? ta > tb : a.id > b.id;
}

function upsert(summary) {
  const known = rows.get(summary.id);
  if (known) {
    // An older event (replayed, or of an earlier judging) never overwrites a newer state.
    if (isOlder(summary, known.summary)) return;
    known.summary = summary;
    render(known.row, summary);
    flash(known.row);
    return;
  }
  if (params().before || !matches(summary)) return; // only the first page takes new submissions
  const row = h('tr');
  render(row, summary);
  let next = null;
  for (const other of rows.values()) {
    if (before(summary, other.summary) && (!next || before(other.summary, next.summary))) next = other;
  }
  body.insertBefore(row, next ? next.row : null);
  rows.set(summary.id, { summary, row });
  flash(row);
  while (rows.size > MAX_ROWS) {
    const last = body.lastElementChild;
    rows.delete(last.dataset.id);
    last.remove();
  }
  updateCount();
}

const RANK = { queued: 0, compiling: 1, running: 2, finished: 3 };
function isOlder(a, b) {
  if ((a.judging ?? 1) !== (b.judging ?? 1)) return (a.judging ?? 1) < (b.judging ?? 1);
  if (RANK[a.status] !== RANK[b.status]) return RANK[a.status] < RANK[b.status];
  return (a.testsDone ?? 0) < (b.testsDone ?? 0);
}

function onSubmission(summary) {
  if (buffered) buffered.push(summary);
  else upsert(summary);
}

function flash(row) {
  row.classList.remove('flash');
  void row.offsetWidth; // restart the animation
  row.classList.add('flash');
}

function updateCount() {
  $('#empty').hidden = rows.size > 0;
  $('#count').textContent = rows.size === 1 ? '1 submission shown' : `${rows.size} submissions shown`;
}

async function load() {
  const ticket = ++loading;
  buffered ??= [];
  const limit = Number.parseInt(params().limit ?? '', 10);
  const query = new URLSearchParams({ ...params(), limit: String(limit >= 1 && limit <= 500 ? limit : PAGE) });
  try {
    const page = await getJson(`/api/submissions?${query}`);
    if (ticket !== loading) return;
    showError(null);
    rows.clear();
    const fresh = page.items.map(summary => {
      const row = h('tr');
      render(row, summary);
      rows.set(summary.id, { summary, row });
      return row;
    });
    body.replaceChildren(...fresh);
    cursor = page.next ?? null;
    $('#older').hidden = !cursor;
    $('#newest').hidden = !params().before;
    updateCount();
  } catch (error) {
    if (ticket === loading) showError(`Could not load submissions: ${error.message}`);
  } finally {
    if (ticket === loading) {
      const events = buffered ?? [];
      buffered = null;
      events.forEach(upsert);
    }
  }
}

function navigate(query) {
  const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v)).toString();
  history.pushState(null, '', search ? `/?${search}` : '/');
  showFiltersInForm();
  load();
}

form.addEventListener('submit', event => {
  event.preventDefault();
  const query = { limit: params().limit };
  for (const name of FILTERS) query[name] = form.elements[name].value.trim();
  navigate(query);
});
form.addEventListener('change', event => {
  if (event.target.tagName === 'SELECT') form.requestSubmit();
});
form.addEventListener('reset', event => {
  event.preventDefault();
  navigate({ limit: params().limit });
});
$('#older').addEventListener('click', () => {
  const p = params();
  navigate({ ...p, before: cursor });
});
$('#newest').addEventListener('click', () => {
  const p = params();
  delete p.before;
  navigate(p);
});
window.addEventListener('popstate', () => { showFiltersInForm(); load(); });

// Ages tick on.
setInterval(() => {
  const now = Date.now();
  for (const cell of body.querySelectorAll('td.age')) cell.textContent = age(cell.dataset.created, now);
}, 5000);

async function init() {
  layout();
  fillSelect(form.elements.verdict, VERDICTS);
  fillSelect(form.elements.status, STATUSES);
  showFiltersInForm();
  const options = Promise.allSettled([getJson('/api/problems'), getJson('/api/languages')]).then(([problems, languages]) => {
    if (problems.status === 'fulfilled') fillSelect(form.elements.problem, problems.value.map(p => p.id));
    if (languages.status === 'fulfilled') fillSelect(form.elements.language, languages.value.map(l => l.id));
    showFiltersInForm();
  });
  // The feed first, then the snapshot: what changes meanwhile is applied on top of it.
  buffered = [];
  openFeed('/api/events', { onSubmission, onReset: load, status: $('#live') });
  await load();
  await options;
  ready();
}

init();
