// The supervisor view (admins): agents and their load, the queue, the per-situation funnel, service notices and the rules editor.
import type { App } from "./app";
import { h, replace, ticking } from "../shared/dom";
import { barWidth, percent, visitorLabel } from "./format";
import type { AgentSatisfaction, SituationStats, StatsResponse } from "../shared/protocol";
import { noticesManager } from "./noticesmanager";
import { agentSatisfaction, outcomes } from "./outcomes";
import { problemDetail } from "./problem";
import { rulesEditor } from "./rules";

const STEPS: { key: keyof SituationStats; label: string }[] = [
  { key: "shown", label: "Shown" },
  { key: "accepted", label: "Accepted" },
  { key: "chatsStarted", label: "Chat" },
  { key: "conversions", label: "Conversion" },
];

export function supervisorView(app: App): HTMLElement {
  const s = app.store;
  const agents = h("table", { class: "agents" });
  const queue = h("ul", { class: "queue-list wide" });
  const funnel = h("div", { class: "funnel", id: "funnel" });
  const ratings = h("div", { id: "agent-ratings" });
  const range = h("select", { "aria-label": "Period" }, h("option", { value: "1" }, "Last 24 hours"), h("option", { value: "7" }, "Last 7 days"), h("option", { value: "30" }, "Last 30 days"));
  const site = h("select", { "aria-label": "Site" }, ...s.me.sites.map((x) => h("option", { value: x }, x)));
  const editor = rulesEditor(() => site.value);
  const csvLink = h("a", { class: "button small", href: "#", download: "" }, "Download CSV");
  // The same window as on screen, at the moment of the click.
  csvLink.addEventListener("click", () => { csvLink.setAttribute("href", statsUrl(site.value, Number(range.value), "stats.csv")); });
  const notices = noticesManager(app, () => site.value);
  let timer = 0;
  let lastRatings: AgentSatisfaction[] = [];
  // Agents' names come with the agents list, which may arrive after the figures: draw again when it does.
  const drawRatings = () => replace(ratings, agentSatisfaction(lastRatings, s.agents));

  const drawAgents = () => {
    const rows = [...s.agents].sort((a, b) => a.name.localeCompare(b.name)).map((a) => {
      const bar = h("span", { class: "load-bar" }, h("span", { class: "load-fill" }));
      (bar.firstChild as HTMLElement).style.width = `${a.capacity > 0 ? Math.min(100, (a.openChats / a.capacity) * 100) : 0}%`;
      return h("tr", { class: a.status },
        h("td", null, h("span", { class: `presence ${a.status}` }), a.name, a.agentId === s.me.agentId ? h("span", { class: "muted" }, " (you)") : null),
        h("td", null, a.status),
        h("td", { class: "load" }, bar, h("span", { class: "num" }, `${a.openChats}/${a.capacity}`)));
    });
    replace(agents, h("thead", null, h("tr", null, h("th", null, "Agent"), h("th", null, "Status"), h("th", null, "Load"))),
      h("tbody", null, ...(rows.length ? rows : [h("tr", null, h("td", { colspan: 3, class: "empty" }, "No agents."))])));
  };
  const drawQueue = () => {
    const q = s.queue;
    replace(queue, ...(q.length ? q.map((e) => h("li", null,
      h("div", { class: "row" }, h("span", { class: "who" }, visitorLabel(e.visitorId)), e.situation ? h("span", { class: "chip situation" }, e.situation) : null, h("span", { class: "wait" }, ticking(e.queuedAt))),
      e.firstMessage ? h("div", { class: "preview" }, e.firstMessage) : null)) : [h("li", { class: "empty" }, "Nobody is waiting.")]));
  };

  const loadStats = async () => {
    try {
      const res = await fetch(statsUrl(site.value, Number(range.value), "stats"), { credentials: "same-origin" });
      if (!res.ok) throw new Error(problemDetail(await res.json().catch(() => null)) ?? `${res.status}`);
      const stats = (await res.json()) as StatsResponse;
      drawFunnel(funnel, stats);
      lastRatings = stats.agents ?? [];
      drawRatings();
    } catch (e) {
      replace(funnel, h("p", { class: "error" }, `Could not load the figures (${e instanceof Error ? e.message : e}).`));
    }
  };
  range.addEventListener("change", loadStats);
  site.addEventListener("change", () => { void loadStats(); void editor.load(); s.emit("notices"); });

  s.on(["agents"], () => { drawAgents(); drawRatings(); });
  s.on(["queue"], drawQueue);
  s.on(["view"], () => {
    clearInterval(timer);
    if (s.view !== "supervisor") return;
    void loadStats();
    void app.refreshAgents();
    void editor.load(false);
    void app.notices.refresh();
    timer = window.setInterval(() => {
      if (document.hidden) return;
      void loadStats();
      void app.refreshAgents();
    }, 15000);
  });
  drawAgents();
  drawQueue();

  return h("section", { class: "supervisor", "aria-label": "Supervisor" },
    h("div", { class: "pane-head" }, h("h1", null, "Supervisor"), h("div", { class: "actions" }, s.me.sites.length > 1 ? site : null, range, csvLink)),
    h("div", { class: "grid" },
      h("div", { class: "card" }, h("h2", null, "Agents"), agents),
      h("div", { class: "card" }, h("h2", null, "Queue"), queue),
      h("div", { class: "card wide" }, h("h2", null, "Invitations by situation", h("span", { class: "legend" }, ...STEPS.map((st, i) => h("span", { class: `key k${i}` }, st.label)))), funnel),
      h("div", { class: "card wide" }, h("h2", null, "Satisfaction per agent", h("span", { class: "legend muted" }, "Ratings 1–5 after a chat")), ratings),
      h("div", { class: "card wide", id: "notices-card" }, h("h2", null, "Service notices", h("span", { class: "legend muted" }, "Shown in the widget on matching pages")), notices),
      h("div", { class: "card wide" }, h("h2", null, "Rules"), editor.el)));
}

function statsUrl(site: string, days: number, file: "stats" | "stats.csv"): string {
  const to = new Date();
  const from = new Date(to.getTime() - days * 86400000);
  return `/api/sites/${encodeURIComponent(site)}/${file}?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
}

/** One block per situation: a bar per funnel step, scaled to the largest figure, with the share of "shown". */
function drawFunnel(el: HTMLElement, stats: StatsResponse): void {
  const rows = [...stats.situations].sort((a, b) => b.shown - a.shown || b.chatsStarted - a.chatsStarted);
  if (!rows.length) {
    replace(el, h("p", { class: "empty" }, "No invitations or contacts in this period yet."));
    return;
  }
  const max = Math.max(1, ...rows.flatMap((r) => STEPS.map((st) => Number(r[st.key]) || 0)));
  replace(el, ...rows.map((r) => h("div", { class: "situation-block" },
    h("div", { class: "head" },
      h("b", null, r.situation && r.situation !== "(visitor-initiated)" ? r.situation : r.ruleId || "Chats without an invitation"),
      h("span", { class: "muted" }, `${r.dismissed} dismissed · first reply ${r.medianFirstReplySeconds != null ? `${Math.round(r.medianFirstReplySeconds)} s` : "—"} (median)`)),
    ...STEPS.map((st, i) => {
      const value = Number(r[st.key]) || 0;
      const fill = h("span", { class: `fill k${i}` });
      fill.style.width = `${barWidth(value, max)}%`;
      return h("div", { class: "bar", title: `${st.label}: ${value}` },
        h("span", { class: "label" }, st.label), h("span", { class: "track" }, fill),
        h("span", { class: "value" }, String(value)), h("span", { class: "share muted" }, i === 0 ? "" : percent(value, r.shown)));
    }),
    outcomes(r, stats.minimumPerGroup ?? 100))));
}
