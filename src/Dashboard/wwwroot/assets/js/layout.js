// What every page shares: the current page marked in the menu, the signed-in key and the sign-out button.
import { h, $ } from './dom.js';
import { me, postJson } from './api.js';

export async function layout() {
  for (const link of document.querySelectorAll('.top nav a')) {
    const path = link.getAttribute('href');
    if (path === location.pathname || (path === '/' && location.pathname.startsWith('/submissions/')))
      link.setAttribute('aria-current', 'page');
  }
  const who = $('#who');
  if (!who) return;
  try {
    const caller = await me();
    if (caller.open) {
      who.replaceChildren(h('span', { title: 'No API keys are configured: every caller holds every scope' }, 'open judge'));
      return;
    }
    const signOut = h('button', { type: 'button', onclick: async () => {
      try { await postJson('/api/auth/logout'); } finally { location.assign('/login'); }
    } }, 'Sign out');
    who.replaceChildren(h('span', { title: `scopes: ${caller.scopes.join(', ')}` }, caller.name ?? 'signed in'), signOut);
  } catch { /* the page shows its own error */ }
}
