// The agent console in a real browser against the real server: sign-in, live visitors, chat both ways,
// transfer between two agents, visitor text shown as text, the supervisor view. node --test tests/browser/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { agentsEnv, artifacts, launchChromium, putRules, startServer } from './lib/server.mjs';
import { connectVisitor as visitor, openConsole, until } from './lib/visitor-agent.mjs';

mkdirSync(artifacts, { recursive: true });

/** Two agents on the demo site: demo/demo (admin) and sam/sam-password. Configuring agents keeps the demo site. */
const twoAgents = () => agentsEnv([
  { id: 'demo', name: 'Demo Agent', password: 'demo', roles: ['agent', 'admin'] },
  { id: 'sam', name: 'Sam Rivera', password: 'sam-password', roles: ['agent'] },
]);

/** A signed-in console page (through the form), collecting console errors, uncaught exceptions and failed requests. */
const consolePage = (browser, url, agentId = 'demo', password = 'demo') => openConsole(browser, url, { agentId, password, responses: true });

/** Starts a server and a browser for one test, and stops both however the test ends. */
async function withSetup(t, env, f) {
  const server = await startServer(env);
  t.after(() => server.stop());
  const browser = await launchChromium();
  t.after(() => browser.close().catch(() => {}));
  await f(server, browser);
}

test('sign-in refuses a wrong password with a message, then lands on the console', async t => {
  await withSetup(t, {}, async ({ url }, browser) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', e => errors.push(String(e)));
    await page.goto(`${url}/agent`);
    await page.waitForURL(/\/agent\/login/);
    await page.fill('input[name=agentId]', 'demo');
    await page.fill('input[name=password]', 'wrong');
    await page.click('button[type=submit]');
    assert.match(await page.textContent('.error'), /Wrong agent id or password/);
    assert.equal(await page.inputValue('input[name=agentId]'), 'demo', 'the agent id stays filled in');
    assert.equal(await page.evaluate(() => document.activeElement?.name), 'password', 'the cursor waits in the password');
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.card')).borderRadius), '12px', 'login.css is applied');
    await page.screenshot({ path: join(artifacts, 'console-login-error.png') });
    await page.fill('input[name=password]', 'demo');
    await Promise.all([page.waitForURL(/\/agent$/), page.click('button[type=submit]')]);
    await page.waitForSelector('.conn.connected');
    assert.equal(await page.textContent('.me'), 'Demo Agent');
    assert.deepEqual(errors, []);
  });
});

test('a visitor shows up live with page and cart; their chat arrives, the agent replies, and HTML stays text', async t => {
  await withSetup(t, {}, async ({ url }, browser) => {
    const { page, errors } = await consolePage(browser, url);
    const v = await visitor(url);
    t.after(() => v.stop());
    await v.track('cart_add', { sku: 'X', price: 120, quantity: 2 });
    const row = page.locator(`tr[data-visitor="${v.id}"]`);
    await row.waitFor();
    await until(async () => /240/.test(await row.textContent()), 'cart value 240');
    assert.match(await row.textContent(), /\/demo\/cart\.html/);

    // A manual invitation from the visitors list reaches the visitor.
    const invitations = [];
    v.connection.on('Invitation', i => invitations.push(i));
    await row.locator('button:has-text("Invite")').click();
    await page.fill('.invite-text', 'Need help choosing?');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.invite-form .note.ok');
    await until(() => invitations.some(i => i.text === 'Need help choosing?'), 'the invitation');
    await page.waitForSelector('.visitors .chip.situation');
    await page.screenshot({ path: join(artifacts, 'console-visitors.png') });

    // A callback request shows under Requests with its reference, and can be marked done.
    const { reference } = await v.connection.invoke('RequestCallback', { phone: '+1 555 0199', name: 'Robin', note: 'after 5 pm please' });
    await page.click('#tab-requests');
    const request = page.locator(`.requests li[data-reference="${reference}"]`);
    await request.waitFor();
    assert.match(await request.textContent(), /Robin.*\+1 555 0199.*after 5 pm please/s);
    await request.locator('button:has-text("Mark done")').click();
    await page.waitForSelector(`.requests li.done[data-reference="${reference}"]`);
    await page.click('#tab-visitor');

    await v.startChat('hi');
    await page.waitForSelector('.chat-view .msg.visitor');
    assert.equal(await page.locator('.msg.visitor .bubble').first().textContent(), 'hi');
    await page.locator('#composer').waitFor({ state: 'visible' });

    // The visitor types; the agent sees it.
    await v.typingOn();
    await page.waitForSelector('.typing:has-text("typing")');

    // Canned response: "/hi" expands with Tab, Enter sends.
    await page.click('#composer');
    await page.keyboard.type('/hi');
    await page.waitForSelector('#canned li');
    await page.keyboard.press('Tab');
    assert.match(await page.inputValue('#composer'), /^Hi! I'm happy to help/);
    await page.keyboard.press('Enter');
    await until(() => v.messages.some(m => m.from === 'agent' && /happy to help/.test(m.text)), 'the visitor to get the reply');
    assert.ok(v.typing.some(t2 => t2.from === 'agent' && t2.isTyping), 'the visitor saw the agent typing');
    assert.equal(await page.inputValue('#composer'), '');

    // Shift+Enter is a new line, Enter sends both lines as one message.
    await page.keyboard.type('Line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    await page.keyboard.press('Enter');
    await until(() => v.messages.some(m => m.from === 'agent' && m.text === 'Line one\nline two'), 'the two-line reply');

    const html = '<img src=x onerror=alert(1)><b>bold</b>';
    page.on('dialog', d => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
    await v.say(html);
    const bubble = page.locator('.msg.visitor .bubble', { hasText: 'onerror' });
    await bubble.waitFor();
    assert.equal(await bubble.textContent(), html);
    assert.equal(await page.locator('.transcript img, .transcript b').count(), 0);

    // The context pane shows the journey and the cart lines.
    await page.waitForSelector('.journey li');
    assert.match(await page.textContent('.context'), /cart_add/);
    assert.match(await page.textContent(".cart-lines"), /2 × £120\.00/, "in the demo site's currency");
    await page.screenshot({ path: join(artifacts, 'console-chat.png') });

    await page.click('#close-chat');
    await page.waitForSelector('.banner.ended');
    await page.waitForTimeout(300);
    assert.deepEqual(errors, []);
  });
});

test('a chat is transferred with a note to a second signed-in agent', async t => {
  await withSetup(t, twoAgents(), async ({ url }, browser) => {
    const demo = await consolePage(browser, url, 'demo', 'demo');
    const sam = await consolePage(browser, url, 'sam', 'sam-password');
    // Only demo takes chats for now, so the visitor's chat is routed to demo.
    await sam.page.selectOption('#status', 'away');
    await sam.page.waitForTimeout(500);
    const v = await visitor(url);
    t.after(() => v.stop());
    await v.startChat('I need help with a refund');
    await demo.page.waitForSelector('.msg.visitor:has-text("refund")');

    await sam.page.selectOption('#status', 'online');
    await demo.page.click('#transfer');
    await demo.page.waitForSelector('#transfer-to option[value=sam]', { state: 'attached' });
    await demo.page.selectOption('#transfer-to', 'sam');
    await demo.page.fill('#transfer-note', 'Wants a refund for order 1042');
    await demo.page.click('#transfer-go');

    await sam.page.waitForSelector('.msg.visitor:has-text("refund")');
    assert.match(await sam.page.textContent('.banner.note'), /Wants a refund for order 1042/);
    await demo.page.waitForSelector('#chats li.empty');
    await sam.page.fill('#composer', 'Hi, I can sort that out.');
    await sam.page.press('#composer', 'Enter');
    await until(() => v.messages.some(m => m.from === 'agent' && m.senderName === 'Sam Rivera'), 'the reply from the second agent');
    await sam.page.screenshot({ path: join(artifacts, 'console-transferred.png') });
    assert.deepEqual([...demo.errors, ...sam.errors], []);
  });
});

test('several chats side by side: unread counts, Alt+n and Ctrl+arrows switch', async t => {
  await withSetup(t, {}, async ({ url }, browser) => {
    const { page, errors } = await consolePage(browser, url);
    await page.fill('#capacity', '5');
    await page.press('#capacity', 'Tab');
    // Away: the first chat waits in the queue until the agent accepts it.
    await page.selectOption('#status', 'away');
    await page.waitForTimeout(300);
    const a = await visitor(url, { url: 'http://127.0.0.1/demo/product.html', title: 'Product' });
    const b = await visitor(url, { url: 'http://127.0.0.1/demo/checkout.html', title: 'Checkout' });
    t.after(() => Promise.all([a.stop(), b.stop()]));
    await a.startChat('first visitor here');
    const waiting = page.locator('#queue li', { hasText: 'first visitor here' });
    await waiting.waitFor();
    await until(async () => /^[1-9]s$/.test(await waiting.locator('.wait [data-since]').textContent()), 'the wait to tick');
    await waiting.locator('button:has-text("Accept")').click();
    await page.waitForSelector('.msg.visitor:has-text("first visitor")');
    await page.waitForSelector('#queue li.empty');
    await page.selectOption('#status', 'online');
    await page.waitForTimeout(300);
    await b.startChat('second visitor here');
    await page.waitForSelector('#chats li:nth-child(2)');
    await b.say('anyone there?');
    await until(async () => (await page.locator('#chats li:nth-child(2) .unread').count()) === 1, 'an unread count on the second chat');
    await page.locator('body').press('Alt+2');
    await page.waitForSelector('.msg.visitor:has-text("anyone there?")');
    assert.equal(await page.locator('#chats .unread').count(), 0);
    await page.keyboard.press('Control+ArrowUp');
    await page.waitForSelector('.msg.visitor:has-text("first visitor")');
    await page.keyboard.press('Control+ArrowDown');
    await page.waitForSelector('.msg.visitor:has-text("second visitor")');
    await page.screenshot({ path: join(artifacts, 'console-two-chats.png') });

    // While the tab is hidden, a visitor's message puts a count in the title.
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await a.say('hello?');
    await page.waitForFunction(() => document.title === '(1) LiveChat', null, { timeout: 5000 }).catch(async e => { throw new Error('title: ' + await page.title() + ' ' + e.message); });
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    // Back in the tab, the title still counts the unread chat until the agent reads it.
    assert.equal(await page.title(), '(1) LiveChat');
    await page.locator('body').press('Alt+1');
    await page.waitForFunction(() => document.title === 'LiveChat');
    assert.deepEqual(errors, []);
  });
});

test('the supervisor view shows agents, the funnel and refuses bad rules in place', async t => {
  await withSetup(t, {}, async ({ url }, browser) => {
    await putRules(url, [{
      id: 'cart-help', situation: 'Hesitating at the cart', when: { pageMatches: '/demo/cart*' },
      then: { text: 'Need a hand with your order?', offers: ['chat'] }, onlyIfAgentAvailable: false, maxPerVisit: 1, priority: 10,
    }]);
    const { page, errors } = await consolePage(browser, url);
    const v = await visitor(url);
    t.after(() => v.stop());
    await v.startChat('question about delivery');
    await page.waitForSelector('.msg.visitor');
    await page.click('.views button[data-view=supervisor]');
    await page.waitForSelector('.agents td:has-text("Demo Agent")');
    await page.waitForSelector('.situation-block');
    assert.match(await page.textContent('#funnel'), /Hesitating at the cart|Chats without an invitation/);
    await page.waitForFunction(() => document.querySelector('#rules-json')?.value.includes('cart-help'));
    await page.waitForSelector('.agents td.load:has-text("1/3")');
    await page.screenshot({ path: join(artifacts, 'console-supervisor.png') });
    const good = await page.inputValue('#rules-json');
    await page.fill('#rules-json', good.replace('"pageMatches"', '"pageMatchez"'));
    await page.click('#rules-save');
    await page.waitForSelector('#rules-error:not([hidden])');
    assert.match(await page.textContent('#rules-error'), /cart-help|pageMatchez|when/);
    await page.screenshot({ path: join(artifacts, 'console-rules-error.png') });
    await page.fill('#rules-json', good);
    await page.click('#rules-save');
    await page.waitForFunction(() => /^Saved · version/.test(document.querySelector('.rules-status').textContent));
    assert.equal(await page.isHidden('#rules-error'), true);
    assert.deepEqual(errors, ['400 PUT /api/sites/demo/rules'], 'only the refused rules failed');
  });
});
