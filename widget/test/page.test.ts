import { test } from "node:test";
import assert from "node:assert/strict";
import { cleanProperties, pageInfo, pageMatches, scriptConfig, watchNavigation } from "../src/widget/page";

test("page info carries url, title and an http(s) referrer", () => {
  assert.deepEqual(pageInfo("http://127.0.0.1:5080/demo/loans/rates.html?term=10", "Rates", "http://127.0.0.1:5080/demo/"), {
    url: "http://127.0.0.1:5080/demo/loans/rates.html?term=10", title: "Rates", referrer: "http://127.0.0.1:5080/demo/",
  });
});

test("empty title and non-http referrers are left out", () => {
  assert.deepEqual(pageInfo("https://shop.example/", "", "android-app://com.google/"), { url: "https://shop.example/" });
});

test("over-long url and title are cut to the server's limits", () => {
  const p = pageInfo("https://shop.example/?q=" + "x".repeat(3000), "t".repeat(400), "https://r.example/" + "y".repeat(3000));
  assert.equal(p.url.length, 2048);
  assert.equal(p.title!.length, 300);
  assert.equal(p.referrer, undefined);
});

test("the server is the script's own origin; the site comes from data-site", () => {
  assert.deepEqual(scriptConfig({ src: "https://chat.example:8443/widget.js?v=2", dataset: { site: "demo" } }),
    { server: "https://chat.example:8443", site: "demo", color: undefined, lang: undefined });
  assert.equal(scriptConfig({ src: "https://chat.example/widget.js", dataset: {} }), null);
  assert.equal(scriptConfig(null), null);
});

test("notice pageMatches: * is any run of characters over path and query; regex: is a pattern", () => {
  const u = "http://h/demo/loans/rates.html?term=10";
  assert.equal(pageMatches(null, u), true);
  assert.equal(pageMatches("/demo/loans/*", u), true);
  assert.equal(pageMatches("/demo/cart*", u), false);
  assert.equal(pageMatches("*term=10", u), true);
  assert.equal(pageMatches("/demo/loans/rates.html", u), false);
  assert.equal(pageMatches("regex:^/demo/(loans|cards)/", u), true);
  assert.equal(pageMatches("/a.b", "http://h/aXb"), false);
});

test("event properties are cut to what the hub accepts", () => {
  const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => ["k" + i, i]));
  assert.equal(Object.keys(cleanProperties(many)!).length, 20);
  assert.deepEqual(cleanProperties({ sku: "A1", price: 9.5, gift: false, none: null, nan: NaN, f: () => 1, u: undefined, o: { a: 1 }, s: "z".repeat(300) }), {
    sku: "A1", price: 9.5, gift: false, none: null, nan: null, o: '{"a":1}', s: "z".repeat(256),
  });
  assert.equal(cleanProperties("nope"), undefined);
  assert.equal(cleanProperties(undefined), undefined);
});

test("single-page navigation (pushState, replaceState, back) is reported after the app ran", async () => {
  const listeners: Record<string, () => void> = {};
  const calls: string[] = [];
  const history = { pushState: (_s: unknown, _t: string, url: string) => calls.push("push " + url), replaceState: (_s: unknown, _t: string, url: string) => calls.push("replace " + url) };
  const win = { history, addEventListener: (n: string, f: () => void) => (listeners[n] = f) } as unknown as Window;
  let changes = 0;
  watchNavigation(win, () => changes++);
  win.history.pushState({}, "", "/demo/cart.html");
  win.history.replaceState({}, "", "/demo/cart.html?x=1");
  listeners.popstate();
  assert.deepEqual(calls, ["push /demo/cart.html", "replace /demo/cart.html?x=1"]);
  assert.equal(changes, 0);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(changes, 3);
});
