import { CHAT_ICON, CLOSE_ICON, PHONE_ICON, h, icon, show } from "./dom";
import { confirmation, serverForm } from "./forms";
import type { MessageLog } from "./messages";
import type { Outbox } from "./outbox";
import type { CallbackSlotsResult, ChatMessage, InvitationView, NoticeView, Offer, QueueView, ReferenceResult, RequestStatusView, SiteInfo } from "./protocol";
import { callbackView, messageDone, statusBox } from "./requests";

export type Tab = "chat" | "callback" | "message";

export interface State {
  open: boolean;
  tab: Tab;
  connected: boolean;
  site: SiteInfo | null;
  invitation: InvitationView | null;
  status: "none" | "queued" | "active" | "closed";
  agentName: string | null;
  queue: QueueView | null;
  agentTyping: boolean;
  intro: string | null;
  log: MessageLog;
  outbox: Outbox;
  notices: NoticeView[];
  unread: number;
}

export interface Actions {
  toggle(open: boolean): void;
  tab(tab: Tab): void;
  accept(offer: Offer): void;
  dismiss(): void;
  send(text: string): void;
  typing(): void;
  retry(clientMessageId: string): void;
  discard(clientMessageId: string): void;
  callback(v: Record<string, string>): Promise<ReferenceResult>;
  leaveMessage(v: Record<string, string>): Promise<ReferenceResult>;
  transcript(email: string): Promise<unknown>;
  newChat(): void;
  dismissNotice(id: string): void;
  end(): void;
}

const time = (iso: string) => {
  const d = new Date(iso);
  return isNaN(+d) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
};

const wait = (s?: number | null) => (s == null ? "" : s < 90 ? " · about a minute" : ` · about ${Math.round(s / 60)} min`);

const telLink = (phone: string, label: string, cls?: string) => {
  const a = h("a", { class: cls, href: "tel:" + phone.replace(/[^+0-9]/g, "") }, icon(PHONE_ICON), label);
  return a;
};

/** The widget's DOM inside its shadow root, built once and brought up to date by render(state). */
export class View {
  private _launcher: HTMLButtonElement;
  private _badge = h("span", { class: "badge", "aria-hidden": "true" });
  private _card = h("section", { class: "card", "aria-label": "Chat invitation", "aria-live": "polite" });
  private _outerNotices = h("div");
  private _panel: HTMLElement;
  private _title = h("h2", { id: "lc-title" });
  private _subtitle = h("p");
  private _avatar = h("div", { class: "av", "aria-hidden": "true" });
  private _innerNotices = h("div");
  private _tabs: Record<Tab, HTMLButtonElement>;
  private _views: Record<Tab, HTMLElement>;
  private _list = h("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Messages", tabindex: 0 });
  private _items = new Map<string, HTMLElement>();
  private _typingLine = h("div", { class: "typing", "aria-live": "polite" });
  private _hint = h("p", { class: "hint" });
  private _compose: HTMLFormElement;
  private _input = h("textarea", { rows: 1, "aria-label": "Type your message", placeholder: "Type your message…", maxlength: 2000 });
  private _ended = h("div", { class: "ended" });
  private _footer = h("footer");
  private _cardFor: string | null = null;
  private _endedBuilt = false;
  private s!: State;
  private _lc = h("div", { class: "lc" });
  private _callback: ReturnType<typeof callbackView>;
  private _status = [statusBox(), statusBox()];

  constructor(root: ShadowRoot, private _act: Actions, accent?: string) {
    const act = _act;
    const lc = this._lc;
    if (accent) lc.style.setProperty("--a", accent); // CSSOM, which strict CSPs allow
    this._launcher = h("button", { class: "launch", "aria-controls": "lc-panel", click: () => act.toggle(!this.s.open) });
    const close = h("button", { class: "x", "aria-label": "Minimise chat", click: () => act.toggle(false) }, icon(CLOSE_ICON));
    this._tabs = {
      chat: h("button", { type: "button", text: "Chat", click: () => act.tab("chat") }),
      callback: h("button", { type: "button", text: "Call me back", click: () => act.tab("callback") }),
      message: h("button", { type: "button", text: "Leave a message", click: () => act.tab("message") }),
    };
    this._input.addEventListener("input", () => act.typing());
    this._input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); this._compose.requestSubmit(); }
    });
    this._compose = h("form", {
      class: "compose",
      submit: (e: Event) => {
        e.preventDefault();
        const text = this._input.value.trim();
        if (!text) return;
        this._input.value = "";
        act.send(text);
      },
    }, this._input, h("button", { class: "send", type: "submit", "aria-label": "Send" }, icon("M5 12h14M13 6l6 6-6 6")));
    this._callback = callbackView((v) => act.callback(v));
    this._callback.el.append(this._status[0].el);
    this._views = {
      chat: h("div", { class: "view" }, this._list, this._typingLine, this._hint, this._compose, this._ended),
      callback: this._callback.el,
      message: h("div", { class: "view pad" }, h("h3", { text: "Leave us a message" }), h("p", { text: "We'll reply by email." }),
        serverForm([
          { name: "email", label: "Email", type: "email", required: true, max: 254, auto: "email" },
          { name: "name", label: "Name", hint: "optional", max: 100, auto: "name" },
          { name: "text", label: "Message", required: true, max: 2000, multi: true },
        ], "Send message", (v) => act.leaveMessage(v), (r: ReferenceResult) => messageDone(!!this.s.site?.emailEnabled)(r)), this._status[1].el),
    };
    this._panel = h("section", { class: "panel", id: "lc-panel", role: "dialog", "aria-labelledby": "lc-title" },
      h("header", null, this._avatar, h("div", null, this._title, this._subtitle), close),
      this._innerNotices,
      h("nav", { class: "tabs", "aria-label": "Ways to reach us" }, this._tabs.chat, this._tabs.callback, this._tabs.message),
      this._views.chat, this._views.callback, this._views.message,
      this._footer);
    this._panel.addEventListener("keydown", (e) => { if (e.key === "Escape") act.toggle(false); });
    this._card.addEventListener("keydown", (e) => { if (e.key === "Escape") act.dismiss(); });
    lc.append(this._outerNotices, this._card, this._panel, this._launcher);
    root.append(lc);
  }

  /** The visitor's recent requests, shown under both request forms. */
  requests(list: RequestStatusView[]): void { for (const b of this._status) b.set(list); }
  slots(r: CallbackSlotsResult): void { this._callback.slots(r); }

  /** The composer's unsent text, carried into "Leave a message" so nothing typed is lost. */
  get draft(): string { return this._input.value; }

  focusComposer(): void { setTimeout(() => this._input.focus(), 0); }
  focusLauncher(): void { this._launcher.focus(); }
  focusTab(): void {
    const v = this._views[this.s.tab];
    const field = v.querySelector<HTMLElement>("input,textarea,.ok");
    setTimeout(() => (this.s.tab === "chat" ? this._input : field)?.focus(), 0);
    const text = this._views.message.querySelector<HTMLTextAreaElement>("textarea");
    if (this.s.tab === "message" && text && !text.value) text.value = this.draft;
  }

  render(s: State): void {
    this.s = s;
    const phone = s.site?.phoneNumber;
    const away = s.site != null && (!s.site.agentsAvailable || !s.site.withinBusinessHours);

    this._lc.classList.toggle("open", s.open);
    this._callback.site(s.site);
    // Launcher
    this._launcher.replaceChildren(icon(s.open ? CLOSE_ICON : CHAT_ICON), ...(s.unread && !s.open ? [this._badge] : []));
    this._badge.textContent = String(s.unread);
    this._launcher.setAttribute("aria-expanded", String(s.open));
    this._launcher.setAttribute("aria-label", s.open ? "Minimise chat" : s.unread ? `Open chat, ${s.unread} unread` : "Open chat");

    // Invitation card: non-modal, never steals focus.
    const inv = !s.open && s.status === "none" ? s.invitation : null;
    show(this._card, !!inv);
    if (inv && this._cardFor !== inv.invitationId) {
      this._cardFor = inv.invitationId;
      const offers = inv.offers.length ? inv.offers : ["chat"];
      this._card.replaceChildren(
        h("button", { class: "x", "aria-label": "No thanks, close", click: () => this._act.dismiss() }, icon(CLOSE_ICON)),
        h("p", { class: "who", text: inv.agentName || "Need a hand?" }),
        h("p", { class: "say", text: inv.text }),
        h("div", { class: "offers" },
          offers.includes("chat") && h("button", { class: "btn p", click: () => this._act.accept("chat") }, icon(CHAT_ICON), "Chat now"),
          offers.includes("callback") && h("button", { class: "btn", click: () => this._act.accept("callback") }, "Call me back"),
          (offers.includes("phone") && phone) ? telLink(phone, phone, "btn") : null),
        h("button", { class: "link", text: "No thanks", click: () => this._act.dismiss() }));
      const tel = this._card.querySelector("a");
      tel?.addEventListener("click", () => this._act.accept("phone"));
    }

    // Notices: above the launcher when closed, at the top of the panel when open.
    const notices = s.notices.map((n) => {
      const el = h("div", { class: "note " + n.severity, role: n.severity === "outage" ? "alert" : "status" },
        h("p", null, n.text, n.link && /^https?:\/\//i.test(n.link) ? h("a", { href: n.link, target: "_blank", rel: "noopener noreferrer", text: "More" }) : null),
        h("button", { class: "x", "aria-label": "Dismiss notice", click: () => this._act.dismissNotice(n.noticeId) }, icon(CLOSE_ICON)));
      return el;
    });
    (s.open ? this._outerNotices : this._innerNotices).replaceChildren();
    (s.open ? this._innerNotices : this._outerNotices).replaceChildren(...notices);

    // Panel
    show(this._panel, s.open);
    // The agent's initial and name only while they are in the chat, so the header never mixes the two.
    const agent = s.status === "active" ? s.agentName : null;
    this._avatar.textContent = agent ? agent.charAt(0).toUpperCase() : "";
    if (!agent) this._avatar.append(icon(CHAT_ICON));
    this._title.textContent = agent || "Chat with us";
    this._subtitle.textContent = !s.connected ? "Connecting…"
      : s.status === "queued" ? (s.queue ? `You're number ${s.queue.position} in line${wait(s.queue.estimatedWaitSeconds)}` : "Finding someone to help…")
      : s.status === "active" ? "is here to help"
      : s.status === "closed" ? "Chat ended"
      : away ? "We're away right now" : "We're here to help";
    if (s.status === "active" && !s.agentName) this._subtitle.textContent = "Connected";
    for (const t of ["chat", "callback", "message"] as Tab[]) {
      this._tabs[t].setAttribute("aria-pressed", String(s.tab === t));
      show(this._views[t], s.tab === t);
    }
    const live = s.status === "queued" || s.status === "active";
    this._footer.replaceChildren(...(phone ? ["Prefer to talk? ", telLink(phone, phone)] : []),
      live ? h("button", { class: "link", type: "button", text: "End chat", click: () => this._act.end() }) : "");
    show(this._footer, !!phone || live);

    this._renderChat(s, away);
  }

  private _renderChat(s: State, away: boolean): void {
    const nearBottom = this._list.scrollHeight - this._list.scrollTop - this._list.clientHeight < 40;
    const rows: [string, () => HTMLElement][] = [];
    // The invitation's words, from the site rather than a person: no name under them.
    if (s.intro) rows.push(["intro", () => this._bubble({ from: "agent", text: s.intro!, senderName: "" } as ChatMessage)]);
    for (const m of s.log.list) rows.push(["s" + m.sequence, () => this._bubble(m)]);
    for (const o of s.outbox.items) {
      if (s.log.hasClientMessage(o.clientMessageId)) continue;
      rows.push(["c" + o.clientMessageId + (o.error || ""), () => {
        const li = this._bubble({ from: "visitor", text: o.text } as ChatMessage, o.error ? "failed" : "pending");
        const note = li.querySelector("small")!;
        note.textContent = o.error ? o.error + " " : "Sending…";
        if (o.error) note.append(
          h("button", { type: "button", text: "Retry", click: () => this._act.retry(o.clientMessageId) }),
          h("button", { type: "button", text: "Edit", click: () => { this._input.value = o.text; this._act.discard(o.clientMessageId); this._input.focus(); } }));
        return li;
      }]);
    }
    const next = new Map<string, HTMLElement>();
    for (const [key, make] of rows) next.set(key, this._items.get(key) ?? make());
    this._list.replaceChildren(...next.values());
    const grew = next.size > this._items.size;
    this._items = next;
    if (grew && nearBottom) this._list.scrollTop = this._list.scrollHeight;

    this._typingLine.replaceChildren(...(s.agentTyping ? [h("i"), h("i"), h("i"), `${s.agentName || "Agent"} is typing…`] : []));
    this._hint.textContent = s.status === "none" && away
      ? "No one can chat right now. Leave a message or ask us to call you back."
      : s.status === "queued" && (away || s.queue?.alternatives?.length) ? "It's busy: keep waiting, or ask us to call you back." : "";
    show(this._hint, !!this._hint.textContent);
    show(this._compose, s.status !== "closed");
    show(this._ended, s.status === "closed");
    if (s.status === "closed" && !this._endedBuilt) {
      this._endedBuilt = true;
      this._ended.replaceChildren(
        // A transcript is offered only when the server really sends e-mail.
        s.site?.emailEnabled ? serverForm([{ name: "email", label: "Email me the transcript", type: "email", required: true, max: 254, auto: "email" }], "Send",
          (v) => this._act.transcript(v.email), () => confirmation("The transcript is on its way.")) : "",
        h("button", { class: "btn p", type: "button", text: "Start a new chat", click: () => this._act.newChat() }));
    }
    if (s.status !== "closed") this._endedBuilt = false;
  }

  private _bubble(m: Pick<ChatMessage, "from" | "text" | "senderName" | "sentAt">, extra = ""): HTMLElement {
    const who = m.from === "visitor" ? "You" : m.from === "agent" ? m.senderName ?? "Agent" : "";
    return h("li", { class: `m ${m.from} ${extra}` },
      h("p", { text: m.text }),
      h("small", { text: [who, m.sentAt ? time(m.sentAt) : ""].filter(Boolean).join(" · ") }));
  }
}
