// The console's behaviour: one agent-hub connection, the pushes it receives, and the actions agents take.
import { HttpTransportType, HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from "@microsoft/signalr";
import { setDefaultCurrency, visitorLabel } from "./format";
import { NoticeFeed } from "./notices";
import { Attention } from "./notify";
import type {
  AgentInfo, AgentPushes, AgentResults, CallbackView, CloseReason, ChatMessage, ConversationAssignedView, ConversationClosedView, ConversationDetail, ConversationRatedView,
  ConversationView, QueueChangedView, SiteSettings, Status, TypingView, VisitorDetail, VisitorFilter, VisitorSort, VisitorSummary, ChatVisitorView,
  VisitorsChanged,
} from "../shared/protocol";
import { hubRefusal } from "../shared/refusal";
import { Store } from "./store";

/** Rows of the live-visitors list; the totals cover everyone else. */
export const VISITORS_SHOWN = 200;

/** Backs off to 20 s and never gives up: an agent's console must come back by itself. */
const retryDelay = (attempt: number) => Math.min(20000, 500 * 2 ** Math.min(attempt, 6)) * (0.8 + Math.random() * 0.4);

export const newId = () =>
  typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : Math.random().toString(36).slice(2) + Date.now().toString(36);

/** A hub error's words ("conversationId: no such conversation"), without SignalR's prefix and the reason code. */
export function hubError(e: unknown): string {
  return (hubRefusal(e)?.text ?? (e instanceof Error ? e.message : String(e)).trim()) || "Something went wrong.";
}

export class App {
  readonly hub: HubConnection;
  readonly attention = new Attention();
  readonly notices: NoticeFeed;
  private typingSent = new Map<string, number>();
  private visitorTypingTimers = new Map<string, number>();
  private storageKey: string;

  constructor(readonly store: Store) {
    this.storageKey = `livechat:agent:${store.me.agentId}`;
    this.notices = new NoticeFeed(store);
    const saved = this.load();
    store.status = saved.status ?? "online";
    store.capacity = saved.capacity ?? 3;
    this.hub = new HubConnectionBuilder()
      .withUrl("/hubs/agent", { transport: HttpTransportType.WebSockets | HttpTransportType.LongPolling })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => retryDelay(c.previousRetryCount) })
      .withStatefulReconnect()
      .configureLogging(LogLevel.None)
      .build();
    this.listen();
    // The tab title follows what waits unseen, whatever changed it.
    store.on(["chats"], () => this.attention.setWaiting(store.unseen()));
    this.hub.onreconnecting(() => this.setConnection("reconnecting"));
    this.hub.onreconnected(() => this.sync());
    this.hub.onclose(() => {
      this.setConnection("offline");
      setTimeout(() => this.start(), retryDelay(3));
    });
  }

  /** A hub method by its name in AgentResults (checked against the server's samples), answering its declared type. */
  call<K extends keyof AgentResults>(method: K, ...args: unknown[]): Promise<AgentResults[K]> {
    return this.hub.invoke<AgentResults[K]>(method, ...args);
  }

  /** A push by its name in AgentPushes (checked against IAgentClient). */
  private on<K extends keyof AgentPushes>(name: K, handle: (payload: AgentPushes[K]) => void): void {
    this.hub.on(name, handle);
  }

  /** Per-site settings (currency); with one currency across the agent's sites, money() uses it everywhere. */
  async loadSites(): Promise<void> {
    try {
      const res = await fetch("/api/agent/sites", { credentials: "same-origin" });
      if (!res.ok) return;
      const sites = (await res.json()) as SiteSettings[];
      for (const x of sites) if (x.currency) this.store.currencies.set(x.siteId, x.currency);
      const all = new Set(sites.map((x) => x.currency ?? ""));
      if (all.size === 1) setDefaultCurrency([...all][0]);
      this.store.emit("visitors", "context");
    } catch {
      // Amounts stay plain numbers.
    }
  }

  async start(attempt = 0): Promise<void> {
    if (this.hub.state !== HubConnectionState.Disconnected) return;
    this.setConnection(attempt === 0 ? "connecting" : "offline");
    try {
      await this.hub.start();
      await this.sync();
    } catch {
      if ((this.hub.state as HubConnectionState) === HubConnectionState.Connected) return;
      setTimeout(() => this.start(attempt + 1), retryDelay(attempt));
    }
  }

  /** Everything the console shows, fetched afresh: on start and after every reconnect. */
  private async sync(): Promise<void> {
    const s = this.store;
    this.setConnection("connected");
    try {
      // The live list on its own: a busy site's first page must not wait for, or fail with, the rest.
      void this.watchVisitors(s.visitorQuery.filter, s.visitorQuery.sort, 3);
      const [agents, queue, callbacks, canned] = await Promise.all([
        this.call("SetStatus", { status: s.status === "offline" ? "online" : s.status, capacity: s.capacity }).then(() => this.call("GetAgents")),
        this.call("GetQueue"),
        this.call("GetCallbacks"),
        this.call("GetCannedResponses"),
      ]);
      s.agents = agents;
      s.queues = new Map();
      // QueueChanged replaces a whole site's list, so file each entry under its site.
      for (const q of queue) s.queues.set(q.siteId, [...(s.queues.get(q.siteId) ?? []), q]);
      s.callbacks = callbacks;
      s.canned = canned;
      s.emit("agents", "queue", "callbacks", "status");
    } catch (e) {
      console.warn("LiveChat: could not load the console's data:", hubError(e));
    }
    // The server's list of this agent's open chats, so a console on a new device (or after a lost localStorage)
    // picks them up; then the chats this console had that are no longer the agent's (ended, transferred, re-queued).
    const mine = await this.myConversations();
    for (const view of mine ?? []) {
      this.store.upsertChat(view);
      // Other chats' context is refetched when shown (the visitor's journey may have moved on); the active one's below.
      if (view.conversationId !== this.store.active) this.store.chats.get(view.conversationId)!.detail = null;
    }
    const known = new Set((mine ?? []).map((v) => v.conversationId));
    const ids = new Set([...this.store.order, ...this.load().chats ?? []].filter((id) => !known.has(id)));
    await Promise.all([...ids].map((id) => this.refreshChat(id)));
    if (mine) {
      if (this.store.active && known.has(this.store.active)) void this.loadDetail(this.store.active);
      else if (!this.store.active && mine.length) this.select(mine[0].conversationId, false);
      this.store.emit("chats", "messages", "active", "context", "view");
    }
    this.save();
  }

  /** GetMyConversations, or null when it fails (the chats this console remembers are still refreshed one by one). */
  private async myConversations(): Promise<ConversationView[] | null> {
    try {
      return await this.call("GetMyConversations");
    } catch (e) {
      console.warn("LiveChat: could not load your open chats:", hubError(e));
      return null;
    }
  }

  private async refreshChat(id: string): Promise<void> {
    try {
      const detail = await this.call("GetConversation", { conversationId: id });
      const view = detail.conversation;
      const mine = view.agentId === this.store.me.agentId;
      if (!this.store.chats.has(id) && (!mine || view.status === "closed")) return;
      this.store.upsertChat(view);
      const chat = this.store.chats.get(id)!;
      chat.detail = detail;
      if (view.status !== "closed" && !mine) chat.ended = view.agentName ? `Now with ${view.agentName}.` : "Back in the queue.";
      if (!this.store.active) this.select(id, false);
      this.store.emit("chats", "messages", "context");
    } catch {
      if (this.store.chats.has(id)) this.store.removeChat(id);
      this.store.emit("chats", "active", "messages", "context");
    }
  }

  private listen(): void {
    const s = this.store;
    this.on("QueueChanged", (q: QueueChangedView) => {
      s.queues.set(q.siteId, q.waiting);
      s.emit("queue");
      // Routing from the queue changes agents' load without an AgentsChanged push; supervisors want it current.
      if (s.view === "supervisor") void this.refreshAgents();
    });
    this.on("ConversationAssigned", (a: ConversationAssignedView) => {
      const isNew = s.upsertChat(a.conversation, a.transferNote ?? null);
      const id = a.conversation.conversationId;
      const busyElsewhere = !!s.active && !s.activeChat?.ended && s.view === "chat" && s.active !== id;
      if (!busyElsewhere) this.select(id, false);
      else if (isNew) {
        // One unread per visitor message (a later push of the same message is not counted again); none yet still reads "New".
        const chat = s.chats.get(id)!;
        chat.unread = a.conversation.messages.filter((m) => m.from === "visitor").length;
        chat.fresh = true;
      }
      this.save();
      void this.loadDetail(id);
      s.emit("chats", "messages", "active", "context", "view");
      const first = a.conversation.messages.find((m) => m.from === "visitor")?.text ?? "";
      if (isNew && (busyElsewhere || document.hidden))
        this.attention.announce(a.transferNote ? "Chat transferred to you" : `New chat · ${visitorLabel(a.conversation.visitorId)}`,
          first || (a.conversation.situation ?? "No message yet"), () => this.select(id));
      this.attention.ping(a.transferNote ? "Chat transferred to you" : "New chat", a.transferNote ? `${a.transferNote}\n${first}` : first || (a.conversation.situation ?? ""), id, () => this.select(id));
    });
    this.on("Message", (m: ChatMessage) => {
      const chat = s.addMessage(m);
      if (!chat) return;
      s.emit("messages", "chats");
      if (m.from === "visitor") this.attention.ping(visitorLabel(chat.view.visitorId), m.text, m.conversationId, () => this.select(m.conversationId));
    });
    this.on("Typing", (t: TypingView) => {
      const chat = s.chats.get(t.conversationId);
      if (!chat || t.from !== "visitor") return;
      chat.visitorTyping = t.isTyping;
      clearTimeout(this.visitorTypingTimers.get(t.conversationId));
      // A lost "stopped typing" must not leave the indicator on for ever.
      if (t.isTyping) this.visitorTypingTimers.set(t.conversationId, window.setTimeout(() => { chat.visitorTyping = false; s.emit("messages"); }, 15000));
      s.emit("messages");
    });
    this.on("ConversationClosed", (c: ConversationClosedView) => {
      const chat = s.chats.get(c.conversationId);
      if (!chat) return;
      if (c.reason === "transferred") {
        s.removeChat(c.conversationId);
        this.save();
      } else {
        chat.ended = reasonText(c.reason);
        chat.visitorTyping = false;
        chat.view.status = "closed";
      }
      s.emit("chats", "messages", "active", "context", "view");
    });
    this.on("ConversationRated", (r: ConversationRatedView) => {
      const chat = s.chats.get(r.conversationId);
      if (!chat) return;
      chat.view.rating = r.rating;
      if (chat.detail) chat.detail.conversation.rating = r.rating;
      s.emit("context");
    });
    this.on("VisitorsChanged", (d: VisitorsChanged) => {
      const context = s.applyVisitorsChanged(d);
      // Rows only when rows changed (a diff of totals alone redraws just the counts); the context pane only for an open chat's visitor.
      if (d.upserts.length || d.removals.length || d.order) s.emit("visitors", "visitorCounts");
      else s.emit("visitorCounts");
      if (context) s.emit("context", "chats"); // an open chat's visitor may have come back
    });
    // The visitor of one of this agent's chats left the site, or came back: the chat list and header say so.
    this.on("ChatVisitor", (c: ChatVisitorView) => {
      const chat = s.chats.get(c.conversationId);
      if (!chat) return;
      if (chat.detail?.visitor) chat.detail.visitor = { ...chat.detail.visitor, online: c.present };
      else void this.loadDetail(c.conversationId);
      s.emit("chats", "context");
    });
    this.on("CallbackRequested", (c: CallbackView) => {
      const known = s.callbacks.findIndex((x) => x.reference === c.reference && x.siteId === c.siteId);
      if (known >= 0) {
        if (c.due && !s.callbacks[known].due && !c.done) this.attention.ping("Callback due", `${c.reference}: call ${c.phone ?? ""} now`, c.reference);
        s.callbacks[known] = c;
      } else {
        s.callbacks.unshift(c);
        this.attention.ping(c.kind === "callback" ? "Callback requested" : c.kind === "missed-chat" ? "Missed chat" : "Message left", `${c.reference}: ${c.phone ?? c.email ?? ""} ${c.text ?? ""}`, c.reference);
      }
      s.emit("callbacks", "context");
    });
    this.on("AgentsChanged", (agents: AgentInfo[]) => {
      const others = s.agents.filter((a) => !agents.some((b) => b.agentId === a.agentId));
      s.agents = [...agents, ...others];
      s.emit("agents");
    });
  }

  private setConnection(c: Store["connection"]): void {
    this.store.connection = c;
    this.store.emit("connection");
  }

  // ---- actions ----

  async refreshAgents(): Promise<void> {
    if (this.hub.state !== HubConnectionState.Connected) return;
    try {
      this.store.agents = await this.call("GetAgents");
      this.store.emit("agents");
    } catch {
      // The next push or refresh brings them.
    }
  }

  select(id: string, focus = true): void {
    const s = this.store;
    const chat = s.chats.get(id);
    if (!chat) return;
    s.active = id;
    s.view = "chat";
    chat.unread = 0;
    chat.fresh = false;
    s.emit("chats", "active", "messages", "context", "view");
    if (focus) requestAnimationFrame(() => document.getElementById("composer")?.focus());
    if (!chat.detail) void this.loadDetail(id);
  }

  async loadDetail(id: string): Promise<void> {
    try {
      const detail = await this.call("GetConversation", { conversationId: id });
      const chat = this.store.chats.get(id);
      if (!chat) return;
      chat.detail = detail;
      this.store.upsertChat(detail.conversation);
      this.store.emit("context", "messages");
    } catch (e) {
      console.warn("LiveChat: no context for", id, hubError(e));
    }
  }

  /** A conversation's detail (journey, cart), or null when it cannot be had. */
  async conversation(id: string): Promise<ConversationDetail | null> {
    try {
      return await this.call("GetConversation", { conversationId: id });
    } catch {
      return null;
    }
  }

  async setStatus(status: Status, capacity: number): Promise<string | null> {
    try {
      await this.call("SetStatus", { status, capacity });
      this.store.status = status;
      this.store.capacity = capacity;
      this.save();
      this.store.emit("status");
      return null;
    } catch (e) {
      this.store.emit("status");
      return hubError(e);
    }
  }

  async accept(conversationId: string): Promise<string | null> {
    try {
      const view = await this.call("Accept", { conversationId });
      this.store.upsertChat(view);
      this.save();
      this.select(view.conversationId);
      return null;
    } catch (e) {
      return hubError(e);
    }
  }

  async send(conversationId: string, text: string, clientMessageId = newId()): Promise<void> {
    const chat = this.store.chats.get(conversationId);
    if (!chat) return;
    const existing = chat.pending.find((p) => p.clientMessageId === clientMessageId);
    if (existing) existing.failed = false;
    else chat.pending.push({ clientMessageId, text, failed: false });
    this.stopTyping(conversationId);
    this.store.emit("messages");
    try {
      const ack = await this.call("SendMessage", { conversationId, clientMessageId, text });
      // The pushed copy normally arrives first; if not, keep it pending until it does (a reconnect re-fetches).
      void ack;
    } catch (e) {
      const p = chat.pending.find((x) => x.clientMessageId === clientMessageId);
      if (p) p.failed = true;
      // Nothing more can go into this chat: say why where the composer was.
      const refusal = hubRefusal(e);
      chat.ended ??= refusal?.code === "conversation-ended" || refusal?.code === "not-assigned" ? refusal.text : null;
      this.store.emit("messages", "chats");
    }
  }

  /** Says "typing" at most every 3 s while keys are pressed, and "stopped" 4 s after the last one. */
  typing(conversationId: string): void {
    const last = this.typingSent.get(conversationId) ?? 0;
    const now = Date.now();
    if (now - last > 3000) {
      this.typingSent.set(conversationId, now);
      void this.call("Typing", { conversationId, isTyping: true }).catch(() => {});
    }
    clearTimeout(this.stopTimers.get(conversationId));
    this.stopTimers.set(conversationId, window.setTimeout(() => this.stopTyping(conversationId), 4000));
  }

  private stopTimers = new Map<string, number>();

  stopTyping(conversationId: string): void {
    clearTimeout(this.stopTimers.get(conversationId));
    if (!this.typingSent.has(conversationId)) return;
    this.typingSent.delete(conversationId);
    if (this.hub.state === HubConnectionState.Connected) void this.call("Typing", { conversationId, isTyping: false }).catch(() => {});
  }

  async transfer(conversationId: string, toAgentId: string, note: string): Promise<string | null> {
    try {
      await this.call("Transfer", { conversationId, toAgentId, note: note.trim() || null });
      return null;
    } catch (e) {
      return hubError(e);
    }
  }

  async close(conversationId: string): Promise<string | null> {
    try {
      this.stopTyping(conversationId);
      await this.call("Close", { conversationId });
      return null;
    } catch (e) {
      return hubError(e);
    }
  }

  dismiss(conversationId: string): void {
    this.store.removeChat(conversationId);
    this.save();
    this.store.emit("chats", "active", "messages", "context", "view");
  }

  /** Another filter or sort for the live list: the server answers the new view's first page, then diffs for it. */
  async watchVisitors(filter: VisitorFilter, sort: VisitorSort, attempts = 1): Promise<string | null> {
    const s = this.store;
    s.visitorQuery = { filter, sort };
    for (let attempt = 1; ; attempt++) {
      if (this.hub.state !== HubConnectionState.Connected) return null; // sync() asks for it on (re)connect
      try {
        s.setVisitorsPage(await this.call("WatchVisitors", { filter, sort, limit: VISITORS_SHOWN }));
        s.emit("visitors", "visitorCounts");
        return null;
      } catch (e) {
        if (attempt >= attempts) { console.warn("LiveChat: could not load the live visitors:", hubError(e)); return hubError(e); }
        await new Promise((r) => setTimeout(r, 2000 * attempt));
      }
    }
  }

  /** One visitor's journey, cart and earlier chats, before any chat with them. */
  async visitorDetail(v: VisitorSummary): Promise<VisitorDetail | string> {
    try {
      return await this.call("GetVisitor", { siteId: v.siteId, visitorId: v.visitorId });
    } catch (e) {
      return hubError(e);
    }
  }

  async invite(v: VisitorSummary, text: string): Promise<string | null> {
    try {
      const ok = await this.call("Invite", { visitorId: v.visitorId, text, siteId: v.siteId });
      return ok ? null : "Not delivered: the visitor is busy, left or already chatting.";
    } catch (e) {
      return hubError(e);
    }
  }

  /** E-mails the agent's answer to a left message; the request comes back (status, mails) through CallbackRequested. */
  async replyToRequest(c: CallbackView, text: string): Promise<string | null> {
    try {
      const updated = await this.call("ReplyToRequest", { siteId: c.siteId, reference: c.reference, text });
      const i = this.store.callbacks.findIndex((x) => x.reference === c.reference && x.siteId === c.siteId);
      if (i >= 0) this.store.callbacks[i] = updated;
      this.store.emit("callbacks", "context");
      return null;
    } catch (e) {
      return hubError(e);
    }
  }

  async markDone(c: CallbackView): Promise<string | null> {
    try {
      const ok = await this.call("MarkCallbackDone", { siteId: c.siteId, reference: c.reference });
      if (ok) {
        c.done = true;
        this.store.emit("callbacks", "context");
      }
      return ok ? null : "No such request.";
    } catch (e) {
      return hubError(e);
    }
  }

  // ---- what survives a reload: status, capacity, the chats this tab had open ----

  private load(): { status?: Status; capacity?: number; chats?: string[] } {
    try {
      return JSON.parse(localStorage.getItem(this.storageKey) ?? "{}");
    } catch {
      return {};
    }
  }

  private save(): void {
    try {
      localStorage.setItem(this.storageKey, JSON.stringify({ status: this.store.status, capacity: this.store.capacity, chats: this.store.openChats() }));
    } catch {
      // Private mode: the console still works, it just forgets across reloads.
    }
  }
}

/** Why a chat ended, by its code (Contracts/ReasonCodes.cs, CloseReasons). */
function reasonText(reason: CloseReason): string {
  switch (reason) {
    case "visitor left": return "The visitor left the site, so the chat closed itself.";
    case "ended by visitor": return "The visitor ended the chat.";
    case "closed by agent": return "You closed this chat.";
    case "deleted": return "The visitor's data was erased, so the chat closed.";
    default: return `The chat has ended (${reason}).`;
  }
}
