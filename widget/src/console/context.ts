// The right column: the active visitor's journey, cart and earlier chats; and callback requests / left messages.
import type { App } from "./app";
import { h, replace, ticking } from "../shared/dom";
import { clock, count, dayAndTime, elapsed, money, pagePath } from "./format";
import { plural, t, word, type Key } from "./i18n";
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
    replace(tabs, tabButton("visitor", shown, t("context.visitor")), tabButton("requests", shown, due ? t("context.requestsDue") : t("context.requests"), open));
    if (shown === "requests") replace(body, requests(app, s.callbacks));
    else if (!chat) replace(body, h("p", { class: "empty" }, t("context.openChat")));
    else if (!chat.detail) replace(body, h("p", { class: "empty" }, t("context.loading")));
    else {
      const mine = s.callbacks.filter((c) => c.visitorId === chat.view.visitorId && c.siteId === chat.view.siteId);
      replace(body, visitorContext(chat.detail, s.currencies.get(chat.view.siteId)), mine.length ? section(t("context.fromVisitor"), requests(app, mine)) : null);
    }
  };
  s.on(["context", "callbacks", "active", "view"], draw);
  draw();
  // A booked callback turns due, then overdue, with time alone: redraw the list each minute while it is shown.
  setInterval(() => { if (tab === "requests" || !(s.view === "chat" && s.activeChat)) draw(); }, 60_000);
  return h("aside", { class: "context", "aria-label": t("context.label") }, tabs, body);
}

function section(title: string, ...content: (Node | null)[]): HTMLElement {
  return h("section", { class: "ctx" }, h("h3", null, title), ...content);
}

function visitorContext(d: ConversationDetail, currency: string | undefined): DocumentFragment {
  const f = document.createDocumentFragment();
  const v = d.visitor;
  if (v) {
    f.append(section(t("context.now"),
      h("dl", { class: "facts" },
        h("dt", null, t("visitors.page")), h("dd", { class: "path" }, v.pageTitle ? `${v.pageTitle} — ` : "", pagePath(v.currentUrl)),
        h("dt", null, t("visitors.onPage")), h("dd", null, v.online ? ticking(v.pageEnteredAt) : t("visitors.leftSite")),
        h("dt", null, t("visitors.thisVisit")), h("dd", null, plural(v.pagesThisVisit, "visitors.pages")),
        h("dt", null, t("visitors.visits")), h("dd", null, v.returning ? t("visitors.returningVisits", { n: count(v.visits) }) : t("visitors.firstVisit")),
        h("dt", null, t("visitors.cart")), h("dd", { id: "context-cart" }, v.cartValue > 0 ? `${money(v.cartValue, currency)} (${plural(v.cartItems, "visitors.items")})` : t("visitors.empty")))));
  }
  if (d.cart.length) {
    f.append(section(t("visitors.cart"),
      h("table", { class: "cart-lines" }, h("tbody", null, ...d.cart.map((l) =>
        h("tr", null, h("td", { class: "sku" }, l.sku), h("td", { class: "num" }, `${l.quantity} × ${money(l.price, currency)}`), h("td", { class: "num" }, money(l.price * l.quantity, currency))))))));
  }
  f.append(section(t("context.journey"), journey(d)));
  const rating = d.conversation.rating;
  if (rating) f.prepend(section(t("context.rating"), ratingLine(rating.score, rating.comment))); // at the top: it came last
  const contacts = d.earlierContacts ?? [];
  if (contacts.length) {
    // Repeat contact: they had to come back. Say so first, with what happened before, so they need not repeat it.
    f.prepend(h("section", { class: "ctx repeat", role: "note" },
      h("h3", null, t("context.contactedBefore", { n: contacts.length })),
      h("ul", { class: "earlier" }, ...[...contacts].reverse().map((c) => h("li", null,
        h("div", { class: "row" }, h("span", null, dayAndTime(c.at)), h("span", { class: `chip ${c.kind}` }, (CONTACT.includes(c.kind) ? t(`contact.${c.kind}` as Key) : c.kind)),
          c.reference ? h("code", null, c.reference) : null),
        h("div", { class: "muted" }, [c.situation, c.via === "phone" ? t("context.samePhone") : c.via === "email" ? t("context.sameEmail") : t("context.thisVisitor")].filter(Boolean).join(" · ")))))));
  }
  f.append(section(t("context.earlier"),
    d.earlier.length
      ? h("ul", { class: "earlier" }, ...[...d.earlier].reverse().map((c) =>
        h("li", null, h("div", { class: "row" }, h("span", null, dayAndTime(c.startedAt)), h("span", { class: "muted" }, c.agentName ?? c.status)), c.firstMessage ? h("div", { class: "preview" }, c.firstMessage) : null,
          c.rating ? ratingLine(c.rating.score, c.rating.comment) : null)))
      : h("p", { class: "empty" }, t("context.none"))));
  return f;
}

const CONTACT = ["chat", "callback", "message", "phone"];

function ratingLine(score: number, comment?: string | null): HTMLElement {
  return h("div", { class: `rating r${score}` }, h("b", null, `${score}/5`), comment ? h("span", { class: "comment" }, ` “${comment}”`) : null);
}

export function journey(d: ConversationDetail): HTMLElement {
  return d.journey.length
    ? h("ol", { class: "journey" }, ...journeyRows(d).map(({ at, kind, detail, stay }) =>
      h("li", { class: `j-${kind.replace(/[^a-z_]/gi, "")}` }, h("time", null, clock(at)), h("span", { class: "kind" }, word("journey.", kind)),
        h("span", { class: "detail" }, detail), stay ? h("span", { class: "stay" }, stay) : null)))
    : h("p", { class: "empty" }, t("visitors.nothingYet"));
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
