// "/problems": the problems the judge offers, those whose time limit is still being derived, and those refused at load
// with the reason (GET /api/problems?all=true).
import { h, $, showError, ready } from '../js/dom.js';
import { getJson } from '../js/api.js';
import { layout } from '../js/layout.js';
import { ms } from '../js/format.js';

function kind(p) {
  return [p.type, p.interactive ? 'interactive' : null, p.multiPass ? 'multi-pass' : null].filter(Boolean).join(', ');
}

function row(p) {
  if (p.status === 'refused') {
    return h('tr', { dataset: { problem: p.id, status: 'refused' } },
      h('td', { class: 'mono' }, p.id),
      h('td', { colspan: 5 }, h('span', { class: 'badge' }, 'refused'), ' ', h('span', { class: 'refused-reason' }, p.refused)),
      h('td', {}));
  }
  if (p.status === 'deriving') {
    return h('tr', { dataset: { problem: p.id, status: 'deriving' } },
      h('td', { class: 'mono' }, p.id),
      h('td', {}, p.name),
      h('td', { class: 'num muted' }, 'deriving…'),
      h('td', {}), h('td', {}), h('td', {}),
      h('td', {}, h('a', { href: `/submit?problem=${encodeURIComponent(p.id)}`, 'aria-label': `Submit to ${p.id}` }, 'Submit')));
  }
  return h('tr', { dataset: { problem: p.id, status: p.status ?? 'ready' } },
    h('td', { class: 'mono' }, p.id),
    h('td', {}, p.name, p.refused ? h('div', { class: 'muted refused-reason' }, `newest version refused: ${p.refused}`) : null),
    h('td', { class: 'num', title: p.timeLimitSource ?? '' }, ms(p.timeLimitMs)),
    h('td', { class: 'num' }, p.memoryLimitMb === undefined ? '' : `${p.memoryLimitMb} MiB`),
    h('td', { class: 'num' }, p.tests),
    h('td', {}, kind(p)),
    h('td', {}, h('a', { href: `/submit?problem=${encodeURIComponent(p.id)}`, 'aria-label': `Submit to ${p.id}` }, 'Submit')));
}

async function init() {
  layout();
  try {
    const problems = await getJson('/api/problems?all=true');
    $('#problems tbody').replaceChildren(...problems.map(row));
  } catch (error) {
    showError(`Could not load the problems: ${error.message}`);
  }
  ready();
}

init();
