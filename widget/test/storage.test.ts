import { test } from "node:test";
import assert from "node:assert/strict";
import { consentStorage, createStorage, readJson } from "../src/widget/storage";

class FakeStorage {
  data = new Map<string, string>();
  failWrites = false;
  getItem(k: string) { return this.data.get(k) ?? null; }
  setItem(k: string, v: string) { if (this.failWrites) throw new Error("QuotaExceededError"); this.data.set(k, v); }
  removeItem(k: string) { this.data.delete(k); }
  get length() { return this.data.size; }
  key(i: number) { return [...this.data.keys()][i] ?? null; }
}

test("uses localStorage when it works", () => {
  const ls = new FakeStorage();
  const kv = createStorage(() => ls as unknown as Storage);
  kv.set("livechat:demo:id", "v1");
  assert.equal(ls.data.get("livechat:demo:id"), "v1");
  assert.equal(kv.get("livechat:demo:id"), "v1");
  assert.equal(ls.data.has("livechat:probe"), false);
});

test("falls back to memory when localStorage access throws (blocked cookies, sandbox)", () => {
  const kv = createStorage(() => { throw new Error("SecurityError"); });
  assert.equal(kv.get("k"), null);
  kv.set("k", "v");
  assert.equal(kv.get("k"), "v");
  kv.remove("k");
  assert.equal(kv.get("k"), null);
});

test("falls back to memory when localStorage is missing", () => {
  const kv = createStorage(() => undefined);
  kv.set("k", "v");
  assert.equal(kv.get("k"), "v");
});

test("a write that fails later (quota) is kept in memory and wins over the stale stored value", () => {
  const ls = new FakeStorage();
  const kv = createStorage(() => ls as unknown as Storage);
  kv.set("k", "old");
  ls.failWrites = true;
  kv.set("k", "new");
  assert.equal(kv.get("k"), "new");
  ls.failWrites = false;
  kv.set("k", "newer");
  assert.equal(kv.get("k"), "newer");
  assert.equal(ls.data.get("k"), "newer");
});

test("readJson survives garbage", () => {
  const kv = createStorage(() => undefined);
  kv.set("bad", "{not json");
  assert.deepEqual(readJson(kv, "bad", []), []);
  kv.set("good", "[1,2]");
  assert.deepEqual(readJson(kv, "good", []), [1, 2]);
  assert.equal(readJson(kv, "absent", 7), 7);
});

test("consent storage writes nothing, not even a probe, until allowed; then carries memory over", () => {
  const ls = new FakeStorage();
  let touched = 0;
  const kv = consentStorage(() => { touched++; return ls as unknown as Storage; }, false);
  kv.set("livechat:demo:open", "1");
  assert.equal(kv.get("livechat:demo:open"), "1");
  assert.equal(ls.data.size, 0);
  assert.equal(touched, 0);
  ls.data.set("livechat:demo:consent", "chat");
  assert.equal(kv.peek("livechat:demo:consent"), "chat");
  kv.allow();
  assert.equal(ls.data.get("livechat:demo:open"), "1");
  assert.equal(kv.allowed, true);
});

test("consent storage wipe removes every key of the prefix and writes to memory again", () => {
  const ls = new FakeStorage();
  ls.data.set("other", "x");
  const kv = consentStorage(() => ls as unknown as Storage, true);
  kv.set("livechat:demo:id", "v1");
  kv.set("livechat:demo:token", "t");
  kv.wipe("livechat:demo:");
  assert.deepEqual([...ls.data.keys()], ["other"]);
  assert.equal(kv.get("livechat:demo:id"), null);
  kv.set("livechat:demo:open", "1");
  assert.equal(ls.data.has("livechat:demo:open"), false);
});
