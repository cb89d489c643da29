import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Outbox, hubError, newId, type Outgoing } from "../src/widget/outbox";
import { use } from "../src/widget/i18n";

const transportError = () => new Error("Invocation canceled due to the underlying connection being closed.");
const refusal = (m: string) => new Error(`An unexpected error occurred invoking 'SendMessage' on the server. HubException: ${m}`);

test("hubError reads the server's reason and tells transport failures apart", () => {
  assert.equal(hubError(refusal("invalid: text is longer than 2000 characters")), "text is longer than 2000 characters");
  assert.equal(hubError(transportError()), null);
  assert.equal(hubError("HubException: x"), "x");
});

test("in another language a refusal is said by its code in that language (the server's words are English)", async () => {
  const dutch = JSON.parse(readFileSync(join(process.cwd(), "src", "widget", "lang", "nl.json"), "utf8"));
  const fetcher = (async () => ({ ok: true, json: async () => dutch })) as unknown as typeof fetch;
  try {
    assert.equal(await use("http://x", "nl", "nl-NL", fetcher), "nl");
    assert.equal(hubError(refusal("limit-reached: this chat has reached 500 messages")), "Dat is voorlopig het maximum; wat je al stuurde, blijft bewaard.");
    assert.equal(hubError(refusal("rate-limited: slow down")), "Dat ging wat snel: wacht even en probeer het opnieuw.");
    assert.equal(hubError(refusal("from-the-future: something new")), "Dat kan nu niet.");
    assert.equal(hubError(transportError()), null);
  } finally { await use("http://x", "en"); }
  assert.equal(hubError(refusal("limit-reached: this chat has reached 500 messages")), "this chat has reached 500 messages");
});

test("a message that failed in transit is retried with the same clientMessageId", async () => {
  const box = new Outbox([]);
  box.add("hello", "id-1");
  const sent: string[] = [];
  let online = false;
  const send = async (o: Outgoing) => {
    sent.push(o.clientMessageId);
    if (!online) throw transportError();
    return { messageId: "m1", sequence: 1 };
  };
  assert.equal(await box.flush(send, () => {}), false);
  assert.deepEqual(box.items.map((i) => i.clientMessageId), ["id-1"]);
  online = true;
  const acked: number[] = [];
  assert.equal(await box.flush(send, (_, ack) => acked.push(ack.sequence)), true);
  assert.deepEqual(sent, ["id-1", "id-1"]);
  assert.deepEqual(acked, [1]);
  assert.equal(box.items.length, 0);
});

test("messages go in order and a transport failure stops the rest from overtaking", async () => {
  const box = new Outbox([]);
  box.add("one", "a");
  box.add("two", "b");
  box.add("three", "c");
  const sent: string[] = [];
  await box.flush(async (o) => {
    sent.push(o.clientMessageId);
    if (o.clientMessageId === "b") throw transportError();
    return { messageId: o.clientMessageId, sequence: sent.length };
  }, () => {});
  assert.deepEqual(sent, ["a", "b"]);
  assert.deepEqual(box.items.map((i) => i.clientMessageId), ["b", "c"]);
});

test("a refused message keeps its text and reason, is not retried on its own, and does not block the rest", async () => {
  const box = new Outbox([]);
  box.add("x".repeat(10), "bad");
  box.add("fine", "good");
  const sent: string[] = [];
  await box.flush(async (o) => {
    sent.push(o.clientMessageId);
    if (o.clientMessageId === "bad") throw refusal("text is not allowed");
    return { messageId: "m", sequence: 1 };
  }, () => {});
  assert.deepEqual(box.items, [{ clientMessageId: "bad", text: "x".repeat(10), error: "text is not allowed" }]);
  await box.flush(async (o) => { sent.push(o.clientMessageId); return { messageId: "m", sequence: 2 }; }, () => {});
  assert.deepEqual(sent, ["bad", "good"]);
  box.retry("bad");
  await box.flush(async (o) => { sent.push(o.clientMessageId); return { messageId: "m", sequence: 3 }; }, () => {});
  assert.deepEqual(sent, ["bad", "good", "bad"]);
  assert.equal(box.items.length, 0);
});

test("the queue is saved on every change, so a page load resends with the same ids", async () => {
  let saved: Outgoing[] = [];
  const box = new Outbox([], (items) => { saved = JSON.parse(JSON.stringify(items)); });
  box.add("hi", "k1");
  assert.deepEqual(saved, [{ clientMessageId: "k1", text: "hi" }]);
  const reloaded = new Outbox(saved);
  const ids: string[] = [];
  await reloaded.flush(async (o) => { ids.push(o.clientMessageId); return { messageId: "m", sequence: 1 }; }, () => {});
  assert.deepEqual(ids, ["k1"]);
});

test("a flush already running is not started twice (no duplicate sends)", async () => {
  const box = new Outbox([]);
  box.add("hi", "k1");
  let calls = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const send = async () => { calls++; await gate; return { messageId: "m", sequence: 1 }; };
  const first = box.flush(send, () => {});
  assert.equal(await box.flush(send, () => {}), false);
  release();
  await first;
  assert.equal(calls, 1);
});

test("client message ids are unique and within the server's 64 characters", () => {
  const ids = new Set(Array.from({ length: 200 }, newId));
  assert.equal(ids.size, 200);
  for (const id of ids) assert.ok(id.length <= 64);
});
