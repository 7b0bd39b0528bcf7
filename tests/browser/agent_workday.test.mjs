// agent_workday.test.mjs - the agent console's tools for a working day, in
// real Chromium against the real edge server, with axe-core
// (node_modules/axe-core) checking the page in every state: signed out, a
// queue with items, a chat, a call, video. Away from the status menu;
// canned responses (the server's shared file and the agent's own)
// inserted with "/" and a search; a transfer to a second agent's console,
// which gets the chat with its whole transcript while the customer hears
// "transferring"; a disposition picked on close and stored with the
// contact. The customer side is plain HTTP from the test.
//
//   node --test tests/browser/agent_workday.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  REPO, api, assertNoNonLoopback, launchBrowser, mintToken, newContext, startEdge, waitFor,
} from './harness.mjs';

const T = 5000; // any single wait
const AXE = fs.readFileSync(path.join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8');
const CANNED = [{ title: 'Greeting', text: 'Hello! Thanks for waiting, how can I help?' },
                { title: 'Opening hours', text: 'We are open 9 to 5, Monday to Friday.' }];
const CODES = [{ code: 'billing_fixed', label: 'Billing fixed' }, { code: 'callback', label: 'Call back later' }];

let edge;
let browser;
let context;
let page;
let files;
const pageErrors = [];
const sel = (name) => `[data-c2c-part="${name}"]`;
const queueItem = (id) => `${sel('queue-item')}[data-contact-id="${id}"]`;

before(async () => {
  files = fs.mkdtempSync(path.join(os.tmpdir(), 'c2c-workday-'));
  fs.writeFileSync(path.join(files, 'canned.json'), JSON.stringify(CANNED));
  fs.writeFileSync(path.join(files, 'codes.json'), JSON.stringify(CODES));
  edge = await startEdge({ args: ['--canned', path.join(files, 'canned.json'),
                                  '--dispositions', path.join(files, 'codes.json')] });
  browser = await launchBrowser({ media: true });
  // bypassCSP: the page's CSP (script-src 'self') would refuse axe's inline script.
  context = await newContext(browser, { bypassCSP: true });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.setDefaultTimeout(T);
});

after(async () => {
  if (context) assertNoNonLoopback(context);
  await browser?.close();
  const code = await edge?.stop();
  fs.rmSync(files, { recursive: true, force: true });
  assert.equal(code, 0, `c2c-edge exit code; stderr tail:\n${edge?.stderr().slice(-2000)}`);
  assert.deepEqual(pageErrors, []);
});

function text(name, root = page) {
  return root.locator(sel(name)).first().textContent();
}

async function waitText(name, expected, root = page) {
  return waitFor(async () => {
    const t = await text(name, root);
    return (expected instanceof RegExp ? expected.test(t) : t.includes(expected)) && t;
  }, { timeout: T, message: `${name} to show ${expected}` });
}

/** axe-core on the page as it is: no violation of any rule it runs. */
async function assertAxeClean(where, p = page) {
  if (!(await p.evaluate(() => typeof window.axe === 'object'))) await p.addScriptTag({ content: AXE });
  const violations = await p.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], `axe violations ${where}`);
}

async function signIn(p, name, sub) {
  await p.goto(`${edge.url}/agent/`);
  await p.fill(sel('signin-name'), name);
  await p.fill(sel('signin-sub'), sub);
  await p.click(sel('signin-demo'));
  await p.waitForSelector(sel('workspace'), { state: 'visible' });
}

async function setStatus(p, status) {
  await p.selectOption(sel('agent-status'), status);
  await p.waitForSelector(`${sel('agent-status')}[data-status="${status}"]`);
}

async function agentToken(p = page) {
  return p.evaluate(() => JSON.parse(sessionStorage.getItem('c2c-agent')).token);
}

async function transcriptOf(ptoken) {
  const r = await fetch(`${edge.url}/api/participant/transcript`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ptoken}`, 'Content-Type': 'application/json' },
    body: '{"MaxResults":100}',
  });
  assert.equal(r.status, 200);
  return (await r.json()).Transcript.filter((m) => m.Type === 'MESSAGE').map((m) => m.Content);
}

/** Every event of a participant's stream, collected in the background. */
function collectEvents(ptoken) {
  const abort = new AbortController();
  const events = [];
  (async () => {
    const r = await fetch(`${edge.url}/api/participant/events`,
                          { headers: { 'X-Amz-Bearer': ptoken }, signal: abort.signal });
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of r.body) {
      buf += decoder.decode(chunk, { stream: true });
      for (let i; (i = buf.indexOf('\n\n')) >= 0; buf = buf.slice(i + 2)) {
        const lines = buf.slice(0, i).split('\n');
        const type = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (type && data) events.push({ type, data: JSON.parse(data) });
      }
    }
  })().catch(() => {});
  return { events, stop: () => abort.abort() };
}

// ---------------------------------------------------------------------------

test('signed out: axe finds nothing', async () => {
  await page.goto(`${edge.url}/agent/`);
  await page.waitForSelector(sel('signin-demo-form'), { state: 'visible' });
  await assertAxeClean('signed out');
});

test('Away is the server\'s status: in words, offered nothing, and every console follows', async () => {
  await signIn(page, 'Wanda Workday', 'agent-wd-1');
  await setStatus(page, 'away');
  assert.match(await text('agent-status-text'), /^Away/);
  const token = await agentToken();
  assert.equal((await api(edge.url, '/api/agent/contacts', { token })).body.Status, 'away');
  assert.equal((await api(edge.url, '/api/availability')).body.available, false);
  // Set from elsewhere (another device): this console follows.
  await api(edge.url, '/api/agent/status', { token, body: { status: 'available' } });
  await page.waitForSelector(`${sel('agent-status')}[data-status="available"]`);
  assert.match(await text('agent-status-text'), /^Taking chats and calls/);
});

const chat = {};

test('a queue with items, then a chat: axe finds nothing in either', async () => {
  const token = await mintToken(edge.url, { sub: 'tina', name: 'Tina Transfer', email: 'tina@example.com' });
  const r = await api(edge.url, '/api/startChatContact', {
    token, body: { InitialMessage: { ContentType: 'text/plain', Content: 'I was charged twice' } },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  chat.id = r.body.data.startChatResult.ContactId;
  chat.ptoken = r.body.data.startChatResult.ParticipantToken;
  const item = page.locator(queueItem(chat.id));
  await item.waitFor();
  await assertAxeClean('with a queue item');
  await item.locator(sel('accept')).click();
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${chat.id}"]`);
  await page.waitForSelector(`${sel('chat-message')}:has-text("I was charged twice")`);
  await assertAxeClean('in a chat');
});

test('canned responses: "/" and a search insert a shared one; the agent saves and uses their own', async () => {
  await page.focus(sel('chat-input'));
  await page.keyboard.type('/hour');
  const options = page.locator(sel('canned-option'));
  await options.first().waitFor();
  assert.equal(await options.count(), 1);
  assert.match(await options.first().textContent(), /Opening hours/);
  assert.equal(await page.getAttribute(sel('chat-input'), 'aria-activedescendant'), 'canned-option-0');
  await assertAxeClean('with the canned list open');
  await page.keyboard.press('Enter'); // inserts, does not send
  assert.equal(await page.inputValue(sel('chat-input')), CANNED[1].text);
  assert.equal(await page.locator(sel('canned-menu')).isVisible(), false);
  await page.keyboard.press('Enter'); // now sends
  await waitFor(async () => (await transcriptOf(chat.ptoken)).includes(CANNED[1].text),
                { message: 'the canned text sent' });

  // The agent's own, saved in the manager, found by its text.
  await page.click(`${sel('canned')} summary`);
  await page.fill(sel('canned-title'), 'Refund');
  await page.fill(sel('canned-text'), 'I have refunded the second charge.');
  await page.click(sel('canned-add'));
  await page.waitForSelector(`${sel('canned-item')}:has-text("I have refunded the second charge.")`);
  const mine = await api(edge.url, '/api/agent/canned', { token: await agentToken() });
  assert.deepEqual(mine.body.Canned.map((c) => [c.Title, c.Shared]),
                   [['Greeting', true], ['Opening hours', true], ['Refund', false]]);
  await page.focus(sel('chat-input'));
  await page.keyboard.type('/second charge');
  await options.first().waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.inputValue(sel('chat-input')), 'I have refunded the second charge.');
  await page.keyboard.press('Enter');
  await waitFor(async () => (await transcriptOf(chat.ptoken)).includes('I have refunded the second charge.'),
                { message: 'the own canned text sent' });
  // Escape closes the list and leaves the text.
  await waitFor(async () => (await page.inputValue(sel('chat-input'))) === '', { message: 'message box cleared' });
  await page.keyboard.type('/gree');
  await options.first().waitFor();
  await page.keyboard.press('Escape');
  assert.equal(await page.locator(sel('canned-menu')).isVisible(), false);
  assert.equal(await page.inputValue(sel('chat-input')), '/gree');
  await page.fill(sel('chat-input'), '');
});

test('video: axe finds nothing while video is offered', async () => {
  await page.click(sel('offer-video'));
  await page.waitForSelector(`${sel('video')}[data-state="offered"]`);
  await assertAxeClean('with video offered');
  await page.click(sel('end-video'));
  await page.waitForSelector(sel('offer-video'), { state: 'visible' });
});

test('a transfer moves the chat to another agent\'s console with the whole transcript', async () => {
  const other = await newContext(browser, { bypassCSP: true });
  const second = await other.newPage();
  second.setDefaultTimeout(T);
  second.on('pageerror', (err) => pageErrors.push(String(err)));
  const customer = collectEvents(chat.ptoken);
  try {
    await signIn(second, 'Bruno Billing', 'agent-wd-2');
    await setStatus(second, 'available');

    await page.click(sel('transfer-open'));
    await page.waitForSelector(sel('transfer-form'), { state: 'visible' });
    const agents = await page.locator(`${sel('transfer-target')} optgroup[label="Available agents"] option`).allTextContents();
    assert.deepEqual(agents, ['Bruno Billing']);
    await assertAxeClean('with the transfer form open');
    await page.selectOption(sel('transfer-target'), { label: 'Bruno Billing' });
    await page.click(sel('transfer-send'));
    await waitText('contact-state', 'Ended: transferred');
    assert.equal(await page.locator(sel('wrapup')).isVisible(), false, 'nothing to wrap up after a transfer');

    // The second console gets it in its queue, accepts, and sees everything said.
    const item = second.locator(queueItem(chat.id));
    await item.waitFor();
    await item.locator(sel('accept')).click();
    await second.waitForSelector(`${sel('contact')}[data-contact-id="${chat.id}"]`);
    await waitFor(async () => (await second.locator(sel('chat-message')).count()) === 3,
                  { message: 'the whole transcript on the second console' });
    const said = await second.locator(`${sel('chat-log')} ${sel('chat-text')}`).allTextContents();
    assert.deepEqual(said, ['I was charged twice', CANNED[1].text, 'I have refunded the second charge.']);
    await waitFor(() => customer.events.some((e) => e.type === 'contact.transferring'),
                  { message: 'the customer hears transferring' });
    await waitFor(() => customer.events.some((e) => e.type === 'participant.joined'
                                             && e.data.DisplayName === 'Bruno Billing'),
                  { message: 'the customer sees the new agent join' });
    const kinds = customer.events.map((e) => e.type);
    assert.ok(kinds.indexOf('contact.transferring') < kinds.lastIndexOf('participant.joined'));

    // The second agent closes it with a disposition from the server's list.
    await second.click(sel('end'));
    await waitText('contact-state', 'you ended it', second);
    const labels = await second.locator(`${sel('wrapup-disposition')} option`).allTextContents();
    assert.deepEqual(labels, ['None', 'Billing fixed', 'Call back later']);
    await second.selectOption(sel('wrapup-disposition'), { label: 'Billing fixed' });
    await second.fill(sel('wrapup-note'), 'Refunded one charge');
    await second.click(sel('contact-close'));
    await second.locator(`${sel('contact-tab')}[data-contact-id="${chat.id}"]`).waitFor({ state: 'detached' });
    const token = await agentToken(second);
    const d = await api(edge.url, `/api/agent/disposition?ContactId=${chat.id}`, { token });
    assert.equal(d.body.Disposition, 'billing_fixed');
    const notes = await api(edge.url, `/api/agent/notes?ContactId=${chat.id}`, { token });
    assert.deepEqual(notes.body.Notes.map((n) => n.Content), ['Refunded one charge']);
    assert.ok(!(await transcriptOf(chat.ptoken)).includes('Refunded one charge'));
  } finally {
    customer.stop();
    assertNoNonLoopback(other);
    await other.close();
  }
  await page.click(sel('contact-close'));
});

test('a chat transferred to queue "billing" shows under billing in another console, which takes it', async () => {
  const token = await mintToken(edge.url, { sub: 'bill', name: 'Bill Payer', email: 'bill@example.com' });
  const r = await api(edge.url, '/api/startChatContact', {
    token, body: { InitialMessage: { ContentType: 'text/plain', Content: 'My invoice is wrong' } },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const id = r.body.data.startChatResult.ContactId;
  const ptoken = r.body.data.startChatResult.ParticipantToken;
  await page.locator(queueItem(id)).locator(sel('accept')).click();
  await page.waitForSelector(`${sel('chat-message')}:has-text("My invoice is wrong")`);
  await page.fill(sel('chat-input'), 'Billing will sort it out.');
  await page.keyboard.press('Enter');
  await waitFor(async () => (await transcriptOf(ptoken)).includes('Billing will sort it out.'),
                { message: 'the agent\'s reply sent' });

  const other = await newContext(browser, { bypassCSP: true });
  const second = await other.newPage();
  second.setDefaultTimeout(T);
  second.on('pageerror', (err) => pageErrors.push(String(err)));
  try {
    await signIn(second, 'Bruno Billing', 'agent-wd-2');
    await setStatus(second, 'available');
    // The server's API moves it (the console lists only the queues it has).
    const moved = await api(edge.url, '/api/agent/transfer', { token: await agentToken(), body: { ContactId: id, Queue: 'billing' } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    await waitText('contact-state', 'Ended: transferred');

    // Both consoles list it under billing, not in the main queue.
    for (const p of [page, second]) {
      const section = p.locator(`${sel('queue-others')} section[data-queue="billing"]`);
      await section.locator(queueItem(id)).waitFor();
      assert.equal(await section.locator('h3').textContent(), 'Queue billing 1');
      assert.equal(await p.locator(`${sel('queue')} > li`).count(), 0);
    }
    await assertAxeClean('with a named queue section', second);
    await second.locator(queueItem(id)).locator(sel('accept')).click();
    await second.waitForSelector(`${sel('contact')}[data-contact-id="${id}"]`);
    await waitFor(async () => (await second.locator(sel('chat-message')).count()) === 2,
                  { message: 'the whole transcript on the second console' });
    const said = await second.locator(`${sel('chat-log')} ${sel('chat-text')}`).allTextContents();
    assert.deepEqual(said, ['My invoice is wrong', 'Billing will sort it out.']);
    // Taken: the section goes away in both consoles.
    for (const p of [page, second]) {
      await p.locator(`${sel('queue-others')} section[data-queue="billing"]`).waitFor({ state: 'detached' });
      assert.equal(await p.locator(sel('queue-others')).isVisible(), false);
    }
    await second.click(sel('end'));
    await waitText('contact-state', 'you ended it', second);
  } finally {
    assertNoNonLoopback(other);
    await other.close();
  }
  await page.click(sel('contact-close'));
});

test('a call: axe finds nothing in the call view', async () => {
  const token = await mintToken(edge.url, { sub: 'cody', name: 'Cody Caller', email: 'cody@example.com' });
  const r = await api(edge.url, '/api/dial', { token, body: { toNumber: '(703) 555-0122' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const id = r.body.responseInfo.Meeting.MeetingId;
  const item = page.locator(`${queueItem(id)}[data-offered="true"]`);
  await item.waitFor();
  await item.locator(sel('accept')).click();
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${id}"][data-kind="CALL"]`);
  await assertAxeClean('in a call');
  await page.click(sel('hangup'));
  await waitText('contact-state', 'Ended');
});

test('the help panel lists the shortcuts, "/" among them', async () => {
  await page.click(sel('help-open'));
  await page.waitForSelector(sel('help'), { state: 'visible' });
  const keys = await page.locator(`${sel('help-keys')} dd`).allTextContents();
  assert.ok(keys.some((k) => /canned response/.test(k)), keys.join(' | '));
  await assertAxeClean('with the help panel open');
  await page.click(sel('help-close'));
});
