// The notices strip under the top bar: what visitors are being told right now, so every agent answers in step with it.
import type { App } from "./app";
import { h, replace } from "../shared/dom";
import { activeNotices, expiryText, pagesText, severityLabel } from "./notices";

export function noticeStrip(app: App): HTMLElement {
  const s = app.store;
  const list = h("ul", { class: "notice-list" });
  const strip = h("section", { class: "notice-strip", id: "notice-strip", "aria-label": "Service notices", hidden: true },
    h("h2", null, "Notices"), list);
  let expiry = 0;

  const draw = () => {
    const now = Date.now();
    const shown = activeNotices(s.notices, now);
    strip.hidden = shown.length === 0;
    replace(list, ...shown.map((n) => h("li", { class: `notice ${n.severity}`, "data-notice": n.noticeId },
      h("span", { class: `sev ${n.severity}` }, severityLabel[n.severity] ?? n.severity),
      h("span", { class: "text", title: n.text }, n.text),
      h("span", { class: "where", title: "Pages that show it" }, s.me.sites.length > 1 ? `${n.siteId} · ${pagesText(n.pageMatches)}` : pagesText(n.pageMatches)),
      h("span", { class: "until" }, expiryText(n.expiresAt, now)))));
    // Gone at its expiry instant, not at the next poll.
    clearTimeout(expiry);
    const next = Math.min(...shown.map((n) => (n.expiresAt ? Date.parse(n.expiresAt) - now : Infinity)));
    if (Number.isFinite(next)) expiry = window.setTimeout(draw, Math.min(Math.max(next, 0) + 50, 2 ** 31 - 1));
  };
  s.on(["notices"], draw);
  draw();
  return strip;
}
