// The rules editor: the site's rules as JSON, saved with PUT; the server's validation message appears in place.
import { h } from "./dom";

export function rulesEditor(site: () => string): { el: HTMLElement; load(force?: boolean): Promise<void> } {
  const text = h("textarea", { class: "rules-json", id: "rules-json", spellcheck: "false", rows: 18, "aria-label": "Rules (JSON)" });
  const status = h("p", { class: "rules-status", role: "status" });
  const error = h("p", { class: "error rules-error", id: "rules-error", role: "alert", hidden: true });
  const save = h("button", { type: "button", class: "primary", id: "rules-save" }, "Save rules");
  const reload = h("button", { type: "button", class: "ghost" }, "Discard changes");
  let dirty = false;
  let loadedFor = "";

  const showError = (message: string) => {
    error.hidden = !message;
    error.textContent = message;
    text.classList.toggle("invalid", !!message);
  };
  const load = async (force = true) => {
    if (!force && (dirty || loadedFor === site())) return;
    status.textContent = "Loading…";
    try {
      const res = await fetch(`/api/sites/${encodeURIComponent(site())}/rules`, { credentials: "same-origin" });
      if (!res.ok) throw new Error(res.status === 403 ? "only admins may see the rules" : `HTTP ${res.status}`);
      const body = (await res.json()) as { version: number; rules: unknown[] };
      text.value = JSON.stringify(body.rules, null, 2);
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
        showError(body.error ?? `The server refused the rules (HTTP ${res.status}).`);
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

  const el = h("div", { class: "rules-editor" }, error, text, h("div", { class: "row" }, status, h("span", { class: "spacer" }), reload, save));
  return { el, load };
}
