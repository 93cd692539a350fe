// How values read on the pages.

export const VERDICTS = ['AC', 'WA', 'PE', 'TLE', 'MLE', 'OLE', 'RE', 'CE', 'IE', 'SK'];
export const STATUSES = ['queued', 'compiling', 'running', 'finished'];
export const VERDICT_NAMES = {
  AC: 'Accepted', WA: 'Wrong answer', PE: 'Presentation error', TLE: 'Time limit exceeded', MLE: 'Memory limit exceeded',
  OLE: 'Output limit exceeded', RE: 'Run-time error', CE: 'Compile error', IE: 'Judge error', SK: 'Skipped',
};

import { h } from './dom.js';

export function verdictBadge(verdict) {
  if (!verdict) return '';
  return h('span', { class: `badge v-${VERDICTS.includes(verdict) ? verdict : 'IE'}`, title: VERDICT_NAMES[verdict] ?? verdict }, verdict);
}

/** "running · test 3 of 9" while running, else the status. */
export function statusText(s) {
  if (s.status === 'running' && s.testCount) {
    const done = s.testsDone ?? s.tests?.length ?? 0;
    return `running · test ${Math.min(done + 1, s.testCount)} of ${s.testCount}`;
  }
  return s.status ?? '';
}

export function ms(value) {
  if (value === null || value === undefined) return '';
  return value >= 10000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`;
}

export function memory(kb) {
  if (kb === null || kb === undefined) return '';
  if (kb < 1024) return `${kb} KiB`;
  return `${(kb / 1024).toFixed(kb < 10240 ? 1 : 0)} MiB`;
}

export function score(s) {
  if (s.score === null || s.score === undefined) return '';
  const value = Number.isInteger(s.score) ? s.score : s.score.toFixed(2);
  return s.maxScore !== null && s.maxScore !== undefined ? `${value} / ${s.maxScore}` : String(value);
}

/** "12 s", "4 min", "3 h", "2 d" since the time. */
export function age(time, now = Date.now()) {
  if (!time) return '';
  const seconds = Math.max(0, Math.round((now - Date.parse(time)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

export function time(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

/** A silo address "S127.0.0.1:11111:123" reads "127.0.0.1:11111". */
export function silo(address) {
  if (!address) return '';
  const match = /^S?([^:]+:\d+)/.exec(address);
  return match ? match[1] : address;
}
