// The notices manager (supervisor view): a site's active notices with their stats, and a form to post, edit or delete
// one. The server validates; its message, which names the field, appears above the form.
import type { App } from "./app";
import { h, replace } from "../shared/dom";
import { activeNotices, expiryText, localizedValue, pagesText, SEVERITIES, severityLabel, toLocalInput } from "./notices";
import type { SiteNotice } from "../shared/protocol";

export function noticesManager(app: App, site: () => string): HTMLElement {
  const s = app.store;
  const feed = app.notices;
  let editing: SiteNotice | null = null;

  const text = h("textarea", { id: "notice-text", rows: 2, maxlength: 500, placeholder: "Card payments are delayed; orders are safe.  (Per language: { \"nl\": \"…\", \"en\": \"…\" })", "aria-label": "Notice text" });
  const severity = h("select", { id: "notice-severity", "aria-label": "Severity" }, ...SEVERITIES.map((x) => h("option", { value: x }, severityLabel[x])));
  const pages = h("input", { id: "notice-pages", type: "text", placeholder: "/checkout*  (empty: every page)", "aria-label": "Pages (pattern)" });
  const link = h("input", { id: "notice-link", type: "text", placeholder: "https://status.example.com (optional)", "aria-label": "Link" });
  const expires = h("input", { id: "notice-expires", type: "datetime-local", "aria-label": "Expires at" });
  const error = h("p", { class: "error form-error", id: "notice-error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "primary", id: "notice-save" }, "Post notice");
  const cancel = h("button", { type: "button", class: "ghost", hidden: true }, "Cancel");
  const title = h("h3", null, "New notice");
  const table = h("table", { class: "notices", id: "notices-table" });
  const listError = h("p", { class: "error" });

  // The server's messages start with the field they are about ("link must be…"): that input is marked too.
  const inputs: Record<string, HTMLElement> = { text, severity, pageMatches: pages, link, expiresAt: expires };
  const showError = (message: string | null) => {
    error.hidden = !message;
    error.textContent = message ?? "";
    const field = message ? /^\w+/.exec(message)?.[0] ?? "" : "";
    for (const [name, el] of Object.entries(inputs)) {
      el.classList.toggle("invalid", name === field);
      if (name === field) el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    }
  };
  const edit = (n: SiteNotice | null) => {
    editing = n;
    text.value = localizedValue(n?.text, n?.texts);
    severity.value = n?.severity ?? "warning";
    pages.value = n?.pageMatches ?? "";
    link.value = n?.link ?? "";
    expires.value = toLocalInput(n?.expiresAt);
    title.textContent = n ? "Edit notice" : "New notice";
    submit.textContent = n ? "Save changes" : "Post notice";
    cancel.hidden = !n;
    showError(null);
    if (n) text.focus();
  };

  const form = h("form", { class: "notice-form", id: "notice-form", novalidate: true },
    title, error,
    h("label", { class: "field wide" }, h("span", null, "Text"), text),
    h("div", { class: "fields" },
      h("label", { class: "field" }, h("span", null, "Severity"), severity),
      h("label", { class: "field" }, h("span", null, "Pages"), pages),
      h("label", { class: "field" }, h("span", null, "Link"), link),
      h("label", { class: "field" }, h("span", null, "Expires"), expires)),
    h("div", { class: "row" }, h("span", { class: "spacer" }), cancel, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    const err = await feed.save(editing?.siteId ?? site(), editing?.noticeId ?? null,
      { text: text.value, severity: severity.value, pageMatches: pages.value, link: link.value, expiresAt: expires.value });
    submit.disabled = false;
    if (err) showError(err);
    else edit(null);
  });
  cancel.addEventListener("click", () => edit(null));

  const draw = () => {
    const now = Date.now();
    const rows = activeNotices(s.notices.filter((n) => n.siteId === site()), now).map((n) => {
      const del = h("button", { type: "button", class: "small danger" }, "Delete");
      const rowError = h("span", { class: "error" });
      del.addEventListener("click", async () => {
        del.disabled = true;
        const err = await feed.remove(n.siteId, n.noticeId);
        if (err) { rowError.textContent = err; del.disabled = false; }
        if (!err && editing?.noticeId === n.noticeId) edit(null);
      });
      const change = h("button", { type: "button", class: "small" }, "Edit");
      change.addEventListener("click", () => edit(n));
      return h("tr", { "data-notice": n.noticeId, class: editing?.noticeId === n.noticeId ? "editing" : null },
        h("td", null, h("span", { class: `sev ${n.severity}` }, severityLabel[n.severity] ?? n.severity)),
        h("td", { class: "text" }, n.text, n.link ? h("div", { class: "muted link" }, n.link) : null),
        h("td", null, h("code", null, pagesText(n.pageMatches))),
        h("td", { class: "muted" }, expiryText(n.expiresAt, now)),
        h("td", { class: "num", title: "Visitors who were shown it" }, String(n.stats.seen)),
        h("td", { class: "num", title: "Of those, visitors who still started a chat, asked for a callback or left a message" }, String(n.stats.contactedAfter)),
        h("td", { class: "actions" }, change, del, rowError));
    });
    replace(table,
      h("thead", null, h("tr", null, ...["Severity", "Text", "Pages", "Expires", "Seen", "Contacted after", ""].map((x, i) => h("th", { class: i === 4 || i === 5 ? "num" : null }, x)))),
      h("tbody", null, ...(rows.length ? rows : [h("tr", null, h("td", { colspan: 7, class: "empty" }, "No active notices."))])));
    listError.textContent = s.noticesError ? `Could not refresh the notices: ${s.noticesError}` : "";
  };
  s.on(["notices"], draw);
  edit(null);
  draw();

  return h("div", { class: "notices-manager" }, listError, table, form);
}
