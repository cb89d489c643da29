// The wire check: the server's JSON samples of every push and hub result (artifacts/wire/samples.json, written by
// tests/LiveChat.Server.Tests/WireSampleTests.cs) must type-check against widget/src/shared/protocol.ts. Each sample
// becomes an object literal assigned to its declared type, compiled by tsc with exactOptionalPropertyTypes, so a
// field the TS types lack (excess property), a required one the server does not send, or another type fails; the
// push and method names and every closed set's values must match both ways.
//   node --test widget/wire/      (after the Server.Tests run: test.sh keeps that order)
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const samplesFile = join(root, "artifacts", "wire", "samples.json");
const protocol = join(here, "..", "src", "shared", "protocol.ts");
const tscBin = join(here, "..", "node_modules", "typescript", "bin", "tsc");

const maps = { visitor: ["VisitorPushes", "VisitorResults"], agent: ["AgentPushes", "AgentResults"] };
const union = (values) => values.map((v) => JSON.stringify(v)).join(" | ") || "never";

/** A .ts file that assigns every sample to its declared type and compares names and closed sets both ways. */
export function checkSource(samples, protocolPath, fromDir) {
  let spec = relative(fromDir, protocolPath).replace(/\\/g, "/").replace(/\.ts$/, "");
  if (!spec.startsWith(".")) spec = "./" + spec;
  const out = [
    `import type * as W from ${JSON.stringify(spec)};`,
    "type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;",
    "type Item<T> = T extends readonly (infer U)[] ? U : T;",
  ];
  for (const [hub, [pushes, results]] of Object.entries(maps)) {
    for (const [kind, map] of [["pushes", pushes], ["results", results]]) {
      const entries = Object.entries(samples[hub][kind]);
      out.push(`// ${hub} ${kind}: the names, then each sample`);
      out.push(`export const ${hub}_${kind}_names: Same<keyof W.${map}, ${union(entries.map(([n]) => n))}> = true;`);
      for (const [name, sample] of entries) {
        out.push(sample === null
          ? `export const ${hub}_${kind}_${name}: W.${map}[${JSON.stringify(name)}] = undefined; // no result`
          : `export const ${hub}_${kind}_${name}: W.${map}[${JSON.stringify(name)}][] = ${JSON.stringify(sample)};`);
      }
    }
  }
  out.push("// records: the TS interface of each contract record has exactly its fields (the same name as in C#)");
  for (const [record, fields] of Object.entries(samples.records ?? {})) {
    out.push(`export const record_${record}: Same<keyof W.${record}, ${union(fields)}> = true;`);
  }
  out.push("// closed sets: the TS union holds exactly the server's values");
  for (const [key, values] of Object.entries(samples.sets)) {
    const [record, property] = key.split(".");
    out.push(`export const set_${record}_${property}: Same<Item<NonNullable<W.${record}[${JSON.stringify(property)}]>>, ${union(values)}> = true;`);
  }
  return out.join("\n") + "\n";
}

/** tsc on the files; returns its diagnostics, each with the generated line it points at. */
function typecheck(files) {
  const r = spawnSync(process.execPath, [tscBin, "--noEmit", "--strict", "--exactOptionalPropertyTypes", "--skipLibCheck",
    "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", "--lib", "es2022", "--types", "node", ...files],
    { encoding: "utf8", cwd: join(here, "..") });
  const errors = (r.stdout + r.stderr).split("\n").filter((l) => /error TS/.test(l));
  return errors.map((e) => {
    const m = /^(.*?)\((\d+),\d+\)/.exec(e);
    const file = m && files.find((f) => m[1].endsWith(f.split(/[\\/]/).pop()));
    const line = file ? readFileSync(file, "utf8").split("\n")[Number(m[2]) - 1] ?? "" : "";
    return `${e}\n    at: ${line.slice(0, 300)}`;
  });
}

function readSamples() {
  assert.ok(existsSync(samplesFile), `${samplesFile} is missing: run the Server.Tests WireSampleTests first (test.sh does)`);
  return JSON.parse(readFileSync(samplesFile, "utf8"));
}

test("every push and hub result the server sends type-checks against widget/src/shared/protocol.ts", () => {
  const samples = readSamples();
  const dir = dirname(samplesFile);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "check.ts");
  writeFileSync(file, checkSource(samples, protocol, dir));
  const errors = typecheck([file]);
  assert.deepEqual(errors, [], `the TS wire types differ from the server's (generated checks in ${file}):\n${errors.join("\n")}`);
});

test("the check fails when the TS side loses a field, a closed-set value or a push", () => {
  const samples = readSamples();
  const source = readFileSync(protocol, "utf8");
  const mutations = {
    "field": ["clientMessageId?: string | null; senderName?: string | null;", "clientMessageId?: string | null;", /senderName/],
    "value": ['"visitor" | "agent" | "system" | "invitation"', '"visitor" | "agent" | "system"', /set_ChatMessage_from/],
    "push": ["ChatVisitor: ChatVisitorView; ", "", /agent_pushes_(names|ChatVisitor)/],
  };
  const tmp = mkdtempSync(join(tmpdir(), "livechat-wire-"));
  try {
    const files = Object.entries(mutations).map(([name, [from, to]]) => {
      assert.ok(source.includes(from), `mutation "${name}" no longer matches protocol.ts: update this test`);
      const dir = join(tmp, name);
      mkdirSync(dir);
      writeFileSync(join(dir, "protocol.ts"), source.replace(from, to));
      const file = join(dir, `check-${name}.ts`);
      writeFileSync(file, checkSource(samples, join(dir, "protocol.ts"), dir));
      return file;
    });
    const errors = typecheck(files);
    for (const [name, [, , expected]] of Object.entries(mutations)) {
      const mine = errors.filter((e) => e.includes(`check-${name}.ts`));
      assert.ok(mine.some((e) => expected.test(e)), `removing a ${name} went unnoticed:\n${mine.join("\n") || "(no errors)"}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
