// demo.js - the demo site's own script: sign in with a demo token, then turn
// the prepared elements (three inline, one floating) into widgets by adding data-c2c (c2c.js's
// MutationObserver mounts them) with the token. Site owners do the sign-in
// part with their own login system; the widget only receives the token.
'use strict';

const TOKEN_KEY = 'c2c-demo-token';
const identity = document.getElementById('identity');

async function showIdentity(token) {
  const res = await fetch('/api/me', { headers: { Authorization: 'Bearer ' + token } });
  const body = await res.json();
  identity.textContent = res.status + ' ' + JSON.stringify(body, null, 2);
  document.getElementById('who').textContent = res.ok ? (body.name || body.sub) : 'nobody';
  return res.ok;
}

// The first sign-in mounts the widgets; a later one hands them the new token.
function useToken(token) {
  document.getElementById('widgets').hidden = false;
  for (const el of document.querySelectorAll('#widgets [data-mode]')) {
    if (el.hasAttribute('data-c2c')) {
      window.ClickToCall.setToken(el, token);
    } else {
      el.setAttribute('data-token', token);
      el.setAttribute('data-display-name', document.getElementById('f-name').value);
      el.setAttribute('data-c2c', '');
    }
  }
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
  sessionStorage.setItem(TOKEN_KEY, body.token);
  if (await showIdentity(body.token)) useToken(body.token);
});

fetch('/healthz')
  .then((res) => res.json())
  .then((body) => { document.getElementById('health').textContent = body.status; })
  .catch(() => { document.getElementById('health').textContent = 'unreachable'; });

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) showIdentity(saved).then((ok) => { if (ok) useToken(saved); });
