// The widget in the visitor's language (issue 20): Dutch from the host page's <html lang>, English by data-lang on a
// Dutch page, a rule's text per language, a system message ("… joined") in Dutch; screenshots of the Dutch widget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startServer, artifacts } from './lib/server.mjs';
import { shopWithAgent } from './lib/shop.mjs';
import { until } from './lib/visitor-agent.mjs';

let fixture, server, browser, agent;

before(async () => {
  // Host pages on another loopback origin: /shop/<lang>[?data-lang=xx] has <html lang="<lang>">.
  fixture = await shopWithAgent({
    rules: [{
      id: 't-lang', situation: 'Testing', when: { pageMatches: '/shop/*', timeOnPageSeconds: 1 },
      then: { text: { nl: 'Vragen over onze rentes?', en: 'Questions about our rates?' }, offers: ['chat', 'callback'] },
      onlyIfAgentAvailable: false, maxPerVisit: 1,
    }],
    page: (u, s) => {
      const lang = u.pathname.split('/')[2] || '';
      const dataLang = u.searchParams.get('data-lang');
      return `<!doctype html><html lang="${lang}"><title>Winkel</title><link rel="icon" href="data:,"><h1>Winkel</h1>` +
        `<script src="${s.url}/widget.js" data-site="demo"${dataLang ? ` data-lang="${dataLang}"` : ''} async></script></html>`;
    },
  });
  ({ server, browser, agent } = fixture);
});

after(() => fixture?.stop());

/** A new visitor whose browser prefers English (so only the page or data-lang can make it Dutch). */
const visit = (path, options) => fixture.visit(path, options);

const w = (page, selector) => page.locator(`livechat-widget ${selector}`);
const connected = page => until(() => page.evaluate(() => localStorage.getItem('livechat:demo:token')), 'the widget to connect');

test('a Dutch page gets the Dutch widget, with lang="nl" on its root, and the rule\'s Dutch text', async () => {
  const { context, page, errors } = await visit('/shop/nl');
  try {
    await connected(page);
    assert.equal(await w(page, '.lc').getAttribute('lang'), 'nl');
    const card = w(page, '.card');
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await card.locator('.say').textContent(), 'Vragen over onze rentes?');
    assert.equal(await card.locator('.btn.p').textContent(), 'Nu chatten');
    await page.screenshot({ path: join(artifacts, 'widget-nl-invitation.png') });
    await w(page, 'button.launch').click();
    assert.equal(await w(page, '[role=tab]').first().textContent(), 'Chat');
    assert.deepEqual(await w(page, '[role=tab]').allTextContents(), ['Chat', 'Bel mij terug', 'Laat een bericht achter']);
    assert.equal(await w(page, '#lc-title').textContent(), 'Chat met ons');
    assert.equal(await w(page, '.compose textarea').getAttribute('placeholder'), 'Typ je bericht…');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('data-lang="en" on a Dutch page keeps the widget and the rule text in English', async () => {
  const { context, page, errors } = await visit('/shop/nl?data-lang=en', { locale: 'nl-NL' });
  try {
    await connected(page);
    assert.equal(await w(page, '.lc').getAttribute('lang'), 'en');
    const card = w(page, '.card');
    await card.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await card.locator('.say').textContent(), 'Questions about our rates?');
    await w(page, 'button.launch').click();
    assert.deepEqual(await w(page, '[role=tab]').allTextContents(), ['Chat', 'Call me back', 'Leave a message']);
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('a page without lang follows the browser: German from navigator.languages', async () => {
  const { context, page } = await visit('/shop/', { locale: 'de-DE' });
  try {
    await connected(page);
    assert.equal(await w(page, '.lc').getAttribute('lang'), 'de');
    await w(page, 'button.launch').click();
    assert.equal(await w(page, '#lc-title').textContent(), 'Chatten Sie mit uns');
  } finally { await context.close(); }
});

for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  test(`the agent joining reads in Dutch, times in Dutch format (${name}, screenshot)`, async () => {
    const { context, page, errors } = await visit('/shop/nl', { viewport });
    try {
      await connected(page);
      await w(page, 'button.launch').click();
      const id = await page.evaluate(() => localStorage.getItem('livechat:demo:id'));
      const seen = agent.events.length;
      await w(page, '.compose textarea').fill('Hallo, ik heb een vraag');
      await w(page, '.compose textarea').press('Enter');
      const conversation = await until(() => agent.events.slice(seen).find(([n, a]) => n === 'ConversationAssigned' && a.conversation.visitorId === id)?.[1].conversation, 'the chat to be assigned');
      // On the wire: a code with parameters, and the English for older widgets.
      const joined = conversation.messages.find(m => m.from === 'system');
      assert.equal(joined.code, 'agent.joined');
      assert.ok(joined.params.agent);
      assert.match(joined.text, /joined the chat/);
      await until(async () => (await w(page, '.log .m.system p').allTextContents()).includes(`${joined.params.agent} neemt deel aan de chat.`), 'the Dutch system message');
      await agent.send(conversation.conversationId, 'Goedemiddag, waarmee kan ik helpen?');
      await until(async () => (await w(page, '.log .m.agent').count()) > 0, 'the agent\'s reply');
      assert.match(await w(page, '.log .m.system small').first().textContent(), /^\d\d:\d\d$/, '24-hour Dutch time');
      assert.equal(await w(page, '.hd p').textContent(), 'helpt je graag');
      await page.screenshot({ path: join(artifacts, `widget-nl-chat-${name}.png`) });
      assert.deepEqual(errors, []);
    } finally { await context.close(); }
  });
}

test('when neither page nor browser names a language the widget speaks, it takes the site\'s (LiveChat:Sites:{id}:Language)', async () => {
  const dutchSite = await startServer({
    LiveChat__Sites__winkel__AllowedOrigins__0: 'loopback',
    LiveChat__Sites__winkel__Language: 'nl',
  });
  const page2 = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
    `<!doctype html><html lang="ja"><title>店</title><link rel="icon" href="data:,"><script src="${dutchSite.url}/widget.js" data-site="winkel" async></script></html>`));
  await new Promise(r => page2.listen(0, '127.0.0.1', r));
  const context = await browser.newContext({ locale: 'ja-JP' });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', e => errors.push(e.message));
    await page.goto(`http://localhost:${page2.address().port}/`);
    await until(() => page.evaluate(() => localStorage.getItem('livechat:winkel:token')), 'the widget to connect');
    await until(async () => (await w(page, '.lc').getAttribute('lang')) === 'nl', 'the site\'s language');
    await w(page, 'button.launch').click();
    assert.equal(await w(page, '#lc-title').textContent(), 'Chat met ons');
    assert.equal(await page.locator('livechat-widget').evaluate(e => e.shadowRoot.querySelectorAll('.lc').length), 1, 'one widget, rebuilt in place');
    assert.deepEqual(errors, []);
  } finally { await context.close(); page2.close(); dutchSite.stop(); }
});

test('the catalogs are served precompressed to any origin', async () => {
  const r = await fetch(`${server.url}/widget/lang/nl.json`, { headers: { 'accept-encoding': 'br', origin: 'https://shop.example' } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-encoding'), 'br');
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  assert.equal((await r.json()).tabCallback, 'Bel mij terug');
});
