import { test } from "node:test";
import assert from "node:assert/strict";
import { hubRefusal } from "../src/shared/refusal";

const invoked = (m: string) => new Error(`An unexpected error occurred invoking 'SendMessage' on the server. HubException: ${m}`);

test("a refusal's code is what the UI decides on; its text is what a person reads", () => {
  assert.deepEqual(hubRefusal(invoked("conversation-ended: this conversation has ended")), { code: "conversation-ended", text: "this conversation has ended" });
  // The text may itself start with the field it names.
  assert.deepEqual(hubRefusal(invoked("not-found: conversationId: no such conversation")), { code: "not-found", text: "conversationId: no such conversation" });
  assert.deepEqual(hubRefusal(invoked("invalid: text is required\nsecond line")), { code: "invalid", text: "text is required\nsecond line" });
});

test("a transport failure is no refusal; an uncoded server message is a plain refusal", () => {
  assert.equal(hubRefusal(new Error("Invocation canceled due to the underlying connection being closed.")), null);
  assert.equal(hubRefusal(undefined), null);
  assert.deepEqual(hubRefusal(invoked("Some Words")), { code: "refused", text: "Some Words" });
});
