// The active chat: header with transfer and close, the transcript, typing indicator, and the composer.
import type { App } from "./app";
import { composer } from "./composer";
import { h, replace, ticking } from "../shared/dom";
import { clock, pagePath, visitorLabel } from "./format";
import type { ChatMessage } from "../shared/protocol";
import { systemText } from "../shared/system-text";
import { visitorGone, type Pending } from "./store";

export function chatView(app: App): HTMLElement {
  const s = app.store;
  const title = h("h1");
  const meta = h("div", { class: "meta" });
  const actions = h("div", { class: "actions" });
  const banner = h("div", { class: "banner", hidden: true });
  const transferPanel = h("div", { class: "transfer-panel", hidden: true });
  const log = h("ol", { class: "transcript", id: "transcript", "aria-live": "polite", "aria-label": "Messages" });
  const typing = h("div", { class: "typing", "aria-live": "polite" });
  const box = composer(app);
  let shown: string | null = null;

  const transferButton = h("button", { type: "button", class: "small", id: "transfer" }, "Transfer");
  const closeButton = h("button", { type: "button", class: "small danger", id: "close-chat" }, "Close chat");
  const dismissButton = h("button", { type: "button", class: "small", id: "dismiss-chat" }, "Remove from list");
  const actionError = h("span", { class: "error", role: "alert" });
  transferButton.addEventListener("click", () => {
    transferPanel.hidden = !transferPanel.hidden;
    if (!transferPanel.hidden) drawTransfer();
  });
  closeButton.addEventListener("click", async () => {
    if (!s.active) return;
    closeButton.disabled = true;
    actionError.textContent = (await app.close(s.active)) ?? "";
    closeButton.disabled = false;
  });
  dismissButton.addEventListener("click", () => s.active && app.dismiss(s.active));

  // ---- transfer: another online agent with room, and a note for them ----
  const agentSelect = h("select", { id: "transfer-to", "aria-label": "Transfer to" });
  const note = h("textarea", { id: "transfer-note", rows: 2, maxlength: 500, placeholder: "Note for your colleague (what the visitor needs, what you tried)" });
  const transferError = h("p", { class: "error", role: "alert" });
  const doTransfer = h("button", { type: "button", class: "primary small", id: "transfer-go" }, "Transfer chat");
  const cancelTransfer = h("button", { type: "button", class: "ghost small" }, "Cancel");
  cancelTransfer.addEventListener("click", () => { transferPanel.hidden = true; });
  doTransfer.addEventListener("click", async () => {
    if (!s.active || !agentSelect.value) return;
    doTransfer.disabled = true;
    const err = await app.transfer(s.active, agentSelect.value, note.value);
    doTransfer.disabled = false;
    transferError.textContent = err ?? "";
    if (!err) { note.value = ""; transferPanel.hidden = true; }
  });
  const drawTransfer = () => {
    const others = s.agents.filter((a) => a.agentId !== s.me.agentId && a.status !== "offline");
    const keep = agentSelect.value;
    replace(agentSelect, ...others.map((a) => h("option", { value: a.agentId }, `${a.name} — ${a.status === "away" ? "away" : `${a.openChats}/${a.capacity} chats`}`)));
    if (others.some((a) => a.agentId === keep)) agentSelect.value = keep;
    doTransfer.disabled = others.length === 0;
    transferError.textContent = others.length === 0 ? "No other agent is online." : "";
  };
  replace(transferPanel, h("div", { class: "row" }, h("label", null, "To ", agentSelect), note, h("div", { class: "buttons" }, doTransfer, cancelTransfer)), transferError);
  s.on(["agents"], () => { if (!transferPanel.hidden) drawTransfer(); });

  const drawHead = () => {
    const chat = s.activeChat;
    if (!chat) return;
    const v = chat.view;
    const visitor = chat.detail?.visitor;
    title.textContent = visitorLabel(v.visitorId);
    replace(meta,
      visitorGone(chat) ? h("span", { class: "chip gone", id: "visitor-left" }, "Visitor left the site") : null,
      v.situation ? h("span", { class: "chip situation" }, v.situation) : null,
      visitor?.currentUrl ? h("span", { class: "muted" }, "on ", pagePath(visitor.currentUrl)) : null,
      h("span", { class: "muted" }, "started ", ticking(v.startedAt), " ago"));
    replace(actions, actionError, ...(chat.ended ? [dismissButton] : [transferButton, closeButton]));
    if (chat.transferNote && !chat.ended) {
      banner.hidden = false;
      banner.className = "banner note";
      replace(banner, h("b", null, "Transfer note: "), chat.transferNote);
    } else if (chat.ended) {
      banner.hidden = false;
      banner.className = "banner ended";
      banner.textContent = chat.ended;
    } else banner.hidden = true;
    if (chat.ended) transferPanel.hidden = true;
  };

  const drawLog = () => {
    const chat = s.activeChat;
    if (!chat) return;
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80 || shown !== chat.view.conversationId;
    replace(log, ...chat.view.messages.map(message), ...chat.pending.map((p) => pending(app, chat.view.conversationId, p)));
    typing.textContent = chat.visitorTyping && !chat.ended ? `${visitorLabel(chat.view.visitorId)} is typing…` : "";
    if (nearBottom) log.scrollTop = log.scrollHeight;
    shown = chat.view.conversationId;
  };

  let prev: string | null = null;
  s.on(["active", "chats"], () => {
    drawHead();
    if (prev !== s.active) {
      transferPanel.hidden = true;
      actionError.textContent = "";
    }
    box.switchTo(prev);
    prev = s.active;
  });
  s.on(["messages", "context"], () => { drawLog(); drawHead(); });

  return h("section", { class: "chat-view", "aria-label": "Chat" },
    h("div", { class: "pane-head" }, h("div", null, title, meta), actions),
    transferPanel, banner, log, typing, box.el);
}

function message(m: ChatMessage): HTMLElement {
  // The console's language for now; the agent's own choice replaces document.documentElement.lang (issue 20).
  if (m.from === "system") return h("li", { class: "msg system" }, h("span", null, systemText(m, document.documentElement.lang || "en")));
  // What the visitor answered to: the invitation they accepted, as it was shown.
  if (m.from === "invitation")
    return h("li", { class: "msg invitation", "data-seq": m.sequence },
      h("div", { class: "bubble" }, m.text), h("div", { class: "stamp" }, "Invitation", m.senderName ? ` from ${m.senderName}` : "", " · ", clock(m.sentAt)));
  return h("li", { class: `msg ${m.from}`, "data-seq": m.sequence },
    h("div", { class: "bubble" }, m.text),
    h("div", { class: "stamp" }, m.from === "agent" ? `${m.senderName ?? "You"} · ` : "", clock(m.sentAt)));
}

function pending(app: App, conversationId: string, p: Pending): HTMLElement {
  const retry = h("button", { type: "button", class: "link" }, "Retry");
  retry.addEventListener("click", () => void app.send(conversationId, p.text, p.clientMessageId));
  return h("li", { class: `msg agent pending${p.failed ? " failed" : ""}` },
    h("div", { class: "bubble" }, p.text),
    h("div", { class: "stamp" }, p.failed ? h("span", null, "Not sent · ", retry) : "Sending…"));
}
