// tls.test.mjs - the demo site and the widget over HTTPS, in real Chromium
// against the real edge server terminating TLS itself (issue 13).
//
// A test CA and a leaf certificate for 127.0.0.1 are made with openssl in a
// temp dir; the edge serves https with the leaf (--tls-cert/--tls-key).
// Chromium trusts that one key, and nothing else, through
// --ignore-certificate-errors-spki-list=<base64 SHA-256 of the leaf's
// SubjectPublicKeyInfo> (honoured because Playwright gives every launch its
// own --user-data-dir); a browser launched without it must refuse the site,
// so the trust really comes from the flag. The customer signs in on the demo
// page (/) and starts a chat in the chat widget; the agent's side runs in a
// second page of the same origin through the API (so its calls go over TLS
// too); the agent's message must arrive in the widget over the fetch event
// stream. Also checked: the page is a secure context, every request of the
// page is https on the edge's origin, the console shows no mixed-content
// warning, and the server counted TLS handshakes in /metrics.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  assertNoNonLoopback, launchBrowser, newContext, startEdge, waitFor,
} from './harness.mjs';

let certDir;
let spki;
let edge;
let browser;

function openssl(...args) {
  return execFileSync('openssl', args, { cwd: certDir, stdio: ['ignore', 'pipe', 'pipe'] });
}

// A P-256 CA, and a leaf for IP 127.0.0.1 signed by it; the leaf's SPKI hash.
function makeCertificates() {
  certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2c-browser-tls-'));
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key');
  openssl('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=c2c browser test CA',
    '-days', '2', '-out', 'ca.pem');
  openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'leaf.key');
  openssl('req', '-new', '-key', 'leaf.key', '-subj', '/CN=127.0.0.1', '-out', 'leaf.csr');
  fs.writeFileSync(path.join(certDir, 'leaf.ext'),
    'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  openssl('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', '2', '-extfile', 'leaf.ext', '-out', 'leaf.pem');
  const pub = openssl('x509', '-in', 'leaf.pem', '-noout', '-pubkey');
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pub });
  return execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
}

before(async () => {
  spki = makeCertificates();
  edge = await startEdge({
    args: ['--tls-cert', path.join(certDir, 'leaf.pem'), '--tls-key', path.join(certDir, 'leaf.key')],
  });
  browser = await launchBrowser({ extraArgs: [`--ignore-certificate-errors-spki-list=${spki}`] });
});

after(async () => {
  await browser?.close();
  const code = await edge?.stop();
  if (certDir) fs.rmSync(certDir, { recursive: true, force: true });
  // A clean exit (the ASan build exits non-zero on a leak or an error report).
  if (edge) assert.equal(code, 0, edge.stderr().split('\n').filter((l) => !l.startsWith('{')).join('\n'));
});

// One JSON API call made by `page` (so over the browser's TLS connection).
function pageApi(page, apiPath, { token, body } = {}) {
  return page.evaluate(async ({ apiPath, token, body }) => {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(apiPath, {
      method: body === undefined ? 'GET' : 'POST', headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* keep the text */ }
    return { status: res.status, body: parsed };
  }, { apiPath, token, body });
}

function metric(text, name) {
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

describe('https at the edge', () => {
  test('the server announced https and Chromium without the SPKI flag refuses it', async () => {
    assert.match(edge.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const untrusting = await launchBrowser();
    try {
      const page = await (await newContext(untrusting)).newPage();
      await assert.rejects(page.goto(`${edge.url}/`), /ERR_CERT_AUTHORITY_INVALID/);
    } finally {
      await untrusting.close();
    }
  });

  test('the demo page and the widget load over https, and a chat works end to end', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const consoleLines = [];
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const failed = [];
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));

    const res = await page.goto(`${edge.url}/`);
    assert.equal(res.status(), 200);
    assert.equal(await page.evaluate(() => window.isSecureContext), true);
    assert.equal(await page.evaluate(() => location.protocol), 'https:');
    const tls = await res.securityDetails();
    assert.equal(tls?.protocol, 'TLS 1.2');

    // The customer signs in; the demo page mounts the widgets with the token.
    await page.fill('#f-sub', 'tls-alice');
    await page.fill('#f-name', 'Alice over TLS');
    await page.click('#signin button[type=submit]');
    const chat = (name) => page.locator(`#w-chat [data-c2c-part="${name}"]`);
    await chat('launcher').waitFor();
    await chat('launcher').click();
    await chat('chat-start').click();
    await waitFor(async () => (await chat('status').getAttribute('class')).includes('waiting'),
      { message: 'the chat waiting for an agent' });

    // The agent, in another page of the same origin, over the same TLS.
    const agentPage = await context.newPage();
    await agentPage.goto(`${edge.url}/healthz`);
    const minted = await pageApi(agentPage, '/demo/token?sub=tls-agent&role=agent&name=Agent%20TLS');
    assert.equal(minted.status, 200, JSON.stringify(minted.body));
    const agentToken = minted.body.token;
    const status = await pageApi(agentPage, '/api/agent/status',
      { token: agentToken, body: { status: 'available' } });
    assert.equal(status.status, 200, JSON.stringify(status.body));
    const item = await waitFor(async () => {
      const q = await pageApi(agentPage, '/api/agent/queue', { token: agentToken });
      return q.body.Contacts?.find((c) => c.Kind === 'CHAT' && c.CustomerName === 'Alice over TLS');
    }, { message: 'the chat in the queue' });
    const accepted = await pageApi(agentPage, '/api/agent/accept',
      { token: agentToken, body: { ContactId: item.ContactId } });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const sent = await pageApi(agentPage, '/api/participant/message', {
      token: accepted.body.ParticipantToken,
      body: { ContentType: 'text/plain', Content: 'Hello over HTTPS' },
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));

    // It arrives in the widget, through the fetch event stream over TLS.
    await waitFor(async () => (await chat('message').allTextContents()).some((t) => t.includes('Hello over HTTPS')),
      { timeout: 10000, message: "the agent's message in the widget" });
    const origin = new URL(edge.url).origin;
    assert.ok(requests.some((u) => u === `${origin}/c2c.js`), requests.join('\n'));
    assert.ok(requests.some((u) => u.startsWith(`${origin}/api/participant/events`)), requests.join('\n'));
    const notHttps = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(notHttps, [], 'every request of the page is https on the edge origin');
    assert.deepEqual(consoleLines.filter((l) => /mixed content|insecure/i.test(l)), [],
      'no mixed-content warnings');
    assert.deepEqual(failed.filter((f) => !/ERR_ABORTED/.test(f)), [], 'no failed requests');

    // The server did the TLS: handshakes counted, none failed.
    const metrics = await agentPage.evaluate(async () => (await fetch('/metrics')).text());
    assert.ok(metric(metrics, 'c2c_tls_handshakes_total') >= 1, metrics);
    assertNoNonLoopback(context);
    await context.close();
  });
});
