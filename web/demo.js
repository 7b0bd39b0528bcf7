// demo.js - the demo site's own script: sign in with a demo token and show
// what the edge server verifies. Site owners do this part with their own
// login system; the widget only ever receives the resulting token.
'use strict';

const identity = document.getElementById('identity');

async function showIdentity(token) {
  const res = await fetch('/api/me', { headers: { Authorization: 'Bearer ' + token } });
  const body = await res.json();
  identity.textContent = res.status + ' ' + JSON.stringify(body, null, 2);
}

document.getElementById('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  const params = new URLSearchParams(new FormData(event.target));
  const res = await fetch('/demo/token?' + params.toString());
  const body = await res.json();
  if (!res.ok) {
    identity.textContent = res.status + ' ' + body.error + ': ' + body.message;
    return;
  }
  sessionStorage.setItem('c2c-demo-token', body.token);
  await showIdentity(body.token);
});

fetch('/healthz')
  .then((res) => res.json())
  .then((body) => { document.getElementById('health').textContent = body.status; })
  .catch(() => { document.getElementById('health').textContent = 'unreachable'; });

const saved = sessionStorage.getItem('c2c-demo-token');
if (saved) showIdentity(saved);
