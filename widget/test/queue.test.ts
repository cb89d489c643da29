import { test } from "node:test";
import assert from "node:assert/strict";
import { installGlobal, type LiveChatApi } from "../src/widget/queue";

function api(calls: unknown[][]): LiveChatApi {
  return { version: "1", track: (...a) => { calls.push(a); }, open() {}, close() {}, consent: (v) => { calls.push(["consent", v]); } };
}

/** The documented snippet, exactly as a page would run it before widget.js arrives. */
function stub(win: any) {
  win.LiveChat = win.LiveChat || { q: [], track: function (this: { q: unknown[] }) { this.q.push(arguments); } };
}

test("calls made before the script loaded are replayed in order", () => {
  const win: any = {};
  stub(win);
  win.LiveChat.track("cart_add", { sku: "A1", price: 10, quantity: 2 });
  win.LiveChat.track("checkout_start");
  const calls: unknown[][] = [];
  assert.equal(installGlobal(win, api(calls)), true);
  assert.deepEqual(calls, [["cart_add", { sku: "A1", price: 10, quantity: 2 }], ["checkout_start", undefined]]);
});

test("the real API replaces the stub as the one global", () => {
  const win: any = {};
  stub(win);
  const real = api([]);
  installGlobal(win, real);
  assert.equal(win.LiveChat, real);
  assert.deepEqual(Object.keys(win), ["LiveChat"]);
});

test("works without a stub", () => {
  const win: any = {};
  const calls: unknown[][] = [];
  installGlobal(win, api(calls));
  win.LiveChat.track("order_placed", { total: 5 });
  assert.deepEqual(calls, [["order_placed", { total: 5 }]]);
});

test("a second copy of the script does not take over a running widget", () => {
  const win: any = {};
  const first = api([]);
  installGlobal(win, first);
  assert.equal(installGlobal(win, api([])), false);
  assert.equal(win.LiveChat, first);
});

test("one throwing call does not stop the replay, and junk entries are skipped", () => {
  const win: any = { LiveChat: { q: [["bad"], [42], null, ["good"]] } };
  const seen: string[] = [];
  installGlobal(win, { version: "1", track: (n) => { if (n === "bad") throw new Error("boom"); seen.push(n); }, open() {}, close() {}, consent() {} });
  assert.deepEqual(seen, ["good"]);
});

test("a consent decision made through the stub before the script loaded is applied first", () => {
  const win: any = {};
  win.LiveChat = { q: [], track: function (this: { q: unknown[] }) { this.q.push(arguments); }, consent: function (this: { c?: boolean }, v: boolean) { this.c = v; } };
  win.LiveChat.track("cart_add");
  win.LiveChat.consent(true);
  const calls: unknown[][] = [];
  installGlobal(win, api(calls));
  assert.deepEqual(calls.map((c) => c[0]), ["consent", "cart_add"]);
  assert.equal(calls[0][1], true);
});
