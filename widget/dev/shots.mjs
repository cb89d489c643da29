// Screenshots of the widget on the demo shop, for looking at it: node dev/shots.mjs BASE_URL OUT_DIR
import { chromium } from "playwright-core";

const base = process.argv[2] || "http://127.0.0.1:5090";
const out = process.argv[3] || "/tmp/shots";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
page.on("console", (m) => console.log("console:", m.type(), m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto(base + "/demo/loans/rates.html");
const w = page.locator("livechat-widget");
await w.locator(".card").waitFor({ state: "visible", timeout: 15000 });
await page.waitForTimeout(400);
await page.screenshot({ path: `${out}/1-invitation.png` });
await w.getByRole("button", { name: "Chat now" }).click();
await w.getByLabel("Type your message").fill("Hi! Which term is best for £12,000?");
await w.getByLabel("Type your message").press("Enter");
await page.waitForTimeout(1000);
await page.screenshot({ path: `${out}/2-queued.png` });
await w.locator(".m.agent:not(:first-child)").first().waitFor({ timeout: 15000 }).catch(() => {});
await page.waitForTimeout(500);
await page.screenshot({ path: `${out}/3-chat.png` });
await w.getByRole("button", { name: "Call me back" }).click();
await w.getByLabel("Phone number").fill("+44 20 7946 0000");
await w.getByRole("button", { name: "Request a call" }).click();
await page.waitForTimeout(800);
await page.screenshot({ path: `${out}/4-callback.png` });
await browser.close();
