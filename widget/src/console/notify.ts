// Getting the agent's attention while the tab is hidden: a title badge and, with permission, a system notification.
import { badgeTitle } from "./format";

const BASE = "LiveChat";

export class Attention {
  private unseen = 0;

  constructor() {
    document.title = BASE;
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden) this.clear();
    });
    window.addEventListener("focus", () => this.clear());
  }

  get permission(): NotificationPermission | "unsupported" {
    return typeof Notification === "undefined" ? "unsupported" : Notification.permission;
  }

  /** Must run inside a click (browsers refuse a permission prompt without a user gesture). */
  async ask(): Promise<NotificationPermission | "unsupported"> {
    if (typeof Notification === "undefined") return "unsupported";
    try {
      return await Notification.requestPermission();
    } catch {
      return Notification.permission;
    }
  }

  /** Counts and announces something new, but only while the agent is looking elsewhere. */
  ping(title: string, body: string, tag: string, onClick?: () => void): void {
    if (!document.hidden) return;
    this.unseen++;
    document.title = badgeTitle(BASE, this.unseen);
    if (this.permission !== "granted") return;
    try {
      const n = new Notification(title, { body: body.slice(0, 160), tag });
      n.onclick = () => {
        window.focus();
        onClick?.();
        n.close();
      };
    } catch {
      // Some platforms only allow notifications from a service worker; the title badge still works.
    }
  }

  clear(): void {
    this.unseen = 0;
    document.title = BASE;
  }
}
