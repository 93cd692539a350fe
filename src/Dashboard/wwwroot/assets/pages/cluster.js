// "/cluster": the silos (state, languages, slots, heartbeats; an alert for a silo that stopped answering), the SQS
// ingress counts, and the last hour's charts, from GET /api/cluster every few seconds.
import { h, $, showError, ready } from '../js/dom.js';
import { getJson } from '../js/api.js';
import { layout } from '../js/layout.js';
import { VERDICTS, age, time } from '../js/format.js';

const REFRESH_MS = 5000;
const VERDICT_COLORS = {
  AC: '#2da44e', WA: '#cf222e', TLE: '#bf8700', MLE: '#fb8f44', OLE: '#d4a72c', RE: '#a40e26', CE: '#6e7781',
  PE: '#e16f24', IE: '#8250df', SK: '#afb8c1',
};
let throughput = null;

function renderSilos(silos) {
  const now = Date.now();
  $('#silos tbody').replaceChildren(...silos.map(s => h('tr', { class: s.stale ? 'stale' : null, dataset: { silo: s.address } },
    h('td', {}, s.name),
    h('td', { class: 'mono' }, s.address),
    h('td', {}, s.stale ? `${s.status} (not answering)` : s.status),
    h('td', { class: 'wrap' }, (s.languages ?? []).map(l => l.displayName ?? l.id).join(', ')),
    h('td', { class: 'num' }, `${s.slotsBusy} / ${s.slotsTotal}`),
    h('td', { class: 'num' }, Number(s.runsPerSecond ?? 0).toFixed(1)),
    h('td', { title: time(s.lastHeartbeat) }, s.lastHeartbeat ? `${age(s.lastHeartbeat, now)} ago` : ''))));
  const stale = silos.filter(s => s.stale);
  $('#alerts').replaceChildren(...stale.map(s => h('div', { class: 'alert', role: 'alert' },
    `Silo ${s.name} (${s.address}) stopped answering: last heartbeat ${s.lastHeartbeat ? `${age(s.lastHeartbeat, now)} ago` : 'never'}, state ${s.status}.`)));
}

function renderIngress(ingress) {
  $('#ingress tbody').replaceChildren(...ingress.map(i => h('tr', {},
    h('td', {}, i.name),
    h('td', { class: 'mono wrap' }, i.queueUrl),
    h('td', { class: 'num' }, i.depth),
    h('td', { class: 'num' }, i.inFlight),
    h('td', { class: 'num' }, i.deadLettered),
    h('td', { title: time(i.updatedAt) }, i.updatedAt ? `${age(i.updatedAt)} ago` : ''))));
  $('#no-ingress').hidden = ingress.length > 0;
}

function renderThroughput(minutes) {
  const box = $('#chart-throughput');
  const x = minutes.map(m => Date.parse(m.minute) / 1000);
  const data = [x, minutes.map(m => m.submitted), minutes.map(m => m.finished)];
  const width = Math.max(200, box.clientWidth);
  if (!window.uPlot) {
    box.textContent = 'Charts need uPlot, which did not load.';
    return;
  }
  if (!throughput) {
    throughput = new window.uPlot({
      width, height: 200,
      series: [{}, { label: 'submitted', stroke: '#0969da', width: 2 }, { label: 'finished', stroke: '#2da44e', width: 2 }],
      axes: [{}, { size: 40 }],
      scales: { y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    }, data, box);
  } else {
    throughput.setData(data);
    if (Math.abs(throughput.width - width) > 2) throughput.setSize({ width, height: 200 });
  }
}

function renderMix(verdicts) {
  const entries = VERDICTS.map(v => [v, verdicts?.[v] ?? 0]).filter(([, n]) => n > 0);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const bar = $('#verdict-mix');
  bar.setAttribute('aria-label', total ? entries.map(([v, n]) => `${v} ${n}`).join(', ') : 'no verdicts in the last hour');
  bar.replaceChildren(...entries.map(([v, n]) => {
    const part = h('span', { class: `bg-${v}`, title: `${v}: ${n}` });
    part.style.flexGrow = String(n); // CSSOM, which the page's style-src allows (no inline style attribute)
    return part;
  }));
  $('#verdict-legend').replaceChildren(...(total ? entries.map(([v, n]) => h('li', {},
    h('span', { class: `swatch bg-${v}` }), `${v} ${n} (${Math.round((100 * n) / total)}%)`)) : [h('li', { class: 'muted' }, 'No verdicts in the last hour.')]));
}

function renderLatency(stats) {
  const row = (label, p) => h('tr', {}, h('th', { scope: 'row' }, label),
    ...['p50', 'p90', 'p99'].map(k => h('td', { class: 'num' }, p?.[k] === undefined || p?.[k] === null ? '' : Math.round(p[k]))));
  $('#latency tbody').replaceChildren(row('Queue wait', stats.queueWaitMs), row('Judging', stats.judgingMs));
}

async function refresh() {
  try {
    const cluster = await getJson('/api/cluster');
    showError(null);
    renderSilos(cluster.silos ?? []);
    renderIngress(cluster.ingress ?? []);
    const stats = cluster.stats ?? { minutes: [], verdicts: {} };
    renderThroughput(stats.minutes ?? []);
    renderMix(stats.verdicts);
    renderLatency(stats);
    $('#updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    $('#updated').dataset.refreshes = String(Number($('#updated').dataset.refreshes ?? 0) + 1);
  } catch (error) {
    showError(`Could not load the cluster: ${error.message}`);
  } finally {
    ready();
  }
}

layout();
refresh();
setInterval(refresh, REFRESH_MS);
window.addEventListener('resize', () => {
  if (throughput) throughput.setSize({ width: Math.max(200, $('#chart-throughput').clientWidth), height: 200 });
});
