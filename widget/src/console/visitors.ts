// The live visitors table: where each visitor is, for how long, their cart, and a manual invitation.
import type { App } from "./app";
import { h, replace, ticking } from "./dom";
import { money, pagePath, visitorLabel } from "./format";
import type { VisitorSummary } from "./protocol";
import { visitorKey } from "./store";

const DEFAULT_INVITE = "Hi! Can I help you with anything?";

export function visitorsView(app: App): HTMLElement {
  const s = app.store;
  const body = h("tbody");
  const summary = h("p", { class: "summary" });
  // The invitation form outlives redraws (visitors update many times a second on a busy site).
  let inviting: string | null = null;
  const inviteText = h("input", { type: "text", class: "invite-text", maxlength: 2000, "aria-label": "Invitation text", value: DEFAULT_INVITE });
  const inviteNote = h("span", { class: "note", role: "status" });
  let sending = false;

  const send = async (v: VisitorSummary) => {
    if (sending || !inviteText.value.trim()) return;
    sending = true;
    const err = await app.invite(v, inviteText.value.trim());
    sending = false;
    inviteNote.textContent = err ?? "Invitation sent.";
    inviteNote.className = err ? "note error" : "note ok";
    if (!err) setTimeout(() => { if (inviting === visitorKey(v.siteId, v.visitorId)) { inviting = null; draw(); } }, 1500);
  };
  inviteText.addEventListener("keydown", (e) => {
    const v = inviting ? s.visitors.get(inviting) : null;
    if (e.key === "Enter" && v) { e.preventDefault(); void send(v); }
    if (e.key === "Escape") { inviting = null; draw(); }
  });

  const row = (v: VisitorSummary) => {
    const key = visitorKey(v.siteId, v.visitorId);
    const chatting = !!v.conversationId;
    const invite = h("button", { type: "button", class: "small", disabled: !v.online || chatting }, "Invite");
    invite.addEventListener("click", () => {
      inviting = inviting === key ? null : key;
      inviteNote.textContent = "";
      draw();
      if (inviting) { inviteText.focus(); inviteText.select(); }
    });
    const open = chatting && s.chats.has(v.conversationId!) ? h("button", { type: "button", class: "small" }, "Open chat") : null;
    open?.addEventListener("click", () => app.select(v.conversationId!));
    const tr = h("tr", { class: v.online ? null : "offline", "data-visitor": v.visitorId },
      h("td", null,
        h("div", { class: "who" }, h("span", { class: `presence ${v.online ? "on" : "off"}`, title: v.online ? "Online" : "Away from the page" }), visitorLabel(v.visitorId)),
        h("div", { class: "sub" }, v.returning ? `Returning · ${v.visits} visits` : "New visitor")),
      h("td", { class: "page" }, h("div", { class: "title" }, v.pageTitle || pagePath(v.currentUrl)), h("div", { class: "path" }, pagePath(v.currentUrl))),
      h("td", { class: "num" }, h("div", null, v.online ? ticking(v.pageEnteredAt) : "—"), h("div", { class: "sub" }, `${v.pagesThisVisit} page${v.pagesThisVisit === 1 ? "" : "s"}`)),
      h("td", { class: "num cart" }, h("div", null, v.cartValue > 0 ? money(v.cartValue) : "—"), v.cartItems > 0 ? h("div", { class: "sub" }, `${v.cartItems} item${v.cartItems === 1 ? "" : "s"}`) : null),
      h("td", null, v.lastSituation ? h("span", { class: "chip situation", title: v.lastSituation }, v.lastSituation) : v.lastRuleId ? h("span", { class: "chip" }, v.lastRuleId) : h("span", { class: "muted" }, "—")),
      h("td", { class: "actions" }, chatting ? h("span", { class: "chip live" }, "In chat") : null, open ?? (chatting ? null : invite)),
    );
    if (inviting !== key) return [tr];
    const form = h("tr", { class: "invite-row" }, h("td", { colspan: 6 },
      h("div", { class: "invite-form" }, h("span", null, `Invite ${visitorLabel(v.visitorId)}:`), inviteText,
        sendButton(() => void send(v)), cancelButton(() => { inviting = null; draw(); }), inviteNote)));
    return [tr, form];
  };

  const draw = () => {
    const all = [...s.visitors.values()].sort((a, b) => Number(b.online) - Number(a.online) || (b.pageEnteredAt ?? "").localeCompare(a.pageEnteredAt ?? ""));
    const online = all.filter((v) => v.online).length;
    const carts = all.filter((v) => v.online && v.cartValue > 0).length;
    summary.textContent = `${online} online · ${carts} with a cart · ${all.filter((v) => v.conversationId).length} chatting`;
    const focused = document.activeElement === inviteText;
    replace(body, ...(all.length ? all.flatMap(row) : [h("tr", null, h("td", { colspan: 6, class: "empty" }, "No visitors on the site right now."))]));
    if (focused && inviteText.isConnected) inviteText.focus();
  };
  s.on(["visitors", "chats"], draw);
  draw();

  return h("section", { class: "visitors-view", "aria-label": "Live visitors" },
    h("div", { class: "pane-head" }, h("h1", null, "Live visitors"), summary),
    h("div", { class: "table-wrap" }, h("table", { class: "visitors" },
      h("thead", null, h("tr", null, ...["Visitor", "Page", "On page", "Cart", "Invitation", ""].map((t) => h("th", { scope: "col" }, t)))),
      body)));
}

function sendButton(f: () => void) {
  const b = h("button", { type: "button", class: "small primary" }, "Send invitation");
  b.addEventListener("click", f);
  return b;
}

function cancelButton(f: () => void) {
  const b = h("button", { type: "button", class: "small ghost" }, "Cancel");
  b.addEventListener("click", f);
  return b;
}
