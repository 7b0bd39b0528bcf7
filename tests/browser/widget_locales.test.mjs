// widget_locales.test.mjs - every locale in real Chromium. A widget per
// locale (data-locale, or the page's lang) fetches its own locale file and no
// other, and renders its launcher and open panel from it: every text and
// label there is non-empty (a locale missing a text cannot render), in that
// language (the lang attribute, the launcher's text). A locale file with a
// text missing is refused whole: the widget does not mount (c2c:error
// "load") rather than show every later text shifted.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newContext, waitFor } from './harness.mjs';
import { widgetSuite } from './widget_page.mjs';
import { LOCALE } from '../../widget/js/constants.js';

const { env, hostPage, part, customer } = widgetSuite();

const LAUNCHER = {
  en: 'Chat with us', es: 'Chatea con nosotros', fr: 'Discutez avec nous',
  de: 'Chatten Sie mit uns', pt: 'Converse com a gente', ja: 'チャットで問い合わせる',
};

// The texts and labels of every part shown in #id: [part, text] pairs that are empty.
function emptyTexts(page, id) {
  return page.evaluate((sel) => [...document.querySelectorAll(`${sel} [data-c2c-part]`)]
    .filter((el) => !['DIV', 'AUDIO', 'VIDEO'].includes(el.tagName) || !el.children.length)
    .filter((el) => !(el.textContent.trim() || el.getAttribute('aria-label') || el.placeholder))
    .map((el) => el.getAttribute('data-c2c-part')), `#${id}`);
}

describe('locales', () => {
  test('every locale renders complete, from its own file only', async () => {
    assert.deepEqual(Object.keys(LOCALE), Object.keys(LAUNCHER));
    const token = await customer('locales1');
    const tags = Object.keys(LOCALE);
    const { page, context } = await hostPage(tags.map((tag) =>
      `<div id="w-${tag}" data-c2c data-token="${token}" data-locale="${tag}"></div>`).join(''));
    const fetched = [];
    page.on('request', (r) => { if (r.url().endsWith('.txt')) fetched.push(r.url()); });
    for (const tag of tags) {
      const id = `w-${tag}`;
      await part(page, 'launcher', `#${id}`).waitFor();
      assert.equal(await page.locator(`#${id} .c2c`).getAttribute('lang'), tag);
      assert.equal(await part(page, 'launcher', `#${id}`).textContent(), LAUNCHER[tag]);
      await part(page, 'launcher', `#${id}`).click();
      await part(page, 'panel', `#${id}`).waitFor();
      assert.deepEqual(await emptyTexts(page, id), [], tag);
      const start = await part(page, 'chat-start', `#${id}`).textContent();
      assert.ok(start && start !== (tag === 'en' ? '' : 'Start chat'), `${tag}: ${start}`);
    }
    // A page given another lang, mounted by script: its own locale.
    await page.evaluate(() => {
      document.documentElement.lang = 'pt-BR';
      const el = document.createElement('div');
      el.id = 'by-lang';
      document.body.append(el);
      return window.ClickToCall.mount(el, { token: 'x' });
    });
    assert.equal(await part(page, 'launcher', '#by-lang').textContent(), LAUNCHER.pt);
    // Each file once at most (the page had already fetched them all above).
    assert.equal(new Set(fetched).size, fetched.length, fetched.join('\n'));
    await context.close();
  });

  test('only the page\'s locale is downloaded', async () => {
    const token = await customer('locales2');
    const { page, context } = await hostPage('', {});
    const fetched = [];
    page.on('request', (r) => { if (r.url().endsWith('.txt')) fetched.push(new URL(r.url()).pathname); });
    await page.evaluate((t) => {
      const el = document.createElement('div');
      el.setAttribute('data-c2c', '');
      el.setAttribute('data-token', t);
      el.setAttribute('data-locale', 'de-AT');
      document.body.append(el);
    }, token);
    await part(page, 'launcher').waitFor();
    assert.equal(await part(page, 'launcher').textContent(), LAUNCHER.de);
    assert.equal(fetched.length, 1, fetched.join('\n'));
    assert.match(fetched[0], /^\/c2c\.de\.[0-9a-f]{12}\.txt$/);
    await context.close();
  });

  test('a locale file with a text missing is refused whole', async () => {
    const token = await customer('locales3');
    const context = await newContext(env.browser);
    await context.route(/\/c2c\.fr\.[0-9a-f]+\.txt$/, async (route) => {
      const res = await route.fetch();
      const body = await res.body();
      const cut = body.subarray(0, body.lastIndexOf(0, body.length - 2) + 1); // the last text gone
      await route.fulfill({ response: res, body: cut });
    });
    const { page } = await hostPage(`<script>window.errs = [];
      document.addEventListener('c2c:error', (e) => errs.push(e.detail.code));</script>
      <div id="w" data-c2c data-token="${token}" data-locale="fr"></div>`, { context });
    await waitFor(() => page.evaluate(() => window.errs.length > 0), { message: 'an error' });
    assert.deepEqual(await page.evaluate(() => window.errs), ['load']);
    assert.equal(await page.locator('#w [data-c2c-part]').count(), 0);
    await context.close();
  });
});
