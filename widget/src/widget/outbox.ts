import type { MessageAck } from "../shared/protocol";
import { hubRefusal } from "../shared/refusal";
import EN from "./lang/en.json";
import { lang, t, type Key } from "./i18n";

/** A message typed by the visitor and not yet acknowledged; `error` holds a refusal to show inline. */
export interface Outgoing { clientMessageId: string; text: string; error?: string }

/**
 * What to tell the visitor about a rejected invocation, or null for a transport failure. In English the server's own
 * words ("HubException: invalid: text is required" → "text is required"), which may name the field; in another
 * language the refusal's code said in it (the server's words are English).
 */
export function hubError(e: unknown): string | null {
  const refusal = hubRefusal(e);
  if (!refusal) return null;
  if (lang === "en") return refusal.text;
  const key = `refused.${refusal.code}`;
  return t((key in EN ? key : "refused.refused") as Key);
}

/**
 * Unsent messages, in order. A transport failure leaves a message queued for the next flush with
 * the same clientMessageId, so the server can recognise a retry; a refusal keeps the text and the
 * reason until the visitor retries or removes it. Persisted so a page load loses nothing.
 */
export class Outbox {
  private _flushing = false;

  constructor(public items: Outgoing[], private _save: (items: Outgoing[]) => void = () => {}) {}

  add(text: string, clientMessageId: string): Outgoing {
    const item = { clientMessageId, text };
    this.items.push(item);
    this._save(this.items);
    return item;
  }

  remove(clientMessageId: string): void {
    this.items = this.items.filter((i) => i.clientMessageId !== clientMessageId);
    this._save(this.items);
  }

  retry(clientMessageId: string): void {
    for (const i of this.items) if (i.clientMessageId === clientMessageId) delete i.error;
    this._save(this.items);
  }

  /** Sends queued messages in order; stops at the first transport failure. Returns true when all went. */
  async flush(send: (item: Outgoing) => Promise<MessageAck>, acked: (item: Outgoing, ack: MessageAck) => void): Promise<boolean> {
    if (this._flushing) return false;
    this._flushing = true;
    try {
      for (const item of this.items.slice()) {
        if (item.error) continue;
        try {
          const ack = await send(item);
          this.remove(item.clientMessageId);
          acked(item, ack);
        } catch (e) {
          const refusal = hubError(e);
          if (refusal === null) return false;
          item.error = refusal;
          this._save(this.items);
        }
      }
      return !this.items.some((i) => !i.error);
    } finally {
      this._flushing = false;
    }
  }
}

export function newId(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const b = new Uint8Array(16);
  c?.getRandomValues ? c.getRandomValues(b) : b.forEach((_, i) => (b[i] = (Math.random() * 256) | 0));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
