// widget_floating.test.mjs - data-layout="floating" in real Chromium against
// the real edge, on a desktop and a phone viewport: the launcher fixed in
// its corner (bottom-right, bottom-left, the site's offsets), the panel
// above it with its header, Escape and close, two floating widgets stacked
// without overlapping (one open panel per corner), the unread count of the
// agent's messages while closed, the open state surviving a reload, and on
// a phone a full-screen sheet that follows the visual viewport; inline in a
// frame.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';

const { env, hostPage, part, customer, agent, acceptNext, say } = widgetSuite();
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 700 };

function box(locator) {
  return locator.boundingBox();
}

function overlap(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('floating layout', () => {
  test('desktop: launcher in the corner, panel above it with a header, stacking, reload', async () => {
    const token = await customer('float1');
    const { page, context } = await hostPage(`<p>page</p>
      <div id="a" data-c2c data-token="${token}" data-layout="floating" style="--c2c-offset-x:30px"></div>
      <div id="b" data-c2c data-token="${token}" data-layout="floating" data-label="Sales"></div>
      <div id="c" data-c2c data-token="${token}" data-layout="floating" data-position="bottom-left"></div>`);
    await page.setViewportSize(DESKTOP);
    const la = part(page, 'launcher', '#a');
    const lb = part(page, 'launcher', '#b');
    const lc = part(page, 'launcher', '#c');
    await la.waitFor(); await lb.waitFor(); await lc.waitFor();
    const [a, b, c] = [await box(la), await box(lb), await box(lc)];
    assert.ok(Math.abs(a.x + a.width - (DESKTOP.width - 30)) <= 1, `a's right edge at the offset: ${JSON.stringify(a)}`);
    assert.ok(Math.abs(a.y + a.height - (DESKTOP.height - 20)) <= 1, 'a at the bottom');
    assert.ok(!overlap(a, b), 'two launchers of one corner do not overlap');
    assert.ok(b.y + b.height <= a.y, 'the second stacks above the first');
    assert.ok(Math.abs(c.x - 20) <= 1, 'bottom-left');
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('#a .c2c')).position), 'fixed');

    await la.click();
    const pa = part(page, 'panel', '#a');
    await pa.waitFor();
    assert.equal(await part(page, 'title', '#a').textContent(), 'Chat with us');
    assert.equal(await part(page, 'close', '#a').isVisible(), true);
    const panel = await box(pa);
    assert.ok(panel.y + panel.height <= b.y + 1, 'the panel sits above every launcher of its corner');
    assert.ok(!overlap(panel, a) && !overlap(panel, b));

    await lb.click(); // one open panel per corner
    await part(page, 'panel', '#b').waitFor();
    await pa.waitFor({ state: 'detached' });
    await lc.click(); // the other corner's panel may stay open alongside
    await part(page, 'panel', '#c').waitFor();
    assert.ok(!overlap(await box(part(page, 'panel', '#b')), await box(part(page, 'panel', '#c'))));

    await page.reload(); // the open states survive
    await part(page, 'panel', '#b').waitFor();
    await part(page, 'panel', '#c').waitFor();
    assert.equal(await part(page, 'panel', '#a').count(), 0);
    await page.keyboard.press('Escape'); // nothing focused in a widget: stays
    await part(page, 'close', '#b').click();
    await part(page, 'panel', '#b').waitFor({ state: 'detached' });
    await page.reload();
    await part(page, 'panel', '#c').waitFor();
    assert.equal(await part(page, 'panel', '#b').count(), 0);
    await context.close();
  });

  test('the unread count on the launcher while the panel is closed', async () => {
    const token = await customer('float2');
    const agentToken = await agent('agent-float2');
    const { page, context } = await hostPage(`<div id="w" data-c2c data-token="${token}" data-layout="floating"></div>`);
    await page.setViewportSize(DESKTOP);
    await part(page, 'launcher').click();
    await part(page, 'chat-start').click();
    const { token: pt } = await acceptNext(agentToken, 'CHAT', 'float2');
    await waitFor(async () => (await part(page, 'status').getAttribute('class')).includes('connected'), { message: 'connected' });
    await page.keyboard.press('Escape');
    await part(page, 'panel').waitFor({ state: 'detached' });
    await say(pt, 'one');
    await say(pt, 'two');
    await waitFor(async () => (await part(page, 'unread').count()) && (await part(page, 'unread').textContent()) === '2',
      { message: 'two unread' });
    assert.equal(await part(page, 'launcher').getAttribute('aria-label'), 'Chat with us (2 unread)');
    const l = await box(part(page, 'launcher'));
    const u = await box(part(page, 'unread'));
    assert.ok(overlap(l, u), 'the badge sits on the launcher');
    await part(page, 'launcher').click();
    await part(page, 'unread').waitFor({ state: 'detached' });
    await part(page, 'chat-end').click();
    await part(page, 'end-yes').click();
    await context.close();
  });

  test('in a frame (data-isolation="iframe") the widget stays inline, with a warning', async () => {
    const token = await customer('float4');
    const { page, context, warnings } = await hostPage(
      `<div id="w" data-c2c data-token="${token}" data-layout="floating" data-isolation="iframe"></div>`);
    const frame = page.frameLocator('#w iframe');
    await frame.locator('[data-c2c-part="launcher"]').waitFor();
    assert.equal(await frame.locator('.c2c--floating').count(), 0);
    assert.ok(warnings.some((w) => w.includes('needs the page')), warnings.join('|'));
    await context.close();
  });

  test('phone: a full-screen sheet that follows the visual viewport', async () => {
    const token = await customer('float3');
    const { page, context } = await hostPage(`<div id="w" data-c2c data-token="${token}" data-layout="floating"></div>`);
    await page.setViewportSize(PHONE);
    await part(page, 'launcher').click();
    const sheet = part(page, 'panel');
    await sheet.waitFor();
    const s = await box(sheet);
    assert.deepEqual([s.x, s.y, s.width, Math.round(s.height)], [0, 0, PHONE.width, PHONE.height]);
    assert.equal(await part(page, 'launcher').isVisible(), false, 'the sheet covers the launcher');
    // The on-screen keyboard shrinks the visual viewport: the sheet follows.
    await page.evaluate(() => {
      Object.defineProperty(window.visualViewport, 'height', { value: 400, configurable: true });
      window.visualViewport.dispatchEvent(new Event('resize'));
    });
    await waitFor(async () => Math.round((await box(sheet)).height) === 400, { message: 'the sheet above the keyboard' });
    await part(page, 'close').click();
    await sheet.waitFor({ state: 'detached' });
    assert.equal(await part(page, 'launcher').isVisible(), true);
    await context.close();
  });
});
