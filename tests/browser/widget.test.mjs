// The visitor widget in Chromium against the real server: invitations, chat with an agent driven by a SignalR
// client, reload, escaping, SPA navigation, callback, the no-agent fallback, and a clean console on the demo shop.
// One server and one browser for the file; each test has its own browser context, so its own visitor.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startServer, putRules, artifacts } from './lib/server.mjs';
import { connectAgent, launchBrowser, until } from './lib/visitor-agent.mjs';

const LINGER_SECONDS = 3;
const CAPACITY = 50; // the tests leave their chats open: room for all of them
let server, browser, agent;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  server = await startServer();
  await putRules(server.url, [{
    id: 't-linger', situation: 'Testing', when: { pageMatches: '/demo/loans/*', timeOnPageSeconds: LINGER_SECONDS },
    then: { text: 'Questions about rates?', offers: ['chat', 'callback', 'phone'] }, onlyIfAgentAvailable: false, maxPerVisit: 1,
  }]);
  browser = await launchBrowser();
  agent = await connectAgent(server.url);
  await agent.online(CAPACITY);
});

after(async () => {
  await agent?.stop().catch(() => {});
  await browser?.close().catch(() => {});
  server?.stop();
});

/** A new visitor (fresh storage) on a demo page, with its console errors collected. */
async function visit(path, { viewport } = {}) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(e.message));
  page.on('dialog', d => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(server.url + path);
  return { context, page, errors };
}

const w = (page, selector) => page.locator(`livechat-widget ${selector}`);
const card = page => w(page, '.card');
/** Resolves once the widget's Hello has been answered (it stores the visitor token). */
const connected = page => until(() => page.evaluate(() => localStorage.getItem('livechat:demo:token')), 'the widget to connect');
const visitorId = page => page.evaluate(() => localStorage.getItem('livechat:demo:id'));

/** The invitation card, once shown. */
async function invitation(page) {
  await card(page).waitFor({ state: 'visible', timeout: (LINGER_SECONDS + 10) * 1000 });
  return card(page);
}

/** Opens the widget from its launcher and sends a first message; returns the conversation the agent was given. */
async function startChat(page, text) {
  await connected(page);
  await w(page, 'button.launch').click();
  return await sendAndAssign(page, text);
}

async function sendAndAssign(page, text) {
  const seen = agent.events.length;
  await w(page, '.compose textarea').fill(text);
  await w(page, '.compose textarea').press('Enter');
  const id = await visitorId(page);
  const conversation = await until(() => agent.events.slice(seen).find(([n, a]) => n === 'ConversationAssigned' && a.conversation.visitorId === id)?.[1].conversation,
    'the chat to be assigned to the agent');
  // The first message goes with StartChat, so the agent gets it with the conversation, above "… joined".
  const words = conversation.messages.filter(m => m.from !== 'invitation').map(m => m.text);
  assert.equal(words[0], text, 'the visitor\'s first words open the chat');
  assert.match(words[1] ?? '', /joined the chat/);
  return conversation;
}

const bubbles = page => w(page, '.log .m').allTextContents();

test('the invitation appears after the rule\'s time on page, not before, and an open one survives a reload', async () => {
  const { context, page, errors } = await visit('/demo/loans/rates.html');
  try {
    await connected(page);
    const since = Date.now();
    await page.waitForTimeout(LINGER_SECONDS * 1000 / 2);
    assert.equal(await card(page).isVisible(), false, 'no invitation before the rule\'s time on page');

    await invitation(page);
    assert.ok(Date.now() - since >= LINGER_SECONDS * 1000 - 1000, `shown after ${Date.now() - since} ms`);
    assert.match(await card(page).innerText(), /Questions about rates\?/);
    assert.equal(await w(page, '.card a[href^="tel:"]').getAttribute('href'), 'tel:+15550100');
    await page.screenshot({ path: join(artifacts, 'invitation.png'), animations: 'disabled' });

    await page.reload();
    await card(page).waitFor({ state: 'visible', timeout: 5000 }); // the server still holds it open
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('time with the tab hidden does not count towards the invitation', async () => {
  const { context, page, errors } = await visit('/demo/loans/rates.html');
  const setHidden = hidden => page.evaluate(h => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  try {
    await connected(page);
    await setHidden(true);
    await page.waitForTimeout((LINGER_SECONDS + 2) * 1000);
    assert.equal(await card(page).isVisible(), false, 'no invitation while hidden');
    await setHidden(false);
    await invitation(page);
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('"No thanks" dismisses the invitation, and the server does not offer it again', async () => {
  const { context, page, errors } = await visit('/demo/loans/rates.html');
  try {
    await (await invitation(page)).getByRole('button', { name: 'No thanks', exact: true }).click();
    assert.equal(await card(page).isVisible(), false);

    // Had the server not been told, Hello after a reload would hand the open invitation back.
    await page.reload();
    await connected(page);
    await page.waitForTimeout((LINGER_SECONDS + 1) * 1000);
    assert.equal(await card(page).isVisible(), false, 'no invitation after dismissing');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('accepting the invitation opens a chat with the agent: messages both ways, agent name and typing shown', async () => {
  const { context, page, errors } = await visit('/demo/loans/rates.html');
  try {
    await (await invitation(page)).getByRole('button', { name: 'Chat now' }).click();
    await w(page, '.panel').waitFor({ state: 'visible' });
    assert.equal(await card(page).isVisible(), false);
    assert.deepEqual(await bubbles(page), ['Questions about rates?'], 'the invitation opens the conversation');

    const conversation = await sendAndAssign(page, 'Is 6.4% fixed?');
    assert.equal(conversation.situation, 'Testing', 'the chat remembers the invitation it came from');
    assert.deepEqual([conversation.messages[0].from, conversation.messages[0].text], ['invitation', 'Questions about rates?'], 'the agent sees what the visitor answered to');

    await agent.typing(conversation.conversationId, true);
    await until(async () => (await w(page, '.typing').innerText()) === 'Demo Agent is typing…', 'the typing indicator');
    await agent.send(conversation.conversationId, 'Yes, fixed for the whole term.');
    await until(async () => (await bubbles(page)).some(t => t.startsWith('Yes, fixed for the whole term.Demo Agent')), 'the agent\'s reply');
    assert.equal(await w(page, '.typing').innerText(), '', 'a message ends the typing indicator');
    assert.equal(await w(page, '#lc-title').innerText(), 'Demo Agent');
    await agent.typing(conversation.conversationId, true);
    await until(async () => (await w(page, '.typing').innerText()) !== '', 'typing again');
    await page.screenshot({ path: join(artifacts, 'chat-open.png'), animations: 'disabled' });
    await agent.typing(conversation.conversationId, false);
    await until(async () => (await w(page, '.typing').innerText()) === '', 'the typing indicator to go');

    await w(page, '.compose textarea').fill('Thanks!');
    await w(page, '.compose textarea').press('Enter');
    await agent.received('Thanks!');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('a reload keeps the conversation and its messages', async () => {
  const { context, page, errors } = await visit('/demo/index.html');
  try {
    const conversation = await startChat(page, 'Do you ship to Ireland?');
    await agent.send(conversation.conversationId, 'We do, in 2-3 days.');
    await until(async () => (await bubbles(page)).some(t => t.startsWith('We do, in 2-3 days.')), 'the reply');
    const before = await bubbles(page);

    await page.reload();
    await connected(page);
    await w(page, '.panel').waitFor({ state: 'visible' }); // it was open, so it opens again
    await until(async () => (await bubbles(page)).length === before.length, 'the messages after the reload');
    assert.deepEqual((await bubbles(page)).map(t => t.replace(/\d\d?:\d\d.*$/, '')), before.map(t => t.replace(/\d\d?:\d\d.*$/, '')));
    assert.equal(await w(page, '#lc-title').innerText(), 'Demo Agent');

    await w(page, '.compose textarea').fill('Great, thanks');
    await w(page, '.compose textarea').press('Enter');
    const m = await agent.received('Great, thanks');
    assert.equal(m[1].conversationId, conversation.conversationId, 'the same conversation goes on');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('after the agent closes the chat the visitor is promised nothing unsent and can start a new chat; "End chat" asks first', async () => {
  const { context, page, errors } = await visit('/demo/index.html');
  try {
    const first = await startChat(page, 'Just a quick one');
    await agent.connection.invoke('Close', { conversationId: first.conversationId });
    await w(page, '.ended').waitFor({ state: 'visible' });
    assert.equal(await w(page, '.panel .hd p').innerText(), 'Chat ended');
    assert.equal(await w(page, '#lc-title').innerText(), 'Chat with us');
    assert.equal(await w(page, '.av').innerText(), '', 'no agent initial once the agent has gone');
    assert.equal(await w(page, '.compose').isVisible(), false);
    await page.screenshot({ path: join(artifacts, 'chat-ended.png'), animations: 'disabled' });
    // No SMTP on this server: no transcript is promised (requests.test.mjs runs with a mail server).
    assert.equal(await w(page, '.ended input[name=email]').count(), 0);
    assert.doesNotMatch(await w(page, '.panel').innerText(), /transcript/i);

    await w(page, 'button:has-text("Start a new chat")').click();
    assert.deepEqual(await bubbles(page), []);
    const second = await sendAndAssign(page, 'One more thing');
    assert.notEqual(second.conversationId, first.conversationId);
    await w(page, '.ft button:has-text("End chat")').click();
    await w(page, '.ft button:has-text("Keep chatting")').click(); // changed their mind: nothing ends
    assert.equal(await w(page, '.compose').isVisible(), true);
    await w(page, '.ft button:has-text("End chat")').click();
    assert.match(await w(page, '.ft').innerText(), /End this chat\?/);
    await w(page, '.ft button:has-text("Yes, end it")').click();
    await w(page, '.ended').waitFor({ state: 'visible' });
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('a second tab joins the same conversation; with its panel closed, the agent\'s reply shows as unread', async () => {
  const { context, page, errors } = await visit('/demo/index.html');
  try {
    const conversation = await startChat(page, 'Two tabs here');
    const other = await context.newPage();
    other.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
    await other.goto(server.url + '/demo/cart.html');
    await until(async () => (await bubbles(other)).some(t => t.startsWith('Two tabs here')), 'the conversation in the second tab');
    await w(other, '.hd button.x').click();

    await agent.send(conversation.conversationId, 'I see you in both tabs');
    await until(async () => (await bubbles(page)).some(t => t.startsWith('I see you in both tabs')), 'the reply in the first tab');
    await until(async () => (await w(other, 'button.launch').getAttribute('aria-label')) === 'Open chat, 1 unread', 'the unread badge');
    assert.equal(await w(other, '.badge').innerText(), '1');
    await w(other, 'button.launch').click();
    assert.equal(await w(other, '.badge').count(), 0, 'opening clears the badge');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('an agent message containing HTML shows as literal text', async () => {
  const { context, page, errors } = await visit('/demo/index.html');
  try {
    const conversation = await startChat(page, 'Show me something');
    const html = '<img src=x onerror=alert(1)><b>bold</b>';
    await agent.send(conversation.conversationId, html);
    await until(async () => (await w(page, '.log .m.agent p').allTextContents()).includes(html), 'the message as text');
    assert.equal(await w(page, '.log img, .log b').count(), 0, 'no element made from the message');
    await page.waitForTimeout(300);
    assert.deepEqual(errors, [], 'no alert, no failed image load');
  } finally { await context.close(); }
});

test('SPA navigation (pushState, back) is reported to agents and kept in the journey', async () => {
  const { context, page, errors } = await visit('/demo/loans/rates.html');
  try {
    await agent.connection.invoke('WatchVisitors', {});
    await connected(page);
    const id = await visitorId(page);
    await page.selectOption('#term', '10');
    assert.ok(page.url().endsWith('/demo/loans/rates.html?term=10'));
    const update = await until(() => agent.events.find(([n, v]) => n === 'VisitorUpserted' && v.visitorId === id && v.currentUrl.endsWith('?term=10'))?.[1],
      'the new URL in the live list');
    assert.equal(update.pagesThisVisit, 2);

    await page.goBack();
    await until(() => agent.events.find(([n, v]) => n === 'VisitorUpserted' && v.visitorId === id && v.pagesThisVisit === 3 && v.currentUrl.endsWith('/rates.html')),
      'the back navigation');

    // The journey the agent reads with the chat has both.
    const conversation = await startChat(page, 'Which term suits me?');
    const detail = await agent.connection.invoke('GetConversation', { conversationId: conversation.conversationId });
    const pages = detail.journey.filter(j => j.kind === 'page').map(j => j.detail);
    assert.deepEqual(pages.map(p => p.split(' ')[0]), ['/demo/loans/rates.html', '/demo/loans/rates.html?term=10', '/demo/loans/rates.html']);
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('the callback form gives an LC- reference and the agents hear of it', async () => {
  const { context, page, errors } = await visit('/demo/index.html');
  try {
    await connected(page);
    await w(page, 'button.launch').click();
    await w(page, '[role=tab]:has-text("Call me back")').click();
    await w(page, 'input[name=phone]').fill('+44 20 7946 0000');
    await w(page, '.view:not([hidden]) input[name=name]').fill('Ada');
    await w(page, 'button:has-text("Request a call")').click();
    await w(page, '.ok').waitFor({ state: 'visible' });
    const reference = (await w(page, '.ok b').innerText()).trim();
    assert.match(reference, /^LC-[A-Z0-9]{5}$/);
    const pushed = await until(() => agent.events.find(([n, c]) => n === 'CallbackRequested' && c.reference === reference)?.[1], 'CallbackRequested');
    assert.equal(pushed.phone, '+44 20 7946 0000');
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('with no agent online the widget offers a message, a callback and the phone number, never a dead end', async () => {
  await agent.away();
  const { context, page, errors } = await visit('/demo/index.html');
  try {
    await connected(page);
    await w(page, 'button.launch').click();
    await w(page, '.panel').waitFor({ state: 'visible' });
    assert.equal(await w(page, '.panel .hd p').innerText(), 'No one is online right now');
    assert.equal(await w(page, '[role=tab]:has-text("Leave a message")').getAttribute('aria-selected'), 'true', 'it opens on "Leave a message"');
    assert.equal(await w(page, '[role=tab]:has-text("Call me back")').isVisible(), true);
    assert.equal(await w(page, '.ft a[href^="tel:"]').getAttribute('href'), 'tel:+15550100');
    await page.screenshot({ path: join(artifacts, 'no-agent-message.png'), animations: 'disabled' });

    await w(page, '[role=tab]:has-text("Chat")').click();
    assert.equal(await w(page, '.hint').innerText(), 'No one is online right now — leave a message or ask for a call back.');
    await page.screenshot({ path: join(artifacts, 'no-agent-chat.png'), animations: 'disabled' });

    await w(page, '[role=tab]:has-text("Leave a message")').click();
    await w(page, 'input[name=email]').fill('ada@example.com');
    await w(page, '.view:not([hidden]) textarea[name=text]').fill('Please tell me about delivery to Cork.');
    await w(page, 'button:has-text("Send message")').click();
    await w(page, '.ok').waitFor({ state: 'visible' });
    assert.match(await w(page, '.ok').innerText(), /LC-[A-Z0-9]{5}/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await agent.online(CAPACITY);
  }
});

test('the invitation on a small screen with no agent still offers a callback and the phone', async () => {
  await agent.away();
  const { context, page, errors } = await visit('/demo/loans/rates.html', { viewport: { width: 390, height: 760 } });
  try {
    const inv = await invitation(page);
    assert.equal(await inv.getByRole('button', { name: 'Call me back' }).isVisible(), true);
    assert.equal(await inv.locator('a[href="tel:+15550100"]').isVisible(), true);
    await page.screenshot({ path: join(artifacts, 'invitation-mobile.png'), animations: 'disabled' });
    await inv.getByRole('button', { name: 'Call me back' }).click();
    await w(page, 'input[name=phone]').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(artifacts, 'callback-mobile.png'), animations: 'disabled' });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await agent.online(CAPACITY);
  }
});

test('embedded on a shop\'s own origin, the widget connects across origins and chats', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  // A shop on another origin (localhost, which the demo site allows as loopback) embedding the chat host's script.
  // A real server, not page.route: Chromium's local network access checks need the page to come from loopback.
  const shop = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(
    `<!doctype html><title>Other shop</title><link rel="icon" href="data:,"><h1>Other shop</h1><script src="${server.url}/widget.js" data-site="demo" async></script>`));
  await new Promise(r => shop.listen(0, '127.0.0.1', r));
  try {
    await page.goto(`http://localhost:${shop.address().port}/`);
    await connected(page);
    const conversation = await startChat(page, 'Hello from another origin');
    await agent.send(conversation.conversationId, 'Hello back');
    await until(async () => (await bubbles(page)).some(t => t.startsWith('Hello back')), 'the reply');
    assert.deepEqual(errors, []);
  } finally { await context.close(); shop.close(); }
});

test('the demo pages log no console errors, and their tracked events reach the agents', async () => {
  const { context, page, errors } = await visit('/demo/index.html');
  try {
    await connected(page);
    await agent.connection.invoke('WatchVisitors', {});
    const id = await visitorId(page);
    await page.getByRole('button', { name: 'Add to cart' }).first().click();
    await until(() => agent.events.find(([n, v]) => n === 'VisitorUpserted' && v.visitorId === id && v.cartValue === 49), 'LiveChat.track("cart_add") to reach the agents');
    for (const path of ['/demo/product.html?sku=DESK-04', '/demo/cart.html', '/demo/checkout.html', '/demo/loans/rates.html']) {
      await page.goto(server.url + path);
      assert.equal(new URL(page.url()).pathname, path.split('?')[0], `${path} stays put`);
      await connected(page);
      await page.waitForTimeout(300);
    }
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});
