import { test } from "node:test";
import assert from "node:assert/strict";
import { MessageLog } from "../src/widget/messages";
import type { ChatMessage } from "../src/shared/protocol";

const msg = (sequence: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  conversationId: "c1", messageId: "m" + sequence, sequence, from: "agent", text: "t" + sequence, sentAt: "2025-01-01T00:00:00Z", ...extra,
});

test("keeps messages ordered by sequence whatever the arrival order", () => {
  const log = new MessageLog("c1");
  for (const s of [3, 1, 2]) log.add(msg(s));
  assert.deepEqual(log.list.map((m) => m.sequence), [1, 2, 3]);
  assert.equal(log.last, 3);
});

test("a message seen twice (push and ack, or push and resync) is kept once", () => {
  const log = new MessageLog("c1");
  assert.equal(log.add(msg(1)), true);
  assert.equal(log.add(msg(1, { text: "again" })), false);
  assert.equal(log.list.length, 1);
  assert.equal(log.list[0].text, "t1");
});

test("a missing sequence is a gap to resync from the last contiguous one", () => {
  const log = new MessageLog("c1");
  log.add(msg(1));
  log.add(msg(2));
  assert.equal(log.hasGap, false);
  log.add(msg(5));
  assert.equal(log.hasGap, true);
  assert.equal(log.contiguous, 2);
  log.add(msg(3));
  log.add(msg(4));
  assert.equal(log.hasGap, false);
  assert.equal(log.contiguous, 5);
});

test("a conversation first seen mid-way is a gap from zero", () => {
  const log = new MessageLog("c1");
  log.add(msg(4));
  assert.equal(log.hasGap, true);
  assert.equal(log.contiguous, 0);
});

test("after a resync, sequences the server did not return stop counting as a gap (no resync loop)", () => {
  const log = new MessageLog("c1");
  log.add(msg(1));
  log.add(msg(3));
  assert.equal(log.hasGap, true);
  log.resynced();
  assert.equal(log.hasGap, false);
  log.add(msg(4));
  assert.equal(log.hasGap, false);
  log.add(msg(6));
  assert.equal(log.hasGap, true);
});

test("finds a visitor's own message by clientMessageId", () => {
  const log = new MessageLog("c1");
  log.add(msg(1, { from: "visitor", clientMessageId: "abc" }));
  assert.equal(log.hasClientMessage("abc"), true);
  assert.equal(log.hasClientMessage("xyz"), false);
});
