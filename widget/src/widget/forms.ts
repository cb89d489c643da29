import { h } from "../shared/dom";
import { lang, t } from "./i18n";
import { hubError } from "./outbox";

export interface Field { name: string; label: string; type?: string; required?: boolean; hint?: string; max?: number; pattern?: string; auto?: string; multi?: boolean; el?: HTMLSelectElement | HTMLInputElement }

/** Why an invocation failed, in words for the visitor. */
export function failure(e: unknown): string {
  const refusal = hubError(e);
  if (!refusal) return t("unreachable");
  return lang === "en" ? refusal.charAt(0).toUpperCase() + refusal.slice(1) + "." : refusal; // another language's is a sentence already
}

/**
 * A small form whose submission goes to the server. On success it is replaced by `done(result)`;
 * on failure the reason appears inline and everything typed stays where it was.
 */
export function serverForm(
  fields: Field[], submitLabel: string,
  submit: (values: Record<string, string>) => Promise<unknown>,
  done: (result: any) => Node,
): HTMLFormElement {
  const err = h("p", { class: "err", role: "alert" });
  const button = h("button", { class: "btn p", type: "submit", text: submitLabel });
  const inputs = fields.map((f) => f.el ? f.el : f.multi
    ? h("textarea", { name: f.name, rows: 3, required: f.required, maxlength: f.max })
    : h("input", { name: f.name, type: f.type || "text", required: f.required, maxlength: f.max, pattern: f.pattern, autocomplete: f.auto }));
  const form = h("form", {
    submit: async (ev: Event) => {
      ev.preventDefault();
      const values: Record<string, string> = {};
      inputs.forEach((i, n) => { if (i.value.trim()) values[fields[n].name] = i.value.trim(); });
      button.disabled = true;
      err.textContent = "";
      try {
        const result = await submit(values);
        const ok = done(result);
        form.replaceWith(ok);
        (ok as HTMLElement).focus?.();
      } catch (e) {
        err.textContent = failure(e);
      } finally {
        button.disabled = false;
      }
    },
  },
    ...fields.map((f, n) => h("label", { "data-f": f.name }, h("span", null, f.label, f.hint ? h("small", { text: " " + f.hint }) : null), inputs[n])),
    err, h("div", null, button));
  return form;
}

/** The confirmation that closes a request: what happens next and the reference to quote. */
export function confirmation(text: string, reference?: string, more?: string): HTMLElement {
  return h("div", { class: "ok", role: "status", tabindex: -1 }, text, reference ? h("br") : null, reference ? t("reference") : null, reference ? h("b", { text: reference }) : null,
    more ? h("small", { text: more }) : null);
}
