// "/login": signs in with an API key (POST /api/auth/login sets an HttpOnly cookie), then goes back where it came from.
import { $, showError, ready } from '../js/dom.js';
import { postJson } from '../js/api.js';

/** Only a path on this site: never another origin ("//host", "/\\host", "https:..."). */
function returnPath() {
  const path = new URLSearchParams(location.search).get('return') ?? '/';
  return /^\/(?![/\\])/.test(path) ? path : '/';
}

$('#login-form').addEventListener('submit', async event => {
  event.preventDefault();
  const key = $('#key').value;
  showError(null);
  try {
    await postJson('/api/auth/login', { key });
    location.assign(returnPath());
  } catch (error) {
    showError(error.status === 401 ? 'That key is not known.' : `Could not sign in: ${error.message}`);
    $('#key').select();
  }
});
$('#key').focus();
ready();
