// "/problems": the problems the judge offers.
import { h, $, showError, ready } from '../js/dom.js';
import { getJson } from '../js/api.js';
import { layout } from '../js/layout.js';
import { ms } from '../js/format.js';

async function init() {
  layout();
  try {
    const problems = await getJson('/api/problems');
    $('#problems tbody').replaceChildren(...problems.map(p => h('tr', { dataset: { problem: p.id } },
      h('td', { class: 'mono' }, p.id),
      h('td', {}, p.name),
      h('td', { class: 'num' }, ms(p.timeLimitMs)),
      h('td', { class: 'num' }, p.memoryLimitMb === undefined ? '' : `${p.memoryLimitMb} MiB`),
      h('td', { class: 'num' }, p.tests),
      h('td', {}, p.type),
      h('td', {}, h('a', { href: `/submit?problem=${encodeURIComponent(p.id)}`, 'aria-label': `Submit to ${p.id}` }, 'Submit')))));
  } catch (error) {
    showError(`Could not load the problems: ${error.message}`);
  }
  ready();
}

init();
