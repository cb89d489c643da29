// The console's language: the agent switches to Dutch, a reload (and another device) keeps it, since it is stored with
// their status on the server; dates, numbers and money follow the agent's locale, money in the site's currency
// (the demo site's LiveChat:Sites:demo:Currency is GBP).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, launchChromium, root, startServer } from './lib/server.mjs';

const signalr = await import(join(root, 'widget', 'node_modules', '@microsoft', 'signalr', 'dist', 'cjs', 'index.js'));
let server, browser, visitor;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
});

after(async () => {
  await visitor?.stop().catch(() => {});
  await browser?.close().catch(() => {});
  server?.stop();
});

async function until(what, f, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await f().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

/** A browser context (a device) signed in to the console; its browser prefers English either way. */
async function consolePage(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: 'en-GB' });
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(`${server.url}/agent`);
  await page.waitForURL(/\/agent\/login/);
  await page.fill('input[name=agentId]', 'demo');
  await page.fill('input[name=password]', 'demo');
  await Promise.all([page.waitForURL(/\/agent$/), page.click('button[type=submit]')]);
  await page.waitForSelector('.conn.connected');
  return { context, page, errors };
}

test('the agent switches the console to Dutch; a reload and another device stay Dutch; money is in the site\'s currency', async () => {
  const { context, page, errors } = await consolePage();
  try {
    assert.equal(await page.textContent('#sign-out'), 'Sign out');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');

    // A visitor with a cart, chatting, so both the live list and the chat's context show money.
    visitor = new signalr.HubConnectionBuilder().withUrl(`${server.url}/hubs/visitor?site=demo`).configureLogging(signalr.LogLevel.None).build();
    await visitor.start();
    const hello = await visitor.invoke('Hello', { visitorId: null, token: null, page: { url: 'http://127.0.0.1/demo/cart.html', title: 'Cart' } });
    await visitor.invoke('Track', { name: 'cart_add', properties: { sku: 'TV-55', price: 1249.5, quantity: 1 } });
    const row = page.locator(`tr[data-visitor="${hello.visitorId}"]`);
    await until('the cart value in pounds', async () => (await row.locator('td.cart div').first().textContent()) === '£1,249.50');

    await page.screenshot({ path: join(artifacts, 'console-english.png') });
    await page.selectOption('#console-lang', 'nl');
    await page.waitForSelector('.conn.connected');
    await until('the console in Dutch', async () => (await page.textContent('#sign-out')) === 'Afmelden');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'nl');
    assert.equal(await page.inputValue('#console-lang'), 'nl');
    await until('the cart value in Dutch notation', async () =>
      (await row.locator('td.cart div').first().textContent()).replace(/\s/g, ' ') === '£ 1.249,50');
    assert.match(await page.textContent('.visitors-view h1'), /Bezoekers nu/);

    await visitor.invoke('StartChat', { text: 'Is de tv op voorraad?' });
    await page.locator('#chats .chat-item').first().click();
    await until('the chat\'s cart in pounds, Dutch notation', async () =>
      (await page.textContent('#context-cart')).replace(/\s/g, ' ') === '£ 1.249,50 (1 artikel)');
    assert.match(await page.textContent('#transcript'), /\d{2}:\d{2}/, 'times in the agent\'s locale');
    await page.screenshot({ path: join(artifacts, 'console-dutch.png') });

    await page.click('nav.views button[data-view=supervisor]');
    await until('the supervisor view in Dutch', async () => /Uitnodigingen per situatie/.test(await page.textContent('.supervisor')));
    await page.screenshot({ path: join(artifacts, 'console-dutch-supervisor.png') });

    await page.reload();
    await page.waitForSelector('.conn.connected');
    assert.equal(await page.textContent('#sign-out'), 'Afmelden', 'a reload stays Dutch');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }

  // Another device, signed in fresh: the language came from the server, not this browser's storage.
  const phone = await consolePage({ width: 390, height: 844 });
  try {
    assert.equal(await phone.page.textContent('#sign-out'), 'Afmelden');
    await phone.page.screenshot({ path: join(artifacts, 'console-dutch-390.png') });
    // Back to English for whoever uses this server next.
    await phone.page.selectOption('#console-lang', 'en');
    await until('the console in English again', async () => (await phone.page.textContent('#sign-out')) === 'Sign out');
    assert.deepEqual(phone.errors, []);
  } finally { await phone.context.close(); }
});

test('SetLanguage refuses a language the console does not speak, naming the field', async () => {
  const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentId: 'demo', password: 'demo' }) });
  assert.equal((await res.json()).language, 'en');
  const cookie = res.headers.getSetCookie().map(c => c.split(';')[0]).join('; ');
  const agent = new signalr.HubConnectionBuilder().withUrl(`${server.url}/hubs/agent`, { headers: { cookie } }).configureLogging(signalr.LogLevel.None).build();
  await agent.start();
  try {
    await assert.rejects(agent.invoke('SetLanguage', { language: 'de' }), /language must be "en" or "nl"/);
    assert.equal(await agent.invoke('SetLanguage', { language: 'nl' }), 'nl');
    const me = await (await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).json();
    assert.equal(me.language, 'nl');
    await agent.invoke('SetLanguage', { language: 'en' });
  } finally { await agent.stop(); }
});
