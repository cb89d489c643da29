import { Limit, type PageInfo } from "../shared/protocol";

const isHttp = (u: string) => /^https?:\/\//i.test(u);

/** What the hub's PageInfo accepts: an absolute http(s) URL, a bounded title, a referrer only when it is http(s). */
export function pageInfo(href: string, title: string, referrer: string): PageInfo {
  const page: PageInfo = { url: href.slice(0, Limit.Url) };
  if (title) page.title = title.slice(0, Limit.Title);
  if (referrer && isHttp(referrer) && referrer.length <= Limit.Url) page.referrer = referrer;
  return page;
}

/** Settings from the widget's own <script> tag: the server is wherever the script came from. */
export function scriptConfig(script: { src: string; dataset: Record<string, string | undefined> } | null) {
  if (!script || !script.src) return null;
  const site = script.dataset.site;
  if (!site) return null;
  return { server: new URL(script.src).origin, site, color: script.dataset.color, lang: script.dataset.lang };
}

/** Calls `changed` after single-page-app navigation: history.pushState/replaceState and back/forward. */
export function watchNavigation(win: Window, changed: () => void): void {
  const h = win.history;
  for (const name of ["pushState", "replaceState"] as const) {
    const original = h[name];
    h[name] = function (this: History, ...args: Parameters<History["pushState"]>) {
      const result = original.apply(this, args);
      // After the app had its turn, so a title it sets along with the URL is seen.
      setTimeout(changed, 0);
      return result;
    };
  }
  win.addEventListener("popstate", () => setTimeout(changed, 0));
}

/** A notice's pageMatches against a URL's path and query: `*` is any run of characters, `regex:` a pattern. */
export function pageMatches(pattern: string | null | undefined, href: string): boolean {
  if (!pattern) return true;
  const u = new URL(href);
  const target = u.pathname + u.search;
  try {
    if (pattern.startsWith("regex:")) return new RegExp(pattern.slice(6)).test(target);
    const re = pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp("^" + re + "$").test(target);
  } catch {
    return true; // a pattern this browser cannot read: better shown than hidden
  }
}

/** Event properties the hub accepts: at most 20, primitive values, strings within 256 characters. */
export function cleanProperties(p: unknown): Record<string, string | number | boolean | null> | undefined {
  if (!p || typeof p !== "object") return undefined;
  const out: Record<string, string | number | boolean | null> = {};
  let n = 0;
  for (const [k, v] of Object.entries(p)) {
    if (n >= Limit.EventProperties) break;
    if (v === undefined || typeof v === "function") continue;
    out[k] = typeof v === "number" ? (isFinite(v) ? v : null)
      : typeof v === "boolean" || v === null ? v
      : (typeof v === "string" ? v : JSON.stringify(v) ?? "").slice(0, Limit.PropertyValue);
    n++;
  }
  return out;
}
