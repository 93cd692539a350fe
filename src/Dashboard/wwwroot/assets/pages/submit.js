// "/submit": a form for trying the judge by hand: problem, language, a source typed or read from a file.
import { h, $, showError, ready } from '../js/dom.js';
import { getJson, postJson } from '../js/api.js';
import { openFeed } from '../js/feed.js';
import { layout } from '../js/layout.js';
import { statusText } from '../js/format.js';

const MAX_SOURCE_BYTES = 256 * 1024;
const EXTENSIONS = { cpp: 'cpp17', cc: 'cpp17', cxx: 'cpp17', c: 'c11', py: 'python3', java: 'java', kt: 'kotlin', rs: 'rust', go: 'go', js: 'javascript', cs: 'csharp' };
const form = $('#submit-form');
let watching = null;

async function init() {
  layout();
  const wanted = new URLSearchParams(location.search).get('problem');
  try {
    const [problems, languages] = await Promise.all([getJson('/api/problems'), getJson('/api/languages')]);
    form.elements.problem.replaceChildren(...problems.map(p => h('option', { value: p.id }, `${p.id} — ${p.name}`)));
    form.elements.language.replaceChildren(...languages.map(l => h('option', { value: l.id }, l.displayName ?? l.id)));
    if (wanted && problems.some(p => p.id === wanted)) form.elements.problem.value = wanted;
  } catch (error) {
    showError(`Could not load the problems and languages: ${error.message}`);
  }
  ready();
}

$('#file').addEventListener('change', async event => {
  const file = event.target.files?.[0];
  if (!file) return;
  if (file.size > MAX_SOURCE_BYTES) {
    showError(`${file.name} is ${file.size} bytes; a source may have at most ${MAX_SOURCE_BYTES}.`);
    event.target.value = '';
    return;
  }
  showError(null);
  form.elements.source.value = await file.text();
  const language = EXTENSIONS[file.name.split('.').pop()?.toLowerCase() ?? ''];
  if (language && [...form.elements.language.options].some(o => o.value === language)) form.elements.language.value = language;
});

form.addEventListener('submit', async event => {
  event.preventDefault();
  const button = $('#submit-button');
  button.disabled = true;
  showError(null);
  try {
    const answer = await postJson('/api/submissions', {
      problem: form.elements.problem.value,
      language: form.elements.language.value,
      source: form.elements.source.value,
    });
    watch(answer.id);
  } catch (error) {
    showError(`Not submitted: ${error.message}`);
  } finally {
    button.disabled = false;
  }
});

function watch(id) {
  watching?.close();
  $('#result').hidden = false;
  const link = $('#result-link');
  link.textContent = id;
  link.setAttribute('href', `/submissions/${encodeURIComponent(id)}`);
  const status = $('#result-status');
  status.textContent = 'queued';
  watching = openFeed(`/api/events?id=${encodeURIComponent(id)}`, {
    onSubmission: s => {
      status.textContent = s.verdict ? `${statusText(s)} · ${s.verdict}` : statusText({ ...s, testsDone: s.tests?.length ?? 0 });
      status.dataset.status = s.status;
      if (s.status === 'finished') { watching?.close(); watching = null; }
    },
  });
}

init();
