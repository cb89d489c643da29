import { test } from "node:test";
import assert from "node:assert/strict";
import { exact, expand, matches, tokenAt } from "../src/console/canned";
import { badgeTitle, barWidth, elapsed, money, pagePath, percent, since, visitorLabel } from "../src/console/format";
import { activeNotices, expiryText, noticeBody, pagesText, toLocalInput } from "../src/console/notices";
import type { ChatMessage, ConversationView, Notice } from "../src/shared/protocol";
import { mergeMessages, neighbour, Store, unconfirmed } from "../src/console/store";

const canned = [
  { shortcut: "/hi", text: "Hi! How can I help?" },
  { shortcut: "/hint", text: "A hint." },
  { shortcut: "/ship", text: "We ship in a day." },
];

const msg = (sequence: number, from: ChatMessage["from"] = "visitor", clientMessageId: string | null = null): ChatMessage => ({
  conversationId: "c1", messageId: `m${sequence}`, sequence, from, text: `t${sequence}`, sentAt: "2025-01-01T00:00:00Z", clientMessageId,
});

test("elapsed time reads as seconds, minutes and hours", () => {
  assert.equal(elapsed(0), "0s");
  assert.equal(elapsed(42_900), "42s");
  assert.equal(elapsed(185_000), "3m 05s");
  assert.equal(elapsed(4_320_000), "1h 12m");
  assert.equal(elapsed(-5000), "0s", "clock skew never shows a negative wait");
  assert.equal(since("2025-01-01T00:00:00.1234567+00:00", Date.parse("2025-01-01T00:01:00Z")), "59s");
  assert.equal(since(null, 0), "—");
});

test("money, paths, labels and ratios", () => {
  assert.equal(money(240), "240");
  assert.equal(money(19.9), "19.90");
  assert.equal(pagePath("http://shop.example/loans/rates?term=10"), "/loans/rates?term=10");
  assert.equal(pagePath("not a url"), "not a url");
  assert.equal(visitorLabel("v_8f3a-2b7c"), "Visitor 2B7C");
  assert.equal(percent(1, 4), "25%");
  assert.equal(percent(3, 0), "—");
  assert.equal(barWidth(0, 10), 0);
  assert.equal(barWidth(10, 10), 100);
  assert.ok(barWidth(1, 1000) > 0, "a non-zero figure always shows");
});

test("the title carries a badge only while something is unseen", () => {
  assert.equal(badgeTitle("LiveChat", 0), "LiveChat");
  assert.equal(badgeTitle("LiveChat", 2), "(2) LiveChat");
});

test("a shortcut is found at the caret, after a space or at the start only", () => {
  assert.deepEqual(tokenAt("/hi", 3), { start: 0, end: 3, word: "/hi" });
  assert.deepEqual(tokenAt("Sure. /sh", 9), { start: 6, end: 9, word: "/sh" });
  assert.equal(tokenAt("and/or", 6), null);
  assert.equal(tokenAt("/hi there", 9), null);
});

test("matching puts the exact shortcut first and expansion keeps the surrounding text", () => {
  assert.deepEqual(matches(canned, "/hi").map((c) => c.shortcut), ["/hi", "/hint"]);
  assert.deepEqual(matches(canned, "/").length, 3);
  assert.equal(exact(canned, "/HI")?.text, "Hi! How can I help?");
  const text = "Hello. /ship thanks";
  const r = expand(text, tokenAt(text, 12)!, canned[2]);
  assert.equal(r.text, "Hello. We ship in a day. thanks");
  assert.equal(r.caret, "Hello. We ship in a day.".length);
});

test("messages merge by sequence, once each, in order", () => {
  const merged = mergeMessages([msg(1), msg(3)], [msg(2), msg(3), msg(4)]);
  assert.deepEqual(merged.map((m) => m.sequence), [1, 2, 3, 4]);
});

test("a pending reply is settled when its echo arrives", () => {
  const pending = [{ clientMessageId: "a", text: "x", failed: false }, { clientMessageId: "b", text: "y", failed: false }];
  assert.deepEqual(unconfirmed(pending, [msg(1, "agent", "a")]).map((p) => p.clientMessageId), ["b"]);
});

test("Ctrl+arrows walk the chats and wrap around", () => {
  assert.equal(neighbour(["a", "b", "c"], "c", 1), "a");
  assert.equal(neighbour(["a", "b", "c"], "a", -1), "c");
  assert.equal(neighbour(["a", "b"], null, 1), "a");
  assert.equal(neighbour([], null, 1), null);
});

test("visitor messages count as unread unless their chat is on screen", () => {
  const store = new Store({ agentId: "ann", name: "Ann", sites: ["demo"], admin: false });
  const view = (id: string): ConversationView => ({
    conversationId: id, siteId: "demo", visitorId: "v" + id, status: "active", agentId: "ann", startedAt: "2025-01-01T00:00:00Z", messages: [],
  });
  assert.equal(store.upsertChat(view("c1")), true);
  assert.equal(store.upsertChat(view("c1")), false, "the same chat twice is one chat");
  store.upsertChat(view("c2"));
  store.active = "c1";
  store.view = "chat";
  store.addMessage(msg(1));
  store.addMessage(msg(1));
  store.addMessage({ ...msg(1), conversationId: "c2" });
  store.addMessage({ ...msg(2, "agent"), conversationId: "c2" });
  assert.equal(store.chats.get("c1")!.unread, 0);
  assert.equal(store.chats.get("c2")!.unread, 1);
  assert.equal(store.addMessage({ ...msg(1), conversationId: "nope" }), null);
  store.removeChat("c1");
  assert.equal(store.active, "c2");
});

const notice = (noticeId: string, severity: Notice["severity"], createdAt: string, expiresAt: string | null = null): Notice => ({
  noticeId, text: noticeId, severity, pageMatches: null, link: null, expiresAt, createdAt, updatedAt: createdAt, stats: { seen: 0, contactedAfter: 0 },
});

test("active notices: expired ones drop out, outages first, then the newest", () => {
  const now = Date.parse("2030-01-01T12:00:00Z");
  const list = [
    notice("old-info", "info", "2030-01-01T08:00:00Z"),
    notice("new-info", "info", "2030-01-01T09:00:00Z"),
    notice("outage", "outage", "2030-01-01T07:00:00Z"),
    notice("gone", "outage", "2030-01-01T10:00:00Z", "2030-01-01T11:59:59Z"),
    notice("warning", "warning", "2030-01-01T06:00:00Z", "2030-01-01T13:00:00Z"),
  ];
  assert.deepEqual(activeNotices(list, now).map((n) => n.noticeId), ["outage", "warning", "new-info", "old-info"]);
});

test("a notice's pages and expiry read plainly", () => {
  const now = Date.parse("2030-01-01T12:00:00Z");
  assert.equal(pagesText(null), "every page");
  assert.equal(pagesText("/checkout*"), "/checkout*");
  assert.equal(expiryText(null, now), "no expiry");
  assert.equal(expiryText("2030-01-01T11:00:00Z", now), "ended");
  assert.match(expiryText("2030-01-05T11:00:00Z", now), /^until /);
});

test("the form becomes the API's body: optional fields left out when empty, expiry as an ISO instant", () => {
  assert.deepEqual(noticeBody({ text: "  Payments delayed ", severity: "outage", pageMatches: " ", link: "", expiresAt: "" }), { text: "Payments delayed", severity: "outage" });
  const local = "2030-01-31T18:00";
  const body = noticeBody({ text: "x", severity: "info", pageMatches: "/checkout*", link: "https://status.example.com", expiresAt: local });
  assert.equal(body.pageMatches, "/checkout*");
  assert.equal(body.link, "https://status.example.com");
  assert.equal(body.expiresAt, new Date(local).toISOString());
  assert.equal(toLocalInput(body.expiresAt), local, "editing shows the same local time");
  assert.equal(toLocalInput(null), "");
});

test("a rules error points at its line: JSON position, a rule's id, or its index", async () => {
  const { errorLine } = await import("../src/console/rules");
  const text = '[\n  {\n    "id": "a",\n    "x": "{ not [ a rule"\n  },\n  {\n    "id": "cart-help",\n    "when": {}\n  }\n]';
  assert.equal(errorLine(text, "invalid JSON at line 4, position 7: boom"), 4);
  assert.equal(errorLine(text, "rule 'cart-help': when.pageMatchez is not a field"), 7);
  assert.equal(errorLine(text, "rules[1]: must be an object"), 6, "the second rule, strings with brackets skipped");
  assert.equal(errorLine(text, "Unexpected token at position 5"), 2);
  assert.equal(errorLine(text, "something else"), null);
});

test("money is in the site's currency when it has one, a plain amount otherwise", () => {
  assert.equal(money(240, "EUR", "en-US"), "€240.00");
  assert.equal(money(19.9, "EUR", "de-DE").replace(/\s/g, " "), "19,90 €");
  assert.equal(money(19.9, "USD", "en-US"), "$19.90");
  assert.equal(money(240, null), "240");
});
