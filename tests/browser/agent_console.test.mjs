// agent_console.test.mjs - the agent console (web/agent/) in real Chromium
// against the real edge server: sign in, go available, take a chat from the
// queue and talk both ways, end it, create a reference code, see history,
// offer video and see the customer decline it, reject a ringing call, read
// a caller's keypad digits, and hang-up from either side; a console opened
// in a second browser context restores the accepted chat and sends in it
// (no token in any URL), a history entry opens read-only, a waiting
// customer shows online/offline and a call whose caller left ends "caller
// left". The customer side is plain HTTP from the test.
//
// WebRTC media is not tested here (that needs a loopback-only network
// namespace); the browser has fake devices, so the console does create its
// call offer (checked on the caller's event stream), but launchBrowser()
// keeps Chromium from gathering any ICE candidate. Every request the page
// makes must stay on loopback.
//
//   node --test tests/browser/agent_console.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertNoNonLoopback, launchBrowser, mintToken, newContext, startEdge, waitFor,
} from './harness.mjs';

const T = 5000; // any single wait

let edge;
let browser;
let context;
let page;
const pageErrors = [];
const sel = (name) => `[data-c2c-part="${name}"]`;
const queueItem = (id) => `${sel('queue-item')}[data-contact-id="${id}"]`;

before(async () => {
  edge = await startEdge();
  browser = await launchBrowser({ media: true });
  context = await newContext(browser);
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.setDefaultTimeout(T);
});

after(async () => {
  await browser?.close();
  const code = await edge?.stop();
  assert.equal(code, 0, `c2c-edge exit code; stderr tail:\n${edge?.stderr().slice(-2000)}`);
});

/** Text of a part (inside root when given). */
function text(name, root = page) {
  return root.locator(sel(name)).first().textContent();
}

async function waitText(name, expected, message) {
  return waitFor(async () => {
    const t = await text(name);
    return (expected instanceof RegExp ? expected.test(t) : t.includes(expected)) && t;
  }, { timeout: T, message: message ?? `${name} to show ${expected}` });
}

async function customer(sub, name) {
  return mintToken(edge.url, { sub, name, email: `${sub}@example.com` });
}

async function transcriptOf(ptoken) {
  const r = await fetch(`${edge.url}/api/participant/transcript`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ptoken}`, 'Content-Type': 'application/json' },
    body: '{"MaxResults":100}',
  });
  assert.equal(r.status, 200);
  return (await r.json()).Transcript;
}

async function asParticipant(ptoken, route, body) {
  const r = await fetch(`${edge.url}/api/participant/${route}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ptoken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

/** Read a participant's event stream until an event of `type` (or time out). */
async function waitForEvent(ptoken, type, timeout = T) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeout);
  try {
    const r = await fetch(`${edge.url}/api/participant/events`,
                          { headers: { 'X-Amz-Bearer': ptoken }, signal: abort.signal });
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of r.body) {
      buf += decoder.decode(chunk, { stream: true });
      for (let i; (i = buf.indexOf('\n\n')) >= 0; buf = buf.slice(i + 2)) {
        const frame = buf.slice(0, i);
        if (frame.split('\n').includes(`event: ${type}`)) {
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          return JSON.parse(data.slice(6));
        }
      }
    }
    return null;
  } catch (err) {
    if (err.name === 'AbortError') return null;
    throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

async function dial(token) {
  const r = await api(edge.url, '/api/dial', { token, body: { toNumber: '(703) 555-0122', Attributes: { plan: 'pro' } } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { id: r.body.responseInfo.Meeting.MeetingId, ptoken: r.body.responseInfo.Attendee.JoinToken };
}

async function assertNoAlert() {
  assert.equal(await page.locator(sel('alert')).isVisible(), false,
               `alert shown: ${await text('alert-text')}`);
}

// ---------------------------------------------------------------------------

test('a bad pasted token is refused with the server\'s message in the alert region', async () => {
  await page.goto(`${edge.url}/agent/`);
  await page.fill(sel('signin-token'), 'not.a.jwt');
  await page.click(sel('signin-paste'));
  await page.waitForSelector(`${sel('alert')}[role="alert"]`, { state: 'visible' });
  assert.match(await text('alert-text'), /\w+/);
  assert.equal(await page.locator(sel('workspace')).isVisible(), false);

  const customerToken = await customer('not-an-agent', 'Nora');
  await page.fill(sel('signin-token'), customerToken);
  await page.click(sel('signin-paste'));
  await waitText('alert-text', 'not an agent');
  await page.click(sel('alert-dismiss'));
});

test('the agent signs in with a demo token and goes available', async () => {
  await page.fill(sel('signin-name'), 'Agnes Agent');
  await page.fill(sel('signin-sub'), 'agent-1');
  await page.click(sel('signin-demo'));
  await page.waitForSelector(sel('workspace'), { state: 'visible' });
  assert.equal(await text('agent-name'), 'Agnes Agent');
  const saved = await page.evaluate(() => JSON.parse(sessionStorage.getItem('c2c-agent')));
  assert.match(saved.token, /^ey/);

  assert.equal(await page.inputValue(sel('agent-status')), 'offline');
  assert.equal(await text('agent-status-text'), 'Offline');
  await page.selectOption(sel('agent-status'), 'available');
  await page.waitForSelector(`${sel('agent-status')}[data-status="available"]`);
  assert.match(await text('agent-status-text'), /^Taking chats and calls/);
  const avail = await api(edge.url, '/api/availability');
  assert.equal(avail.body.available, true);
  await assertNoAlert();
});

const chat = {};

test('a customer chat shows up in the queue and is accepted', async () => {
  const token = await customer('carol', 'Carol Customer');
  const r = await api(edge.url, '/api/startChatContact', {
    token,
    body: {
      Attributes: { page: '/pricing' },
      InitialMessage: { ContentType: 'text/plain', Content: 'Hi, a question about my bill' },
    },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  chat.id = r.body.data.startChatResult.ContactId;
  chat.ptoken = r.body.data.startChatResult.ParticipantToken;

  const item = page.locator(queueItem(chat.id));
  await item.waitFor();
  assert.equal(await text('queue-kind', item), 'CHAT');
  assert.equal(await text('queue-customer', item), 'Carol Customer');
  assert.equal(await text('queue-email', item), 'carol@example.com');
  assert.match(await text('queue-attributes', item), /page\s*\/pricing/);
  assert.equal(await text('queue-position', item), '#1');
  assert.match(await text('queue-wait', item), /waiting \d+:\d\d/);

  await item.locator(sel('accept')).click();
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${chat.id}"]`);
  await page.waitForSelector(`${sel('chat-message')}:has-text("Hi, a question about my bill")`);
  await page.locator(queueItem(chat.id)).waitFor({ state: 'detached' });
  // Accepting puts the keyboard in the message box.
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.c2cPart), 'chat-input');
});

test('messages flow both ways, with typing', async () => {
  await page.fill(sel('chat-input'), 'Hello Carol, how can I help?');
  await page.press(sel('chat-input'), 'Enter');
  const mine = await waitFor(async () => (await transcriptOf(chat.ptoken))
    .find((m) => m.Content === 'Hello Carol, how can I help?'), { message: 'agent message in transcript' });
  assert.equal(mine.ParticipantRole, 'AGENT');
  assert.equal(mine.DisplayName, 'Agnes Agent');
  await waitFor(async () => (await page.inputValue(sel('chat-input'))) === '', { message: 'message box cleared' });

  const typing = await asParticipant(chat.ptoken, 'event',
                                     { ContentType: 'application/vnd.amazonaws.connect.event.typing' });
  assert.equal(typing.status, 200);
  await waitText('typing', 'Carol Customer is typing');

  const sent = await asParticipant(chat.ptoken, 'message', { ContentType: 'text/plain', Content: 'My invoice is wrong' });
  assert.equal(sent.status, 200);
  await page.waitForSelector(`${sel('chat-message')}[data-role="CUSTOMER"]:has-text("My invoice is wrong")`);
  assert.equal(await text('typing'), '', 'typing cleared by the message');
  const order = await page.locator(`${sel('chat-log')} ${sel('chat-text')}`).allTextContents();
  assert.deepEqual(order, ['Hi, a question about my bill', 'Hello Carol, how can I help?', 'My invoice is wrong']);
  await assertNoAlert();
});

test('a console opened in a second browser restores the accepted chat and sends in it', async () => {
  const other = await newContext(browser);
  const second = await other.newPage();
  second.setDefaultTimeout(T);
  const urls = [];
  second.on('request', (req) => urls.push(req.url()));
  second.on('pageerror', (err) => pageErrors.push(String(err)));
  try {
    await second.goto(`${edge.url}/agent/`);
    await second.fill(sel('signin-name'), 'Agnes Agent');
    await second.fill(sel('signin-sub'), 'agent-1'); // the same agent, another device
    await second.click(sel('signin-demo'));
    await second.waitForSelector(`${sel('contact')}[data-contact-id="${chat.id}"]`);
    await waitFor(async () => (await second.locator(sel('chat-message')).count()) === 3,
                  { message: 'transcript restored' });
    assert.equal(await second.locator(sel('contact-presence')).isVisible(), true);
    await second.fill(sel('chat-input'), 'Sent from my other screen');
    await second.press(sel('chat-input'), 'Enter');
    await waitFor(async () => (await transcriptOf(chat.ptoken))
      .find((m) => m.Content === 'Sent from my other screen'), { message: 'second device message sent' });
    // The first console sees it too, through its own stream.
    await page.waitForSelector(`${sel('chat-message')}:has-text("Sent from my other screen")`);
    // No token ever travelled in a URL: streams send it in a header.
    assert.deepEqual(urls.filter((u) => /token=|[?&]lastEventId=/i.test(u) && !u.includes('/demo/token')), []);
    assert.ok(urls.some((u) => u.endsWith('/api/agent/events')), 'the agent stream was opened');
  } finally {
    await other.close();
  }
});

test('a reload resumes the session and the open chat', async () => {
  await page.reload();
  await page.waitForSelector(sel('workspace'), { state: 'visible' });
  assert.equal(await text('agent-name'), 'Agnes Agent');
  assert.equal(await page.inputValue(sel('agent-status')), 'available');
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${chat.id}"]`);
  await waitFor(async () => (await page.locator(sel('chat-message')).count()) === 4, { message: 'transcript reloaded' });
  const order = await page.locator(`${sel('chat-log')} ${sel('chat-text')}`).allTextContents();
  assert.deepEqual(order, ['Hi, a question about my bill', 'Hello Carol, how can I help?', 'My invoice is wrong',
                           'Sent from my other screen']);
  assert.equal(await text('typing'), '', 'a replayed old typing event is not shown');
  await assertNoAlert();
});

test('the agent ends the chat', async () => {
  await page.click(sel('end'));
  await waitText('contact-state', 'Ended');
  assert.equal(await page.isDisabled(sel('chat-input')), true);
  const late = await asParticipant(chat.ptoken, 'message', { ContentType: 'text/plain', Content: 'still there?' });
  assert.equal(late.status, 409);
  assert.equal(late.body.error, 'contact_ended');
  await page.click(sel('contact-close'));
  await page.waitForSelector(sel('contact'), { state: 'hidden' });
});

test('an ad-hoc reference code is created and shown', async () => {
  await page.fill(sel('adhoc-email'), 'dave@example.com');
  await page.click(sel('adhoc-create'));
  const code = await waitText('adhoc-code', /^\d{8}$/, 'an 8-digit code');
  assert.match(code, /^\d{8}$/);
  assert.notEqual((await text('adhoc-expiry')).trim(), '');
  assert.match(await page.getAttribute(sel('adhoc-expiry'), 'datetime'), /^\d{4}-\d\d-\d\dT/);
});

test('history lists the chat', async () => {
  await page.click(sel('history-refresh'));
  const item = page.locator(`${sel('history-item')}[data-contact-id="${chat.id}"]`);
  await item.waitFor();
  assert.match(await item.textContent(), /CHAT.*Carol Customer/);
});

test('a history entry opens its transcript read-only', async () => {
  const item = page.locator(`${sel('history-item')}[data-contact-id="${chat.id}"]`);
  await item.locator(sel('history-open')).click();
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${chat.id}"]`);
  await waitText('contact-state', 'read-only');
  await waitFor(async () => (await page.locator(sel('chat-message')).count()) === 4, { message: 'history transcript' });
  assert.equal(await page.locator(sel('chat-form')).isVisible(), false);
  await page.click(sel('contact-close'));
  await page.waitForSelector(sel('contact'), { state: 'hidden' });
});

test('three columns: the customer panel shows who it is, their page and previous chats; two panes at 1024 px', async () => {
  await page.setViewportSize({ width: 1366, height: 800 });
  const token = await customer('carol', 'Carol Customer');
  const r = await api(edge.url, '/api/startChatContact', {
    token, body: { Attributes: { page: '/checkout', plan: 'pro' } },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const { ContactId: id, ParticipantToken: ptoken } = r.body.data.startChatResult;
  await page.click(sel('history-refresh'));
  await page.locator(queueItem(id)).locator(sel('accept')).click();
  await page.waitForSelector(`${sel('customer')}[data-contact-id="${id}"]`);
  assert.equal(await text('customer-name'), 'Carol Customer');
  assert.equal(await text('customer-email'), 'carol@example.com');
  assert.match(await text('contact-attributes'), /page\s*\/checkout/);
  // Her earlier chat with this agent, its transcript a click away.
  const previous = page.locator(`${sel('customer-previous-item')}[data-contact-id="${chat.id}"]`);
  await previous.waitFor();
  assert.equal(await page.locator(`${sel('customer-previous-item')}[data-contact-id="${id}"]`).count(), 0);

  const box = async (name) => page.locator(sel(name)).boundingBox();
  let [side, main, panel] = [await box('side'), await box('contact'), await box('customer')];
  assert.ok(side.x + side.width <= main.x && main.x + main.width <= panel.x, 'three columns side by side');
  assert.ok(main.height >= 0.7 * 800 - 80, `the conversation is full height (${main.height})`);

  await page.setViewportSize({ width: 1024, height: 768 });
  await page.evaluate(() => new Promise(requestAnimationFrame));
  [side, main, panel] = [await box('side'), await box('contact'), await box('customer')];
  assert.ok(side.x + side.width <= main.x, 'the conversation beside the side column');
  assert.ok(panel.x < main.x && panel.y >= side.y + side.height - 1, 'the customer panel under the side column');
  assert.ok(main.width >= 600, `the conversation keeps room at 1024 px (${main.width})`);

  // A customer's unanswered message starts the contact's wait timer; the agent's reply stops it.
  await asParticipant(ptoken, 'message', { ContentType: 'text/plain', Content: 'Checkout fails' });
  const wait = page.locator(`${sel('contact-tab')}[data-contact-id="${id}"] ${sel('contact-wait')}`);
  await waitFor(async () => /waiting \d+:\d\d/.test(await wait.textContent()), { message: 'wait timer' });
  await page.fill(sel('chat-input'), 'Looking into it');
  await page.press(sel('chat-input'), 'Enter');
  await waitFor(async () => (await wait.textContent()) === '', { message: 'wait timer stopped by the reply' });

  // Opening the earlier chat from the panel shows its transcript read-only.
  await previous.locator(sel('customer-previous-open')).click();
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${chat.id}"]`);
  await waitText('contact-state', 'read-only');
  await page.click(sel('contact-close'));
  await page.click(`${sel('contact-tab')}[data-contact-id="${id}"]`);
  await page.click(sel('end'));
  await waitText('contact-state', 'Ended');
  await page.click(sel('contact-close'));
  await page.setViewportSize({ width: 1280, height: 720 });
  await assertNoAlert();
});

test('Away in the status menu stops offers and says so in words', async () => {
  await page.selectOption(sel('agent-status'), 'away');
  await page.waitForSelector(`${sel('agent-status')}[data-status="away"]`);
  assert.match(await text('agent-status-text'), /^Away/);
  assert.equal((await api(edge.url, '/api/availability')).body.available, false);
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('c2c-agent')).token);
  assert.equal((await api(edge.url, '/api/agent/contacts', { token })).body.Status, 'away',
               'Away is the server\'s status, seen by every console');
  await page.selectOption(sel('agent-status'), 'available');
  await page.waitForSelector(`${sel('agent-status')}[data-status="available"]`);
  assert.equal((await api(edge.url, '/api/availability')).body.available, true);
});

test('a private note shows in the log for agents only (on each of their consoles) and stays in the chat\'s history', async () => {
  const token = await customer('pia', 'Pia Private');
  const r = await api(edge.url, '/api/startChatContact', {
    token, body: { InitialMessage: { ContentType: 'text/plain', Content: 'My parcel is late' } },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const { ContactId: id, ParticipantToken: ptoken } = r.body.data.startChatResult;
  await page.locator(queueItem(id)).locator(sel('accept')).click();
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${id}"]`);
  await page.waitForSelector(`${sel('chat-message')}:has-text("My parcel is late")`);

  // The same agent's console in another browser gets the note live.
  const other = await newContext(browser);
  const second = await other.newPage();
  second.setDefaultTimeout(T);
  second.on('pageerror', (err) => pageErrors.push(String(err)));
  await second.goto(`${edge.url}/agent/`);
  await second.fill(sel('signin-name'), 'Agnes Agent');
  await second.fill(sel('signin-sub'), 'agent-1');
  await second.click(sel('signin-demo'));
  await second.waitForSelector(`${sel('contact-tab')}[data-contact-id="${id}"]`);
  await second.click(`${sel('contact-tab')}[data-contact-id="${id}"]`);
  await second.waitForSelector(`${sel('chat-message')}:has-text("My parcel is late")`);

  await page.fill(sel('note-input'), 'Carrier confirmed loss; offer a resend');
  await page.click(sel('note-add'));
  const note = page.locator(`${sel('chat-log')} ${sel('private-note')}`);
  await note.waitFor();
  assert.match(await note.textContent(), /Private note · Agnes Agent.*Carrier confirmed loss; offer a resend/s);
  assert.equal(await page.inputValue(sel('note-input')), '');
  await second.waitForSelector(`${sel('private-note')}:has-text("Carrier confirmed loss")`);
  await other.close();
  await page.fill(sel('chat-input'), 'We will send a new one today');
  await page.press(sel('chat-input'), 'Enter');
  await waitFor(async () => (await transcriptOf(ptoken)).some((m) => m.Content === 'We will send a new one today'),
                { message: 'reply in transcript' });
  await page.waitForSelector(`${sel('chat-message')}:not([data-pending]):has-text("We will send a new one today")`);
  const order = await page.locator(`${sel('chat-log')} > *`).evaluateAll(
    (nodes) => nodes.map((n) => n.dataset.c2cPart));
  assert.deepEqual(order.filter((p) => p !== 'chat-note'), ['chat-message', 'private-note', 'chat-message']);
  // The customer's transcript has the messages, not the note.
  const items = await transcriptOf(ptoken);
  assert.deepEqual(items.filter((m) => m.Type === 'MESSAGE').map((m) => m.Content),
                   ['My parcel is late', 'We will send a new one today']);
  assert.ok(!JSON.stringify(items).includes('Carrier confirmed'), 'no note in the transcript');

  await page.click(sel('end'));
  await waitText('contact-state', 'Ended');
  await page.click(sel('contact-close'));
  await page.click(sel('history-refresh'));
  const entry = page.locator(`${sel('history-item')}[data-contact-id="${id}"]`);
  await entry.locator(sel('history-open')).click();
  await waitText('contact-state', 'read-only');
  await page.waitForSelector(`${sel('private-note')}:has-text("Carrier confirmed loss")`);
  await page.click(sel('contact-close'));
  await assertNoAlert();
});

test('keyboard shortcuts: the help panel lists them; Alt+A accepts the next, Alt+N switches, Alt+E ends', async () => {
  await page.click(sel('help-open'));
  await page.waitForSelector(sel('help'), { state: 'visible' });
  assert.equal(await page.getAttribute(sel('help-open'), 'aria-expanded'), 'true');
  const keys = await text('help-keys');
  for (const line of [/Alt\s*\+\s*A.*Accept the next/s, /Enter.*Send/s, /Alt\s*\+\s*E.*End/s, /Alt\s*\+\s*N.*Next/s]) {
    assert.match(keys, line);
  }
  await page.keyboard.press('Escape');
  await page.waitForSelector(sel('help'), { state: 'hidden' });
  await page.locator('body').focus();
  await page.keyboard.press('Shift+Slash'); // "?"
  await page.waitForSelector(sel('help'), { state: 'visible' });
  await page.click(sel('help-close'));
  await page.waitForSelector(sel('help'), { state: 'hidden' });

  const started = [];
  for (const [sub, name] of [['kim', 'Kim Keys'], ['lou', 'Lou Later']]) {
    const r = await api(edge.url, '/api/startChatContact', { token: await customer(sub, name), body: {} });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    started.push(r.body.data.startChatResult.ContactId);
    await page.locator(queueItem(started.at(-1))).waitFor();
  }
  await page.keyboard.press('Alt+KeyA');
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${started[0]}"]`);
  await page.keyboard.press('Alt+KeyA'); // at once: the queue may still list the first
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${started[1]}"]`);
  await page.keyboard.press('Alt+KeyN');
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${started[0]}"]`);
  await page.keyboard.press('Alt+KeyE');
  await waitText('contact-state', 'Ended');
  await page.keyboard.press('Alt+KeyN');
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${started[1]}"]`);
  await page.keyboard.press('Alt+KeyM');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.c2cPart), 'chat-input');
  await page.keyboard.press('Alt+KeyE');
  await waitText('contact-state', 'Ended');
  for (const id of started) {
    await page.click(`${sel('contact-tab')}[data-contact-id="${id}"]`);
    await page.click(sel('contact-close'));
  }
  await page.waitForSelector(sel('contact'), { state: 'hidden' });
  await assertNoAlert();
});

test('a video offer the customer declines says so and returns to offering', async () => {
  const token = await customer('dina', 'Dina Decliner');
  const r = await api(edge.url, '/api/startChatContact', { token, body: {} });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const { ContactId: id, ParticipantToken: ptoken } = r.body.data.startChatResult;
  const item = page.locator(queueItem(id));
  await item.waitFor();
  await item.locator(sel('accept')).click();
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${id}"]`);

  const offered = waitForEvent(ptoken, 'video.offer');
  await page.click(sel('offer-video'));
  await waitText('video-status', 'waiting for the customer to join');
  assert.ok(await offered, 'the offer reached the customer');
  assert.equal(await page.locator(sel('offer-video')).isVisible(), false);

  const declined = await asParticipant(ptoken, 'video', { Action: 'decline' });
  assert.equal(declined.status, 200, JSON.stringify(declined.body));
  await page.waitForSelector(`${sel('chat-note')}:has-text("Dina Decliner declined the video.")`);
  await page.waitForSelector(sel('video'), { state: 'hidden' });
  assert.equal(await page.getAttribute(sel('video'), 'data-state'), 'none');
  assert.equal(await page.locator(sel('offer-video')).isVisible(), true);
  assert.equal(await page.isDisabled(sel('offer-video')), false);
  assert.equal(await page.locator(sel('end-video')).isVisible(), false);
  await assertNoAlert();

  await page.click(sel('end'));
  await waitText('contact-state', 'Ended');
  await page.click(sel('contact-close'));
});

test('a call rings the agent and Reject turns it down', async () => {
  const token = await customer('ray', 'Ray Ringer');
  const call = await dial(token);
  const item = page.locator(`${queueItem(call.id)}[data-offered="true"]`);
  await item.waitFor();
  assert.equal(await text('queue-kind', item), 'CALL');
  assert.match(await item.getAttribute('class'), /\bringing\b/);
  assert.match(await text('queue-state', item), /ringing you/);
  assert.equal(await item.locator(sel('reject')).isVisible(), true);

  await item.locator(sel('reject')).click();
  await page.locator(queueItem(call.id)).waitFor({ state: 'detached' });
  // With no other agent the call ends: the caller cannot press keys any more.
  const r = await api(edge.url, '/api/update', { token, body: { update: 'digit', digit: '1', transactionId: call.id } });
  assert.equal(r.status, 409);
  assert.equal(r.body.error, 'contact_ended');
  await assertNoAlert();
});

test('an accepted call offers audio, shows the caller\'s digits in order, ends when the caller hangs up', async () => {
  const token = await customer('dora', 'Dora Dialer');
  const call = await dial(token);
  const offered = waitForEvent(call.ptoken, 'signal', 2 * T);
  const item = page.locator(`${queueItem(call.id)}[data-offered="true"]`);
  await item.waitFor();
  await item.locator(sel('accept')).click();
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${call.id}"][data-kind="CALL"]`);
  assert.equal(await page.locator(sel('call')).isVisible(), true);
  assert.equal(await page.locator(sel('chat')).isVisible(), false);

  const signal = await offered;
  assert.ok(signal, 'the console sent its WebRTC offer to the caller');
  assert.equal(signal.Type, 'offer');
  assert.equal(signal.FromRole, 'AGENT');
  assert.match(signal.Payload.sdp, /m=audio/);

  const r = await api(edge.url, '/api/update', { token, body: { update: 'digit', digit: '12#', transactionId: call.id } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await waitText('dtmf-digits', '12#');
  assert.equal(await text('dtmf-digits'), '12#');

  const end = await api(edge.url, '/api/update', { token, body: { update: 'end', meetingId: call.id } });
  assert.equal(end.status, 200);
  await waitText('contact-state', 'the caller hung up');
  assert.equal(await page.isDisabled(sel('hangup')), true);
  await page.click(sel('contact-close'));
  await assertNoAlert();
});

test('the agent hangs up a call', async () => {
  const token = await customer('hal', 'Hal Hangup');
  const call = await dial(token);
  const item = page.locator(`${queueItem(call.id)}[data-offered="true"]`);
  await item.waitFor();
  await item.locator(sel('accept')).click();
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${call.id}"]`);
  await page.click(sel('hangup'));
  await waitText('contact-state', 'you hung up');
  const r = await api(edge.url, '/api/update', { token, body: { update: 'digit', digit: '5', transactionId: call.id } });
  assert.equal(r.status, 409);
  await assertNoAlert();
});

test('without --demo only the pasted-token sign-in is offered', async () => {
  const plain = await startEdge({ demo: false });
  try {
    const other = await context.newPage();
    other.setDefaultTimeout(T);
    const probe = other.waitForResponse((r) => r.url().includes('/demo/token'));
    await other.goto(`${plain.url}/agent/`);
    assert.equal((await probe).status(), 404);
    await other.waitForSelector(sel('signin-token'));
    await other.evaluate(() => new Promise(requestAnimationFrame));
    assert.equal(await other.locator(sel('signin-demo-form')).isVisible(), false);
    await other.close();
  } finally {
    assert.equal(await plain.stop(), 0);
  }
});

test('a waiting customer shows online or offline, and a call whose caller left ends "caller left"', async () => {
  const quick = await startEdge({ args: ['--caller-gone-s', '1'] });
  const other = await newContext(browser);
  try {
    const p2 = await other.newPage();
    p2.setDefaultTimeout(T);
    p2.on('pageerror', (err) => pageErrors.push(String(err)));
    await p2.goto(`${quick.url}/agent/`);
    await p2.fill(sel('signin-name'), 'Quinn');
    await p2.fill(sel('signin-sub'), 'agent-quick');
    await p2.click(sel('signin-demo'));
    await p2.waitForSelector(sel('workspace'), { state: 'visible' });

    // A chat whose customer has no stream open is offline; opening one makes them online.
    const ctoken = await mintToken(quick.url, { sub: 'olga', name: 'Olga Online', email: 'olga@example.com' });
    const started = await api(quick.url, '/api/startChatContact', { token: ctoken, body: {} });
    const { ContactId: chatId, ParticipantToken: chatToken } = started.body.data.startChatResult;
    const presence = p2.locator(`${queueItem(chatId)} ${sel('queue-presence')}`);
    await waitFor(async () => (await presence.getAttribute('data-online').catch(() => null)) === 'false',
                  { message: 'customer offline' });
    const abort = new AbortController();
    const stream = await fetch(`${quick.url}/api/participant/events`,
                               { headers: { 'X-Amz-Bearer': chatToken }, signal: abort.signal });
    assert.equal(stream.status, 200);
    await waitFor(async () => (await presence.getAttribute('data-online')) === 'true', { message: 'customer online' });
    abort.abort();

    // A call accepted, then the caller's tab is gone: it ends by itself.
    const token = await mintToken(quick.url, { sub: 'gina', name: 'Gina Gone', email: 'gina@example.com' });
    const r = await api(quick.url, '/api/dial', { token, body: { toNumber: '(703) 555-0122' } });
    const callId = r.body.responseInfo.Meeting.MeetingId;
    const tab = new AbortController(); // the caller's page, open until after the accept
    const callerStream = await fetch(`${quick.url}/api/participant/events`, {
      headers: { 'X-Amz-Bearer': r.body.responseInfo.Attendee.JoinToken }, signal: tab.signal,
    });
    assert.equal(callerStream.status, 200);
    const item = p2.locator(queueItem(callId));
    await item.waitFor();
    await item.locator(sel('accept')).click();
    await p2.waitForSelector(`${sel('contact')}[data-contact-id="${callId}"]`);
    tab.abort();
    await waitFor(async () => /the caller left/.test(await p2.locator(sel('contact-state')).textContent()),
                  { timeout: 3 * T, message: 'call ended: the caller left' });
  } finally {
    await other.close();
    assert.equal(await quick.stop(), 0);
  }
});

test('a new queued chat and a message in a contact not on screen raise notifications; the title and favicon count', async () => {
  const other = await newContext(browser);
  try {
    // A stub Notification that records what the console raises (permission granted).
    await other.addInitScript(() => {
      window.raised = [];
      window.Notification = class {
        static permission = 'granted';
        static requestPermission() { return Promise.resolve('granted'); }
        constructor(title, options) { window.raised.push({ title, ...options }); }
        close() {}
      };
    });
    const p3 = await other.newPage();
    p3.setDefaultTimeout(T);
    p3.on('pageerror', (err) => pageErrors.push(String(err)));
    await p3.goto(`${edge.url}/agent/`);
    await p3.fill(sel('signin-name'), 'Nina Notified');
    await p3.fill(sel('signin-sub'), 'agent-notify');
    await p3.click(sel('signin-demo'));
    await p3.waitForSelector(sel('workspace'), { state: 'visible' });
    await p3.selectOption(sel('agent-status'), 'available');
    await p3.waitForSelector(`${sel('agent-status')}[data-status="available"]`);
    const raised = () => p3.evaluate(() => window.raised);

    const start = async (sub, name) => {
      const r = await api(edge.url, '/api/startChatContact', { token: await customer(sub, name), body: {} });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.data.startChatResult;
    };
    const first = await start('nell', 'Nell First');
    await p3.locator(queueItem(first.ContactId)).locator(sel('accept')).click();
    await p3.waitForSelector(`${sel('contact')}[data-contact-id="${first.ContactId}"]`);
    const second = await start('otto', 'Otto Second');
    await p3.locator(queueItem(second.ContactId)).locator(sel('accept')).click();
    await p3.waitForSelector(`${sel('contact')}[data-contact-id="${second.ContactId}"]`);
    // Otto's chat is on screen; Nell's is not.
    const before = (await raised()).length;

    const third = await start('quin', 'Quin Queued');
    const queued = await waitFor(async () => (await raised()).find((n) => n.tag === `queue-${third.ContactId}`),
                                 { message: 'a notification for the new queued chat' });
    assert.equal(queued.title, 'New chat waiting');
    assert.match(queued.body, /Quin Queued/);
    await waitFor(async () => /^\(1\) /.test(await p3.title()), { message: 'title counts the queue' });

    await asParticipant(first.ParticipantToken, 'message', { ContentType: 'text/plain', Content: 'Are you there?' });
    const msg = await waitFor(async () => (await raised()).find((n) => n.tag === `message-${first.ContactId}`),
                              { message: 'a notification for the message in the contact not on screen' });
    assert.equal(msg.title, 'New message from Nell First');
    assert.equal(msg.body, 'Are you there?');
    await waitFor(async () => /^\(2\) /.test(await p3.title()), { message: 'title counts queue + unread' });
    assert.equal(await p3.getAttribute(sel('favicon'), 'data-count'), '2');
    assert.match(await p3.getAttribute(sel('favicon'), 'href'), /^data:image\/png/);

    // A message in the contact on screen raises nothing.
    await asParticipant(second.ParticipantToken, 'message', { ContentType: 'text/plain', Content: 'Hi' });
    await p3.waitForSelector(`${sel('chat-message')}:has-text("Hi")`);
    assert.equal((await raised()).filter((n) => n.tag === `message-${second.ContactId}`).length, 0);
    assert.equal((await raised()).length, before + 2);

    // Opening Nell's chat reads the unread message: the count drops.
    await p3.click(`${sel('contact-tab')}[data-contact-id="${first.ContactId}"]`);
    await waitFor(async () => /^\(1\) /.test(await p3.title()), { message: 'title count after reading' });
    for (const c of [first, second]) {
      await p3.click(`${sel('contact-tab')}[data-contact-id="${c.ContactId}"]`);
      await p3.click(sel('end'));
      await p3.waitForSelector(`${sel('contact')}[data-state="ENDED"]`);
    }
    await p3.selectOption(sel('agent-status'), 'offline');
    await p3.waitForSelector(`${sel('agent-status')}[data-status="offline"]`);
  } finally {
    await other.close();
  }
});

test('nothing left loopback and the page threw nothing', async () => {
  assertNoNonLoopback(context);
  assert.deepEqual(pageErrors, []);
});
