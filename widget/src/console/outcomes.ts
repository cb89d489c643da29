// The supervisor's "does it help?" figures per situation: invited vs held-out conversion with the uplift's 95 % interval
// (an inline SVG), text variants, the channels visitors chose, satisfaction and repeat contacts. Pictures first, numbers beside.
import { h } from "../shared/dom";
import { elapsed, percent } from "./format";
import type { AgentInfo, AgentSatisfaction, Channel, SituationStats } from "../shared/protocol";

export const CHANNELS: { key: Channel; label: string }[] = [
  { key: "chatFromInvitation", label: "Chat from invitation" },
  { key: "chatStartedByVisitor", label: "Chat they started" },
  { key: "callback", label: "Callback" },
  { key: "message", label: "Message" },
  { key: "phone", label: "Phoned" },
];

const rate = (a: number, n: number) => (n > 0 ? a / n : 0);
const points = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}`;

/** Everything measured about one situation beyond the funnel. */
export function outcomes(r: SituationStats, minimumPerGroup: number): HTMLElement {
  return h("div", { class: "outcomes" }, upliftBlock(r, minimumPerGroup), variantsBlock(r), channelsBlock(r), satisfactionBlock(r));
}

function upliftBlock(r: SituationStats, minimum: number): HTMLElement {
  const block = h("div", { class: "uplift", "data-situation": r.situation ?? "" }, h("h3", null, "Does the invitation help?"));
  if (!r.heldOut && !r.invited) {
    block.append(h("p", { class: "muted" }, "No invitations yet."));
    return block;
  }
  if (!r.heldOut) {
    block.append(h("p", { class: "muted" }, "No control group: give the rule a holdoutPercent to measure what the invitation changes."));
    return block;
  }
  const pInvited = rate(r.conversionsInvited, r.invited), pHeld = rate(r.conversionsHeldOut, r.heldOut);
  const max = Math.max(0.01, pInvited, pHeld);
  const row = (label: string, p: number, n: number, conversions: number, cls: string) => {
    const fill = h("span", { class: `fill ${cls}` });
    fill.style.width = `${Math.max(p > 0 ? 1 : 0, (p / max) * 100)}%`;
    return h("div", { class: "bar rate-bar", title: `${label}: ${conversions} of ${n} ordered` },
      h("span", { class: "label" }, label), h("span", { class: "track" }, fill),
      h("span", { class: "value" }, `${(p * 100).toFixed(1)}%`), h("span", { class: "share muted" }, `n=${n}`));
  };
  block.append(row("Invited", pInvited, r.invited, r.conversionsInvited, "k2"), row("Held out", pHeld, r.heldOut, r.conversionsHeldOut, "k0"));
  const u = r.uplift;
  if (!u) {
    block.append(h("p", { class: "not-enough" }, `Not enough data yet (need ${minimum} per group; now ${r.invited} invited, ${r.heldOut} held out).`));
    return block;
  }
  const verdict = u.low > 0 ? "The invitation helps" : u.high < 0 ? "The invitation hurts" : "No clear difference yet";
  block.append(interval(u.value, u.low, u.high),
    h("p", { class: "uplift-text" }, h("b", null, `${points(u.value)} points`), ` conversion (95 % interval ${points(u.low)} to ${points(u.high)}) · ${verdict}`));
  return block;
}

/** A horizontal interval around zero: the grey band is the 95 % interval, the dot the estimate. */
function interval(value: number, low: number, high: number): SVGSVGElement {
  const NS = "http://www.w3.org/2000/svg";
  const span = Math.max(0.02, Math.abs(low), Math.abs(high)) * 1.15;
  const x = (v: number) => 10 + ((v + span) / (2 * span)) * 280;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 300 34");
  svg.setAttribute("class", "interval");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Uplift ${points(value)} points, 95 % interval ${points(low)} to ${points(high)}`);
  const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text) e.textContent = text;
    svg.append(e);
  };
  el("line", { x1: 10, x2: 290, y1: 14, y2: 14, class: "axis" });
  el("line", { x1: x(0), x2: x(0), y1: 4, y2: 24, class: "zero" });
  el("rect", { x: x(low), y: 9, width: Math.max(1, x(high) - x(low)), height: 10, rx: 3, class: low > 0 ? "ci good" : high < 0 ? "ci bad" : "ci" });
  el("circle", { cx: x(value), cy: 14, r: 4.5, class: "est" });
  el("text", { x: x(0), y: 33, "text-anchor": "middle" }, "0");
  el("text", { x: 10, y: 33 }, points(-span));
  el("text", { x: 290, y: 33, "text-anchor": "end" }, points(span));
  return svg;
}

function variantsBlock(r: SituationStats): HTMLElement | null {
  const variants = r.variants ?? [];
  if (!variants.length) return null;
  const max = Math.max(0.01, ...variants.map((v) => rate(v.accepted, v.shown)), ...variants.map((v) => rate(v.conversions, v.invited)));
  return h("div", { class: "variants" }, h("h3", null, "Invitation texts"),
    ...variants.map((v) => {
      const bar = (p: number, cls: string, label: string) => {
        const fill = h("span", { class: `fill ${cls}` });
        fill.style.width = `${Math.max(p > 0 ? 1 : 0, (p / max) * 100)}%`;
        return h("div", { class: "bar" }, h("span", { class: "label" }, label), h("span", { class: "track" }, fill), h("span", { class: "value" }, `${Math.round(p * 100)}%`), h("span", { class: "share muted" }, ""));
      };
      return h("div", { class: "variant" },
        h("div", { class: "variant-text" }, h("b", null, String.fromCharCode(65 + v.variant)), " ", v.text ? `“${v.text}”` : `variant ${v.variant + 1}`, h("span", { class: "muted" }, ` · shown ${v.shown}`)),
        bar(rate(v.accepted, v.shown), "k1", "Accepted"), bar(rate(v.conversions, v.invited), "k3", "Ordered"));
    }));
}

function channelsBlock(r: SituationStats): HTMLElement | null {
  const counts = CHANNELS.map((c, i) => ({ ...c, i, n: r.channels?.[c.key] ?? 0 }));
  const total = counts.reduce((a, c) => a + c.n, 0);
  if (!total) return null;
  const stack = h("div", { class: "stack", role: "img", "aria-label": counts.filter((c) => c.n).map((c) => `${c.label} ${c.n}`).join(", ") });
  counts.forEach((c) => {
    if (!c.n) return;
    const part = h("span", { class: `part c${c.i}`, title: `${c.label}: ${c.n}` });
    part.style.width = `${(c.n / total) * 100}%`;
    stack.append(part);
  });
  const resolution = r.medianResolutionSeconds ?? {};
  return h("div", { class: "channels" }, h("h3", null, "How they reached out"), stack,
    h("ul", { class: "channel-legend" }, ...counts.filter((c) => c.n).map((c) => h("li", { class: `c${c.i}` },
      h("span", { class: "swatch", "aria-hidden": "true" }), `${c.label} ${c.n} (${percent(c.n, total)})`, resolution[c.key] != null ? h("span", { class: "muted" }, ` · resolved in ${elapsed(resolution[c.key]! * 1000)}`) : null))),
    h("p", { class: "repeat" }, r.repeatContactRate != null
      ? `${Math.round(r.repeatContactRate * 100)}% came back within 7 days (${r.repeatContacts} of ${r.contacts} contacts)`
      : ""));
}

function satisfactionBlock(r: SituationStats): HTMLElement | null {
  const s = r.satisfaction;
  if (!s || !s.responses) return null;
  return h("div", { class: "satisfaction" }, h("h3", null, "Satisfaction"), stars(s.average ?? 0),
    h("span", null, ` ${(s.average ?? 0).toFixed(1)} / 5 · ${s.responses} rating${s.responses === 1 ? "" : "s"} · ${Math.round((s.satisfiedShare ?? 0) * 100)}% gave 4–5`));
}

/** A 0–5 meter as a CSS bar (one element, its width the score). */
function stars(average: number): HTMLElement {
  const fill = h("span", { class: "fill k3" });
  fill.style.width = `${(average / 5) * 100}%`;
  return h("span", { class: "meter", role: "img", "aria-label": `${average.toFixed(1)} out of 5` }, fill);
}

/** Satisfaction per agent, over all situations. */
export function agentSatisfaction(list: AgentSatisfaction[], agents: AgentInfo[]): HTMLElement {
  if (!list.length) return h("p", { class: "empty" }, "No ratings in this period yet.");
  const name = (id: string) => agents.find((a) => a.agentId === id)?.name ?? id;
  return h("table", { class: "agents satisfaction-table" },
    h("thead", null, h("tr", null, h("th", null, "Agent"), h("th", null, "Average"), h("th", null, "4–5"), h("th", null, "Ratings"))),
    h("tbody", null, ...[...list].sort((a, b) => (b.average ?? 0) - (a.average ?? 0)).map((a) => h("tr", null,
      h("td", null, name(a.agentId)), h("td", { class: "load" }, stars(a.average ?? 0), h("span", { class: "num" }, (a.average ?? 0).toFixed(1))),
      h("td", { class: "num" }, `${Math.round((a.satisfiedShare ?? 0) * 100)}%`), h("td", { class: "num" }, String(a.responses))))));
}
