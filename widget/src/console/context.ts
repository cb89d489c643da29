// The right column: the active visitor's journey, cart and earlier chats; and callback requests / left messages.
import type { App } from "./app";
import { h, replace, ticking } from "../shared/dom";
import { clock, dayAndTime, elapsed, money, pagePath } from "./format";
import type { ConversationDetail } from "../shared/protocol";
import { requestList as requests, timing } from "./requests";

export function contextPane(app: App): HTMLElement {
  const s = app.store;
  let tab: "visitor" | "requests" = "visitor";
  const tabs = h("div", { class: "tabs", role: "tablist" });
  const body = h("div", { class: "context-body", role: "tabpanel" });

  const tabButton = (id: typeof tab, shown: typeof tab, label: string, count?: number) => {
    const b = h("button", { type: "button", role: "tab", "aria-selected": String(shown === id), id: `tab-${id}` }, label, count ? h("span", { class: "count" }, String(count)) : null);
    b.addEventListener("click", () => { tab = id; draw(); });
    return b;
  };

  const draw = () => {
    const open = s.callbacks.filter((c) => !c.done).length;
    const due = s.callbacks.some((c) => timing(c) !== null);
    const chat = s.view === "chat" ? s.activeChat : null;
    // Without a chat on screen there is no visitor to describe: show the requests instead.
    const shown = chat ? tab : "requests";
    replace(tabs, tabButton("visitor", shown, "Visitor"), tabButton("requests", shown, due ? "Requests · due" : "Requests", open));
    if (shown === "requests") replace(body, requests(app, s.callbacks));
    else if (!chat) replace(body, h("p", { class: "empty" }, "Open a chat to see the visitor's pages, cart and earlier conversations."));
    else if (!chat.detail) replace(body, h("p", { class: "empty" }, "Loading…"));
    else {
      const mine = s.callbacks.filter((c) => c.visitorId === chat.view.visitorId && c.siteId === chat.view.siteId);
      replace(body, visitorContext(chat.detail, s.currencies.get(chat.view.siteId)), mine.length ? section("Requests from this visitor", requests(app, mine)) : null);
    }
  };
  s.on(["context", "callbacks", "active", "view"], draw);
  draw();
  // A booked callback turns due, then overdue, with time alone: redraw the list each minute while it is shown.
  setInterval(() => { if (tab === "requests" || !(s.view === "chat" && s.activeChat)) draw(); }, 60_000);
  return h("aside", { class: "context", "aria-label": "Context" }, tabs, body);
}

function section(title: string, ...content: (Node | null)[]): HTMLElement {
  return h("section", { class: "ctx" }, h("h3", null, title), ...content);
}

function visitorContext(d: ConversationDetail, currency: string | undefined): DocumentFragment {
  const f = document.createDocumentFragment();
  const v = d.visitor;
  if (v) {
    f.append(section("Now",
      h("dl", { class: "facts" },
        h("dt", null, "Page"), h("dd", { class: "path" }, v.pageTitle ? `${v.pageTitle} — ` : "", pagePath(v.currentUrl)),
        h("dt", null, "On page"), h("dd", null, v.online ? ticking(v.pageEnteredAt) : "left the site"),
        h("dt", null, "This visit"), h("dd", null, `${v.pagesThisVisit} page${v.pagesThisVisit === 1 ? "" : "s"}`),
        h("dt", null, "Visits"), h("dd", null, v.returning ? `Returning · ${v.visits} visits` : "First visit"),
        h("dt", null, "Cart"), h("dd", null, v.cartValue > 0 ? `${money(v.cartValue, currency)} (${v.cartItems} item${v.cartItems === 1 ? "" : "s"})` : "Empty"))));
  }
  if (d.cart.length) {
    f.append(section("Cart",
      h("table", { class: "cart-lines" }, h("tbody", null, ...d.cart.map((l) =>
        h("tr", null, h("td", { class: "sku" }, l.sku), h("td", { class: "num" }, `${l.quantity} × ${money(l.price, currency)}`), h("td", { class: "num" }, money(l.price * l.quantity, currency))))))));
  }
  f.append(section("Journey", journey(d)));
  const rating = d.conversation.rating;
  if (rating) f.prepend(section("Visitor's rating", ratingLine(rating.score, rating.comment))); // at the top: it came last
  const contacts = d.earlierContacts ?? [];
  if (contacts.length) {
    // Repeat contact: they had to come back. Say so first, with what happened before, so they need not repeat it.
    f.prepend(h("section", { class: "ctx repeat", role: "note" },
      h("h3", null, `Contacted us before: ${contacts.length}× in the last 7 days`),
      h("ul", { class: "earlier" }, ...[...contacts].reverse().map((c) => h("li", null,
        h("div", { class: "row" }, h("span", null, dayAndTime(c.at)), h("span", { class: `chip ${c.kind}` }, CONTACT[c.kind] ?? c.kind),
          c.reference ? h("code", null, c.reference) : null),
        h("div", { class: "muted" }, [c.situation, c.via === "phone" ? "same phone number" : c.via === "email" ? "same e-mail" : "this visitor"].filter(Boolean).join(" · ")))))));
  }
  f.append(section("Earlier conversations",
    d.earlier.length
      ? h("ul", { class: "earlier" }, ...[...d.earlier].reverse().map((c) =>
        h("li", null, h("div", { class: "row" }, h("span", null, dayAndTime(c.startedAt)), h("span", { class: "muted" }, c.agentName ?? c.status)), c.firstMessage ? h("div", { class: "preview" }, c.firstMessage) : null,
          c.rating ? ratingLine(c.rating.score, c.rating.comment) : null)))
      : h("p", { class: "empty" }, "None.")));
  return f;
}

const CONTACT: Record<string, string> = { chat: "Chat", callback: "Call back", message: "Message", phone: "Phoned" };

function ratingLine(score: number, comment?: string | null): HTMLElement {
  return h("div", { class: `rating r${score}` }, h("b", null, `${score}/5`), comment ? h("span", { class: "comment" }, ` “${comment}”`) : null);
}

export function journey(d: ConversationDetail): HTMLElement {
  return d.journey.length
    ? h("ol", { class: "journey" }, ...journeyRows(d).map(({ at, kind, detail, stay }) =>
      h("li", { class: `j-${kind.replace(/[^a-z_]/gi, "")}` }, h("time", null, clock(at)), h("span", { class: "kind" }, kind),
        h("span", { class: "detail" }, detail), stay ? h("span", { class: "stay" }, stay) : null)))
    : h("p", { class: "empty" }, "Nothing recorded yet.");
}


/** Newest first; a page shows how long the visitor stayed on it (until the next page). */
function journeyRows(d: ConversationDetail) {
  const pages = d.journey.filter((j) => j.kind === "page");
  return d.journey.map((j) => {
    let stay = "";
    if (j.kind === "page") {
      const next = pages[pages.indexOf(j) + 1];
      if (next) stay = elapsed(Date.parse(next.at) - Date.parse(j.at));
    }
    return { ...j, stay };
  }).reverse();
}
