import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import EN from "../src/widget/lang/en.json";
import { LANGUAGES, candidates, choose, use, t, time, money, when } from "../src/widget/i18n";
import { SYSTEM_TEXT, systemText } from "../src/shared/system-text";
import { pickText, isLanguageTag } from "../src/shared/lang";

const langDir = join(process.cwd(), "src", "widget", "lang");
const catalogs = Object.fromEntries(readdirSync(langDir).filter((f) => f.endsWith(".json"))
  .map((f) => [f.replace(".json", ""), JSON.parse(readFileSync(join(langDir, f), "utf8")) as Record<string, string>]));
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every language the widget speaks has a catalog, and every catalog has exactly the English keys", () => {
  assert.deepEqual(Object.keys(catalogs).sort(), [...LANGUAGES].sort());
  for (const [lang, catalog] of Object.entries(catalogs)) {
    assert.deepEqual(Object.keys(catalog).sort(), Object.keys(EN).sort(), `${lang}.json`);
    for (const [key, text] of Object.entries(catalog)) {
      assert.ok(text.trim(), `${lang}.json: ${key} is empty`);
      assert.deepEqual(placeholders(text), placeholders((EN as Record<string, string>)[key]), `${lang}.json: ${key} has other placeholders than English`);
    }
  }
});

test("the shared system texts have every English code in every language, with the same parameters", () => {
  assert.deepEqual(Object.keys(SYSTEM_TEXT).sort(), [...LANGUAGES].sort());
  for (const [lang, table] of Object.entries(SYSTEM_TEXT)) {
    assert.deepEqual(Object.keys(table).sort(), Object.keys(SYSTEM_TEXT.en).sort(), lang);
    for (const [code, text] of Object.entries(table)) assert.deepEqual(placeholders(text), placeholders(SYSTEM_TEXT.en[code as keyof typeof SYSTEM_TEXT.en]), `${lang}: ${code}`);
  }
});

test("a system message reads in the reader's language; an unknown code or no code falls back to its text", () => {
  const joined = { code: "agent.joined", params: { agent: "Anna" }, text: "Anna joined the chat." };
  assert.equal(systemText(joined, "nl"), "Anna neemt deel aan de chat.");
  assert.equal(systemText(joined, "nl-BE"), "Anna neemt deel aan de chat.");
  assert.equal(systemText(joined, "ja"), "Anna joined the chat.");
  assert.equal(systemText({ code: "from.the.future", text: "Something new." }, "de"), "Something new.");
  assert.equal(systemText({ text: "The chat has ended." }, "fr"), "The chat has ended.");
});

test("the language: data-lang, else the page's, else the browser's; only well-formed tags; the first the widget speaks", () => {
  assert.deepEqual(candidates("en", "nl", ["de-DE", "nl"]), ["en", "nl", "de-DE"]);
  assert.deepEqual(candidates(undefined, "", ["fr-CA"]), ["fr-CA"]);
  assert.deepEqual(candidates("<b>", "x", ["nl-BE"]), ["nl-BE"]);
  assert.deepEqual(choose(["ja", "nl-BE", "en"]), ["nl", "nl-BE"]);
  assert.equal(choose(["ja", "es"]), null);
});

test("a catalog loads on demand; when it cannot be had the widget stays English", async () => {
  const nl = catalogs.nl;
  const ok = (async () => ({ ok: true, json: async () => nl })) as unknown as typeof fetch;
  assert.equal(await use("https://chat.example", "nl", "nl-NL", ok), "nl");
  assert.equal(t("tabCallback"), "Bel mij terug");
  assert.equal(t("position", { n: 3 }), "Je bent nummer 3");
  assert.match(time("2026-03-01T13:05:00Z"), /^\d\d:\d\d$/);
  assert.match(money(1234.5, "EUR"), /€\s?1\.234,50/);
  assert.ok(when("2026-03-03T13:00:00Z").length > 5);
  const down = (async () => { throw new Error("offline"); }) as unknown as typeof fetch;
  assert.equal(await use("https://chat.example", "de", "de", down), "en");
  assert.equal(t("tabCallback"), "Call me back");
  assert.equal(money(12, null), "12");
});

test("per-language text picks the reader's language, then its primary, then English, then the first written", () => {
  const texts = { nl: "Hoi", en: "Hi", "de-AT": "Servus" };
  assert.equal(pickText(texts, ["nl-BE", "en"]), "Hoi");
  assert.equal(pickText(texts, ["de-AT"]), "Servus");
  assert.equal(pickText(texts, ["fr", "nl"]), "Hoi"); // the site's default last
  assert.equal(pickText(texts, ["fr"]), "Hi");
  assert.equal(pickText({ nl: "Hoi" }, ["fr"]), "Hoi");
  assert.equal(pickText(null, ["nl"]), undefined);
  assert.ok(isLanguageTag("zh-Hant-TW") && !isLanguageTag("nl_NL") && !isLanguageTag(""));
});

test("the console expands a canned response in the visitor's language and reads per-language editor input", async () => {
  const { expand, tokenAt } = await import("../src/console/canned");
  const { localizedInput, localizedValue, noticeBody } = await import("../src/console/notices");
  const hoi = { shortcut: "/hoi", text: "Hoi!", texts: { nl: "Hoi!", en: "Hi!" } };
  assert.equal(expand("/hoi", tokenAt("/hoi", 4)!, hoi, ["en-GB", "nl"]).text, "Hi!");
  assert.equal(expand("/hoi", tokenAt("/hoi", 4)!, hoi, ["fr"]).text, "Hi!");
  assert.equal(expand("/hoi", tokenAt("/hoi", 4)!, { shortcut: "/hoi", text: "Hoi!" }, ["en"]).text, "Hoi!");
  assert.deepEqual(localizedInput(' { "nl": "Hoi", "en": "Hi" } ', "text"), { nl: "Hoi", en: "Hi" });
  assert.equal(localizedInput(" Hoi ", "text"), "Hoi");
  assert.throws(() => localizedInput('{ "nl": ', "text"), /^Error: text: a text per language must be a JSON object/);
  assert.equal(localizedValue("Hoi", { nl: "Hoi", en: "Hi" }), '{"nl":"Hoi","en":"Hi"}');
  assert.equal(localizedValue("Hoi", null), "Hoi");
  assert.deepEqual(noticeBody({ text: '{"nl":"Storing","en":"Outage"}', severity: "outage", pageMatches: "", link: "", expiresAt: "" }),
    { text: { nl: "Storing", en: "Outage" }, severity: "outage" });
});
