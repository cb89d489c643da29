// Measured situations in the browser (issue 22): the widget's rating after a chat (desktop and 390 px), and the
// supervisor view drawing invited vs held-out conversion with the uplift interval, variants, channels, satisfaction
// and "not enough data yet". Visitors that only need to exist are driven from Node through the visitor hub.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, launchChromium, putRules, root, startServer } from './lib/server.mjs';
import { connectAgent, until } from './lib/visitor-agent.mjs';

const signalr = await import(join(root, 'widget', 'node_modules', '@microsoft', 'signalr', 'dist', 'cjs', 'index.js'));
mkdirSync(artifacts, { recursive: true });

const RULES = [
  {
    id: 'cart-help', situation: 'Hesitating at the cart', when: { pageMatches: '/demo/cart*' },
    then: { variants: ['Need a hand with your order?', 'Questions about delivery?'], offers: ['chat', 'phone'] },
    onlyIfAgentAvailable: false, maxPerVisit: 1, holdoutPercent: 50,
  },
  {
    id: 'loans-help', situation: 'Comparing loan rates', when: { pageMatches: '/demo/loans/*' },
    then: { text: 'Questions about our rates?' }, onlyIfAgentAvailable: false, maxPerVisit: 1, holdoutPercent: 20,
  },
];

/** One visitor through the hub: Hello on a page, then `then(connection, hello)`, then gone. */
async function nodeVisitor(url, path, then = async () => {}) {
  const connection = new signalr.HubConnectionBuilder().withUrl(`${url}/hubs/visitor?site=demo`).configureLogging(signalr.LogLevel.None).build();
  await connection.start();
  try {
    const hello = await connection.invoke('Hello', { visitorId: null, token: null, page: { url: `http://127.0.0.1${path}`, title: 'Demo' } });
    await then(connection, hello);
    return hello;
  } finally { await connection.stop(); }
}

async function inBatches(count, size, f) {
  const results = [];
  for (let i = 0; i < count; i += size)
    results.push(...await Promise.all(Array.from({ length: Math.min(size, count - i) }, (_, j) => f(i + j))));
  return results;
}

const w = (page, selector) => page.locator(`livechat-widget ${selector}`);

/** A widget visitor who chats, is closed by the agent, and rates the chat from the widget's rating view. */
async function chatAndRate(browser, url, agent, { viewport, score, comment, shot }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(e.message));
  try {
    await page.goto(`${url}/demo/index.html`);
    await until(() => page.evaluate(() => localStorage.getItem('livechat:demo:token')), 'the widget to connect');
    const id = await page.evaluate(() => localStorage.getItem('livechat:demo:id'));
    await w(page, 'button.launch').click();
    if (shot === 'rating-desktop') {
      // A click on the site's number is reported (ReportContact); the tel: navigation itself is cancelled here.
      await page.evaluate(() => {
        const a = document.querySelector('livechat-widget').shadowRoot.querySelector(".ft a[href^='tel:']");
        a.addEventListener('click', e => e.preventDefault());
        a.click();
      });
    }
    await w(page, '.compose textarea').fill('Is the blue one in stock?');
    await w(page, '.compose textarea').press('Enter');
    const conversation = await until(() => agent.events.find(([n, a]) => n === 'ConversationAssigned' && a.conversation.visitorId === id)?.[1].conversation, 'the chat to reach the agent');
    await agent.send(conversation.conversationId, 'Yes, ships tomorrow.');
    await agent.connection.invoke('Close', { conversationId: conversation.conversationId });

    const form = w(page, '.ended form.rate');
    await form.waitFor({ state: 'visible' });
    assert.equal(await w(page, '.rate legend').innerText(), 'How did we do?');
    // Keyboard: the scores are one radio group, reached by Tab and moved with the arrow keys.
    await w(page, `.rate input[value="1"]`).focus();
    for (let i = 1; i < score; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await w(page, `.rate input[value="${score}"]`).isChecked(), true, 'arrow keys choose the score');
    await w(page, '.rate textarea').fill(comment);
    await page.screenshot({ path: join(artifacts, `${shot}-form.png`), animations: 'disabled' });
    await w(page, '.rate button:has-text("Submit rating")').click();
    await w(page, '.ended .ok:has-text("Thank you for your feedback.")').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(artifacts, `${shot}-done.png`), animations: 'disabled' });
    assert.deepEqual(errors, []);

    const detail = await agent.connection.invoke('GetConversation', { conversationId: conversation.conversationId });
    assert.equal(detail.conversation.rating.score, score, 'the agent sees the rating in the conversation');
    assert.equal(detail.conversation.rating.comment, comment);
    return conversation;
  } finally { await context.close(); }
}

/** The console, signed in as the demo agent (which makes them available), collecting errors. */
async function consolePage(t, browser, url, viewport = { width: 1280, height: 1000 }) {
  const context = await browser.newContext({ viewport });
  t.after(() => context.close().catch(() => {}));
  const page = await context.newPage();
  const errors = [];
  // Chrome reports every failed request as a console error too; those are listed by URL instead.
  page.on('console', m => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  page.on('response', r => { if (r.status() >= 400) errors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
  await page.goto(`${url}/agent`);
  await page.waitForURL(/\/agent\/login/);
  await page.fill('input[name=agentId]', 'demo');
  await page.fill('input[name=password]', 'demo');
  await Promise.all([page.waitForURL(/\/agent$/), page.click('button[type=submit]')]);
  await page.waitForSelector('.conn.connected');
  return { page, errors };
}

test('a rated chat and a measured holdout are drawn in the supervisor view', async t => {
  const server = await startServer();
  t.after(() => server.stop());
  const { url } = server;
  await putRules(url, RULES);
  const browser = await launchChromium();
  t.after(() => browser.close().catch(() => {}));
  const agent = await connectAgent(url);
  t.after(() => agent.stop().catch(() => {}));
  await agent.online(10);

  // 300 visitors at the cart: about half held out. Invited ones order more often (1 in 6) than held-out ones (1 in 20).
  const groups = await inBatches(300, 25, i => nodeVisitor(url, '/demo/cart.html', async (c, hello) => {
    if (hello.invitation ? i % 6 === 0 : i % 20 === 0) await c.invoke('Track', { name: 'order_placed', properties: {} });
    if (i === 7) await c.invoke('ReportContact', { channel: 'phone' });
  }));
  const invited = groups.filter(g => g.invitation).length;
  assert.ok(invited >= 110 && invited <= 190, `about half invited (${invited} of 300)`);
  assert.ok(new Set(groups.filter(g => g.invitation).map(g => g.invitation.text)).size === 2, 'both variants shown');
  // A few at the loan rates: not enough for an answer. 40, not 12: with a 20 % holdout, 12 visitors had none held out
  // 6.9 % of the time (0.8^12), and the view then rightly says there is no control group; 40 leave that at 0.01 %.
  await inBatches(40, 20, () => nodeVisitor(url, '/demo/loans/rates.html'));
  // Someone asks for a call back twice, from two devices: a repeat contact.
  for (let i = 0; i < 2; i++)
    await nodeVisitor(url, '/demo/cart.html', c => c.invoke('RequestCallback', { phone: i ? '0031 20 555 0101' : '+31 20 555 0101', name: 'Ada', note: null }));

  await chatAndRate(browser, url, agent, { viewport: { width: 1280, height: 800 }, score: 4, comment: 'Quick and clear', shot: 'rating-desktop' });
  await chatAndRate(browser, url, agent, { viewport: { width: 390, height: 760 }, score: 5, comment: 'Thanks!', shot: 'rating-phone' });

  // Figures reach the stats grain through each node's aggregator, flushed every 2 s: let one flush pass.
  await new Promise(resolve => setTimeout(resolve, 4500));
  const { page, errors } = await consolePage(t, browser, url);
  await page.click('.views button[data-view=supervisor]');

  const cart = page.locator('.situation-block', { has: page.locator('b', { hasText: 'Hesitating at the cart' }) });
  await cart.locator('svg.interval').waitFor();
  const cartText = await cart.innerText();
  assert.match(cartText, /Invited[\s\S]*n=\d+[\s\S]*Held out[\s\S]*n=\d+/);
  assert.match(cartText, /points conversion \(95 % interval [+−]\d+\.\d to [+−]\d+\.\d\)/);
  assert.match(cartText, /“Need a hand with your order\?”/);
  assert.match(cartText, /“Questions about delivery\?”/);
  assert.match(cartText, /Phoned 1/);
  assert.match(cartText, /Callback 2/);
  assert.match(cartText, /came back within 7 days \(1 of \d+ contacts\)/);
  const loans = page.locator('.situation-block', { has: page.locator('b', { hasText: 'Comparing loan rates' }) });
  assert.match(await loans.innerText(), /Not enough data yet \(need 100 per group; now \d+ invited, \d+ held out\)/);
  const own = page.locator('.situation-block', { has: page.locator('b', { hasText: 'Chats without an invitation' }) });
  // The ratings come last (after both chats ended): until a flush has counted them, open the view again.
  for (let i = 0; i < 20 && !/2 ratings/.test(await own.innerText()); i++) {
    await new Promise(resolve => setTimeout(resolve, 750));
    await page.click('.views button[data-view=supervisor]');
  }
  assert.match(await own.innerText(), /4\.5 \/ 5 · 2 ratings · 100% gave 4–5/);
  assert.match(await own.innerText(), /Chat they started 2 \(67%\)[\s\S]*Phoned 1 \(33%\)/);
  await page.locator('#agent-ratings td:has-text("Demo Agent")').waitFor();
  assert.match(await page.locator('#agent-ratings').innerText(), /Demo Agent\s+4\.5\s+100%\s+2/);
  await page.locator('.card:has(#funnel)').screenshot({ path: join(artifacts, 'supervisor-outcomes.png'), animations: 'disabled' });
  await page.screenshot({ path: join(artifacts, 'supervisor-outcomes-page.png'), fullPage: true });

  const csv = await page.evaluate(async () => (await fetch('/api/sites/demo/stats.csv')).text());
  assert.match(csv.split('\r\n')[0], /^row,situation,ruleId,shown,.*,heldOut,.*upliftLow,upliftHigh/);
  assert.match(csv, /\nsituation,Hesitating at the cart,cart-help,/);
  assert.deepEqual(errors, []);
});

test('the agent is told about a repeat contact: the same phone from another visitor id, with the earlier contacts', async t => {
  const server = await startServer();
  t.after(() => server.stop());
  const { url } = server;
  const browser = await launchChromium();
  t.after(() => browser.close().catch(() => {}));
  const { page, errors } = await consolePage(t, browser, url, { width: 1280, height: 800 });

  const first = await nodeVisitor(url, '/demo/index.html', c => c.invoke('RequestCallback', { phone: '+44 20 7946 0958', name: 'Robin', note: 'about my order' }));
  await nodeVisitor(url, '/demo/index.html', async (c, hello) => {
    assert.notEqual(hello.visitorId, first.visitorId, 'another device: a new visitor id');
    await c.invoke('RequestCallback', { phone: '0044 20 7946 0958', name: 'Robin', note: null });
    const chat = await c.invoke('StartChat', { text: 'Still waiting for my call' });
    await page.waitForSelector('.chat-view .msg.visitor');
    const note = page.locator('.ctx.repeat');
    await note.waitFor();
    const text = await note.textContent();
    assert.match(text, /Contacted us before: 2× in the last 7 days/);
    assert.match(text, /Call back.*same phone number/);
    await page.screenshot({ path: join(artifacts, 'console-repeat-contact.png') });

    // The visitor ends the chat and rates it: the agent sees the rating at once, in the same conversation.
    await c.invoke('EndChat', {});
    await c.invoke('Rate', { conversationId: chat.conversationId, score: 2, comment: 'Took two tries to reach you' });
    const rating = page.locator('.ctx', { hasText: "Visitor's rating" });
    await rating.waitFor();
    assert.match(await rating.textContent(), /2\/5.*Took two tries to reach you/);
    await page.screenshot({ path: join(artifacts, 'console-rating.png') });
  });
  assert.deepEqual(errors, []);
});
