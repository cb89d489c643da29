// Consent first (data-consent="required" or LiveChat:Sites:{id}:ConsentRequired): until the page calls
// LiveChat.consent(true) the widget opens no connection and writes no storage; the launcher, the panel and the
// site's phone number still work. A visitor who sends a message (or a callback/message request) has consented to
// that chat, which then connects and stores what it needs. See docs/protocol.md, "Consent".
import type { SiteInfo } from "../shared/protocol";

/** "pending": nothing connects or is stored; "chat": only the chat the visitor started; "granted": the page said yes. */
export type Consent = "pending" | "chat" | "granted";

/** From the widget's <script> tag: data-consent="required" waits for consent; data-phone is shown meanwhile. */
export const consentConfig = (script: { dataset: Record<string, string | undefined> } | null) =>
  ({ required: script?.dataset.consent === "required", phone: script?.dataset.phone });

/** GET /api/widget/{site} (WidgetSiteView). */
export interface PublicSite { consentRequired: boolean; phoneNumber?: string | null }

/** The site as far as it is known without a connection: its phone number, availability unknown. */
export const offlineSite = (phoneNumber: string | null | undefined): SiteInfo | null =>
  phoneNumber ? { phoneNumber, agentsAvailable: true, withinBusinessHours: true } : null;

/**
 * The site's public settings, before any socket: no cookies, cacheable by the browser. Retried until it answers,
 * since a site that requires consent must be able to rely on it; null for an unknown site.
 */
export async function publicSite(server: string, site: string): Promise<PublicSite | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await fetch(`${server}/api/widget/${encodeURIComponent(site)}`, { credentials: "omit" });
      if (r.ok) return (await r.json()) as PublicSite;
      if (r.status === 404) return null;
    } catch { /* offline or the server restarting: try again */ }
    await new Promise((ok) => setTimeout(ok, Math.min(30000, 1000 * 2 ** attempt)));
  }
}
