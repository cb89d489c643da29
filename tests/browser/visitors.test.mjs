// The live visitors list in a real browser (issue 15): totals, filter and sort done by the server, keyed rows
// updated in place, a row opening the visitor's journey, and an invitation sent from it. node --test tests/browser/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, launchChromium, root, startServer } from './lib/server.mjs';

const signalr = await import(join(root, 'widget', 'node_modules', '@microsoft', 'signalr', 'dist', 'cjs', 'index.js'));
mkdirSync(artifacts, { recursive: true });

async function visitor(url, path, title) {
  const connection = new signalr.HubConnectionBuilder().withUrl(`${url}/hubs/visitor?site=demo`).configureLogging(signalr.LogLevel.None).build();
  const invitations = [];
  connection.on('Invitation', i => invitations.push(i));
  await connection.start();
  const hello = await connection.invoke('Hello', { visitorId: null, token: null, page: { url: `http://127.0.0.1${path}`, title } });
  return {
    id: hello.visitorId, invitations,
    track: (name, properties) => connection.invoke('Track', { name, properties }),
    pageView: (p, t) => connection.invoke('PageView', { url: `http://127.0.0.1${p}`, title: t }),
    stop: () => connection.stop(),
  };
}

async function until(what, f, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

async function signedIn(browser, url, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('console', m => { if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(m.text()); });
  await page.goto(`${url}/agent`);
  await page.waitForURL(/\/agent\/login/);
  await page.fill('input[name=agentId]', 'demo');
  await page.fill('input[name=password]', 'demo');
  await Promise.all([page.waitForURL(/\/agent$/), page.click('button[type=submit]')]);
  await page.waitForSelector('.conn.connected');
  return { page, errors, context };
}

test('the live list: totals, filter and sort, rows updated in place, a row opens the journey and invites', async t => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchChromium();
  t.after(() => browser.close().catch(() => {}));

  const sofa = await visitor(server.url, '/demo/product.html?sku=SOFA', 'Sofa');
  const pen = await visitor(server.url, '/demo/product.html?sku=PEN', 'Pen');
  const reader = await visitor(server.url, '/demo/index.html', 'Home');
  t.after(() => Promise.all([sofa.stop(), pen.stop(), reader.stop()]));
  await sofa.track('cart_add', { sku: 'SOFA', price: 900, quantity: 1 });
  await sofa.pageView('/demo/cart.html', 'Cart');
  await pen.track('cart_add', { sku: 'PEN', price: 3, quantity: 2 });

  const { page, errors, context } = await signedIn(browser, server.url, { width: 1280, height: 800 });
  await until('the totals', async () => /3 online · 2 with a cart/.test(await page.textContent('#visitor-counts')));
  assert.equal(await page.getByRole('table').locator('tbody tr[data-visitor]').count(), 3);

  // Filter and sort are the server's: only carts, the biggest first.
  await page.getByLabel('Show').selectOption('cart');
  await page.getByLabel('Sort by').selectOption('cart-value');
  await until('two rows, sofa first', async () =>
    (await page.locator('tbody tr[data-visitor]').evaluateAll(rows => rows.map(r => r.dataset.visitor))).join() === [sofa.id, pen.id].join());
  assert.match(await page.textContent('#visitor-counts'), /3 online · 2 with a cart/, 'the totals still cover everyone');

  // A change updates its row in place: the same element, new text.
  await page.evaluate(id => { window.penRow = document.querySelector(`tr[data-visitor="${id}"]`); }, pen.id);
  await pen.pageView('/demo/checkout.html', 'Checkout');
  const penRow = page.locator(`tr[data-visitor="${pen.id}"]`);
  await until('the pen row on checkout', async () => /checkout/.test(await penRow.textContent()));
  assert.ok(await page.evaluate(id => window.penRow === document.querySelector(`tr[data-visitor="${id}"]`), pen.id), 'the row was updated, not rebuilt');

  // The action column fits at 1280 px.
  const invite = penRow.getByRole('button', { name: 'Invite' });
  const box = await invite.boundingBox();
  assert.ok(box && box.x + box.width <= 1280, `Invite at ${box?.x}+${box?.width} is inside 1280 px`);

  // A row opens the visitor's journey (before any chat), and invites from there.
  const sofaRow = page.locator(`tr[data-visitor="${sofa.id}"]`);
  await sofaRow.getByRole('button', { name: /open the journey/ }).click();
  const journey = page.getByRole('region', { name: /Visitor/ });
  await journey.locator('.journey li').first().waitFor();
  const entries = await journey.locator('.journey li').allTextContents();
  assert.ok(entries.some(e => /\/demo\/cart\.html/.test(e)) && entries.some(e => /sku=SOFA/.test(e)), entries.join(' | '));
  assert.match(await journey.textContent(), /900/);
  await page.screenshot({ path: join(artifacts, 'console-visitors-journey.png') });
  await journey.getByRole('button', { name: 'Invite to chat' }).click();
  await page.fill('.invite-text', 'That sofa comes in blue too');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.invite-form .note.ok');
  await until('the invitation', () => sofa.invitations.some(i => i.text === 'That sofa comes in blue too'));

  // Back to everyone: three rows again.
  await page.getByLabel('Show').selectOption('online');
  await until('three rows', async () => (await page.locator('tbody tr[data-visitor]').count()) === 3);
  await page.screenshot({ path: join(artifacts, 'console-visitors-list.png') });
  assert.deepEqual(errors, []);
  await context.close();

  const phone = await signedIn(browser, server.url, { width: 390, height: 844 });
  await phone.page.waitForSelector('tbody tr[data-visitor]');
  await phone.page.screenshot({ path: join(artifacts, 'console-visitors-phone.png') });
  await phone.context.close();
});
