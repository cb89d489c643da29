// Consent first: a host page on another origin with data-consent="required" (and a site with
// LiveChat:Sites:{id}:ConsentRequired and no attribute). Before LiveChat.consent(true) the widget opens no WebSocket,
// calls no hub and writes no localStorage, sessionStorage or cookie, yet its launcher and the site's phone number are
// there; after consent a short visible-time rule invites; consent(false) closes the socket and empties storage; a
// visitor who sends a message without consent connects that chat, which continues on the next page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, artifacts } from './lib/server.mjs';
import { shopWithAgent } from './lib/shop.mjs';
import { until } from './lib/visitor-agent.mjs';

const LINGER_SECONDS = 2;
let fixture, server, euServer, browser, agent;

before(async () => {
  // A site that requires consent by its setting alone; it has no agents, which the test does not need.
  euServer = await startServer({
    LiveChat__Sites__eu__AllowedOrigins__0: 'loopback',
    LiveChat__Sites__eu__ConsentRequired: 'true',
    LiveChat__Sites__eu__PhoneNumber: '+31 20 555 0100',
  });
  // The shop: /eu-shop/<page>?server=demo|eu&consent=required
  fixture = await shopWithAgent({
    rules: [{
      id: 't-consent', situation: 'Testing', when: { pageMatches: '/eu-shop/*', timeOnPageSeconds: LINGER_SECONDS },
      then: { text: 'Can we help you choose?', offers: ['chat', 'phone'] }, onlyIfAgentAvailable: false, maxPerVisit: 1,
    }],
    page: (u, demo) => {
      const eu = u.searchParams.get('server') === 'eu';
      const consent = u.searchParams.get('consent') ? ` data-consent="${u.searchParams.get('consent')}"` : '';
      return `<!doctype html><html lang="en"><title>EU shop</title>
<link rel="icon" href="data:,"><meta name="viewport" content="width=device-width,initial-scale=1">
<h1>EU shop</h1><p>${u.pathname}</p>
<script>window.LiveChat = window.LiveChat || { q: [], track: function () { this.q.push(arguments); }, consent: function (v) { this.c = v; } };</script>
<script src="${eu ? euServer.url : demo.url}/widget.js" data-site="${eu ? 'eu' : 'demo'}"${consent} async></script>`;
    },
  });
  ({ server, browser, agent } = fixture);
});

after(async () => {
  await fixture?.stop();
  euServer?.stop();
});

const shopPath = (path, query = 'consent=required') => `/eu-shop/${path}?${query}`;
const shopUrl = (path, query) => fixture.url(shopPath(path, query));

/** A new visitor on the shop with every WebSocket and request recorded. */
const visit = (path, query, { viewport } = {}) => fixture.visit(shopPath(path, query), { viewport });

const w = (page, selector) => page.locator(`livechat-widget ${selector}`);
/** Everything this page's origin and the browser context keep: storage keys and cookies. */
async function stored(page) {
  const inPage = await page.evaluate(() => ({ local: Object.keys(localStorage), session: Object.keys(sessionStorage), cookie: document.cookie }));
  return { ...inPage, cookies: (await page.context().cookies()).map(c => c.name) };
}
const nothingStored = { local: [], session: [], cookie: '', cookies: [] };
const hubCalls = requests => requests.filter(u => u.includes('/hubs/'));

test('before consent: no socket, no hub request, no storage; launcher and phone shown; after consent(true) the visible-time rule invites', async () => {
  const { context, page, sockets, requests, errors } = await visit('index.html');
  try {
    await w(page, 'button.launch').waitFor({ state: 'visible' });
    await page.waitForTimeout((LINGER_SECONDS + 1) * 1000); // longer than the rule: nothing may happen
    assert.equal(sockets.length, 0, 'no WebSocket before consent');
    assert.deepEqual(hubCalls(requests), [], 'no negotiate or long polling before consent');
    assert.deepEqual(requests.filter(u => u.startsWith(server.url)).map(u => new URL(u).pathname), ['/widget.js', '/api/widget/demo'],
      'only the script and the public site settings');
    assert.deepEqual(await stored(page), nothingStored);
    assert.equal(await w(page, '.card').isVisible(), false);

    // Help is never hidden: the panel opens with the phone number, still without a connection.
    await w(page, 'button.launch').click();
    await w(page, '.panel').waitFor({ state: 'visible' });
    assert.equal(await w(page, '.ft a[href^="tel:"]').getAttribute('href'), 'tel:+15550100');
    assert.match(await w(page, '.hint').innerText(), /Sending a message starts a chat/);
    assert.doesNotMatch(await w(page, '#lc-title + p').innerText(), /Connecting/);
    await page.screenshot({ path: join(artifacts, 'consent-pending.png'), animations: 'disabled' });
    await w(page, 'button.launch').click();
    assert.equal(sockets.length, 0, 'opening the panel is not consent');
    assert.deepEqual(await stored(page), nothingStored, 'opening the panel stores nothing');

    const since = Date.now();
    await page.evaluate(() => window.LiveChat.consent(true));
    await until(() => sockets.length === 1, 'the WebSocket after consent');
    await w(page, '.card').waitFor({ state: 'visible', timeout: (LINGER_SECONDS + 10) * 1000 });
    assert.ok(Date.now() - since >= LINGER_SECONDS * 1000 - 500, `visible time counts from consent (${Date.now() - since} ms)`);
    assert.match(await w(page, '.card').innerText(), /Can we help you choose\?/);
    assert.ok((await stored(page)).local.includes('livechat:demo:token'), 'after consent the visitor token is kept');
    await page.screenshot({ path: join(artifacts, 'consent-granted-invitation.png'), animations: 'disabled' });
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('consent(false) closes the socket and removes everything the widget stored; the next page waits again', async () => {
  const { context, page, sockets, errors } = await visit('product.html');
  try {
    await page.evaluate(() => window.LiveChat.consent(true));
    await until(async () => (await stored(page)).local.includes('livechat:demo:token'), 'the widget to connect and store its token');
    await w(page, 'button.launch').click(); // one more key: the panel's open state
    await until(async () => (await stored(page)).local.includes('livechat:demo:open'), 'the open state to be kept');

    await page.evaluate(() => window.LiveChat.consent(false));
    await until(() => sockets[0].isClosed(), 'the WebSocket to close');
    assert.deepEqual(await stored(page), nothingStored);
    await w(page, 'button.launch').click();
    await w(page, 'button.launch').click();
    assert.deepEqual(await stored(page), nothingStored, 'nothing is written after withdrawal either');

    await page.reload();
    await w(page, 'button.launch').waitFor({ state: 'visible' });
    await page.waitForTimeout(1000);
    assert.equal(sockets.length, 1, 'after a reload without consent no new socket');
    assert.deepEqual(await stored(page), nothingStored);
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('a visitor who sends a message without consent connects that chat, which continues on the next page', async () => {
  const { context, page, sockets, errors } = await visit('help.html');
  try {
    await w(page, 'button.launch').click();
    await w(page, '.compose textarea').fill('Do you ship to Belgium?');
    const seen = agent.events.length;
    await w(page, '.compose textarea').press('Enter');
    await until(() => sockets.length === 1, 'the chat to connect');
    const conversation = await until(() => agent.events.slice(seen).find(([n, a]) => n === 'ConversationAssigned'
      && a.conversation.messages.some(m => m.text === 'Do you ship to Belgium?'))?.[1].conversation, 'the chat to reach the agent');
    await agent.send(conversation.conversationId, 'Yes, in two days.');
    await until(async () => (await w(page, '.log .m').allTextContents()).some(t => t.startsWith('Yes, in two days.')), 'the reply');
    assert.ok((await stored(page)).local.includes('livechat:demo:token'), 'the chat keeps what it needs');

    // The next page, still without the page's consent: the started chat goes on.
    await page.goto(shopUrl('other.html'));
    await until(() => sockets.length === 2, 'the chat to reconnect on the next page');
    await until(async () => (await w(page, '.log .m').allTextContents()).some(t => t.startsWith('Yes, in two days.')), 'the chat on the next page');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('leaving a message without consent is consent to that request: it connects and gets a reference', async () => {
  const { context, page, sockets, errors } = await visit('contact.html');
  try {
    await w(page, 'button.launch').click();
    await w(page, '#lc-t-message').click();
    assert.equal(sockets.length, 0, 'the forms are there before any connection');
    await w(page, '#lc-p-message input[name=email]').fill('anna@example.nl');
    await w(page, '#lc-p-message textarea[name=text]').fill('Please send me the brochure.');
    await w(page, '#lc-p-message button[type=submit]').click();
    await until(async () => /LC-[0-9A-Z]{5}/.test(await w(page, '#lc-p-message').innerText()), 'the reference');
    assert.equal(sockets.length, 1);
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('the site setting ConsentRequired alone keeps the widget quiet; the public settings are cacheable and carry the phone number', async () => {
  const res = await fetch(`${euServer.url}/api/widget/eu`, { headers: { origin: new URL(fixture.url('/')).origin } });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { consentRequired: true, phoneNumber: '+31 20 555 0100' });
  assert.match(res.headers.get('cache-control'), /public, max-age=\d+/);
  assert.equal(res.headers.get('set-cookie'), null);
  assert.equal((await fetch(`${euServer.url}/api/widget/nope`)).status, 404);

  const { context, page, sockets, requests, errors } = await visit('index.html', 'server=eu', { viewport: { width: 390, height: 780 } });
  try {
    await w(page, 'button.launch').click();
    await w(page, '.ft a[href^="tel:"]').waitFor({ state: 'visible' });
    assert.equal(await w(page, '.ft a[href^="tel:"]').getAttribute('href'), 'tel:+31205550100');
    await page.waitForTimeout(1000);
    assert.equal(sockets.length, 0);
    assert.deepEqual(hubCalls(requests), []);
    assert.deepEqual(await stored(page), nothingStored);
    await page.screenshot({ path: join(artifacts, 'consent-site-setting-390.png'), animations: 'disabled' });
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});
