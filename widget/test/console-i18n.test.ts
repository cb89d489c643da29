import { test } from "node:test";
import assert from "node:assert/strict";
import { catalogs, consoleLang, plural, setConsoleLang, t } from "../src/console/i18n";
import { money } from "../src/console/format";

const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every console catalog has every key of the English one, none empty, and the same parameters", () => {
  const en = catalogs.en;
  for (const [lang, catalog] of Object.entries(catalogs)) {
    assert.deepEqual(Object.keys(catalog).sort(), Object.keys(en).sort(), `${lang} has exactly the English keys`);
    for (const [key, text] of Object.entries(catalog)) {
      assert.ok(text.trim().length > 0, `${lang} ${key} is not empty`);
      assert.deepEqual(params(text), params(en[key as keyof typeof en]), `${lang} ${key} takes the same parameters`);
    }
  }
});

test("the console speaks the chosen language; anything else is English", () => {
  try {
    setConsoleLang("nl");
    assert.equal(consoleLang(), "nl");
    assert.equal(t("sidebar.queue"), "Wachtrij");
    assert.equal(t("visitors.showing", { shown: 3, matching: 9 }), "3 van 9 getoond");
    assert.equal(plural(1, "visitors.items"), "1 artikel");
    assert.equal(plural(2, "visitors.items"), "2 artikelen");
    assert.equal(money(1234.5, "EUR").replace(/\s/g, " "), "€ 1.234,50", "Dutch money: euro sign first, comma decimals");
    setConsoleLang("de");
    assert.equal(consoleLang(), "en");
    assert.equal(t("sidebar.queue"), "Queue");
    assert.equal(plural(1, "visitors.pages"), "1 page");
  } finally {
    setConsoleLang("en");
  }
});
