// The rules editor: the site's rules as JSON with line numbers, saved with PUT; the server's validation message
// appears in place with a "Go to line" that puts the cursor on the rule (or the spot) it is about.
import { h, replace } from "../shared/dom";
import { problemDetail } from "./problem";

/**
 * The line (1-based) an error message is about: "line 4", "position 120", "rule 'cart-help'" (the line of its id)
 * or "rules[2]" (the line where the third rule starts); null when it names none of those.
 */
export function errorLine(text: string, message: string): number | null {
  const lineOf = (offset: number) => text.slice(0, Math.max(0, offset)).split("\n").length;
  const line = /\bline (\d+)/i.exec(message);
  if (line) return Number(line[1]);
  const id = /rule '([^']+)'/.exec(message);
  if (id) {
    const at = text.search(new RegExp(`"id"\\s*:\\s*${JSON.stringify(id[1]).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    if (at >= 0) return lineOf(at);
  }
  const index = /rules\[(\d+)\]/.exec(message);
  if (index) {
    // The n-th object directly inside the top-level array, skipping strings.
    let depth = 0, seen = -1, inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (inString) { if (c === "\\") i++; else if (c === '"') inString = false; continue; }
      if (c === '"') inString = true;
      else if (c === "[" || c === "{") {
        if (depth === 1 && c === "{" && ++seen === Number(index[1])) return lineOf(i);
        depth++;
      } else if (c === "]" || c === "}") depth--;
    }
  }
  const position = /\bposition (\d+)/i.exec(message);
  return position ? lineOf(Number(position[1])) : null;
}

export function rulesEditor(site: () => string): { el: HTMLElement; load(force?: boolean): Promise<void> } {
  const text = h("textarea", { class: "rules-json", id: "rules-json", spellcheck: "false", rows: 18, wrap: "off", "aria-label": "Rules (JSON)", "aria-describedby": "rules-error" });
  const gutter = h("pre", { class: "gutter", "aria-hidden": "true" });
  const drawGutter = () => {
    const lines = text.value.split("\n").length;
    if (gutter.dataset.lines === String(lines)) return;
    gutter.dataset.lines = String(lines);
    gutter.textContent = Array.from({ length: lines }, (_, i) => i + 1).join("\n");
  };
  text.addEventListener("scroll", () => { gutter.scrollTop = text.scrollTop; });
  const goTo = (line: number) => {
    const lines = text.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    text.focus();
    text.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    const lineHeight = text.scrollHeight / Math.max(1, lines.length);
    text.scrollTop = Math.max(0, (line - 3) * lineHeight);
    gutter.scrollTop = text.scrollTop;
  };
  const status = h("p", { class: "rules-status", role: "status" });
  const error = h("p", { class: "error rules-error", id: "rules-error", role: "alert", hidden: true });
  const save = h("button", { type: "button", class: "primary", id: "rules-save" }, "Save rules");
  const reload = h("button", { type: "button", class: "ghost" }, "Discard changes");
  let dirty = false;
  let loadedFor = "";

  const showError = (message: string) => {
    error.hidden = !message;
    const line = message ? errorLine(text.value, message) : null;
    const jump = line ? h("button", { type: "button", class: "small", id: "rules-goto" }, `Go to line ${line}`) : null;
    jump?.addEventListener("click", () => goTo(line!));
    replace(error, message, jump ? " " : null, jump);
    text.classList.toggle("invalid", !!message);
  };
  const load = async (force = true) => {
    if (!force && (dirty || loadedFor === site())) return;
    status.textContent = "Loading…";
    try {
      const res = await fetch(`/api/sites/${encodeURIComponent(site())}/rules`, { credentials: "same-origin" });
      if (!res.ok) throw new Error(res.status === 403 ? "only admins may see the rules" : problemDetail(await res.json().catch(() => null)) ?? `HTTP ${res.status}`);
      const body = (await res.json()) as { version: number; rules: unknown[] };
      text.value = JSON.stringify(body.rules, null, 2);
      drawGutter();
      dirty = false;
      loadedFor = site();
      showError("");
      status.textContent = `Version ${body.version} · ${body.rules.length} rule${body.rules.length === 1 ? "" : "s"}`;
    } catch (e) {
      status.textContent = "";
      showError(`Could not load the rules: ${e instanceof Error ? e.message : e}`);
    }
  };
  text.addEventListener("input", () => {
    drawGutter();
    dirty = true;
    status.textContent = "Unsaved changes";
  });
  text.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save.click(); }
  });
  save.addEventListener("click", async () => {
    try {
      JSON.parse(text.value);
    } catch (e) {
      showError(`Not valid JSON: ${e instanceof Error ? e.message : e}`);
      return;
    }
    save.disabled = true;
    try {
      const res = await fetch(`/api/sites/${encodeURIComponent(site())}/rules`, {
        method: "PUT", credentials: "same-origin", headers: { "content-type": "application/json" }, body: text.value,
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) {
        showError(problemDetail(body) ?? `The server refused the rules (HTTP ${res.status}).`);
        return;
      }
      dirty = false;
      showError("");
      status.textContent = `Saved · version ${body.version} · ${body.count} rule${body.count === 1 ? "" : "s"}`;
    } catch (e) {
      showError(`Could not save: ${e instanceof Error ? e.message : e}`);
    } finally {
      save.disabled = false;
    }
  });
  reload.addEventListener("click", () => void load(true));

  const el = h("div", { class: "rules-editor" }, error, h("div", { class: "rules-code" }, gutter, text), h("div", { class: "row" }, status, h("span", { class: "spacer" }), reload, save));
  return { el, load };
}
