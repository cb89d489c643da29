// The widget's honest answers, its accessibility (axe-core) and phones (390×844), in Chromium against the real server:
// who can answer is said as it is (nobody, busy, here), pushed when it changes; the header follows the agent;
// the invitation is part of the conversation; at 390 px the widget stays on screen whatever the host page does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, putRules, artifacts, identityHash, signIn } from './lib/server.mjs';
import { connectAgent, launchBrowser, until } from './lib/visitor-agent.mjs';
import { seriousViolations } from './lib/axe.mjs';

let server, browser, agent;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  // Two agents: "demo" (the shared one, usually away here) and "sam", who signs in and out within a test.
  const env = { LiveChat__Timings__AgentDisconnectGrace: '00:00:01' };
  [['demo', 'Demo Agent', 'demo', ['agent', 'admin']], ['sam', 'Sam Rivera', 'sam-pw', ['agent']]].forEach(([id, name, pw, roles], i) => {
    const p = `LiveChat__Agents__${i}__`;
    Object.assign(env, { [`${p}Id`]: id, [`${p}Name`]: name, [`${p}Sites__0`]: 'demo', [`${p}PasswordHash`]: identityHash(pw) });
    roles.forEach((r, j) => { env[`${p}Roles__${j}`] = r; });
  });
  server = await startServer(env);
  await putRules(server.url, [{
    id: 't-rates', situation: 'Comparing rates', when: { pageMatches: '/demo/loans/*', timeOnPageSeconds: 1 },
    then: { text: 'Comparing rates? I can help.', offers: ['chat', 'callback', 'phone'] }, onlyIfAgentAvailable: false, maxPerVisit: 1,
  }]);
  browser = await launchBrowser();
  agent = await connectAgent(server.url);
  await agent.away();
});

after(async () => {
  await agent?.stop().catch(() => {});
  await browser?.close().catch(() => {});
  server?.stop();
});

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

async function visit(path, options = {}) {
  // Reduced motion (which the widget honours): geometry and contrast are checked on the settled layout, not mid-animation.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: "reduce", ...options });
  // The demo checkout sends an empty cart back to cart.html: bring a lamp.
  await context.addInitScript(() => { if (!localStorage.getItem('demo-shop-cart')) localStorage.setItem('demo-shop-cart', '{"LAMP-01":1}'); });
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(e.message));
  await page.goto(server.url + path);
  await until(() => page.evaluate(() => localStorage.getItem('livechat:demo:token')), 'the widget to connect');
  return { context, page, errors };
}

const w = (page, selector) => page.locator(`livechat-widget ${selector}`);
const subtitle = page => w(page, '.panel .hd p').innerText();
const open = async page => { await w(page, 'button.launch').click(); await w(page, '.panel').waitFor({ state: 'visible' }); };
const say = async (page, text) => { await w(page, '.compose textarea').fill(text); await w(page, '.compose textarea').press('Enter'); };

/** Another signed-in agent as a SignalR client (sam). */
async function sam() {
  const cookie = await signIn(server.url, 'sam', 'sam-pw');
  const { join: j } = await import('node:path');
  const { root } = await import('./lib/server.mjs');
  const signalr = await import(j(root, 'widget', 'node_modules', '@microsoft', 'signalr', 'dist', 'cjs', 'index.js'));
  const connection = new signalr.HubConnectionBuilder().withUrl(`${server.url}/hubs/agent`, { headers: { cookie } }).configureLogging(signalr.LogLevel.None).build();
  const assigned = [];
  connection.on('ConversationAssigned', a => assigned.push(a.conversation));
  await connection.start();
  return { connection, assigned, online: c => connection.invoke('SetStatus', { status: 'online', capacity: c }), stop: () => connection.stop() };
}

test('with nobody online the widget says so, before and after the visitor writes, never "number 1 in line"', async () => {
  const { context, page, errors } = await visit('/demo/index.html');
  try {
    await open(page);
    await w(page, '[role=tab]:has-text("Chat")').click();
    assert.equal(await subtitle(page), 'No one is online right now');
    const hint = 'No one is online right now — leave a message or ask for a call back.';
    assert.equal(await w(page, '.hint').innerText(), hint);
    await say(page, 'Anyone there?');
    await until(async () => (await w(page, '.log .m.visitor').count()) === 1 && !(await w(page, '.m.pending').count()), 'the message stored');
    await until(async () => (await subtitle(page)) === 'No one is online right now', 'in line with nobody online, said so');
    assert.equal(await w(page, '.hint').innerText(), hint);
    assert.doesNotMatch(await w(page, '.panel').innerText(), /number 1|keep waiting/i);
    await page.screenshot({ path: join(artifacts, 'honest-nobody.png'), animations: 'disabled' });
    assert.deepEqual(errors, []);
  } finally { await context.close(); }
});

test('availability is pushed to an open widget when it changes: an agent comes online, then goes away', async () => {
  const { context, page, errors } = await visit('/demo/index.html');
  try {
    await open(page);
    assert.equal(await subtitle(page), 'No one is online right now');
    await agent.online(5);
    await until(async () => (await subtitle(page)) === 'We\'re here to help', 'the SiteStatus push');
    await agent.away();
    await until(async () => (await subtitle(page)) === 'No one is online right now', 'the SiteStatus push back');
    assert.deepEqual(errors, []);
  } finally { await context.close(); await agent.away(); }
});

test('the only agent online but full: "busy, you\'re number N, about M min"; the header stays true when the agent leaves', async () => {
  const s = await sam();
  await s.online(1);
  const first = await visit('/demo/index.html');
  const second = await visit('/demo/cart.html');
  try {
    await open(first.page);
    await say(first.page, 'I take the only seat');
    await until(() => s.assigned.length === 1, 'sam gets the first chat');
    await until(async () => (await w(first.page, '#lc-title').innerText()) === 'Sam Rivera', 'the agent in the header');
    assert.equal(await subtitle(first.page), 'is here to help');

    await open(second.page);
    await until(async () => (await subtitle(second.page)) === 'Busy right now: you may have to wait', 'busy, not away');
    await say(second.page, 'I will wait');
    await until(async () => /^Busy: you're number 1, about (a minute|\d+ min)$/.test(await subtitle(second.page)), 'a place and a wait');
    await second.page.screenshot({ path: join(artifacts, 'honest-busy.png'), animations: 'disabled' });

    // Sam's console goes away: after the grace period the chat is back in line, and the header no longer names Sam.
    await s.stop();
    await until(async () => (await w(first.page, '#lc-title').innerText()) === 'Chat with us', 'the header after the agent left', 15_000);
    assert.doesNotMatch(await subtitle(first.page), /here to help/);
    assert.deepEqual([...first.errors, ...second.errors], []);
  } finally { await first.context.close(); await second.context.close(); await s.stop().catch(() => {}); }
});

test('the accepted invitation is the conversation\'s first message on both sides, also after a reload', async () => {
  await agent.online(50);
  const { context, page, errors } = await visit('/demo/loans/rates.html');
  try {
    await w(page, '.card').waitFor({ state: 'visible', timeout: 10_000 });
    await w(page, '.card button:has-text("Chat now")').click();
    const seen = agent.events.length;
    await say(page, 'Is 6.4% fixed?');
    const conversation = await until(() => agent.events.slice(seen).find(([n]) => n === 'ConversationAssigned')?.[1].conversation, 'the chat');
    assert.deepEqual(conversation.messages.slice(0, 3).map(m => [m.from, m.text.replace(/ joined.*/, ' joined')]),
      [['invitation', 'Comparing rates? I can help.'], ['visitor', 'Is 6.4% fixed?'], ['system', 'Demo Agent joined']],
      'the visitor\'s first words come before "joined", after the invitation they answered');
    await page.reload();
    await until(async () => (await w(page, '.log .m').allTextContents()).length >= 3, 'the conversation after the reload');
    const texts = await w(page, '.log .m p').allTextContents();
    assert.deepEqual(texts.slice(0, 2), ['Comparing rates? I can help.', 'Is 6.4% fixed?']);
    assert.deepEqual(errors, []);
  } finally { await context.close(); await agent.away(); }
});

test('axe-core: no serious or critical violations with the widget closed, open, and showing an invitation', async () => {
  await agent.online(50);
  const { context, page } = await visit('/demo/loans/rates.html', { bypassCSP: true });
  try {
    const found = {};
    await w(page, '.card').waitFor({ state: 'visible', timeout: 10_000 });
    found.invitation = await seriousViolations(page);
    await w(page, '.card button:has-text("No thanks")').click();
    found.closed = await seriousViolations(page);
    await open(page);
    await say(page, 'Checking accessibility');
    await until(async () => (await w(page, '.log .m.system').count()) >= 1, 'joined');
    found.open = await seriousViolations(page);
    await w(page, '[role=tab]:has-text("Call me back")').click();
    found.callback = await seriousViolations(page);
    assert.deepEqual(found, { invitation: [], closed: [], open: [], callback: [] });
  } finally { await context.close(); await agent.away(); }
});

/** Where the widget's launcher, card and notices are, against the part of the page the visitor sees. */
const onScreen = page => page.evaluate(() => {
  const root = document.querySelector('livechat-widget').shadowRoot;
  const vv = window.visualViewport;
  const out = [];
  for (const sel of ['.launch', '.card', '.note', '.panel']) {
    for (const el of root.querySelectorAll(sel)) {
      if (el.closest('[hidden]') || !el.getClientRects().length) continue;
      const r = el.getBoundingClientRect();
      const left = r.left - vv.offsetLeft, top = r.top - vv.offsetTop;
      if (left < -1 || top < -1 || left + r.width > vv.width + 1 || top + r.height > vv.height + 1)
        out.push(`${sel} at ${Math.round(left)},${Math.round(top)} ${Math.round(r.width)}×${Math.round(r.height)} outside ${vv.width}×${Math.round(vv.height)}`);
    }
  }
  return out;
});

/** Makes the host page wider than the phone, as a careless shop page would (CSSOM: the CSP allows it). */
const widen = page => page.evaluate(() => { const d = document.createElement('div'); d.style.width = '620px'; d.style.height = '10px'; document.body.prepend(d); });

test('phones (390×844): the demo pages fit, and invitation, chat and notice stay on screen even on a page wider than the phone', async () => {
  await agent.online(50);
  const cookie = await signIn(server.url);
  const res = await fetch(`${server.url}/api/sites/demo/notices`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'Deliveries are a day late this week.', severity: 'warning', pageMatches: '/demo/checkout*' }) });
  assert.equal(res.status, 201);
  const notice = (await res.json()).noticeId;
  try {
    for (const path of ['/demo/index.html', '/demo/cart.html', '/demo/checkout.html', '/demo/loans/rates.html']) {
      const { context, page } = await visit(path, PHONE);
      assert.equal(new URL(page.url()).pathname, path);
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, `${path} fits 390 px`);
      await context.close();
    }

    const rates = await visit('/demo/loans/rates.html', PHONE);
    await w(rates.page, '.card').waitFor({ state: 'visible', timeout: 10_000 });
    assert.deepEqual(await onScreen(rates.page), [], 'the invitation on the demo page');
    await widen(rates.page);
    await until(async () => (await rates.page.evaluate(() => window.innerWidth)) > 390, 'the page to be wider than the phone');
    await until(async () => (await onScreen(rates.page)).length === 0, 'the invitation pinned to what the visitor sees', 3000)
      .catch(async () => assert.deepEqual(await onScreen(rates.page), []));
    await rates.page.screenshot({ path: join(artifacts, 'phone-invitation-wide-page.png') });
    await w(rates.page, '.card button:has-text("Chat now")').click();
    await say(rates.page, 'On my phone');
    await until(async () => (await w(rates.page, '.log .m.system').count()) >= 1, 'joined');
    assert.deepEqual(await onScreen(rates.page), [], 'the open chat');
    await rates.page.screenshot({ path: join(artifacts, 'phone-chat.png') });
    await rates.context.close();

    const checkout = await visit('/demo/checkout.html', PHONE);
    await w(checkout.page, '.note').waitFor({ state: 'visible', timeout: 10_000 });
    await widen(checkout.page);
    await until(async () => (await onScreen(checkout.page)).length === 0, 'the notice on screen', 3000)
      .catch(async () => assert.deepEqual(await onScreen(checkout.page), []));
    await checkout.page.screenshot({ path: join(artifacts, 'phone-notice.png') });
    await checkout.context.close();
  } finally {
    await fetch(`${server.url}/api/sites/demo/notices/${notice}`, { method: 'DELETE', headers: { cookie } });
    await agent.away();
  }
});
