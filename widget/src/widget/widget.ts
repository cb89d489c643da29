import { HttpTransportType, HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from "@microsoft/signalr";
import { MessageLog } from "./messages";
import { Outbox, newId, type Outgoing } from "./outbox";
import { cleanProperties, pageInfo, pageMatches, watchNavigation } from "./page";
import type { ChatMessage, ConversationView, NoticeView, Offer, VisitorPushes, VisitorResults } from "../shared/protocol";
import { choose, use } from "./i18n";
import { pickText } from "../shared/lang";
import { readJson, type KeyValue } from "./storage";
import { View, availability, type State, type Tab } from "./ui";

/** Backs off to 30 s and never gives up: a visitor is never left without a way back in. */
const retryDelay = (attempt: number) => Math.min(30000, 500 * 2 ** Math.min(attempt, 6)) * (0.75 + Math.random() / 2);

/** The widget's behaviour: one visitor session over the visitor hub, and the state the view shows. */
export class Widget {
  private _hub: HubConnection;
  private _view: View;
  private s: State;
  private _tracks: [string, unknown][] = [];
  private _lastUrl = "";
  private _typingSent = false;
  private _typingTimer = 0;
  private _agentTypingTimer = 0;
  private _dismissed: string[];
  private _allNotices: NoticeView[] = [];
  private k: (name: string) => string;

  private _host: Element;

  /**
   * `_languages`: the visitor's, best first (sent in Hello); `_siteLanguage`: none of them is one the widget speaks, so the
   * site's default (SiteInfo.language) is taken once Hello brings it.
   */
  constructor(private _server: string, site: string, private _kv: KeyValue, private _root: ShadowRoot, private _accent?: string,
    private _languages: string[] = [], private _siteLanguage = false) {
    const server = _server, root = _root, accent = _accent;
    this._host = root.host;
    const kv = _kv;
    this.k = (name) => `livechat:${site}:${name}`;
    this._dismissed = readJson(kv, this.k("dismissed"), []);
    this.s = {
      open: kv.get(this.k("open")) === "1", tab: "chat", connected: false, site: null, invitation: null,
      status: "none", agentName: null, queue: null, agentTyping: false, intro: null,
      log: new MessageLog(), outbox: new Outbox(readJson<Outgoing[]>(kv, this.k("outbox"), []), (items) => kv.set(this.k("outbox"), JSON.stringify(items))),
      notices: [], unread: 0,
    };
    this._view = new View(root, this, accent);
    this._hub = new HubConnectionBuilder()
      .withUrl(`${server}/hubs/visitor?site=${encodeURIComponent(site)}`, { withCredentials: false, transport: HttpTransportType.WebSockets | HttpTransportType.LongPolling })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => retryDelay(c.previousRetryCount) })
      .withStatefulReconnect()
      .configureLogging(LogLevel.None)
      .build();
    this._listen();
    this._render();
  }

  // ---- the session ----

  async start(attempt = 0): Promise<void> {
    try {
      await this._hub.start();
      await this._hello();
    } catch {
      if (this._hub.state === HubConnectionState.Connected) await this._hub.stop().catch(() => {});
      setTimeout(() => this.start(attempt + 1), retryDelay(attempt));
    }
  }

  private _listen(): void {
    const on = <K extends keyof VisitorPushes>(name: K, f: (x: VisitorPushes[K]) => void) => this._hub.on(name, (x: VisitorPushes[K]) => { f(x); this._render(); });
    on("Invitation", (i) => { if (this.s.status === "none" || this.s.status === "closed") this.s.invitation = i; });
    // In line (again: an agent who left hands the chat back), so the header no longer names anyone.
    on("Queue", (q) => { this._adopt(q.conversationId); this.s.queue = q; this.s.status = "queued"; this.s.agentName = null; });
    // Only who can answer changes here; what Hello said about e-mail and callback slots stays.
    on("SiteStatus", (site) => {
      if (this.s.site) this.s.site = { ...this.s.site, agentsAvailable: site.agentsAvailable, withinBusinessHours: site.withinBusinessHours, availability: site.availability };
    });
    on("AgentJoined", (a) => {
      this._adopt(a.conversationId);
      this.s.status = "active";
      this.s.agentName = a.name;
      this.s.queue = null;
    });
    on("Message", (m) => this._receive([m]));
    on("Typing", (t) => {
      if (t.from !== "agent") return;
      this.s.agentTyping = t.isTyping;
      clearTimeout(this._agentTypingTimer);
      // A lost "stopped typing" must not leave the dots on for ever.
      if (t.isTyping) this._agentTypingTimer = setTimeout(() => { this.s.agentTyping = false; this._render(); }, 15000) as unknown as number;
    });
    on("ChatEnded", (e) => { if (e.conversationId === this.s.log.conversationId) this._ended(); });
    on("Notice", (n) => { this._allNotices = this._allNotices.filter((x) => x.noticeId !== n.noticeId).concat(n); this._filterNotices(); });
    on("NoticeCleared", (n) => { this._allNotices = this._allNotices.filter((x) => x.noticeId !== n.noticeId); this._filterNotices(); });
    this._hub.onreconnecting(() => { this.s.connected = false; this._render(); });
    // A new connection: introduce ourselves again with the token (resume), then catch up.
    this._hub.onreconnected(() => this._hello().catch(() => this._hub.stop()));
    this._hub.onclose(() => { this.s.connected = false; this._render(); setTimeout(() => this.start(), retryDelay(3)); });
  }

  private async _hello(): Promise<void> {
    const r = await this._hub.invoke<VisitorResults["Hello"]>("Hello", {
      visitorId: this._kv.get(this.k("id")), token: this._kv.get(this.k("token")), page: this._page(), languages: this._languages,
    });
    if (this._siteLanguage && r.site.language) {
      this._siteLanguage = false;
      const site = choose([r.site.language]);
      if (site && site[0] !== "en" && await use(this._server, ...site) !== "en") {
        this._view.remove();
        this._view = new View(this._root, this, this._accent);
      }
    }
    if (r.visitorId !== this._kv.get(this.k("id"))) this._reset();
    this._kv.set(this.k("id"), r.visitorId);
    this._kv.set(this.k("token"), r.token);
    this.s.site = r.site;
    this._allNotices = r.notices || [];
    this._filterNotices();
    const c = r.conversation;
    if (c && c.status !== "closed") this._resume(c);
    else if (this.s.status === "queued" || this.s.status === "active") this._ended();
    if (r.invitation && this.s.status === "none") this.s.invitation = r.invitation;
    if (!this.s.open && this.s.status === "none" && /offline|closed/.test(availability(this.s.site))) this.s.tab = "message";
    this.s.connected = true;
    this._render();
    if (document.hidden) this._hub.send("Visibility", { visible: false }).catch(() => {});
    for (const [name, properties] of this._tracks.splice(0)) this._hub.send("Track", { name, properties }).catch(() => {});
    if (this.s.log.conversationId) await this._resync();
    this._flush();
  }

  private _resume(c: ConversationView): void {
    this._adopt(c.conversationId);
    this.s.status = c.status;
    this.s.agentName = c.status === "active" ? c.agentName ?? this.s.agentName : null;
    this._receive(c.messages || [], false);
  }

  /** Follows the conversation the server names; a different one (started in another tab, say) replaces ours. */
  private _adopt(conversationId: string): void {
    if (!conversationId || this.s.log.conversationId === conversationId) return;
    this.s.log = new MessageLog(conversationId);
    this.s.invitation = null;
    if (this.s.status === "closed" || this.s.status === "none") this.s.status = "queued";
  }

  private _receive(messages: ChatMessage[], resyncOnGap = true): void {
    for (const m of messages) {
      this._adopt(m.conversationId);
      if (!this.s.log.add(m)) continue;
      if (m.clientMessageId) this.s.outbox.remove(m.clientMessageId);
      if (m.from === "agent") {
        this.s.agentTyping = false;
        if (m.senderName) this.s.agentName = m.senderName;
        if (!this.s.open) this.s.unread++;
      }
    }
    if (resyncOnGap && this.s.log.hasGap) this._resync();
  }

  private async _resync(): Promise<void> {
    const log = this.s.log;
    try {
      const missed = await this._hub.invoke<VisitorResults["GetMessages"]>("GetMessages", { afterSequence: log.contiguous });
      this._receive(missed, false);
      log.resynced();
      this._render();
    } catch { /* the next reconnect or push tries again */ }
  }

  private async _flush(): Promise<void> {
    if (!this.s.connected || !this.s.outbox.items.some((i) => !i.error)) return;
    try {
      if (!this.s.log.conversationId || this.s.status === "closed") {
        // The first message goes with StartChat, so it comes before "… joined the chat"; the outbox sends it
        // again below under the same client message id, which the server answers with the same ack.
        const first = this.s.outbox.items.find((i) => !i.error)!;
        const r = await this._hub.invoke<VisitorResults["StartChat"]>("StartChat", { text: first.text, clientMessageId: first.clientMessageId });
        if (this.s.status === "closed") this.s.status = "none";
        this._adopt(r.conversationId);
        if (this.s.status !== "active") this.s.status = "queued";
        this.s.queue = r.queuePosition != null ? { conversationId: r.conversationId, position: r.queuePosition, estimatedWaitSeconds: r.estimatedWaitSeconds, alternatives: r.alternatives } : this.s.queue;
        this._render();
      }
      await this.s.outbox.flush(
        (o) => this._hub.invoke<VisitorResults["SendMessage"]>("SendMessage", { clientMessageId: o.clientMessageId, text: o.text }),
        (o, ack) => this._receive([{
          conversationId: this.s.log.conversationId!, messageId: ack.messageId, sequence: ack.sequence, from: "visitor",
          text: o.text, sentAt: new Date().toISOString(), clientMessageId: o.clientMessageId,
        }]));
    } catch { /* StartChat failed in transit: the outbox keeps everything for the next attempt */ }
    this._render();
  }

  private _ended(): void {
    this.s.status = "closed";
    this.s.agentTyping = false;
    this.s.queue = null;
  }

  private _reset(): void {
    this.s.log = new MessageLog();
    this.s.status = "none";
    this.s.agentName = null;
    this.s.queue = null;
    this.s.intro = null;
  }

  private _page() {
    this._lastUrl = location.href;
    return pageInfo(location.href, document.title, document.referrer);
  }

  pageChanged(): void {
    if (location.href === this._lastUrl) return;
    const referrer = this._lastUrl;
    this._filterNotices();
    if (!this.s.connected) return;
    const page = pageInfo(location.href, document.title, referrer);
    this._lastUrl = location.href;
    this._hub.send("PageView", page).catch(() => {});
  }

  watch(): void {
    watchNavigation(window, () => this.pageChanged());
    // The layout viewport grows when the page does (window resize); the visual one moves on pinch and scroll.
    // On a phone it also grows, with no event, when the page's content does: look again once a second.
    for (const target of [window.visualViewport, window]) for (const e of ["resize", "scroll"]) target?.addEventListener(e, () => this._pin());
    if (matchMedia("(pointer: coarse)").matches) setInterval(() => document.hidden || this._pin(), 1000);
    this._pin();
    document.addEventListener("visibilitychange", () => {
      if (this.s.connected) this._hub.send("Visibility", { visible: !document.hidden }).catch(() => {});
    });
  }

  private _filterNotices(): void {
    const now = Date.now();
    const prefs = [...this._languages, this.s.site?.language];
    this.s.notices = this._allNotices.filter((n) =>
      !this._dismissed.includes(n.noticeId) && pageMatches(n.pageMatches, location.href) && !(n.expiresAt && Date.parse(n.expiresAt) < now))
      .map((n) => ({ ...n, text: pickText(n.texts, prefs) ?? n.text }));
    this._render();
  }

  private _render(): void {
    this._view.render(this.s);
    this._pin(); // whatever just appeared (a card, a notice) is placed where the visitor looks
  }

  private _pin(): void {
    if (window.visualViewport && this._host.isConnected) this._view.pin(window.visualViewport, this._host);
  }

  /** A hub method by its name in VisitorResults (checked against the server), answering its declared type. */
  private _call<K extends keyof VisitorResults>(method: K, arg: unknown): Promise<VisitorResults[K]> {
    return this._hub.state === HubConnectionState.Connected && this.s.connected
      ? this._hub.invoke<VisitorResults[K]>(method, ...(arg === undefined ? [] : [arg]))
      : Promise.reject(new Error("not connected"));
  }

  // ---- the page's API ----

  track(name: string, properties?: Record<string, unknown>): void {
    const props = cleanProperties(properties);
    if (this.s.connected) this._hub.send("Track", { name: String(name).slice(0, 64), properties: props }).catch(() => {});
    else if (this._tracks.length < 100) this._tracks.push([String(name).slice(0, 64), props]);
  }

  // ---- the view's actions ----

  toggle(open: boolean): void {
    this.s.open = open;
    this._kv.set(this.k("open"), open ? "1" : "0");
    if (open) this.s.unread = 0;
    this._render();
    open ? this._view.focusTab() : this._view.focusLauncher();
    if (open && this.s.tab !== "chat") this._requests();
  }

  tab(tab: Tab): void {
    this.s.tab = tab;
    this._render();
    this._view.focusTab();
    if (tab !== "chat") this._requests();
  }

  /** Fresh slots for the callback form and the status of the visitor's recent requests. */
  private _requests(): void {
    if (!this.s.connected) return;
    this._call("GetMyRequests", undefined).then((l) => this._view.requests(l), () => {});
    this._call("GetCallbackSlots", { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }).then((r) => this._view.slots(r), () => {});
  }

  accept(offer: Offer): void {
    const inv = this.s.invitation;
    if (inv) this._call("AcceptInvitation", { invitationId: inv.invitationId }).catch(() => {});
    if (offer === "phone") return;
    this.s.intro = inv?.text ?? null;
    if (inv?.agentName) this.s.agentName = inv.agentName;
    this.s.invitation = null;
    this.s.tab = offer === "callback" ? "callback" : "chat";
    this.toggle(true);
  }

  dismiss(): void {
    const inv = this.s.invitation;
    if (inv) this._call("DismissInvitation", { invitationId: inv.invitationId }).catch(() => {});
    this.s.invitation = null;
    this._render();
    this._view.focusLauncher();
  }

  send(text: string): void {
    this.s.outbox.add(text.slice(0, 2000), newId());
    this._stopTyping();
    this._render();
    this._flush();
  }

  typing(): void {
    if (!this.s.log.conversationId || !this.s.connected) return;
    if (!this._typingSent) { this._typingSent = true; this._hub.send("Typing", { isTyping: true }).catch(() => {}); }
    clearTimeout(this._typingTimer);
    this._typingTimer = setTimeout(() => this._stopTyping(), 3000) as unknown as number;
  }

  private _stopTyping(): void {
    clearTimeout(this._typingTimer);
    if (this._typingSent && this.s.connected) this._hub.send("Typing", { isTyping: false }).catch(() => {});
    this._typingSent = false;
  }

  retry(id: string): void { this.s.outbox.retry(id); this._render(); this._flush(); }
  discard(id: string): void { this.s.outbox.remove(id); this._render(); }

  async callback(v: Record<string, string>) {
    const r = await this._call("RequestCallback", { phone: v.phone, name: v.name, note: v.note, at: v.at || null, email: v.contactEmail });
    this._requests();
    return { ...r, at: v.at, email: v.contactEmail };
  }
  async leaveMessage(v: Record<string, string>) {
    const r = await this._call("LeaveMessage", { email: v.email, text: v.text, name: v.name });
    this._requests();
    return r;
  }
  transcript(email: string) { return this._call("RequestTranscript", { email }); }
  rate(score: number, comment?: string) { return this._call("Rate", { conversationId: this.s.log.conversationId, score, comment }); }
  contact(channel: "phone"): void { this._call("ReportContact", { channel }).catch(() => {}); }

  newChat(): void {
    this._reset();
    this.s.tab = "chat";
    this._render();
    this._view.focusTab();
  }

  end(): void {
    this._call("EndChat", {}).then(() => { this._ended(); this._render(); }, () => {});
  }

  dismissNotice(id: string): void {
    this._dismissed = this._dismissed.concat(id).slice(-50);
    this._kv.set(this.k("dismissed"), JSON.stringify(this._dismissed));
    this._filterNotices();
  }
}
