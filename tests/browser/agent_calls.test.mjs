// agent_calls.test.mjs - the agent console's call controls, history search
// and wrap-up in real Chromium against the real edge server: a call's timer
// runs from when it connected and stops at its end; Mute turns the agent's
// microphone track off (aria-pressed and words); the keypad sends digits
// that reach the caller as dtmf events; Hold pauses audio both ways (the
// outgoing track off, the caller's audio muted) and sends a `hold` signal
// through the relay; the history filters by name, email and the text of
// transcripts already loaded; closing an ended contact saves an optional
// wrap-up on close: the disposition (the server's list) stored with the
// contact and the note as a private note.
//
// The browser has fake devices; an init script keeps every stream that
// getUserMedia hands the page in window.__c2cStreams so the test can read
// the tracks' enabled flags (the console's modules keep nothing global).
// The customer side is plain HTTP from the test.
//
//   node --test tests/browser/agent_calls.test.mjs

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
  await context.addInitScript(() => {
    const md = navigator.mediaDevices;
    if (!md?.getUserMedia) return;
    const real = md.getUserMedia.bind(md);
    window.__c2cStreams = [];
    md.getUserMedia = async (constraints) => {
      const stream = await real(constraints);
      window.__c2cStreams.push(stream);
      return stream;
    };
  });
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.setDefaultTimeout(T);
});

after(async () => {
  await browser?.close();
  const code = await edge?.stop();
  assert.equal(code, 0, `c2c-edge exit code; stderr tail:\n${edge?.stderr().slice(-2000)}`);
});

function text(name, root = page) {
  return root.locator(sel(name)).first().textContent();
}

async function waitText(name, expected, message) {
  return waitFor(async () => {
    const t = await text(name);
    return (expected instanceof RegExp ? expected.test(t) : t.includes(expected)) && t;
  }, { timeout: T, message: message ?? `${name} to show ${expected}` });
}

/** Collect a participant's events (all types) until stop() is called. */
function collectEvents(ptoken) {
  const abort = new AbortController();
  const events = [];
  const done = (async () => {
    try {
      const r = await fetch(`${edge.url}/api/participant/events`,
                            { headers: { 'X-Amz-Bearer': ptoken }, signal: abort.signal });
      const decoder = new TextDecoder();
      let buf = '';
      for await (const chunk of r.body) {
        buf += decoder.decode(chunk, { stream: true });
        for (let i; (i = buf.indexOf('\n\n')) >= 0; buf = buf.slice(i + 2)) {
          const lines = buf.slice(0, i).split('\n');
          const type = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '));
          if (type && data) events.push({ type, data: JSON.parse(data.slice(6)) });
        }
      }
    } catch (err) {
      if (err.name !== 'AbortError') throw err;
    }
  })();
  return { events, stop: () => { abort.abort(); return done; } };
}

async function dial(token) {
  const r = await api(edge.url, '/api/dial', { token, body: { toNumber: '(703) 555-0122' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { id: r.body.responseInfo.Meeting.MeetingId, ptoken: r.body.responseInfo.Attendee.JoinToken };
}

/** The enabled flags of the page's microphone tracks (the newest stream). */
function micEnabled() {
  return page.evaluate(() => window.__c2cStreams.at(-1)?.getAudioTracks().map((t) => t.enabled) ?? []);
}

async function assertNoAlert() {
  assert.equal(await page.locator(sel('alert')).isVisible(), false,
               `alert shown: ${await text('alert-text')}`);
}

async function acceptCall(sub, name) {
  const token = await mintToken(edge.url, { sub, name, email: `${sub}@example.com` });
  const call = await dial(token);
  const item = page.locator(`${queueItem(call.id)}[data-offered="true"]`);
  await item.waitFor();
  await item.locator(sel('accept')).click();
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${call.id}"][data-kind="CALL"]`);
  return { ...call, token };
}

// ---------------------------------------------------------------------------

test('the agent signs in and goes available', async () => {
  await page.goto(`${edge.url}/agent/`);
  await page.fill(sel('signin-name'), 'Cal Agent');
  await page.fill(sel('signin-sub'), 'agent-calls');
  await page.click(sel('signin-demo'));
  await page.waitForSelector(sel('workspace'), { state: 'visible' });
  await page.selectOption(sel('agent-status'), 'available');
  await page.waitForSelector(`${sel('agent-status')}[data-status="available"]`);
});

test('a call: the timer runs from connected, Mute turns the microphone off in words, the keypad reaches the caller', async () => {
  const call = await acceptCall('kim', 'Kim Keys');
  const caller = collectEvents(call.ptoken);
  await waitText('call-timer', /^Call time 0:0\d$/);
  const first = await text('call-timer');
  await waitFor(async () => (await text('call-timer')) !== first, { timeout: 3000, message: 'the timer ticks' });

  // The microphone: on, then muted (track off, aria-pressed, words), then on again.
  await waitFor(async () => (await micEnabled()).length > 0, { message: 'the call has a microphone' });
  assert.deepEqual(await micEnabled(), [true]);
  assert.equal(await page.getAttribute(sel('call-mute'), 'aria-pressed'), 'false');
  assert.equal(await text('call-mic'), 'Your microphone is on.');
  await page.click(sel('call-mute'));
  assert.equal(await page.getAttribute(sel('call-mute'), 'aria-pressed'), 'true');
  await waitText('call-mic', 'Your microphone is off');
  assert.deepEqual(await micEnabled(), [false]);
  await page.keyboard.press('Alt+KeyU'); // the shortcut unmutes
  await waitText('call-mic', 'Your microphone is on.');
  assert.equal(await page.getAttribute(sel('call-mute'), 'aria-pressed'), 'false');
  assert.deepEqual(await micEnabled(), [true]);

  // The keypad, by keyboard: each key is a button; the digits reach the caller in order.
  await page.locator(`${sel('keypad')} [data-digit="4"]`).focus();
  await page.keyboard.press('Enter');
  await waitText('dtmf-sent', '4');
  await page.click(`${sel('keypad')} [data-digit="2"]`);
  await waitText('dtmf-sent', '42');
  await page.click(`${sel('keypad')} [data-digit="#"]`);
  await waitText('dtmf-sent', '42#');
  // Typing on the keypad sends the key typed.
  await page.keyboard.press('*');
  await page.keyboard.press('7'); // at once: still in order
  await waitText('dtmf-sent', '42#*7');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.digit), '7');
  await waitFor(() => caller.events.filter((e) => e.type === 'dtmf').length >= 5, { message: 'the caller gets 5 digits' });
  const digits = caller.events.filter((e) => e.type === 'dtmf');
  assert.deepEqual(digits.map((e) => e.data.Digit), ['4', '2', '#', '*', '7']);
  assert.ok(digits.every((e) => e.data.FromRole === 'AGENT'));
  assert.equal(await text('dtmf-digits'), '', 'the agent\'s own digits are not shown as the caller\'s');

  // The caller hangs up: the timer stops, the controls are off.
  const end = await api(edge.url, '/api/update', { token: call.token, body: { update: 'end', meetingId: call.id } });
  assert.equal(end.status, 200);
  await waitText('contact-state', 'the caller hung up');
  const stopped = await text('call-timer');
  assert.match(stopped, /^Call time \d+:\d\d$/);
  assert.equal(await page.locator(sel('call-mute')).isVisible(), false, 'no call controls once ended');
  assert.equal(await page.locator(sel('keypad')).isVisible(), false);
  await new Promise((r) => setTimeout(r, 1100)); // one tick of the timer: it stays
  assert.equal(await text('call-timer'), stopped);
  await caller.stop();
  await page.click(sel('contact-close'));
  await assertNoAlert();
});

test('Hold pauses audio both ways, says so in words and signals the customer; Resume undoes it', async () => {
  const call = await acceptCall('hana', 'Hana Hold');
  const caller = collectEvents(call.ptoken);
  await waitFor(async () => (await micEnabled()).length > 0, { message: 'the call has a microphone' });
  assert.equal(await page.locator(sel('call-hold-status')).isVisible(), false);

  const signalled = page.waitForResponse((r) => r.url().endsWith('/api/participant/signal')
    && r.request().postDataJSON()?.Type === 'hold');
  await page.click(sel('call-hold'));
  assert.equal(await page.getAttribute(sel('call-hold'), 'aria-pressed'), 'true');
  assert.equal(await text('call-hold'), 'Resume');
  assert.deepEqual(await micEnabled(), [false], 'the agent\'s outgoing audio is off');
  assert.equal(await page.evaluate(() => document.querySelector('[data-c2c-part="call-audio"]').muted), true,
               'the caller\'s audio is muted');
  const response = await signalled;
  // The customer is told through the relay.
  assert.equal(response.status(), 200);
  await waitText('call-hold-status', 'On hold: neither of you hears the other (the customer was told).');
  await waitFor(() => caller.events.some((e) => e.type === 'signal' && e.data.Type === 'hold'),
                { message: 'the caller gets the hold signal' });
  await waitText('call-mic', 'Your microphone is off');

  // Mute while on hold, then Resume: the microphone stays off until unmuted.
  await page.click(sel('call-mute'));
  const resumed = page.waitForRequest((r) => r.url().endsWith('/api/participant/signal')
    && r.postDataJSON()?.Type === 'unhold');
  await page.keyboard.press('Alt+KeyH'); // the shortcut resumes
  await resumed;
  assert.equal(await page.getAttribute(sel('call-hold'), 'aria-pressed'), 'false');
  assert.equal(await page.locator(sel('call-hold-status')).isVisible(), false);
  assert.equal(await page.evaluate(() => document.querySelector('[data-c2c-part="call-audio"]').muted), false);
  assert.deepEqual(await micEnabled(), [false], 'still muted');
  await page.click(sel('call-mute'));
  assert.deepEqual(await micEnabled(), [true]);

  await caller.stop();
  await page.click(sel('hangup'));
  await waitText('contact-state', 'you hung up');
  await page.click(sel('contact-close'));
  await assertNoAlert();
});

async function startChat(sub, name, first) {
  const token = await mintToken(edge.url, { sub, name, email: `${sub}@example.com` });
  const r = await api(edge.url, '/api/startChatContact', {
    token, body: { InitialMessage: { ContentType: 'text/plain', Content: first } },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const id = r.body.data.startChatResult.ContactId;
  const item = page.locator(queueItem(id));
  await item.waitFor();
  await item.locator(sel('accept')).click();
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${id}"]`);
  await page.waitForSelector(`${sel('chat-message')}:has-text("${first}")`);
  return { id, ptoken: r.body.data.startChatResult.ParticipantToken };
}

async function dispositionOf(id) {
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('c2c-agent')).token);
  const r = await api(edge.url, `/api/agent/disposition?ContactId=${encodeURIComponent(id)}`, { token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.Disposition;
}

async function notesOf(id) {
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('c2c-agent')).token);
  const r = await api(edge.url, `/api/agent/notes?ContactId=${encodeURIComponent(id)}`, { token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.Notes.map((n) => n.Content);
}

const chats = {};

test('closing an ended chat saves the wrap-up (the disposition with the contact, the note as a private note); without one, nothing', async () => {
  chats.ursula = await startChat('ursula', 'Ursula Umbrella', 'My parcel never arrived');
  assert.equal(await page.locator(sel('wrapup')).isVisible(), false, 'no wrap-up while the chat is open');
  await page.click(sel('end'));
  await waitText('contact-state', 'you ended it');
  await page.locator(sel('wrapup')).waitFor();
  await page.selectOption(sel('wrapup-disposition'), 'Resolved');
  await page.fill(sel('wrapup-note'), 'Refund issued');
  await page.click(sel('contact-close'));
  await page.locator(`${sel('contact-tab')}[data-contact-id="${chats.ursula.id}"]`).waitFor({ state: 'detached' });
  assert.deepEqual(await notesOf(chats.ursula.id), ['Refund issued']);
  assert.equal(await dispositionOf(chats.ursula.id), 'resolved');
  // A private note: not in the customer's transcript.
  const t = await fetch(`${edge.url}/api/participant/transcript`, {
    method: 'POST', headers: { Authorization: `Bearer ${chats.ursula.ptoken}`, 'Content-Type': 'application/json' },
    body: '{"MaxResults":100}',
  });
  assert.ok(!JSON.stringify(await t.json()).includes('Refund issued'));

  chats.victor = await startChat('victor', 'Victor Vance', 'A question about invoices');
  await page.click(sel('end'));
  await waitText('contact-state', 'you ended it');
  await page.locator(sel('wrapup')).waitFor();
  assert.equal(await page.inputValue(sel('wrapup-disposition')), '', 'a fresh wrap-up for each contact');
  assert.equal(await page.inputValue(sel('wrapup-note')), '');
  await page.click(sel('contact-close'));
  await page.locator(`${sel('contact-tab')}[data-contact-id="${chats.victor.id}"]`).waitFor({ state: 'detached' });
  assert.deepEqual(await notesOf(chats.victor.id), []);
  assert.equal(await dispositionOf(chats.victor.id), null);
  await assertNoAlert();
});

test('the history search filters by name, email and loaded transcript text, from the keyboard', async () => {
  const items = () => page.locator(sel('history-item'));
  await waitFor(async () => (await items().count()) >= 4, { message: 'history lists 2 calls and 2 chats' });
  const all = await items().count();
  const ids = async () => items().evaluateAll((lis) => lis.map((li) => li.dataset.contactId));

  // Reached by keyboard: Tab from the box before it lands in the search box.
  await page.focus(sel('adhoc-create'));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.c2cPart), 'history-search');
  await page.keyboard.type('ursula');
  await waitFor(async () => (await ids()).join() === chats.ursula.id, { message: 'the name matches one' });
  assert.equal(await text('history-count'), `1 of ${all} contacts match.`);

  await page.fill(sel('history-search'), 'VICTOR@example');
  await waitFor(async () => (await ids()).join() === chats.victor.id, { message: 'the email matches one' });

  await page.fill(sel('history-search'), 'parcel arrived');
  await waitFor(async () => (await ids()).join() === chats.ursula.id, { message: 'words of the transcript match' });
  // The match opens from the keyboard; its wrap-up is in its history as a private note.
  await page.focus(sel('history-search'));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.c2cPart), 'history-refresh');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.c2cPart), 'history-open');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${sel('contact')}[data-contact-id="${chats.ursula.id}"]`);
  await waitText('private-note-text', 'Refund issued');
  await waitText('wrapup-saved', 'Closed as: Resolved');
  assert.equal(await page.locator(sel('wrapup')).isVisible(), false, 'no wrap-up for a history entry');
  await page.click(sel('contact-close'));

  await page.fill(sel('history-search'), 'nothing like this');
  await waitText('history-count', 'No contact matches.');
  assert.equal(await items().count(), 0);

  // Escape-free clearing: an empty box shows everything again, without a count.
  await page.fill(sel('history-search'), '');
  await waitFor(async () => (await items().count()) === all, { message: 'all entries again' });
  assert.equal(await text('history-count'), '');
  await assertNoAlert();
});

test('nothing left loopback and the page threw nothing', async () => {
  assertNoNonLoopback(context);
  assert.deepEqual(pageErrors, []);
});
