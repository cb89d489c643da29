// Service notices in the console: the site's active notices, polled (the server pushes them to visitors, not agents),
// and the admin's changes to them. Pure helpers first, so the tests need no browser.
import { clock, dayAndTime } from "./format";
import { problemDetail } from "./problem";
import type { Notice, NoticeList, Severity, SiteNotice } from "../shared/protocol";
import type { Store } from "./store";

export const SEVERITIES: Severity[] = ["outage", "warning", "info"];
export const severityLabel: Record<Severity, string> = { outage: "Outage", warning: "Warning", info: "Info" };
const POLL_MS = 30_000;

/** Still-active notices, the most severe first, then the newest. Expired ones go at once, not at the next poll. */
export function activeNotices<T extends Notice>(list: T[], now: number): T[] {
  return list
    .filter((n) => !n.expiresAt || Date.parse(n.expiresAt) > now)
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || b.createdAt.localeCompare(a.createdAt));
}

/** "every page" or the pattern, as the widget matches it. */
export const pagesText = (pattern: string | null | undefined) => (pattern ? pattern : "every page");

/** "no expiry", "until 18:30" (today), "until Jan 31, 18:00", "ended": stable between polls, unlike a countdown. */
export function expiryText(iso: string | null | undefined, now: number): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return "no expiry";
  if (t <= now) return "ended";
  return `until ${new Date(t).toDateString() === new Date(now).toDateString() ? clock(iso!) : dayAndTime(iso!)}`;
}

/** An ISO instant as a datetime-local input's value (the browser's own time zone, minutes). */
export function toLocalInput(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return "";
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export interface NoticeFields { text: string; severity: string; pageMatches: string; link: string; expiresAt: string }

/**
 * The POST/PUT body from the form: empty optional fields are left out, the local expiry becomes an ISO instant.
 * Everything else is the server's to judge, so its message (naming the field) is the one the admin sees.
 */
export function noticeBody(f: NoticeFields): Record<string, string | Record<string, string>> {
  const body: Record<string, string | Record<string, string>> = { text: localizedInput(f.text, "text"), severity: f.severity };
  if (f.pageMatches.trim()) body.pageMatches = f.pageMatches.trim();
  if (f.link.trim()) body.link = f.link.trim();
  if (f.expiresAt) {
    const d = new Date(f.expiresAt);
    body.expiresAt = Number.isNaN(d.getTime()) ? f.expiresAt : d.toISOString();
  }
  return body;
}

/**
 * Site-written text as typed in an editor: a plain string, or, when it starts with "{", the per-language object
 * { "nl": "…", "en": "…" } as JSON. Bad JSON throws a message naming the field; the server judges the rest.
 */
export function localizedInput(value: string, field: string): string | Record<string, string> {
  const v = value.trim();
  if (!v.startsWith("{")) return v;
  try {
    const o = JSON.parse(v);
    if (o && typeof o === "object" && !Array.isArray(o)) return o;
  } catch { /* below */ }
  throw new Error(`${field}: a text per language must be a JSON object, e.g. { "nl": "Betalingen zijn vertraagd", "en": "Payments are delayed" }`);
}

/** How an editor shows site-written text: the string, or the per-language object as JSON. */
export const localizedValue = (text: string | undefined, texts?: Record<string, string> | null) => texts ? JSON.stringify(texts) : text ?? "";

const base = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}/notices`;

/** Keeps store.notices current: every 30 s while the console is open and visible, and right after an admin's change. */
export class NoticeFeed {
  private timer = 0;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly store: Store) {}

  start(): void {
    void this.refresh();
    this.timer = window.setInterval(() => { if (!document.hidden) void this.refresh(); }, POLL_MS);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) void this.refresh(); });
  }

  /** One fetch per site the agent serves; a failing site keeps its last list (a blip should not hide an outage notice). */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.fetchAll().finally(() => { this.running = null; });
      return this.running;
    }
    // Asked while a fetch runs (after a change, say): one more fetch follows it, so the change is always seen.
    this.queued ??= this.running.then(() => { this.queued = null; return this.refresh(); });
    return this.queued;
  }

  private async fetchAll(): Promise<void> {
    const s = this.store;
    const results = await Promise.all(s.me.sites.map(async (siteId) => {
      try {
        const res = await fetch(base(siteId), { credentials: "same-origin" });
        if (res.status === 401 || res.status === 403) return { siteId, denied: true as const };
        if (!res.ok) throw new Error(problemDetail(await res.json().catch(() => null)) ?? `HTTP ${res.status}`);
        const body = (await res.json()) as NoticeList;
        return { siteId, notices: body.notices.map((n): SiteNotice => ({ ...n, siteId })) };
      } catch (e) {
        return { siteId, error: e instanceof Error ? e.message : String(e) };
      }
    }));
    const kept = s.notices.filter((n) => results.some((r) => r.siteId === n.siteId && "error" in r));
    s.notices = [...kept, ...results.flatMap((r): SiteNotice[] => ("notices" in r && r.notices ? r.notices : []))];
    s.noticesError = results.find((r) => "error" in r)?.error ?? null;
    if (results.length && results.every((r) => "denied" in r)) {
      // Not an agent of any of these sites any more: nothing to poll.
      clearInterval(this.timer);
    }
    s.emit("notices");
  }

  /** Creates (noticeId null) or replaces a notice; the server's 400 message, or null when saved. */
  async save(siteId: string, noticeId: string | null, fields: NoticeFields): Promise<string | null> {
    const url = noticeId ? `${base(siteId)}/${encodeURIComponent(noticeId)}` : base(siteId);
    let body: string;
    try { body = JSON.stringify(noticeBody(fields)); } catch (e) { return (e as Error).message; }
    return this.send(url, noticeId ? "PUT" : "POST", body);
  }

  remove(siteId: string, noticeId: string): Promise<string | null> {
    return this.send(`${base(siteId)}/${encodeURIComponent(noticeId)}`, "DELETE");
  }

  private async send(url: string, method: string, body?: string): Promise<string | null> {
    try {
      const res = await fetch(url, { method, credentials: "same-origin", headers: body ? { "content-type": "application/json" } : {}, body });
      if (res.ok) return null;
      return problemDetail(await res.json().catch(() => null)) ?? (res.status === 403 ? "Only admins may change notices." : `The server refused it (HTTP ${res.status}).`);
    } catch (e) {
      return `Could not reach the server: ${e instanceof Error ? e.message : e}`;
    } finally {
      await this.refresh();
    }
  }
}
