// Site-written text given per language, { "nl": "…", "en": "…" } (C#: LiveChat.Engagement/LocalizedText.cs), and how a
// reader's languages pick from it. Shared by the widget (notices) and the console (canned responses).

export type Texts = Record<string, string>;

/**
 * The text for a reader whose languages are `prefs` (best first, the site's default last): the exact tag, then its
 * primary language (nl-BE → nl), then English, then the first one written. The same order as the server's.
 */
export function pickText(texts: Texts | null | undefined, prefs: readonly (string | null | undefined)[]): string | undefined {
  if (!texts) return undefined;
  const keys = Object.keys(texts);
  if (!keys.length) return undefined;
  const find = (tag: string) => keys.find((k) => k.toLowerCase() === tag.toLowerCase());
  for (const tag of [...prefs, "en"]) {
    if (!tag) continue;
    const k = find(tag) ?? find(tag.split("-")[0]);
    if (k) return texts[k];
  }
  return texts[keys[0]];
}

/** BCP 47 in the shape browsers send (nl, en-GB, zh-Hant-TW): what the server accepts as a language. */
export const isLanguageTag = (tag: unknown): tag is string => typeof tag === "string" && tag.length <= 35 && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag);
