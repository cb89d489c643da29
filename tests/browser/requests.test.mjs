// Requests in real browsers against the real server with a real SMTP server (aiosmtpd): the widget's slot picker,
// confirmation and "your requests" status, and the console's request list with e-mail status and a written reply.
// Screenshots (desktop and 390 px) go to tests/browser/artifacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { artifacts, freePort, launchChromium, root, startServer } from './lib/server.mjs';
import { connectVisitor, until } from './lib/visitor-agent.mjs';

let smtp, mailDir, server, browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  mailDir = mkdtempSync(join(tmpdir(), 'livechat-mail-'));
  const port = await freePort();
  smtp = spawn('/usr/bin/python3', ['-u', join(root, 'tests', 'LiveChat.Server.Tests', 'Infrastructure', 'smtp_sink.py'), '--port', String(port), '--dir', mailDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    smtp.stdout.once('data', d => (String(d).startsWith('ready') ? resolve() : reject(new Error(String(d)))));
    smtp.once('exit', c => reject(new Error(`smtp sink exited ${c} (python3-aiosmtpd missing?)`)));
  });
  server = await startServer({
    LiveChat__Email__Smtp__Host: '127.0.0.1', LiveChat__Email__Smtp__Port: String(port), LiveChat__Email__Smtp__UseTls: 'none',
    LiveChat__Email__From: 'Demo Shop <service@shop.example>',
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close().catch(() => {});
  server?.stop();
  smtp?.kill('SIGTERM');
  rmSync(mailDir, { recursive: true, force: true });
});

const mails = () => readdirSync(mailDir).filter(f => f.endsWith('.eml')).map(f => readFileSync(join(mailDir, f), 'utf8'));
const w = (page, selector) => page.locator(`livechat-widget ${selector}`);

async function visit(viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(e.message));
  await page.goto(server.url + '/demo/index.html');
  await until(() => page.evaluate(() => localStorage.getItem('livechat:demo:token')), 'the widget to connect');
  return { context, page, errors };
}

for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  test(`a visitor books a callback slot, is confirmed by e-mail and sees the request's status (${name})`, async () => {
    const { context, page, errors } = await visit(viewport);
    try {
      await w(page, 'button.launch').click();
      await w(page, '[role=tab]:has-text("Call me back")').click();
      const options = w(page, 'select[name=at] option');
      await until(async () => (await options.count()) > 1, 'the free slots', 20_000);
      assert.equal(await options.first().innerText(), 'As soon as possible');
      const slot = await options.nth(2).getAttribute('value');
      const label = await options.nth(2).innerText();
      await w(page, 'select[name=at]').selectOption(slot);
      await w(page, 'input[name=phone]').fill('+44 20 7946 0000');
      await w(page, '.view:not([hidden]) input[name=name]').fill('Ada');
      assert.equal(await w(page, '.view:not([hidden]) input[name=contactEmail]').isVisible(), true, 'e-mail is configured: the confirmation address is asked');
      await w(page, '.view:not([hidden]) input[name=contactEmail]').fill('ada@example.com');
      await page.screenshot({ path: join(artifacts, `requests-callback-form-${name}.png`) });
      await w(page, 'button:has-text("Request a call")').click();
      await w(page, '.ok').waitFor({ state: 'visible' });
      const reference = (await w(page, '.ok b').innerText()).trim();
      assert.match(await w(page, '.ok').innerText(), new RegExp(`we'll call you on ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      assert.match(await w(page, '.ok').innerText(), /confirmation is on its way by email/);
      await until(async () => (await w(page, '.view:not([hidden]) .reqs li').count()) > 0, 'the status of my requests', 20_000);
      assert.match(await w(page, '.view:not([hidden]) .reqs').innerText(), new RegExp(`${reference}\\s+Call back · Scheduled`));
      await page.screenshot({ path: join(artifacts, `requests-callback-booked-${name}.png`) });
      await until(() => mails().some(m => m.includes(`Subject: Your callback request [${reference}]`)), 'the confirmation e-mail', 30_000);
      assert.deepEqual(errors, []);
    } finally { await context.close(); }
  });
}

test('an agent sees the e-mail status of a left message and answers it by e-mail (desktop and 390 px)', async () => {
  const visitorSide = await visit({ width: 1280, height: 800 });
  let reference;
  try {
    const { page } = visitorSide;
    await w(page, 'button.launch').click();
    await w(page, '[role=tab]:has-text("Leave a message")').click();
    await w(page, '.view:not([hidden]) input[name=email]').fill('grace@example.com');
    await w(page, '.view:not([hidden]) textarea[name=text]').fill('Is the TV-55 wall mount included? <b>not bold</b>');
    await w(page, 'button:has-text("Send message")').click();
    await w(page, '.view:not([hidden]) .ok').waitFor({ state: 'visible' });
    reference = (await w(page, '.view:not([hidden]) .ok b').innerText()).trim();
  } finally { await visitorSide.context.close(); }
  // A Dutch visitor's message: the English console says which language to reply in.
  const dutch = await connectVisitor(server.url, { url: 'http://127.0.0.1/demo/contact.html', title: 'Contact' }, 'demo', ['nl-NL']);
  const dutchReference = (await dutch.connection.invoke('LeaveMessage', { email: 'daan@example.nl', text: 'Zit de muurbeugel erbij?' })).reference;
  await dutch.stop();

  for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', e => errors.push(String(e)));
    try {
      await page.goto(`${server.url}/agent`);
      await page.waitForURL(/\/agent\/login/);
      await page.fill('input[name=agentId]', 'demo');
      await page.fill('input[name=password]', 'demo');
      await Promise.all([page.waitForURL(/\/agent$/), page.click('button[type=submit]')]);
      await page.waitForSelector('.conn.connected');
      const item = page.locator(`.requests li[data-reference="${reference}"]`);
      await item.waitFor({ state: 'attached' });
      // The list is redrawn when a request's mail status changes: scroll again if the row was replaced meanwhile.
      await until(async () => { await item.scrollIntoViewIfNeeded({ timeout: 2000 }); return true; }, 'the request scrolled into view');
      await until(async () => /Confirmation to grace@example\.com: sent/.test(await item.innerText()), 'the confirmation shown as sent', 30_000);
      assert.equal(await item.locator('b').count(), 0, 'the visitor\'s text is shown as text');
      assert.equal(await item.locator('.chip.lang').count(), 0, 'an English visitor in an English console: no language chip');
      assert.equal(await page.locator(`.requests li[data-reference="${dutchReference}"] .chip.lang`).innerText(), 'Writes in Dutch');
      if (name === 'desktop') {
        await item.locator('summary:has-text("Reply by e-mail")').click();
        await item.locator('textarea').fill('Yes — the wall mount is in the box.');
        await item.locator('button:has-text("Send reply")').click();
        await until(async () => /Reply to grace@example\.com: sent/.test(await page.locator(`.requests li[data-reference="${reference}"]`).innerText()), 'the reply shown as sent', 30_000);
        assert.match(await page.locator(`.requests li[data-reference="${reference}"]`).innerText(), /In progress/);
        const reply = await until(() => mails().find(m => m.includes(`Subject: Re: We received your message [${reference}]`)), 'the reply e-mail', 30_000);
        assert.match(reply, new RegExp(`In-Reply-To: <${reference}\\.confirmation\\.demo@shop\\.example>`));
      }
      await page.screenshot({ path: join(artifacts, `console-requests-${name}.png`) });
      assert.deepEqual(errors, []);
    } finally { await context.close(); }
  }
});
