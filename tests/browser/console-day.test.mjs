// The agent's working day in the console, in Chromium against the real server: a new chat announces itself while
// another is open, triage in the queue, visitors who left (in line and in a chat), missed chats in Requests, money in
// the site's currency, sign-out that asks first, the rules editor's "Go to line", and axe-core on every view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, identityHash, launchChromium, putRules, startServer } from './lib/server.mjs';
import { connectVisitor as visitor, openConsole, until } from './lib/visitor-agent.mjs';
import { seriousViolations } from './lib/axe.mjs';
mkdirSync(artifacts, { recursive: true });

// A configured site (so no demo seed): the demo site with a currency, and the demo admin.
const ENV = {
  LiveChat__Sites__demo__Currency: 'EUR',
  LiveChat__Sites__demo__AllowedOrigins__0: 'loopback',
  LiveChat__Agents__0__Id: 'demo',
  LiveChat__Agents__0__Name: 'Demo Agent',
  LiveChat__Agents__0__Sites__0: 'demo',
  LiveChat__Agents__0__Roles__0: 'agent',
  LiveChat__Agents__0__Roles__1: 'admin',
  LiveChat__Agents__0__PasswordHash: identityHash('demo'),
  LiveChat__Timings__VisitorLeaveGrace: '00:00:00.300',
  LiveChat__Timings__QueuedChatAbandonAfter: '00:00:02',
};

// bypassCSP only so axe-core can be injected; the console's own CSP is tested elsewhere.
const consolePage = (browser, url) => openConsole(browser, url, { bypassCSP: true, dialogs: true });

async function withSetup(t, f) {
  const server = await startServer(ENV);
  t.after(() => server.stop());
  const browser = await launchChromium();
  t.after(() => browser.close().catch(() => {}));
  await f(server, browser);
}

test('a new chat announces itself while another is open: a toast with its first words, the opt-in sound, the tab title; one message is one unread', async t => {
  await withSetup(t, async ({ url }, browser) => {
    const { page, errors } = await consolePage(browser, url);
    await page.check('#sound');
    const sounds = () => page.evaluate(() => Number(document.body.dataset.sounds ?? 0));
    const before = await sounds();
    const a = await visitor(url);
    const b = await visitor(url, { url: 'http://127.0.0.1/demo/checkout.html', title: 'Checkout' });
    t.after(() => Promise.all([a.stop(), b.stop()]));
    await a.startChat('I am the first');
    await page.waitForSelector('.msg.visitor:has-text("I am the first")');
    assert.equal(await page.title(), 'LiveChat', 'the open chat is being read: nothing unseen');

    await b.startChat('Do you deliver on Sundays?');
    const toast = page.locator('.toast', { hasText: 'Do you deliver on Sundays?' });
    await toast.waitFor();
    assert.match(await toast.textContent(), /New chat/);
    await until(async () => (await sounds()) > before, 'the sound');
    await until(async () => (await page.title()) === '(1) LiveChat', 'the title');
    assert.equal(await page.locator('#chats li:nth-child(2) .unread').textContent(), '1', 'one message, one unread');
    assert.equal(await page.locator('.msg.visitor:has-text("I am the first")').count(), 1, 'the chat being read stays open');
    await page.screenshot({ path: join(artifacts, 'console-new-chat-toast.png') });

    await toast.locator('button:has-text("Open")').click();
    await page.waitForSelector('.msg.visitor:has-text("Do you deliver on Sundays?")');
    await until(async () => (await page.title()) === 'LiveChat', 'the title cleared');
    assert.deepEqual(errors, []);
  });
});

test('queue triage, a visitor who left (waiting and chatting), a missed chat in Requests, money in EUR, sign-out asks, rules "Go to line", and axe on every view', async t => {
  await withSetup(t, async ({ url }, browser) => {
    await putRules(url, [{ id: 'cart-help', situation: 'Hesitating at the cart', when: { pageMatches: '/demo/cart*' },
      then: { text: 'Need a hand?', offers: ['chat'] }, onlyIfAgentAvailable: false, maxPerVisit: 1 }]);
    const { page, errors } = await consolePage(browser, url);
    const violations = {};
    violations.visitors = await seriousViolations(page);

    // Away: chats wait in the queue, showing the visitor's first words.
    await page.selectOption('#status', 'away');
    await page.waitForTimeout(300);
    const gone = await visitor(url);
    await gone.startChat('Is the lamp in stock?');
    const waiting = page.locator('#queue li', { hasText: 'Is the lamp in stock?' });
    await waiting.waitFor();
    await gone.stop(); // the tab is closed
    await waiting.locator('.chip.gone').waitFor();
    assert.equal(await waiting.locator('button:has-text("Accept")').isDisabled(), true, 'nobody is handed a chat nobody waits in');
    await page.screenshot({ path: join(artifacts, 'console-queue-left.png') });

    // After QueuedChatAbandonAfter it is a missed chat in Requests, with the visitor's words and journey.
    const missed = page.locator('.requests li[data-kind="missed-chat"]');
    await missed.waitFor({ timeout: 10_000 });
    assert.match(await missed.textContent(), /Missed chat.*Is the lamp in stock\?/s);
    await missed.locator('button:has-text("Show journey")').click();
    await missed.locator('.journey li').first().waitFor();
    assert.match(await missed.locator('.journey').textContent(), /\/demo\/cart\.html/);
    await page.waitForSelector('#queue li.empty');
    await page.screenshot({ path: join(artifacts, 'console-missed-chat.png') });

    // Online: a chat with a cart, in the site's currency; then the visitor leaves and the chat says so.
    await page.selectOption('#status', 'online');
    await page.waitForTimeout(300);
    const buyer = await visitor(url);
    await buyer.track('cart_add', { sku: 'LAMP-01', price: 120, quantity: 2 });
    await buyer.startChat('Can I pay by invoice?');
    await page.waitForSelector('.msg.visitor:has-text("Can I pay by invoice?")');
    await until(async () => /€240\.00/.test(await page.locator('.context').textContent()), 'the cart in euros');
    violations.chat = await seriousViolations(page);
    await page.screenshot({ path: join(artifacts, 'console-chat-eur.png') });
    await buyer.stop();
    await page.waitForSelector('#visitor-left');
    await page.waitForSelector('#chats .chip.gone');
    await page.screenshot({ path: join(artifacts, 'console-chat-visitor-left.png') });

    // Signing out with that chat open asks first, and "Stay" stays.
    await page.click('#sign-out');
    assert.match(await page.textContent('.confirm'), /1 open chat will go back to the queue/);
    await page.click('.confirm button:has-text("Stay")');
    assert.equal(await page.isVisible('#sign-out'), true);
    assert.match(page.url(), /\/agent$/);

    // Supervisor: axe, and the rules editor points at the rule in error.
    await page.click('button[data-view="supervisor"]');
    await page.waitForFunction(() => document.querySelector('#rules-json')?.value.includes('cart-help'));
    violations.supervisor = await seriousViolations(page);
    const good = await page.inputValue('#rules-json');
    await page.fill('#rules-json', good.replace('"pageMatches"', '"pageMatchez"'));
    await page.click('#rules-save');
    await page.waitForSelector('#rules-goto');
    await page.click('#rules-goto');
    const selected = await page.evaluate(() => { const t = document.querySelector('#rules-json'); return t.value.slice(t.selectionStart, t.selectionEnd); });
    assert.match(selected, /"id": "cart-help"|pageMatchez/, `the cursor is on the rule in error (selected: ${selected})`);
    assert.match(await page.textContent('.rules-code .gutter'), /^1\n2\n3/);
    await page.screenshot({ path: join(artifacts, 'console-rules-goto.png') });

    assert.deepEqual(violations, { visitors: [], chat: [], supervisor: [] });
    assert.deepEqual(errors, []);
  });
});
