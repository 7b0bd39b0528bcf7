// cluster_console.test.mjs - the demo site and the agent console through
// haproxy in front of three edge nodes sharing one Redis (the cluster of
// `./build.sh cluster`, started here on free loopback ports by
// tests/cluster/cluster.py). haproxy sends consecutive requests to
// different nodes, so the console's sign-in, status, queue stream, accept,
// messages and end each land on whichever node: the console must not tell.
// The customer side is plain HTTP from the test, also through haproxy.
//
//   node --test tests/browser/cluster_console.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  REPO, api, assertNoNonLoopback, launchBrowser, mintToken, newContext, waitFor,
} from './harness.mjs';

const T = 8000; // any single wait (three nodes and Redis on a shared machine)

let cluster; // {child, url, exited, log}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2c-browser-cluster-')); // Redis's files too
let browser;
let context;
let page;
const pageErrors = [];
const sel = (name) => `[data-c2c-part="${name}"]`;

/** Start tests/cluster/cluster.py on free ports; resolve once it prints its URL. */
function startCluster() {
  const script = path.join(REPO, 'tests', 'cluster', 'cluster.py');
  const child = spawn('python3', [script, '--dir', dir,
    '--port', '0', '--redis-port', '0', '--static', path.join(REPO, 'dist'),
    '--static', path.join(REPO, 'web'), '--', '--demo'],
  { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s) => { err += s; });
  child.stdout.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no cluster within 30 s:\n${out}\n${err}`)), 30000);
    child.stdout.on('data', (s) => {
      out += s;
      const m = /demo site:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1], exited, log: () => out + err }); }
    });
    exited.then((code) => { clearTimeout(timer); reject(new Error(`cluster exited (${code}):\n${out}\n${err}`)); });
  });
}

before(async () => {
  cluster = await startCluster();
  browser = await launchBrowser();
  context = await newContext(browser);
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.setDefaultTimeout(T);
});

after(async () => {
  await browser?.close();
  if (cluster) {
    cluster.child.kill('SIGTERM');
    assert.equal(await cluster.exited, 0, cluster.log());
    assert.match(cluster.log(), /c2c cluster: stopped/);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function asParticipant(ptoken, route, body) {
  const r = await fetch(`${cluster.url}/api/participant/${route}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ptoken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

test('the demo site loads through haproxy', async () => {
  const r = await fetch(`${cluster.url}/`);
  assert.equal(r.status, 200);
  assert.match(await r.text(), /<html/i);
});

test('the console signs in, takes a chat and talks both ways with every request on any node', async () => {
  await page.goto(`${cluster.url}/agent/`);
  await page.fill(sel('signin-name'), 'Nadia Node');
  await page.fill(sel('signin-sub'), 'agent-cluster');
  await page.click(sel('signin-demo'));
  await page.waitForSelector(sel('workspace'), { state: 'visible' });
  await page.selectOption(sel('agent-status'), 'available');
  await page.waitForSelector(`${sel('agent-status')}[data-status="available"]`);

  const token = await mintToken(cluster.url, { sub: 'cust-cluster', name: 'Cleo Cluster', email: 'cleo@example.com' });
  const r = await api(cluster.url, '/api/startChatContact', {
    token,
    body: { InitialMessage: { ContentType: 'text/plain', Content: 'Hello from any node' } },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const id = r.body.data.startChatResult.ContactId;
  const ptoken = r.body.data.startChatResult.ParticipantToken;

  const item = page.locator(`${sel('queue-item')}[data-contact-id="${id}"]`);
  await item.waitFor();
  await item.locator(sel('accept')).click();
  await page.waitForSelector(`${sel('chat-message')}:has-text("Hello from any node")`);

  await page.fill(sel('chat-input'), 'Answered through haproxy');
  await page.press(sel('chat-input'), 'Enter');
  await waitFor(async () => {
    const t = await asParticipant(ptoken, 'transcript', { MaxResults: 100 });
    return t.status === 200 && t.body.Transcript.some((m) => m.Content === 'Answered through haproxy');
  }, { timeout: T, message: 'the agent message in the transcript' });
  // the stream's copy replaces the console's own, named as the agent who sent it
  await page.waitForSelector(
    `${sel('chat-message')}[data-role="AGENT"]:not([data-pending]):has-text("Answered through haproxy")`);

  for (let i = 0; i < 3; i++) { // three sends: three nodes, one stream on one of them
    const sent = await asParticipant(ptoken, 'message', { ContentType: 'text/plain', Content: `Reply ${i}` });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
  }
  for (let i = 0; i < 3; i++) {
    await page.waitForSelector(`${sel('chat-message')}[data-role="CUSTOMER"]:has-text("Reply ${i}")`);
  }
  const order = await page.locator(`${sel('chat-log')} ${sel('chat-text')}`).allTextContents();
  assert.deepEqual(order, ['Hello from any node', 'Answered through haproxy', 'Reply 0', 'Reply 1', 'Reply 2']);
  assert.deepEqual(pageErrors, []);
  assertNoNonLoopback(context);
});
