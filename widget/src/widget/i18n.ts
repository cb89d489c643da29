// The widget's words and formats in the visitor's language. English is built in; Dutch, German and French are fetched
// on demand from the server (wwwroot/widget/lang/xx.json, written by build.mjs), so each visitor downloads one language.
import EN from "./lang/en.json";
import { fill } from "../shared/system-text";
import { isLanguageTag } from "../shared/lang";

export type Key = keyof typeof EN;
export type Catalog = Record<Key, string>;

/** The languages the widget speaks; the first is built in. */
export const LANGUAGES = ["en", "nl", "de", "fr"];

let catalog: Catalog = EN;
/** The chosen language (a LANGUAGES entry) and the locale Intl formats with (the visitor's own tag, e.g. nl-BE). */
export let lang = "en";
export let locale = "en";

/** A catalog text with its `{name}` placeholders filled. */
export const t = (key: Key, params?: Record<string, string | number>) => fill(catalog[key] ?? EN[key], params);

/** The visitor's languages, best first: the script's data-lang, the page's <html lang>, the browser's. Well-formed tags only. */
export function candidates(dataLang: string | undefined, htmlLang: string | undefined, navigatorLanguages: readonly string[]): string[] {
  const out: string[] = [];
  for (const tag of [dataLang, htmlLang, ...navigatorLanguages]) if (isLanguageTag(tag) && !out.some((x) => x.toLowerCase() === tag.toLowerCase())) out.push(tag);
  return out.slice(0, 10);
}

/** The first candidate the widget speaks, as [language, locale]; null when it speaks none of them. */
export function choose(tags: readonly string[]): [string, string] | null {
  for (const tag of tags) {
    const primary = tag.toLowerCase().split("-")[0];
    if (LANGUAGES.includes(primary)) return [primary, tag];
  }
  return null;
}

/** Switches to `language` (fetching its catalog); English when it cannot be had. Resolves to the language in use. */
export async function use(server: string, language: string, tag = language, fetcher: typeof fetch = fetch): Promise<string> {
  if (language !== "en") {
    try {
      const r = await fetcher(`${server}/widget/lang/${language}.json`, { credentials: "omit" });
      if (!r.ok) throw new Error(String(r.status));
      catalog = { ...EN, ...(await r.json()) };
    } catch {
      language = tag = "en";
      catalog = EN;
    }
  } else catalog = EN;
  lang = language;
  locale = tag;
  return language;
}

// ---- Intl in the visitor's locale ----

const safe = <T>(f: () => T, fallback: T) => { try { return f(); } catch { return fallback; } };

/** A message's time: 14:05 (nl), 2:05 PM (en-US). */
export const time = (iso: string) => {
  const d = new Date(iso);
  return isNaN(+d) ? "" : safe(() => d.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }), "");
};

/** A slot or booked time in the visitor's own zone: "di 3 dec. 14:00". */
export const when = (iso: string) =>
  safe(() => new Date(iso).toLocaleString(locale, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }), iso);

export const number = (n: number) => safe(() => n.toLocaleString(locale), String(n));

/** Money in the site's currency (SiteInfo.currency), else a plain amount: never a guessed currency. */
export const money = (n: number, currency?: string | null) =>
  safe(() => new Intl.NumberFormat(locale, currency ? { style: "currency", currency } : { maximumFractionDigits: 2 }).format(n), String(n));
