// Small pure helpers for what the console shows: durations, money, paths, the title badge, funnel ratios.
// Dates, times, numbers and money are in the agent's locale (the console's language, i18n.ts).
import { consoleLocale, t } from "./i18n";

/** "42s", "3m 05s", "1h 12m" — for ticking waits and times on page. */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, "0")}m`;
}

export function since(iso: string | null | undefined, now: number): string {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? "—" : elapsed(now - t);
}

let defaultCurrency: string | null = null;

/** The currency money() uses when its caller names none: the agent's site's (LiveChat:Sites:{id}:Currency). */
export function setDefaultCurrency(currency: string | null | undefined): void {
  defaultCurrency = currency || null;
}

/**
 * The one way the console shows money: in the site's currency with Intl.NumberFormat ("€240.00", "€19.90"), or,
 * when the site names no currency, as a plain amount without guessing one ("240", "19.90").
 */
export function money(n: number, currency: string | null | undefined = defaultCurrency, locale: string = consoleLocale()): string {
  if (currency) {
    try {
      return new Intl.NumberFormat(locale, { style: "currency", currency }).format(n);
    } catch {
      // An unknown code (the server validates it, an older one may not): fall through to the plain amount.
    }
  }
  return Number.isInteger(n) ? n.toLocaleString(locale) : n.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** The path and query of a page URL, which is what agents (and rules) talk about. */
export function pagePath(url: string | null | undefined): string {
  if (!url) return "—";
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

export function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString(consoleLocale(), { hour: "2-digit", minute: "2-digit" });
}

export function dayAndTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleString(consoleLocale(), { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** A short, stable handle for an anonymous visitor. */
export function visitorLabel(visitorId: string): string {
  return t("visitors.label", { id: visitorId.replace(/[^a-z0-9]/gi, "").slice(-4).toUpperCase() });
}

/** "(2) LiveChat" while something waits unseen, else the plain title. */
export function badgeTitle(base: string, unseen: number): string {
  return unseen > 0 ? `(${unseen}) ${base}` : base;
}

/** A count in the agent's locale ("1,234", "1.234"). */
export const count = (n: number): string => n.toLocaleString(consoleLocale());

/** a / b as a whole percentage, "—" when b is 0. */
export function percent(a: number, b: number): string {
  return b > 0 ? `${Math.round((a / b) * 100)}%` : "—";
}

/** Bar width in percent of the largest value, at least a sliver when the value is not 0. */
export function barWidth(value: number, max: number): number {
  if (max <= 0 || value <= 0) return 0;
  return Math.max(1.5, Math.min(100, (value / max) * 100));
}
