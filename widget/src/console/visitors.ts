// The live visitors list: one server-side view (filter, sort, first 200) kept current by diffs. Rows are keyed and
// updated in place; the totals redraw alone. A row opens the visitor's journey and can invite them.
import type { App } from "./app";
import { h, replace, ticking } from "../shared/dom";
import { clock, elapsed, money, pagePath, visitorLabel } from "./format";
import type { VisitorDetail, VisitorFilter, VisitorSort, VisitorSummary } from "../shared/protocol";
import { visitorKey } from "./store";

const DEFAULT_INVITE = "Hi! Can I help you with anything?";
const FILTERS: [VisitorFilter, string][] = [["online", "Everyone online"], ["cart", "With a cart"], ["situation", "In a situation"], ["returning", "Returning"]];
const SORTS: [VisitorSort, string][] = [["needs-help", "Most likely to need help"], ["time-on-page", "Longest on page"], ["cart-value", "Cart value"]];
const count = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, one: string) => `${count(n)} ${one}${n === 1 ? "" : "s"}`;

interface Row { tr: HTMLTableRowElement; update(v: VisitorSummary, force?: boolean): void }

export function visitorsView(app: App): HTMLElement {
  const s = app.store;
  const body = h("tbody");
  const summary = h("p", { class: "summary", id: "visitor-counts" });
  const shown = h("p", { class: "shown muted" });
  const rows = new Map<string, Row>();
  const empty = h("tr", { class: "empty-row" }, h("td", { colspan: 6, class: "empty" }, "No visitors in this view right now."));

  // ---- filter and sort: the server computes the view ----
  const select = (id: string, options: [string, string][], value: string) =>
    h("select", { id }, ...options.map(([v, label]) => h("option", { value: v, selected: v === value }, label)));
  const filter = select("visitor-filter", FILTERS, s.visitorQuery.filter);
  const sort = select("visitor-sort", SORTS, s.visitorQuery.sort);
  const viewNote = h("span", { class: "note error", role: "alert" });
  const changeView = async () => {
    viewNote.textContent = (await app.watchVisitors(filter.value as VisitorFilter, sort.value as VisitorSort)) ?? "";
  };
  filter.addEventListener("change", () => void changeView());
  sort.addEventListener("change", () => void changeView());

  // ---- one invitation form, moved under the row (or into the journey panel) it is for ----
  let inviting: string | null = null;
  const inviteText = h("input", { type: "text", class: "invite-text", maxlength: 2000, "aria-label": "Invitation text", value: DEFAULT_INVITE });
  const inviteNote = h("span", { class: "note", role: "status" });
  const inviteLabel = h("span");
  const send = async () => {
    const v = inviting ? s.visitors.get(inviting) ?? opened?.visitor : null;
    if (!v || !inviteText.value.trim()) return;
    const err = await app.invite(v, inviteText.value.trim());
    inviteNote.textContent = err ?? "Invitation sent.";
    inviteNote.className = err ? "note error" : "note ok";
    if (!err) setTimeout(() => { if (inviting === visitorKey(v.siteId, v.visitorId)) closeInvite(); }, 1500);
  };
  const sendButton = h("button", { type: "button", class: "small primary", onclick: () => void send() }, "Send invitation");
  const inviteForm = h("div", { class: "invite-form" }, inviteLabel, inviteText, sendButton,
    h("button", { type: "button", class: "small ghost", onclick: () => closeInvite() }, "Cancel"), inviteNote);
  const formRow = h("tr", { class: "invite-row" }, h("td", { colspan: 6 }));
  inviteText.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); void send(); }
    if (e.key === "Escape") closeInvite();
  });
  const openInvite = (v: VisitorSummary, inPanel: boolean) => {
    const key = visitorKey(v.siteId, v.visitorId);
    if (inviting === key && !inPanel) { closeInvite(); return; }
    inviting = key;
    inviteNote.textContent = "";
    inviteLabel.textContent = `Invite ${visitorLabel(v.visitorId)}:`;
    if (inPanel) { formRow.remove(); panelInvite.append(inviteForm); }
    else { formRow.firstElementChild!.append(inviteForm); rows.get(key)?.tr.after(formRow); }
    if (!inPanel && openedKey !== key && journeyRow.isConnected) closePanel();
    inviteText.focus();
    inviteText.select();
  };
  const closeInvite = () => { inviting = null; formRow.remove(); inviteForm.remove(); };

  // ---- a visitor's journey, before any chat ----
  let opened: VisitorDetail | null = null;
  const panelBody = h("div", { class: "journey-body" });
  const panelInvite = h("div", { class: "panel-invite" });
  const panelTitle = h("h2", { id: "journey-title" });
  const panel = h("section", { class: "visitor-journey", "aria-labelledby": "journey-title" },
    h("div", { class: "panel-head" }, panelTitle, h("button", { type: "button", class: "small ghost", "aria-label": "Close the journey", onclick: () => closePanel() }, "Close")),
    panelBody, panelInvite);
  const journeyRow = h("tr", { class: "journey-row" }, h("td", { colspan: 6 }, panel));
  let openedKey: string | null = null;
  const openPanel = async (v: VisitorSummary) => {
    const key = visitorKey(v.siteId, v.visitorId);
    if (openedKey === key) { closePanel(); return; }
    openedKey = key;
    opened = null;
    (inviting === key && formRow.isConnected ? formRow : rows.get(key)?.tr)?.after(journeyRow);
    panelTitle.textContent = visitorLabel(v.visitorId);
    replace(panelBody, h("p", { class: "empty" }, "Loading…"));
    const detail = await app.visitorDetail(v);
    if (openedKey !== key) return;
    if (typeof detail === "string") { replace(panelBody, h("p", { class: "note error", role: "alert" }, detail)); return; }
    opened = detail;
    drawPanel();
  };
  const closePanel = () => {
    if (inviteForm.parentElement === panelInvite) closeInvite();
    openedKey = null;
    opened = null;
    journeyRow.remove();
  };
  const drawPanel = () => {
    if (!opened) return;
    const v = s.visitors.get(visitorKey(opened.visitor.siteId, opened.visitor.visitorId)) ?? opened.visitor;
    const chatting = !!v.conversationId;
    const invite = h("button", { type: "button", class: "small primary", disabled: !v.online || chatting, onclick: () => openInvite(v, true) }, "Invite to chat");
    replace(panelBody,
      h("dl", { class: "facts" },
        h("dt", null, "Page"), h("dd", { class: "path" }, v.pageTitle ? `${v.pageTitle} — ` : "", pagePath(v.currentUrl)),
        h("dt", null, "On page"), h("dd", null, v.online ? ticking(v.pageEnteredAt) : "left the site"),
        h("dt", null, "This visit"), h("dd", null, plural(v.pagesThisVisit, "page")),
        h("dt", null, "Visits"), h("dd", null, v.returning ? `Returning · ${v.visits} visits` : "First visit"),
        h("dt", null, "Cart"), h("dd", null, v.cartValue > 0 ? `${money(v.cartValue)} (${plural(v.cartItems, "item")})` : "Empty"),
        v.lastSituation ? h("dt", null, "Situation") : null, v.lastSituation ? h("dd", null, v.lastSituation) : null),
      chatting ? h("p", { class: "chip live" }, "In a chat") : invite,
      opened.cart.length ? h("h3", null, "Cart") : null,
      opened.cart.length ? h("ul", { class: "cart-lines" }, ...opened.cart.map((l) => h("li", null, `${l.sku}: ${l.quantity} × ${money(l.price)}`))) : null,
      h("h3", null, "Journey"),
      opened.journey.length
        ? h("ol", { class: "journey" }, ...journeyRows(opened).map((j) =>
          h("li", null, h("time", null, clock(j.at)), h("span", { class: "kind" }, j.kind), h("span", { class: "detail" }, j.detail), j.stay ? h("span", { class: "stay" }, j.stay) : null)))
        : h("p", { class: "empty" }, "Nothing recorded yet."),
      opened.earlier.length ? h("h3", null, "Earlier chats") : null,
      opened.earlier.length ? h("ul", { class: "earlier" }, ...opened.earlier.map((c) => h("li", null, `${c.status}${c.agentName ? ` with ${c.agentName}` : ""}: ${c.firstMessage ?? "—"}`))) : null);
  };

  // ---- keyed rows, built once and updated in place ----
  const makeRow = (key: string): Row => {
    const tr = h("tr", { "data-visitor": key.slice(key.indexOf("/") + 1) });
    const dot = h("span", { class: "presence" });
    const name = h("button", { type: "button", class: "link who", "aria-label": "" });
    const sub = h("div", { class: "sub" });
    const title = h("div", { class: "title" });
    const path = h("div", { class: "path" });
    const onPage = h("div");
    const pages = h("div", { class: "sub" });
    const cart = h("div");
    const items = h("div", { class: "sub" });
    const situation = h("td");
    const actions = h("td", { class: "actions" });
    tr.append(h("td", null, h("div", { class: "who-line" }, dot, name), sub), h("td", { class: "page" }, title, path),
      h("td", { class: "num" }, onPage, pages), h("td", { class: "num cart" }, cart, items), situation, actions);
    let last: VisitorSummary | null = null;
    return {
      tr,
      update(v, force = false) {
        if (last === v && !force) return;
        const was = force ? null : last;
        last = v;
        name.onclick = () => void openPanel(v);
        // Only what changed is touched: a busy site changes most rows every second.
        const set = (el: HTMLElement, text: string) => { if (el.textContent !== text) el.textContent = text; };
        if (was?.online !== v.online) {
          tr.className = v.online ? "" : "offline";
          dot.className = `presence ${v.online ? "on" : "off"}`;
          dot.title = v.online ? "Online" : "Away from the page";
        }
        if (!was) {
          name.textContent = visitorLabel(v.visitorId);
          name.setAttribute("aria-label", `${visitorLabel(v.visitorId)}: open the journey`);
        }
        set(sub, v.returning ? `Returning · ${v.visits} visits` : "New visitor");
        set(title, v.pageTitle || pagePath(v.currentUrl));
        set(path, pagePath(v.currentUrl));
        if (was?.pageEnteredAt !== v.pageEnteredAt || was?.online !== v.online) replace(onPage, v.online ? ticking(v.pageEnteredAt) : "—");
        set(pages, plural(v.pagesThisVisit, "page"));
        set(cart, v.cartValue > 0 ? money(v.cartValue) : "—");
        set(items, v.cartItems > 0 ? plural(v.cartItems, "item") : "");
        if (!was || was.lastSituation !== v.lastSituation || was.lastRuleId !== v.lastRuleId)
          replace(situation, v.lastSituation ? h("span", { class: "chip situation", title: v.lastSituation }, v.lastSituation)
            : v.lastRuleId ? h("span", { class: "chip" }, v.lastRuleId) : h("span", { class: "muted" }, "—"));
        if (!was || was.conversationId !== v.conversationId || was.online !== v.online) {
          const chatting = !!v.conversationId;
          const open = chatting && s.chats.has(v.conversationId!) ? h("button", { type: "button", class: "small", onclick: () => app.select(v.conversationId!) }, "Open chat") : null;
          replace(actions, chatting ? h("span", { class: "chip live" }, "In chat") : null,
            open ?? (chatting ? null : h("button", { type: "button", class: "small", disabled: !v.online, onclick: () => openInvite(v, false) }, "Invite")));
        }
      },
    };
  };

  const drawRows = (force = false) => {
    const all = s.visitorChanges.has("*");
    const changed = all ? [...new Set([...rows.keys(), ...s.visitorOrder])] : [...s.visitorChanges];
    s.visitorChanges.clear();
    for (const key of changed) {
      const v = s.visitors.get(key);
      if (!v) {
        rows.get(key)?.tr.remove();
        rows.delete(key);
        if (inviting === key && formRow.isConnected) closeInvite();
        if (openedKey === key) closePanel();
        continue;
      }
      let row = rows.get(key);
      if (!row) rows.set(key, row = makeRow(key));
      row.update(v, force);
    }
    // Place rows in the view's order, moving only those out of place.
    let cursor: ChildNode | null = body.firstChild;
    for (const key of s.visitorOrder) {
      const tr = rows.get(key)?.tr;
      if (!tr) continue;
      if (cursor === empty) cursor = cursor.nextSibling;
      if (tr !== cursor) body.insertBefore(tr, cursor);
      else cursor = cursor.nextSibling;
      // The invitation form and the journey stay under their row.
      for (const extra of [inviting === key && formRow.isConnected ? formRow : null, openedKey === key ? journeyRow : null]) {
        if (!extra) continue;
        if (extra !== cursor) body.insertBefore(extra, cursor);
        else cursor = cursor.nextSibling;
      }
    }
    if (rows.size === 0) body.append(empty);
    else empty.remove();
    if (opened && openedKey && changed.includes(openedKey)) drawPanel();
  };

  const drawCounts = () => {
    const c = s.visitorCounts;
    summary.textContent = `${count(c.online)} online · ${count(c.withCart)} with a cart · ${count(c.inSituation)} in a situation · ${count(c.chatting)} chatting`;
    shown.textContent = c.matching > rows.size ? `Showing ${count(rows.size)} of ${count(c.matching)}` : "";
    filter.value = s.visitorQuery.filter;
    sort.value = s.visitorQuery.sort;
  };
  s.on(["visitors"], () => drawRows());
  // "Open chat" depends on which chats this console has.
  s.on(["chats"], () => { s.visitorChanges.add("*"); drawRows(true); });
  s.on(["visitors", "visitorCounts"], drawCounts);
  drawRows();
  drawCounts();

  return h("section", { class: "visitors-view", "aria-label": "Live visitors" },
    h("div", { class: "pane-head" }, h("h1", null, "Live visitors"), summary),
    h("div", { class: "visitor-tools" },
      h("label", { for: "visitor-filter" }, "Show"), filter,
      h("label", { for: "visitor-sort" }, "Sort by"), sort, shown, viewNote),
    h("div", { class: "visitors-main" },
      h("div", { class: "table-wrap" }, h("table", { class: "visitors", "aria-describedby": "visitor-counts" },
        h("caption", { class: "visually-hidden" }, "Visitors on your sites now"),
        h("thead", null, h("tr", null, ...["Visitor", "Page", "On page", "Cart", "Invitation", "Actions"].map((t) => h("th", { scope: "col" }, t)))),
        body))));
}

/** Newest first; a page shows how long the visitor stayed on it (until the next page). */
function journeyRows(d: VisitorDetail) {
  const pages = d.journey.filter((j) => j.kind === "page");
  return d.journey.map((j) => {
    const next = j.kind === "page" ? pages[pages.indexOf(j) + 1] : undefined;
    return { ...j, stay: next ? elapsed(Date.parse(next.at) - Date.parse(j.at)) : "" };
  }).reverse();
}
