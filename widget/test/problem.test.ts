import { test } from "node:test";
import assert from "node:assert/strict";
import { problemDetail } from "../src/console/problem";

test("a problem shows its detail, which names the field", () => {
  assert.equal(problemDetail({ type: "x", title: "One or more validation errors occurred.", status: 400,
    detail: "link must be an absolute http(s) URL", errors: { link: ["link must be an absolute http(s) URL"] } }),
  "link must be an absolute http(s) URL");
});

test("without a detail, the first error by field is shown", () => {
  assert.equal(problemDetail({ status: 400, errors: { rules: ["rule 'a': then.text is required"] } }), "rule 'a': then.text is required");
});

test("a generic title alone, or no problem at all, leaves the caller's own words", () => {
  assert.equal(problemDetail({ title: "Forbidden", status: 403 }), undefined);
  assert.equal(problemDetail(null), undefined);
  assert.equal(problemDetail("oops"), undefined);
  assert.equal(problemDetail({ error: "the old shape" }), undefined);
});
