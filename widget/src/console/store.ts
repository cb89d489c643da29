// The console's state and the pure rules for changing it; views subscribe to topics and redraw their part.
import { t } from "./i18n";
import type {
  AgentInfo, CallbackView, CannedResponse, ChatMessage, ConversationDetail, ConversationView, Me, QueueEntry, SiteNotice, Status, VisitorSummary,
  VisitorCounts, VisitorFilter, VisitorSort, VisitorsChanged, VisitorsPage,
} from "../shared/protocol";

export interface Pending { clientMessageId: string; text: string; failed: boolean }

export interface Chat {
  view: ConversationView;
  pending: Pending[];
  unread: number;
  visitorTyping: boolean;
  transferNote: string | null;
  /** Set when the chat ended or moved away; the agent dismisses it from the list. */
  ended: string | null;
  detail: ConversationDetail | null;
  draft: string;
  /** New to this console and not yet looked at (with no visitor message to count, it still says so). */
  fresh: boolean;
}

/** The visitor of this chat closed the tab (and the leave grace ran out), as far as the console has heard. */
export function visitorGone(chat: Chat): boolean {
  return !chat.ended && chat.detail?.visitor?.online === false;
}

export type Connection = "connecting" | "connected" | "reconnecting" | "offline";
export type Topic = "visitors" | "visitorCounts" | "queue" | "agents" | "chats" | "active" | "messages" | "callbacks" | "connection" | "status" | "context" | "view" | "notices";

/** Messages in sequence order, each sequence once (pushes and fetches overlap after a reconnect). */
export function mergeMessages(list: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const bySeq = new Map<number, ChatMessage>();
  for (const m of list) bySeq.set(m.sequence, m);
  for (const m of incoming) bySeq.set(m.sequence, m);
  return [...bySeq.values()].sort((a, b) => a.sequence - b.sequence);
}

/** Pending sends that the server has not yet echoed back. */
export function unconfirmed(pending: Pending[], messages: ChatMessage[]): Pending[] {
  const seen = new Set(messages.filter((m) => m.from === "agent" && m.clientMessageId).map((m) => m.clientMessageId));
  return pending.filter((p) => !seen.has(p.clientMessageId));
}

/** The next chat for Ctrl+↑/↓, wrapping around. */
export function neighbour(ids: string[], current: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const i = current ? ids.indexOf(current) : -1;
  if (i < 0) return step > 0 ? ids[0] : ids[ids.length - 1];
  return ids[(i + step + ids.length) % ids.length];
}

const hidden = () => typeof document !== "undefined" && document.hidden;

export const visitorKey = (siteId: string, visitorId: string) => `${siteId}/${visitorId}`;

export class Store {
  me: Me;
  connection: Connection = "connecting";
  status: Status = "online";
  capacity = 3;
  /** The live-visitors view this console watches (server-side filter, sort and limit): its rows, order and totals. */
  visitors = new Map<string, VisitorSummary>();
  visitorOrder: string[] = [];
  visitorCounts: VisitorCounts = { online: 0, withCart: 0, inSituation: 0, returning: 0, chatting: 0, matching: 0 };
  visitorQuery: { filter: VisitorFilter; sort: VisitorSort } = { filter: "online", sort: "needs-help" };
  /** Keys of rows changed since the visitors view last drew ("*" = all), so it touches only those rows. */
  visitorChanges = new Set<string>(["*"]);
  queues = new Map<string, QueueEntry[]>();
  agents: AgentInfo[] = [];
  chats = new Map<string, Chat>();
  order: string[] = [];
  active: string | null = null;
  /** "visitors" shows the live visitor list in the centre, "chat" the active chat, "supervisor" the admin view. */
  view: "visitors" | "chat" | "supervisor" = "visitors";
  callbacks: CallbackView[] = [];
  canned: CannedResponse[] = [];
  /** Per site: its currency code (LiveChat:Sites:{id}:Currency), for money(). */
  currencies = new Map<string, string>();
  /** The sites' active service notices (polled; see notices.ts), and why the last poll failed, if it did. */
  notices: SiteNotice[] = [];
  noticesError: string | null = null;
  private listeners = new Map<Topic, Set<() => void>>();
  private queued = new Set<Topic>();
  private scheduled = false;

  constructor(me: Me) {
    this.me = me;
  }

  on(topics: Topic[], f: () => void): void {
    for (const t of topics) {
      if (!this.listeners.has(t)) this.listeners.set(t, new Set());
      this.listeners.get(t)!.add(f);
    }
  }

  /** Redraws are batched into one animation frame, so a burst of pushes costs one render per part. */
  emit(...topics: Topic[]): void {
    for (const t of topics) this.queued.add(t);
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      const fs = new Set<() => void>();
      for (const t of this.queued) for (const f of this.listeners.get(t) ?? []) fs.add(f);
      this.queued.clear();
      for (const f of fs) f();
    };
    if (typeof requestAnimationFrame === "function" && !hidden()) requestAnimationFrame(run);
    else setTimeout(run, 0);
  }

  /** A new first page (start, reconnect, another filter or sort): every row is redrawn. */
  setVisitorsPage(page: VisitorsPage): void {
    this.visitors = new Map(page.visitors.map((v) => [visitorKey(v.siteId, v.visitorId), v]));
    this.visitorOrder = page.visitors.map((v) => visitorKey(v.siteId, v.visitorId));
    this.visitorCounts = page.counts;
    this.visitorQuery = { filter: page.filter, sort: page.sort };
    this.visitorChanges.add("*");
  }

  /** One VisitorsChanged diff: latest state per row, rows that left the view, the totals, the order when it changed. Returns whether an open chat's visitor changed. */
  applyVisitorsChanged(d: VisitorsChanged): boolean {
    let context = false;
    const chatting = new Map<string, Chat>();
    for (const chat of this.chats.values()) if (chat.detail) chatting.set(visitorKey(chat.view.siteId, chat.view.visitorId), chat);
    for (const v of d.upserts) {
      const key = visitorKey(v.siteId, v.visitorId);
      this.visitors.set(key, v);
      this.visitorChanges.add(key);
      const chat = chatting.get(key);
      if (chat?.detail) { chat.detail.visitor = v; context = true; }
    }
    for (const r of d.removals) {
      const key = visitorKey(r.siteId, r.visitorId);
      this.visitors.delete(key);
      this.visitorChanges.add(key);
      // Gone from the live list: an open chat's visitor has left, whatever older summary came in before.
      const chat = chatting.get(key);
      if (chat?.detail?.visitor) { chat.detail.visitor = { ...chat.detail.visitor, online: false }; context = true; }
    }
    if (d.order) this.visitorOrder = d.order;
    else if (d.removals.length) this.visitorOrder = this.visitorOrder.filter((k) => this.visitors.has(k));
    this.visitorCounts = d.counts;
    return context;
  }

  get queue(): QueueEntry[] {
    return [...this.queues.values()].flat().sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  }

  get activeChat(): Chat | null {
    return this.active ? this.chats.get(this.active) ?? null : null;
  }

  /** Adds or refreshes a chat from a full view; returns true when it is new to this console. */
  upsertChat(view: ConversationView, transferNote: string | null = null): boolean {
    const existing = this.chats.get(view.conversationId);
    if (existing) {
      existing.view = { ...view, messages: mergeMessages(existing.view.messages, view.messages) };
      existing.pending = unconfirmed(existing.pending, existing.view.messages);
      if (transferNote) existing.transferNote = transferNote;
      if (view.status === "closed") existing.ended ??= t("chat.ended");
      else if (view.agentId === this.me.agentId) existing.ended = null;
      return false;
    }
    this.chats.set(view.conversationId, {
      view, pending: [], unread: 0, visitorTyping: false, transferNote, ended: view.status === "closed" ? t("chat.ended") : null, detail: null, draft: "",
      fresh: false,
    });
    this.order.push(view.conversationId);
    return true;
  }

  /** A pushed message; returns the chat it belongs to, if this console has it. */
  addMessage(m: ChatMessage): Chat | null {
    const chat = this.chats.get(m.conversationId);
    if (!chat) return null;
    const before = chat.view.messages.length;
    chat.view.messages = mergeMessages(chat.view.messages, [m]);
    chat.pending = unconfirmed(chat.pending, chat.view.messages);
    const isNew = chat.view.messages.length > before;
    if (isNew && m.from === "visitor") {
      chat.visitorTyping = false;
      if (this.active !== m.conversationId || this.view !== "chat" || hidden()) chat.unread++;
    }
    return chat;
  }

  removeChat(id: string): void {
    this.chats.delete(id);
    this.order = this.order.filter((x) => x !== id);
    if (this.active === id) {
      this.active = this.order[0] ?? null;
      if (!this.active && this.view === "chat") this.view = "visitors";
    }
  }

  /** Unread visitor messages across chats, plus chats nobody has looked at yet: the tab title's count. */
  unseen(): number {
    let n = 0;
    for (const c of this.chats.values()) n += c.unread || (c.fresh ? 1 : 0);
    return n;
  }

  openChats(): string[] {
    return this.order.filter((id) => !this.chats.get(id)?.ended);
  }
}
