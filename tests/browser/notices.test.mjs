// Service notices in real browsers against the real server: an admin's notice reaches visitors on matching pages
// as plain text and leaves live when deleted, the widget stays usable under it, and the console shows notices to
// agents and lets an admin manage them. Each test starts its own server and browser. node --test tests/browser/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, root, signIn, startServer } from './lib/server.mjs';
import { connectAgent, launchBrowser, until } from './lib/visitor-agent.mjs';

const HTML_TEXT = '<b>Payments</b> delayed <img src=x onerror=alert(1)>';
mkdirSync(artifacts, { recursive: true });

/** Starts a server and a browser for one test, and stops both however the test ends. */
async function withSetup(t, f) {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close().catch(() => {}));
  await f(server.url, browser);
}

/** The notices API as the demo admin. */
async function admin(url) {
  const cookie = await signIn(url);
  const call = async (method, path = '', body) => {
    const res = await fetch(`${url}/api/sites/demo/notices${path}`, {
      method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return {
    post: async notice => { const r = await call('POST', '', notice); assert.equal(r.status, 201, JSON.stringify(r.body)); return r.body; },
    remove: async id => assert.equal((await call('DELETE', `/${id}`)).status, 204),
    list: async () => (await call('GET')).body.notices,
  };
}

/**
 * A new visitor (fresh storage) on a demo page, with console errors, uncaught exceptions and dialogs collected.
 * The demo checkout sends an empty cart back to cart.html, so its visitors bring a lamp in their cart.
 */
async function visit(browser, url, path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => { if (!localStorage.getItem('demo-shop-cart')) localStorage.setItem('demo-shop-cart', '{"LAMP-01":1}'); });
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(e.message));
  page.on('dialog', d => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(url + path);
  await until(() => page.evaluate(() => localStorage.getItem('livechat:demo:token')), `the widget on ${path} to connect`);
  assert.equal(new URL(page.url()).pathname, path, 'the visitor stays on the page');
  return { context, page, errors };
}

const w = (page, selector) => page.locator(`livechat-widget ${selector}`);
/** What the widget's notices contain: their text, and how many elements the text produced (none, if it stayed text). */
const notes = page => page.evaluate(() => [...(document.querySelector('livechat-widget')?.shadowRoot?.querySelectorAll('.note') ?? [])]
  .map(n => ({ text: n.querySelector('p')?.textContent, elements: n.querySelectorAll('p *').length, injected: n.querySelectorAll('b, img').length })));

/** A signed-in console page (through the form); failed requests are listed by method and path. */
async function consolePage(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  page.on('dialog', d => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  page.on('response', r => { if (r.status() >= 400) errors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
  await page.goto(`${url}/agent`);
  await page.waitForURL(/\/agent\/login/, { timeout: 10_000 });
  await page.fill('input[name=agentId]', 'demo');
  await page.fill('input[name=password]', 'demo');
  await Promise.all([page.waitForURL(/\/agent$/, { timeout: 10_000 }), page.click('button[type=submit]')]);
  await page.waitForSelector('.conn.connected', { timeout: 15_000 });
  return { page, errors, context };
}

test('a notice reaches visitors on matching pages as text, leaves live when deleted, and never blocks chat, callback or phone', async t => {
  await withSetup(t, async (url, browser) => {
    const agent = await connectAgent(url);
    t.after(() => agent.stop().catch(() => {}));
    await agent.online(5);
    const api = await admin(url);
    const checkout = await visit(browser, url, '/demo/checkout.html');
    const home = await visit(browser, url, '/demo/index.html');

    const notice = await api.post({ text: HTML_TEXT, severity: 'outage', pageMatches: '/demo/checkout*', link: 'https://status.example.com/' });
    await w(checkout.page, '.note').waitFor({ state: 'visible', timeout: 10_000 });
    const [shown] = await notes(checkout.page);
    assert.equal(shown.text, `${HTML_TEXT}More`, 'the text as written, then the link');
    assert.equal(shown.injected, 0, 'no <b> or <img> came out of the text');
    assert.equal(shown.elements, 1, 'the only element in the notice is its "More" link');
    await checkout.page.screenshot({ path: join(artifacts, 'widget-notice.png'), animations: 'disabled' });

    // The home page is not /demo/checkout*: give its push the same time the checkout page needed, and some.
    await new Promise(r => setTimeout(r, 1000));
    assert.deepEqual(await notes(home.page), [], 'a visitor on /demo/index.html sees no notice');

    // Under the notice, every way to reach the shop still works: the launcher takes the click, then each tab.
    await w(checkout.page, 'button.launch').click({ timeout: 5000 });
    await w(checkout.page, '.panel').waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await w(checkout.page, '.panel .note').count(), 1, 'inside the open panel the notice sits at the top');
    await w(checkout.page, 'textarea[aria-label="Type your message"]').fill('Is my order safe?', { timeout: 5000 });
    assert.equal(await w(checkout.page, '.ft a[href="tel:+15550100"]').isVisible(), true, 'the phone number');
    await checkout.page.screenshot({ path: join(artifacts, 'widget-notice-open.png'), animations: 'disabled' });
    await w(checkout.page, '[role=tab]:has-text("Call me back")').click({ timeout: 5000 });
    await w(checkout.page, 'input[name=phone]').fill('+44 20 7946 0000', { timeout: 5000 });
    await w(checkout.page, '[role=tab]:has-text("Chat")').click({ timeout: 5000 });
    await w(checkout.page, 'button.send').click({ timeout: 5000 });
    // The first message goes with StartChat: the agent gets it with the conversation.
    await until(() => agent.events.some(([n, a]) => n === 'ConversationAssigned' && a.conversation.messages.some(m => m.from === 'visitor' && m.text === 'Is my order safe?')),
      'the chat with the visitor\'s first words');

    await api.remove(notice.noticeId);
    await until(async () => (await notes(checkout.page)).length === 0, 'the notice to leave the checkout page');
    assert.deepEqual(checkout.errors, []);
    assert.deepEqual(home.errors, []);
    await checkout.context.close();
    await home.context.close();
  });
});

test('the console shows notices to agents, and the admin posts, edits and deletes one with the server\'s error in place', async t => {
  await withSetup(t, async (url, browser) => {
    const api = await admin(url);
    const posted = await api.post({ text: HTML_TEXT, severity: 'outage', pageMatches: '/demo/checkout*' });
    const { page, errors, context } = await consolePage(browser, url);

    // The strip under the top bar, for every view.
    const strip = page.locator('#notice-strip');
    await strip.locator(`[data-notice="${posted.noticeId}"]`).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await strip.locator('.text').textContent(), HTML_TEXT);
    assert.equal(await strip.locator('b, img').count(), 0, 'the text stayed text');
    assert.equal(await strip.locator('.where').textContent(), '/demo/checkout*');
    assert.equal(await strip.locator('.sev').textContent(), 'Outage');
    assert.equal(await strip.locator('.until').textContent(), 'no expiry');

    // The manager in the supervisor view, with the notice and its stats.
    await page.click('nav.views button[data-view=supervisor]');
    const table = page.locator('#notices-table');
    await table.locator(`tr[data-notice="${posted.noticeId}"]`).waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await table.locator(`tr[data-notice="${posted.noticeId}"] td.text`).textContent(), HTML_TEXT);

    // A bad link: the server's message, naming the field, shows above the form; nothing is created.
    await page.fill('#notice-text', 'Deliveries to the islands take two extra days.');
    await page.selectOption('#notice-severity', 'info');
    await page.fill('#notice-pages', '/demo/cart*');
    await page.fill('#notice-link', 'javascript:alert(1)');
    await page.click('#notice-save');
    const error = page.locator('#notice-error');
    await error.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await error.textContent(), /^link\b/, 'the message names the field');
    assert.equal(await page.getAttribute('#notice-link', 'aria-invalid'), 'true', 'and that field is marked');
    assert.equal((await api.list()).length, 1);
    await page.locator('#notices-card').screenshot({ path: join(artifacts, 'console-notice-error.png'), animations: 'disabled' });

    // Fixed, it is created; the form empties and both the table and the strip show it.
    const expires = new Date(Date.now() + 2 * 86_400_000);
    const local = new Date(expires.getTime() - expires.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await page.fill('#notice-link', 'https://status.example.com/islands');
    await page.fill('#notice-expires', local);
    await page.click('#notice-save');
    await until(async () => (await api.list()).length === 2, 'the new notice on the server');
    const created = (await api.list()).find(n => n.noticeId !== posted.noticeId);
    assert.equal(created.text, 'Deliveries to the islands take two extra days.');
    assert.equal(created.severity, 'info');
    assert.equal(created.pageMatches, '/demo/cart*');
    assert.equal(created.link, 'https://status.example.com/islands');
    assert.equal(created.expiresAt.slice(0, 16), new Date(local).toISOString().slice(0, 16));
    await table.locator(`tr[data-notice="${created.noticeId}"]`).waitFor({ state: 'visible', timeout: 5000 });
    await strip.locator(`[data-notice="${created.noticeId}"]`).waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await error.isVisible(), false);
    assert.equal(await page.getAttribute('#notice-link', 'aria-invalid'), null);
    assert.equal(await page.inputValue('#notice-text'), '');

    // A visitor on a matching page is counted as having seen it; the figures come with the next refresh.
    const visitor = await visit(browser, url, '/demo/cart.html');
    await w(visitor.page, '.note').waitFor({ state: 'visible', timeout: 10_000 });
    const seen = table.locator(`tr[data-notice="${created.noticeId}"] td.num`).first();
    await until(async () => {
      await page.click('nav.views button[data-view=supervisor]'); // re-entering the view refreshes the notices
      return (await seen.textContent()) === '1';
    }, 'the "seen" figure');
    await visitor.context.close();

    // Edit: the form fills with the notice; saving replaces it.
    await table.locator(`tr[data-notice="${created.noticeId}"] button:has-text("Edit")`).click();
    assert.equal(await page.inputValue('#notice-text'), 'Deliveries to the islands take two extra days.');
    assert.equal(await page.inputValue('#notice-expires'), local);
    await page.selectOption('#notice-severity', 'warning');
    await page.click('#notice-save');
    await until(async () => (await api.list()).find(n => n.noticeId === created.noticeId)?.severity === 'warning', 'the edit on the server');
    await table.locator(`tr[data-notice="${created.noticeId}"] .sev.warning`).waitFor({ state: 'visible', timeout: 5000 });
    await page.locator('#notices-card').screenshot({ path: join(artifacts, 'console-notices-manager.png'), animations: 'disabled' });
    await page.screenshot({ path: join(artifacts, 'console-notices.png'), animations: 'disabled' });

    // Delete, through the UI: gone from the server, the table and the strip.
    await table.locator(`tr[data-notice="${posted.noticeId}"] button:has-text("Delete")`).click();
    await table.locator(`tr[data-notice="${posted.noticeId}"]`).waitFor({ state: 'detached', timeout: 5000 });
    await strip.locator(`[data-notice="${posted.noticeId}"]`).waitFor({ state: 'detached', timeout: 5000 });
    assert.deepEqual((await api.list()).map(n => n.noticeId), [created.noticeId]);

    assert.deepEqual(errors, ['400 POST /api/sites/demo/notices'], 'the refused post is the only failed request');
    await context.close();
  });
});

// Not about notices, but shipped with them: the console asks the server for the agent's open chats on connect.
test('a console on a new device picks up the chats the agent already has open', async t => {
  await withSetup(t, async (url, browser) => {
    const first = await consolePage(browser, url);
    const signalr = await import(join(root, 'widget', 'node_modules', '@microsoft', 'signalr', 'dist', 'cjs', 'index.js'));
    const visitor = new signalr.HubConnectionBuilder().withUrl(`${url}/hubs/visitor?site=demo`).configureLogging(signalr.LogLevel.None).build();
    t.after(() => visitor.stop().catch(() => {}));
    await visitor.start();
    await visitor.invoke('Hello', { visitorId: null, token: null, page: { url: `${url}/demo/cart.html`, title: 'Cart' } });
    await visitor.invoke('StartChat', { text: 'Where is my parcel?' });
    await first.page.locator('.chat-item', { hasText: 'Where is my parcel?' }).waitFor({ state: 'visible', timeout: 10_000 });

    // A second browser profile: nothing in its localStorage, so only the server can tell it about the chat.
    const second = await consolePage(browser, url);
    await second.page.locator('.chat-item', { hasText: 'Where is my parcel?' }).waitFor({ state: 'visible', timeout: 10_000 });
    await second.page.locator('.chat-view .log, .chat-view', { hasText: 'Where is my parcel?' }).first().waitFor({ state: 'visible', timeout: 5000 });
    assert.deepEqual(first.errors, []);
    assert.deepEqual(second.errors, []);
    await first.context.close();
    await second.context.close();
  });
});
