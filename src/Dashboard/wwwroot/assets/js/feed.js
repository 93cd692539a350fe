// The live feed (GET /api/events, Server-Sent Events). The browser reconnects by itself and sends Last-Event-ID; the
// silo replays what was missed or, when it cannot, sends a "reset" event: the page then reloads its snapshot.

/**
 * openFeed('/api/events', {onSubmission(data), onReset(), status(element)})
 * Returns {close()}.
 */
export function openFeed(url, { onSubmission, onReset, status }) {
  let source;
  let closed = false;
  let retry;
  const show = (state, text) => {
    if (!status) return;
    status.textContent = text;
    status.className = `live ${state}`;
    status.dataset.state = state;
  };

  const connect = (isRetry) => {
    source = new EventSource(url);
    source.addEventListener('open', () => {
      show('on', 'live');
      // A fresh EventSource has no Last-Event-ID: what happened while it was down is only in the snapshot.
      if (isRetry) onReset?.();
      isRetry = false;
    });
    source.addEventListener('submission', event => {
      let data;
      try { data = JSON.parse(event.data); } catch { return; }
      onSubmission(data);
    });
    source.addEventListener('reset', () => onReset?.());
    source.addEventListener('error', () => {
      if (closed) return;
      if (source.readyState === EventSource.CLOSED) {
        // The server answered with an error (for example while starting): the browser gave up, so start again.
        show('off', 'reconnecting…');
        clearTimeout(retry);
        retry = setTimeout(() => connect(true), 2000);
      } else {
        show('off', 'reconnecting…');
      }
    });
  };
  show('off', 'connecting…');
  connect(false);
  return { close() { closed = true; clearTimeout(retry); source?.close(); } };
}
