import type { ChatMessage } from "../shared/protocol";

/**
 * A conversation's messages ordered and deduplicated by sequence. Messages arrive from pushes,
 * acks, Hello and resyncs, in any order and more than once; `hasGap` says a sequence is missing
 * below the newest one, so the widget asks GetMessages({ afterSequence: contiguous }).
 */
export class MessageLog {
  list: ChatMessage[] = [];
  /** Highest sequence below which nothing is missing. */
  contiguous = 0;
  private _seen = new Set<number>();

  constructor(public conversationId: string | null = null) {}

  /** Adds a message; false when its sequence is already known. */
  add(m: ChatMessage): boolean {
    if (this._seen.has(m.sequence)) return false;
    this._seen.add(m.sequence);
    let i = this.list.length;
    while (i > 0 && this.list[i - 1].sequence > m.sequence) i--;
    this.list.splice(i, 0, m);
    while (this._seen.has(this.contiguous + 1)) this.contiguous++;
    return true;
  }

  get last(): number {
    return this.list.length ? this.list[this.list.length - 1].sequence : 0;
  }

  get hasGap(): boolean {
    return this.last > this.contiguous;
  }

  /** After a resync the server's answer is the truth: whatever it did not send does not exist. */
  resynced(): void {
    this.contiguous = Math.max(this.contiguous, this.last);
  }

  hasClientMessage(id: string): boolean {
    return this.list.some((m) => m.clientMessageId === id);
  }
}
