// Both sides of a chat for browser tests: an agent as a real SignalR client (Node), and small waits on a page's widget.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { root, signIn } from './server.mjs';

const signalr = await import(join(root, 'widget', 'node_modules', '@microsoft', 'signalr', 'dist', 'cjs', 'index.js'));

/** Polls `probe` until it returns something truthy, or fails after `ms` with `what` in the message. */
export async function until(probe, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try { last = await probe(); if (last) return last; } catch (e) { last = e; }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
}

/**
 * Signs the demo agent in and connects to /hubs/agent. Everything pushed is recorded in `events` as [name, payload].
 * `online()` makes the agent available (chats are then routed to it automatically), `away()` unavailable.
 */
export async function connectAgent(url, agentId = 'demo', password = 'demo') {
  const cookie = await signIn(url, agentId, password);
  const connection = new signalr.HubConnectionBuilder()
    .withUrl(`${url}/hubs/agent`, { headers: { cookie } })
    .configureLogging(signalr.LogLevel.None)
    .build();
  const events = [];
  for (const name of ['ConversationAssigned', 'Message', 'Typing', 'VisitorsChanged', 'ConversationClosed', 'CallbackRequested', 'QueueChanged'])
    connection.on(name, payload => events.push([name, payload]));
  // Each row of a live-list diff as its own event, for tests that follow one visitor.
  connection.on('VisitorsChanged', d => { for (const v of d.upserts) events.push(['VisitorUpserted', v]); });
  await connection.start();
  const agent = {
    connection, events,
    online: (capacity = 5) => connection.invoke('SetStatus', { status: 'online', capacity }),
    away: () => connection.invoke('SetStatus', { status: 'away', capacity: 5 }),
    /** The next conversation assigned to this agent (waits for it). */
    assigned: (ms = 10_000) => until(() => events.find(([n]) => n === 'ConversationAssigned')?.[1].conversation, 'ConversationAssigned', ms),
    send: (conversationId, text) => connection.invoke('SendMessage', { conversationId, clientMessageId: `a-${Date.now()}-${Math.random().toString(36).slice(2)}`, text }),
    typing: (conversationId, isTyping) => connection.invoke('Typing', { conversationId, isTyping }),
    /** A message from the visitor with this text, once it has arrived. */
    received: (text, ms = 10_000) => until(() => events.find(([n, m]) => n === 'Message' && m.from === 'visitor' && m.text === text), `visitor message "${text}"`, ms),
    stop: () => connection.stop(),
  };
  return agent;
}

/**
 * A visitor driven from Node through /hubs/visitor, as the widget would: connected and said Hello on `page`.
 * Pushes are recorded in `messages`, `typing` and `invitations`. `languages`: the visitor's, best first (Hello's).
 */
export async function connectVisitor(url, page = { url: 'http://127.0.0.1/demo/cart.html', title: 'Cart' }, site = 'demo', languages = undefined) {
  const connection = new signalr.HubConnectionBuilder().withUrl(`${url}/hubs/visitor?site=${site}`).configureLogging(signalr.LogLevel.None).build();
  const messages = [], typing = [], invitations = [];
  connection.on('Message', m => messages.push(m));
  connection.on('Typing', t => typing.push(t));
  connection.on('Invitation', i => invitations.push(i));
  await connection.start();
  const hello = await connection.invoke('Hello', { visitorId: null, token: null, page, ...(languages ? { languages } : {}) });
  const at = p => (p.startsWith('/') ? `http://127.0.0.1${p}` : p);
  return {
    id: hello.visitorId, hello, connection, messages, typing, invitations,
    track: (name, properties) => connection.invoke('Track', { name, properties }),
    /** A path (`/demo/x.html`, on http://127.0.0.1) or a whole URL. */
    pageView: (path, title) => connection.invoke('PageView', { url: at(path), title }),
    startChat: text => connection.invoke('StartChat', { text, clientMessageId: randomUUID() }),
    say: text => connection.invoke('SendMessage', { clientMessageId: randomUUID(), text }),
    typingOn: () => connection.invoke('Typing', { isTyping: true }),
    stop: () => connection.stop(),
  };
}

/**
 * The agent console signed in through its form, in a new browser context; returns { page, errors, context }. `errors`
 * collects console errors (not Chrome's "Failed to load resource", listed by URL with `responses`) and uncaught exceptions.
 * `responses`: also every answer ≥ 400; `dialogs`: also every dialog (dismissed); `bypassCSP`: only so axe-core can be injected.
 */
export async function openConsole(browser, url, { agentId = 'demo', password = 'demo', viewport = { width: 1280, height: 800 }, bypassCSP = false, responses = false, dialogs = false } = {}) {
  const context = await browser.newContext({ viewport, ...(bypassCSP ? { bypassCSP } : {}) });
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  if (responses) page.on('response', r => { if (r.status() >= 400) errors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
  if (dialogs) page.on('dialog', d => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  await page.goto(`${url}/agent`);
  await page.waitForURL(/\/agent\/login/);
  await page.fill('input[name=agentId]', agentId);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(/\/agent$/), page.click('button[type=submit]')]);
  await page.waitForSelector('.conn.connected');
  return { page, errors, context };
}

/** Debian's Chromium, headless: the shared harness's launch. */
export { launchChromium as launchBrowser } from './server.mjs';

/** The widget's shadow root content, read through the page. */
export const widgetText = (page, selector) =>
  page.evaluate(sel => [...(document.querySelector('livechat-widget')?.shadowRoot?.querySelectorAll(sel) ?? [])]
    .filter(e => !e.closest('[hidden]')).map(e => e.textContent).join('\n'), selector);
