// Opens the agent console in Debian's Chromium against a running server and measures how it copes with the live
// visitors list (issue 15): frames per second, the share of time in long tasks (PerformanceObserver 'longtask'),
// and the online total the console shows. Run it while the load harness keeps visitors browsing (see run.sh).
//   node load-tests/browser-bench/bench.mjs --url http://127.0.0.1:5000 [--seconds 20] [--expect 2000] [--out file.json]
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { launchChromium } from '../../tests/browser/lib/server.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : fallback; };
const url = arg('url');
if (!url) { console.error('--url is required'); process.exit(2); }
const seconds = Number(arg('seconds', '20'));
const expect = arg('expect') ? Number(arg('expect')) : null;
const out = arg('out');

const launchedAt = Date.now();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const warnings = [];
  page.on('console', m => { if (m.type() === 'warning' || m.type() === 'error') warnings.push(m.text()); });
  page.on('response', r => { if (r.status() >= 400) warnings.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${url}/agent/login`);
  await page.fill('input[name=agentId]', arg('agent', 'demo'));
  await page.fill('input[name=password]', arg('password', 'demo'));
  await Promise.all([page.waitForURL(/\/agent$/), page.click('button[type=submit]')]);
  try {
    await page.waitForSelector('.conn.connected', { timeout: 60_000 });
  } catch (e) {
    // Say why, with what the page showed: a console that never connected is a finding, not a crash.
    const failed = { error: `the console did not reach "connected" within 60 s`, connection: await page.locator('.conn').first().getAttribute('class').catch(() => null),
      readyAfterSeconds: null, consoleWarnings: warnings.slice(0, 10), expectedOnline: expect };
    console.log(JSON.stringify(failed, null, 2));
    if (out) { mkdirSync(dirname(out), { recursive: true }); writeFileSync(out, JSON.stringify(failed, null, 2)); await page.screenshot({ path: out.replace(/\.json$/, '') + '.png' }); }
    throw e;
  }
  await page.waitForTimeout(3000); // the first page of the list has arrived and been drawn
  const readyAfterSeconds = (Date.now() - launchedAt) / 1000; // Chromium's start, sign-in, connected: run.sh's BENCH_MARGIN
  const result = await page.evaluate(async (ms) => {
    const longTasks = [];
    new PerformanceObserver(list => { for (const e of list.getEntries()) longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: false });
    let frames = 0;
    const start = performance.now();
    await new Promise(resolve => {
      const frame = () => { frames++; if (performance.now() - start < ms) requestAnimationFrame(frame); else resolve(); };
      requestAnimationFrame(frame);
    });
    const elapsed = performance.now() - start;
    const summary = document.querySelector('#visitor-counts, .visitors-view .summary')?.textContent ?? '';
    return {
      seconds: elapsed / 1000, framesPerSecond: frames / (elapsed / 1000),
      longTaskShare: longTasks.reduce((a, b) => a + b, 0) / elapsed, longTasks: longTasks.length,
      summary, online: Number((/([\d,]+) online/.exec(summary)?.[1] ?? 'NaN').replace(/,/g, '')),
      rows: document.querySelectorAll('.visitors tbody tr[data-visitor]').length,
      connection: document.querySelector('.conn')?.className ?? '',
    };
  }, seconds * 1000);
  result.readyAfterSeconds = readyAfterSeconds;
  result.consoleWarnings = warnings.slice(0, 10);
  result.expectedOnline = expect;
  result.onlineWithin10Percent = expect ? Math.abs(result.online - expect) <= expect * 0.1 : null;
  const text = JSON.stringify(result, null, 2);
  console.log(text);
  if (out) { mkdirSync(dirname(out), { recursive: true }); writeFileSync(out, text); }
  await context.close();
} finally {
  await browser.close();
}
