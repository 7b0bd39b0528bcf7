// widget_styles.test.mjs - the widget's look on real sites, in real Chromium
// against the real edge: under Bootstrap 5 (its Reboot) and under a
// Tailwind-preflight-style reset the buttons, inputs and panel compute the
// same styles as on a bare page; the site still restyles a part with two
// classes and themes with custom properties; and each button role takes the
// site's own classes (data-button-class, data-secondary-class,
// data-danger-class, data-close-class) instead of ours.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoNonLoopback } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';

const { hostPage, part, customer } = widgetSuite();

const BOOTSTRAP = '<link rel="stylesheet" href="/vendor/bootstrap.min.css">';
// What Tailwind's preflight does to buttons and inputs, and the bare
// `button{background:transparent;border:0}` many resets add.
const PREFLIGHT = `<style>
  *, ::before, ::after { box-sizing: border-box; border-width: 0; border-style: solid; border-color: #e5e7eb; }
  button, input { font-family: inherit; font-size: 100%; font-weight: inherit; line-height: inherit;
    color: inherit; margin: 0; padding: 0; }
  button, [type='button'], [type='reset'], [type='submit'] { -webkit-appearance: button;
    background-color: transparent; background-image: none; }
  button { background: transparent; border: 0; border-radius: 0; }
  input { border-radius: 0; }
</style>`;

const PROPS = ['backgroundColor', 'color', 'borderTopWidth', 'borderTopStyle', 'borderTopColor',
  'borderTopLeftRadius', 'paddingTop', 'paddingLeft', 'fontWeight', 'fontSize', 'minHeight', 'cursor'];
const PARTS = ['launcher', 'close', 'chat-start', 'reference-input', 'reference-submit', 'panel'];

// A chat widget on a page with `head`, its panel open; the computed PROPS
// of each of PARTS.
async function looks(head, attrs = '') {
  const token = await customer(`style-${Math.random().toString(36).slice(2, 8)}`);
  const { page, context } = await hostPage(`<div id="w" data-c2c data-token="${token}" ${attrs}></div>`, { head });
  await part(page, 'launcher').click();
  await part(page, 'chat-start').waitFor();
  const styles = {};
  for (const name of PARTS) {
    styles[name] = await part(page, name).evaluate((el, props) => {
      const cs = getComputedStyle(el);
      return Object.fromEntries(props.map((p) => [p, cs[p]]));
    }, PROPS);
  }
  return { styles, page, context };
}

describe('styles that survive real sites', () => {
  test('Bootstrap Reboot and a preflight reset change nothing; the site still restyles', async () => {
    const bare = await looks('');
    assert.equal(bare.styles.launcher.backgroundColor, 'rgb(11, 87, 208)'); // the designed primary
    assert.equal(bare.styles.launcher.borderTopLeftRadius, '10px');
    assert.equal(bare.styles['reference-input'].borderTopWidth, '1px');
    assert.equal(bare.styles.panel.borderTopStyle, 'solid');
    await bare.context.close();
    for (const [name, head] of [['Bootstrap 5', BOOTSTRAP], ['preflight', PREFLIGHT]]) {
      const site = await looks(head);
      for (const p of PARTS) assert.deepEqual(site.styles[p], bare.styles[p], `${p} under ${name}`);
      assertNoNonLoopback(site.context);
      await site.context.close();
    }

    const styled = await looks(`${PREFLIGHT}<style>.c2c .c2c-launcher { background: rgb(1, 2, 3); }</style>`,
      'style="--c2c-color-primary: rgb(9, 8, 7); --c2c-radius: 3px"');
    assert.equal(styled.styles.launcher.backgroundColor, 'rgb(1, 2, 3)'); // two classes win
    assert.equal(styled.styles['chat-start'].backgroundColor, 'rgb(9, 8, 7)'); // custom properties theme
    assert.equal(styled.styles['reference-input'].borderTopLeftRadius, '3px');
    await styled.context.close();
  });

  test('each button role takes its own host classes', async () => {
    const { page, context } = await looks(BOOTSTRAP, `data-button-class="btn btn-primary"
      data-secondary-class="btn btn-secondary" data-danger-class="btn btn-outline-danger"
      data-close-class="btn-close" data-input-class="form-control"`);
    const cls = async (name) => (await part(page, name).getAttribute('class')).split(' ');
    assert.deepEqual(await cls('launcher'), ['c2c-launcher', 'btn', 'btn-primary']);
    assert.deepEqual(await cls('close'), ['c2c-close', 'btn-close']);
    assert.deepEqual(await cls('reference-submit'), ['c2c-reference-submit', 'btn', 'btn-primary']);
    assert.deepEqual(await cls('reference-input'), ['c2c-reference-input', 'c2c-reference-input--digits', 'form-control']);
    await page.mouse.move(0, 0); // no hover colour
    assert.equal(await part(page, 'reference-submit').evaluate((el) => getComputedStyle(el).backgroundColor),
      'rgb(13, 110, 253)'); // Bootstrap's primary, not ours
    assert.equal(await part(page, 'close').evaluate((el) => getComputedStyle(el).backgroundColor),
      'rgba(0, 0, 0, 0)'); // btn-close, not a primary button
    await part(page, 'chat-start').click();
    await part(page, 'chat-end').waitFor();
    assert.deepEqual(await cls('chat-end'), ['c2c-chat-end', 'btn', 'btn-outline-danger']);
    assert.deepEqual(await cls('chat-send'), ['c2c-chat-send', 'btn', 'btn-primary']);
    assertNoNonLoopback(context);
    await context.close();
  });

  test('without host classes each role has our own hook', async () => {
    const { page, context } = await looks('');
    const cls = async (name) => (await part(page, name).getAttribute('class')).split(' ');
    assert.deepEqual(await cls('close'), ['c2c-close', 'c2c-button', 'c2c-button--close']);
    assert.deepEqual(await cls('chat-start'), ['c2c-chat-start', 'c2c-button', 'c2c-button--primary']);
    assert.deepEqual(await cls('reference-input'), ['c2c-reference-input', 'c2c-reference-input--digits', 'c2c-field']);
    await part(page, 'chat-start').click();
    await part(page, 'chat-end').waitFor();
    assert.deepEqual(await cls('chat-end'), ['c2c-chat-end', 'c2c-button', 'c2c-button--danger']);
    await context.close();
  });
});
