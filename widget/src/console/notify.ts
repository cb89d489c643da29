// Getting the agent's attention: the tab title counts what is unseen; a new chat announces itself with a toast
// (its first words) and, if the agent turned it on, a short sound; while the tab is hidden, a system notification.
import { h } from "../shared/dom";
import { badgeTitle } from "./format";

const BASE = "LiveChat";
const SOUND_KEY = "livechat:sound";
const TOAST_MS = 12000;

export class Attention {
  private unseen = 0;
  private waiting = 0;
  private audio: AudioContext | null = null;
  private toasts: HTMLElement | null = null;

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

  get sound(): boolean {
    try { return localStorage.getItem(SOUND_KEY) === "1"; } catch { return false; }
  }

  /** Opt-in (a click, which is also what lets the page play audio at all). */
  set sound(on: boolean) {
    try { localStorage.setItem(SOUND_KEY, on ? "1" : "0"); } catch { /* private mode: for this page only */ }
    if (on) this.beep();
  }

  /** The tab title carries what waits unseen in the console (unread messages, chats not yet looked at). */
  setWaiting(n: number): void {
    this.waiting = n;
    this.drawTitle();
  }

  /** A new chat while the agent is busy with another (or elsewhere): a toast with its first words, and the sound. */
  announce(title: string, body: string, onOpen: () => void): void {
    if (this.sound) this.beep();
    this.toasts ??= document.body.appendChild(h("div", { class: "toasts", role: "status", "aria-live": "polite" }));
    const open = h("button", { type: "button", class: "small primary" }, "Open");
    const close = h("button", { type: "button", class: "ghost small", "aria-label": "Dismiss" }, "×");
    const toast = h("div", { class: "toast" }, h("div", { class: "toast-text" }, h("b", null, title), h("span", null, body.slice(0, 140))), open, close);
    const remove = () => toast.remove();
    open.addEventListener("click", () => { remove(); onOpen(); });
    close.addEventListener("click", remove);
    this.toasts.append(toast);
    while (this.toasts.children.length > 3) this.toasts.firstElementChild?.remove();
    setTimeout(remove, TOAST_MS);
  }

  private beep(): void {
    try {
      const ctx = (this.audio ??= new AudioContext());
      const t = ctx.currentTime;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.setValueAtTime(880, t);
      osc.frequency.setValueAtTime(660, t + 0.12);
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.32);
      document.body.dataset.sounds = String(Number(document.body.dataset.sounds ?? 0) + 1); // for tests and the curious
    } catch {
      // No audio (policy or platform): the toast and the title still say it.
    }
  }

  private drawTitle(): void {
    document.title = badgeTitle(BASE, Math.max(this.unseen, this.waiting));
  }

  /** Counts and announces something new, but only while the agent is looking elsewhere. */
  ping(title: string, body: string, tag: string, onClick?: () => void): void {
    if (!document.hidden) return;
    this.unseen++;
    this.drawTitle();
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
    this.drawTitle();
  }
}
