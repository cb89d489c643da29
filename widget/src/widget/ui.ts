import { CHAT_ICON, CLOSE_ICON, PHONE_ICON, h, icon, show } from "../shared/dom";
import { confirmation, serverForm } from "./forms";
import { ratingForm } from "./rating";
import type { MessageLog } from "./messages";
import type { Outbox } from "./outbox";
import type { Availability, CallbackSlotsResult, ChatMessage, InvitationView, NoticeView, Offer, QueueView, ReferenceResult, RequestStatusView, SiteInfo } from "../shared/protocol";
import { callbackView, messageDone, statusBox } from "./requests";
import { lang, t, time } from "./i18n";
import { systemText } from "../shared/system-text";

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
  rate(score: number, comment?: string): Promise<unknown>;
  contact(channel: "phone"): void;
  newChat(): void;
  dismissNotice(id: string): void;
  end(): void;
}

const wait = (s?: number | null) => (s == null ? "" : s < 90 ? t("waitMinute") : t("waitMinutes", { n: Math.round(s / 60) }));

/** The site's availability code (older servers send only the booleans). */
export const availability = (site: SiteInfo | null): Availability | "" =>
  !site ? "" : site.availability || (!site.withinBusinessHours ? "closed" : site.agentsAvailable ? "available" : "offline");

const TABS: Tab[] = ["chat", "callback", "message"];

const telLink = (phone: string, label: string, cls?: string) => {
  const a = h("a", { class: cls, href: "tel:" + phone.replace(/[^+0-9]/g, "") }, icon(PHONE_ICON), label);
  return a;
};

/** The widget's DOM inside its shadow root, built once and brought up to date by render(state). */
export class View {
  private _launcher: HTMLButtonElement;
  private _badge = h("span", { class: "badge", "aria-hidden": "true" });
  private _card = h("section", { class: "card", "aria-label": t("invitation"), "aria-live": "polite" });
  private _outerNotices = h("div");
  private _panel: HTMLElement;
  private _title = h("h2", { id: "lc-title" });
  private _subtitle = h("p");
  private _avatar = h("div", { class: "av", "aria-hidden": "true" });
  private _innerNotices = h("div");
  private _tabs: Record<Tab, HTMLButtonElement>;
  private _views: Record<Tab, HTMLElement>;
  private _list = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": t("messages"), tabindex: 0 });
  private _items = new Map<string, HTMLElement>();
  private _typingLine = h("div", { class: "typing", "aria-live": "polite" });
  private _hint = h("p", { class: "hint" });
  private _compose: HTMLFormElement;
  private _input = h("textarea", { rows: 1, "aria-label": t("typeHere"), placeholder: t("typeHereDots"), maxlength: 2000 });
  private _ended = h("div", { class: "ended" });
  private _footer = h("div", { class: "ft" });
  private _confirmEnd = false;
  private _footerKey = "";
  private _cardFor: string | null = null;
  private _endedBuilt = false;
  private s!: State;
  private _lc = h("div", { class: "lc", lang });
  private _callback: ReturnType<typeof callbackView>;
  private _status = [statusBox(), statusBox()];

  constructor(root: ShadowRoot, private _act: Actions, accent?: string) {
    const act = _act;
    const lc = this._lc;
    if (accent) lc.style.setProperty("--a", accent); // CSSOM, which strict CSPs allow
    this._launcher = h("button", { class: "launch", "aria-controls": "lc-panel", click: () => act.toggle(!this.s.open) });
    const close = h("button", { class: "x", "aria-label": t("minimise"), click: () => act.toggle(false) }, icon(CLOSE_ICON));
    const tab = (t: Tab, text: string) => h("button", { type: "button", role: "tab", id: "lc-t-" + t, "aria-controls": "lc-p-" + t, text, click: () => act.tab(t) });
    this._tabs = { chat: tab("chat", t("tabChat")), callback: tab("callback", t("tabCallback")), message: tab("message", t("tabMessage")) };
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
    }, this._input, h("button", { class: "send", type: "submit", "aria-label": t("send") }, icon("M5 12h14M13 6l6 6-6 6")));
    this._callback = callbackView((v) => act.callback(v));
    for (const [k, v] of [["role", "tabpanel"], ["id", "lc-p-callback"], ["aria-labelledby", "lc-t-callback"]]) this._callback.el.setAttribute(k, v);
    this._callback.el.append(this._status[0].el);
    this._views = {
      chat: h("div", { class: "view", role: "tabpanel", id: "lc-p-chat", "aria-labelledby": "lc-t-chat" }, this._list, this._typingLine, this._hint, this._compose, this._ended),
      callback: this._callback.el,
      message: h("div", { class: "view pad", role: "tabpanel", id: "lc-p-message", "aria-labelledby": "lc-t-message" }, h("h3", { text: t("messageTitle") }), h("p", { text: t("messageIntro") }),
        serverForm([
          { name: "email", label: t("email"), type: "email", required: true, max: 254, auto: "email" },
          { name: "name", label: t("name"), hint: t("optional"), max: 100, auto: "name" },
          { name: "text", label: t("message"), required: true, max: 2000, multi: true },
        ], t("sendMessage"), (v) => act.leaveMessage(v), (r: ReferenceResult) => messageDone(!!this.s.site?.emailEnabled)(r)), this._status[1].el),
    };
    this._panel = h("section", { class: "panel", id: "lc-panel", role: "dialog", "aria-labelledby": "lc-title" },
      h("div", { class: "hd" }, this._avatar, h("div", null, this._title, this._subtitle), close),
      this._innerNotices,
      h("div", { class: "tabs", role: "tablist", "aria-label": t("ways"), keydown: (e: KeyboardEvent) => {
        // Arrow keys move between tabs (the tablist pattern); Tab goes on into the panel.
        const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
        if (!step) return;
        e.preventDefault();
        const next = TABS[(TABS.indexOf(this.s.tab) + step + TABS.length) % TABS.length];
        act.tab(next);
        this._tabs[next].focus();
      } }, this._tabs.chat, this._tabs.callback, this._tabs.message),
      this._views.chat, this._views.callback, this._views.message,
      this._footer);
    this._panel.addEventListener("keydown", (e) => { if (e.key === "Escape") act.toggle(false); });
    this._card.addEventListener("keydown", (e) => { if (e.key === "Escape") act.dismiss(); });
    // Any click on the site's number, wherever it is shown, is a contact the server would not see otherwise.
    lc.addEventListener("click", (e) => { if ((e.target as Element).closest?.("a[href^='tel:']")) act.contact("phone"); });
    lc.append(this._outerNotices, this._card, this._panel, this._launcher);
    root.append(lc);
  }

  /**
   * Pins the widget to what the visitor actually sees. Fixed positions are relative to the layout viewport, which on a
   * phone is wider than the screen when the host page overflows (or taller while the keyboard is up); the visual
   * viewport's offsets from it go into CSS variables (CSSOM, which strict CSPs allow).
   */
  pin(vv: VisualViewport, host: Element): void {
    const px = (n: number) => Math.round(n) + "px";
    const set = (name: string, n: number) => this._lc.style.setProperty(name, px(n));
    // The host is fixed at right:0/bottom:0, so its corner is the layout viewport's, whatever its size.
    const edge = host.getBoundingClientRect();
    set("--vl", vv.offsetLeft);
    set("--vt", vv.offsetTop);
    set("--vw", vv.width);
    set("--vh", vv.height);
    set("--vr", Math.max(0, edge.right - vv.offsetLeft - vv.width));
    set("--vb", Math.max(0, edge.bottom - vv.offsetTop - vv.height));
  }
  /** Takes the widget off the page (a new View in another language replaces it). */
  remove(): void { this._lc.remove(); }

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
    const avail = availability(s.site);
    // In line with nobody online the server has no estimate: say so rather than "you're number 1".
    const nobody = s.status === "queued" && s.queue != null && s.queue.estimatedWaitSeconds == null;

    this._lc.classList.toggle("open", s.open);
    this._callback.site(s.site);
    // Launcher
    this._launcher.replaceChildren(icon(s.open ? CLOSE_ICON : CHAT_ICON), ...(s.unread && !s.open ? [this._badge] : []));
    this._badge.textContent = String(s.unread);
    this._launcher.setAttribute("aria-expanded", String(s.open));
    this._launcher.setAttribute("aria-label", s.open ? t("minimise") : s.unread ? t("openUnread", { n: s.unread }) : t("open"));

    // Invitation card: non-modal, never steals focus.
    const inv = !s.open && s.status === "none" ? s.invitation : null;
    show(this._card, !!inv);
    if (inv && this._cardFor !== inv.invitationId) {
      this._cardFor = inv.invitationId;
      const offers = inv.offers.length ? inv.offers : ["chat"];
      this._card.replaceChildren(
        h("button", { class: "x", "aria-label": t("noThanksClose"), click: () => this._act.dismiss() }, icon(CLOSE_ICON)),
        h("p", { class: "who", text: inv.agentName || t("needHand") }),
        h("p", { class: "say", text: inv.text }),
        h("div", { class: "offers" },
          offers.includes("chat") && h("button", { class: "btn p", click: () => this._act.accept("chat") }, icon(CHAT_ICON), t("chatNow")),
          offers.includes("callback") && h("button", { class: "btn", click: () => this._act.accept("callback") }, t("tabCallback")),
          (offers.includes("phone") && phone) ? telLink(phone, phone, "btn") : null),
        h("button", { class: "link", text: t("noThanks"), click: () => this._act.dismiss() }));
      const tel = this._card.querySelector("a");
      tel?.addEventListener("click", () => this._act.accept("phone"));
    }

    // Notices: above the launcher when closed, at the top of the panel when open.
    const notices = s.notices.map((n) => {
      const el = h("div", { class: "note " + n.severity, role: n.severity === "outage" ? "alert" : "status" },
        h("p", null, n.text, n.link && /^https?:\/\//i.test(n.link) ? h("a", { href: n.link, target: "_blank", rel: "noopener noreferrer", text: t("more") }) : null),
        h("button", { class: "x", "aria-label": t("dismissNotice"), click: () => this._act.dismissNotice(n.noticeId) }, icon(CLOSE_ICON)));
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
    this._title.textContent = agent || t("title");
    this._subtitle.textContent = !s.connected ? t("connecting")
      : s.status === "queued" ? (nobody ? (avail === "closed" ? t("closedNow") : t("nobodyNow"))
        : s.queue ? t(avail === "busy" ? "positionBusy" : "position", { n: s.queue.position }) + wait(s.queue.estimatedWaitSeconds) : t("finding"))
      : s.status === "active" ? t("hereToHelp")
      : s.status === "closed" ? t("ended")
      : avail === "closed" ? t("closedNow") : avail === "offline" ? t("nobodyNow")
      : avail === "busy" ? t("busyNow") : t("weAreHere");
    if (s.status === "active" && !s.agentName) this._subtitle.textContent = t("connected");
    for (const t of TABS) {
      this._tabs[t].setAttribute("aria-selected", String(s.tab === t));
      this._tabs[t].tabIndex = s.tab === t ? 0 : -1;
      show(this._views[t], s.tab === t);
    }
    const live = s.status === "queued" || s.status === "active";
    if (!live) this._confirmEnd = false;
    const again = (confirm: boolean) => { this._confirmEnd = confirm; this.render(this.s); this._footer.querySelector("button")?.focus(); };
    // Rebuilt only when it changes: a push arriving mid-click must not swap the button under the pointer.
    const footerKey = `${this._confirmEnd}|${phone}|${live}`;
    if (this._footerKey !== footerKey) this._footer.replaceChildren(...(this._confirmEnd
      ? [h("span", { text: t("endAsk") }),
        h("button", { class: "link", type: "button", text: t("endYes"), click: () => { this._confirmEnd = false; this._act.end(); } }),
        h("button", { class: "link", type: "button", text: t("keepChatting"), click: () => again(false) })]
      : [...(phone ? [t("preferTalk"), telLink(phone, phone)] : []),
        live ? h("button", { class: "link", type: "button", text: t("endChat"), click: () => again(true) }) : ""]));
    this._footerKey = footerKey;
    show(this._footer, !!phone || live);

    this._renderChat(s, avail, nobody);
  }

  private _renderChat(s: State, avail: Availability | "", nobody: boolean): void {
    const nearBottom = this._list.scrollHeight - this._list.scrollTop - this._list.clientHeight < 40;
    const rows: [string, () => HTMLElement][] = [];
    // The invitation's words, from the site rather than a person: no name under them.
    // Until the conversation has it as its first message (from "invitation"), shown from memory.
    if (s.intro && !s.log.list.some((m) => m.from === "invitation")) rows.push(["intro", () => this._bubble({ from: "invitation", text: s.intro!, senderName: "" } as ChatMessage)]);
    for (const m of s.log.list) rows.push(["s" + m.sequence, () => this._bubble(m)]);
    for (const o of s.outbox.items) {
      if (s.log.hasClientMessage(o.clientMessageId)) continue;
      rows.push(["c" + o.clientMessageId + (o.error || ""), () => {
        const li = this._bubble({ from: "visitor", text: o.text } as ChatMessage, o.error ? "failed" : "pending");
        const note = li.querySelector("small")!;
        note.textContent = o.error ? o.error + " " : t("sending");
        if (o.error) note.append(
          h("button", { type: "button", text: t("retry"), click: () => this._act.retry(o.clientMessageId) }),
          h("button", { type: "button", text: t("edit"), click: () => { this._input.value = o.text; this._act.discard(o.clientMessageId); this._input.focus(); } }));
        return li;
      }]);
    }
    const next = new Map<string, HTMLElement>();
    for (const [key, make] of rows) next.set(key, this._items.get(key) ?? make());
    this._list.replaceChildren(...next.values());
    const grew = next.size > this._items.size;
    this._items = next;
    if (grew && nearBottom) this._list.scrollTop = this._list.scrollHeight;

    this._typingLine.replaceChildren(...(s.agentTyping ? [h("i"), h("i"), h("i"), t("typing", { name: s.agentName || t("agent") })] : []));
    const offHours = t(avail === "closed" ? "hintClosed" : "hintNobody");
    this._hint.textContent = s.status === "none" && (avail === "offline" || avail === "closed") ? offHours
      : nobody ? offHours
      : s.status === "queued" && s.queue?.alternatives?.length ? t("hintBusy", { n: s.queue.position, wait: wait(s.queue.estimatedWaitSeconds) }) : "";
    show(this._hint, !!this._hint.textContent);
    show(this._compose, s.status !== "closed");
    show(this._ended, s.status === "closed");
    if (s.status === "closed" && !this._endedBuilt) {
      this._endedBuilt = true;
      this._ended.replaceChildren(
        ...(s.log.conversationId ? [ratingForm((score, comment) => this._act.rate(score, comment))] : []),
        // A transcript is offered only when the server really sends e-mail.
        s.site?.emailEnabled ? serverForm([{ name: "email", label: t("transcriptAsk"), type: "email", required: true, max: 254, auto: "email" }], t("send"),
          (v) => this._act.transcript(v.email), () => confirmation(t("transcriptSent"))) : "",
        h("button", { class: "btn p", type: "button", text: t("newChat"), click: () => this._act.newChat() }));
    }
    if (s.status !== "closed") this._endedBuilt = false;
  }

  private _bubble(m: Pick<ChatMessage, "from" | "text" | "senderName" | "sentAt" | "code" | "params">, extra = ""): HTMLElement {
    const who = m.from === "visitor" ? t("you") : m.from === "agent" ? m.senderName ?? t("agent") : m.from === "invitation" ? m.senderName ?? "" : "";
    return h("div", { class: `m ${m.from} ${extra}` },
      h("p", { text: m.from === "system" ? systemText(m, lang) : m.text }),
      h("small", { text: [who, m.sentAt ? time(m.sentAt) : ""].filter(Boolean).join(" · ") }));
  }
}
