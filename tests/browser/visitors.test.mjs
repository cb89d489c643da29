// The live visitors list in a real browser (issue 15): totals, filter and sort done by the server, keyed rows
// updated in place, a row opening the visitor's journey, and an invitation sent from it. node --test tests/browser/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifacts, launchChromium, startServer } from './lib/server.mjs';
import { connectVisitor, openConsole, until } from './lib/visitor-agent.mjs';
mkdirSync(artifacts, { recursive: true });

const visitor = (url, path, title) => connectVisitor(url, { url: `http://127.0.0.1${path}`, title });

const signedIn = (browser, url, viewport) => openConsole(browser, url, { viewport });

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
  await until(async () => /3 online · 2 with a cart/.test(await page.textContent('#visitor-counts')), 'the totals', 15_000);
  assert.equal(await page.getByRole('table').locator('tbody tr[data-visitor]').count(), 3);

  // Filter and sort are the server's: only carts, the biggest first.
  await page.getByLabel('Show').selectOption('cart');
  await page.getByLabel('Sort by').selectOption('cart-value');
  await until(async () =>
    (await page.locator('tbody tr[data-visitor]').evaluateAll(rows => rows.map(r => r.dataset.visitor))).join() === [sofa.id, pen.id].join(), 'two rows, sofa first', 15_000);
  assert.match(await page.textContent('#visitor-counts'), /3 online · 2 with a cart/, 'the totals still cover everyone');

  // A change updates its row in place: the same element, new text.
  await page.evaluate(id => { window.penRow = document.querySelector(`tr[data-visitor="${id}"]`); }, pen.id);
  await pen.pageView('/demo/checkout.html', 'Checkout');
  const penRow = page.locator(`tr[data-visitor="${pen.id}"]`);
  await until(async () => /checkout/.test(await penRow.textContent()), 'the pen row on checkout', 15_000);
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
  await until(() => sofa.invitations.some(i => i.text === 'That sofa comes in blue too'), 'the invitation', 15_000);

  // Back to everyone: three rows again.
  await page.getByLabel('Show').selectOption('online');
  await until(async () => (await page.locator('tbody tr[data-visitor]').count()) === 3, 'three rows', 15_000);
  await page.screenshot({ path: join(artifacts, 'console-visitors-list.png') });
  assert.deepEqual(errors, []);
  await context.close();

  const phone = await signedIn(browser, server.url, { width: 390, height: 844 });
  await phone.page.waitForSelector('tbody tr[data-visitor]');
  await phone.page.screenshot({ path: join(artifacts, 'console-visitors-phone.png') });
  await phone.context.close();
});
