// One fixture for widget tests on a customer's site: the LiveChat server (with the given rules), a host page served
// from another loopback origin, Debian's Chromium and the demo agent online, set up and torn down together.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { startServer, putRules, artifacts } from './server.mjs';
import { connectAgent, launchBrowser } from './visitor-agent.mjs';

/**
 * `page(url, server)` answers each request of the host page (the URL parsed) with its HTML; `rules` go to the demo site.
 * Returns { server, browser, agent, url(path), visit(path, options), stop() }.
 */
export async function shopWithAgent({ rules = [], page, env = {} }) {
  mkdirSync(artifacts, { recursive: true });
  const server = await startServer(env);
  const parts = { server };
  try {
    if (rules.length) await putRules(server.url, rules);
    parts.shop = createServer((req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(new URL(req.url, 'http://x'), server)));
    await new Promise(r => parts.shop.listen(0, '127.0.0.1', r));
    parts.browser = await launchBrowser();
    parts.agent = await connectAgent(server.url);
    await parts.agent.online(20);
  } catch (e) { await stop(parts); throw e; }

  const url = path => `http://localhost:${parts.shop.address().port}${path}`;
  return {
    server, browser: parts.browser, agent: parts.agent, url,
    /**
     * A new visitor (own browser context) on `path`, with the page's errors, WebSockets and requests recorded.
     * `locale` is the browser's language (default en-US), `viewport` its size.
     */
    async visit(path, { viewport, locale = 'en-US' } = {}) {
      const context = await parts.browser.newContext({ locale, ...(viewport ? { viewport } : {}) });
      const tab = await context.newPage();
      const sockets = [], requests = [], errors = [];
      tab.on('websocket', ws => sockets.push(ws));
      tab.on('request', r => requests.push(r.url()));
      tab.on('pageerror', e => errors.push(e.message));
      tab.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
      await tab.goto(url(path));
      return { context, page: tab, sockets, requests, errors };
    },
    stop: () => stop(parts),
  };
}

async function stop({ agent, browser, shop, server }) {
  await agent?.stop().catch(() => {});
  await browser?.close().catch(() => {});
  shop?.close();
  server?.stop();
}
