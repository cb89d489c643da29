// Canned responses: the "/shortcut" being typed at the caret, its matches, and its expansion.
import type { CannedResponse } from "../shared/protocol";
import { pickText } from "../shared/lang";

export interface Token { start: number; end: number; word: string }

/** The "/word" that ends at the caret, if the caret sits right after one (at the start or after whitespace). */
export function tokenAt(text: string, caret: number): Token | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)(\/[\w-]*)$/.exec(before);
  if (!m) return null;
  const start = caret - m[2].length;
  return { start, end: caret, word: m[2] };
}

/** Shortcuts starting with what was typed, exact match first. */
export function matches(canned: CannedResponse[], word: string): CannedResponse[] {
  const w = word.toLowerCase();
  return canned
    .filter((c) => c.shortcut.toLowerCase().startsWith(w))
    .sort((a, b) => Number(b.shortcut.toLowerCase() === w) - Number(a.shortcut.toLowerCase() === w) || a.shortcut.localeCompare(b.shortcut));
}

export function exact(canned: CannedResponse[], word: string): CannedResponse | undefined {
  return canned.find((c) => c.shortcut.toLowerCase() === word.toLowerCase());
}

/** The text with the token replaced by the response in the visitor's language (`languages`, best first), and where the caret goes. */
export function expand(text: string, token: Token, response: CannedResponse, languages: readonly string[] = []): { text: string; caret: number } {
  const words = pickText(response.texts, languages) ?? response.text;
  const out = text.slice(0, token.start) + words + text.slice(token.end);
  return { text: out, caret: token.start + words.length };
}
