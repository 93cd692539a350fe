// Builds DOM nodes. Text always goes in as text nodes (never as HTML): ids, sources and messages are untrusted.

/** h('td', {class: 'num', title: 'x'}, 'text', node, [more]) */
export function h(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'href') node.setAttribute('href', safeHref(value));
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Only same-origin paths are linked. */
function safeHref(value) {
  const text = String(value);
  return text.startsWith('/') && !text.startsWith('//') ? text : '#';
}

/** Marks the page as having shown its first data (tests and people waiting on it can look for body[data-ready]). */
export function ready() {
  document.body.dataset.ready = 'true';
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Shows a message in the page's #error box, or hides it. */
export function showError(message) {
  const box = $('#error');
  if (!box) return;
  box.textContent = message ?? '';
  box.hidden = !message;
}
