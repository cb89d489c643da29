// Both sides of a chat for browser tests: an agent as a real SignalR client (Node), and small waits on a page's widget.
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
export async function connectAgent(url) {
  const cookie = await signIn(url);
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

/** Debian's Chromium, headless: the shared harness's launch. */
export { launchChromium as launchBrowser } from './server.mjs';

/** The widget's shadow root content, read through the page. */
export const widgetText = (page, selector) =>
  page.evaluate(sel => [...(document.querySelector('livechat-widget')?.shadowRoot?.querySelectorAll(sel) ?? [])]
    .filter(e => !e.closest('[hidden]')).map(e => e.textContent).join('\n'), selector);
