// After a chat ends: one question, a score of 1–5 and an optional comment (visitor hub `Rate`). The scores are native
// radio buttons in a fieldset, so the group is one tab stop, arrow keys move between scores, and the legend names it.
import { h, show } from "../shared/dom";
import { confirmation, failure } from "./forms";
import { t, type Key } from "./i18n";

const word = (n: number) => t(("rate" + n) as Key);

export function ratingForm(rate: (score: number, comment?: string) => Promise<unknown>): HTMLElement {
  const err = h("p", { class: "err", role: "alert" });
  const comment = h("textarea", { name: "comment", rows: 2, maxlength: 1000 });
  const send = h("button", { class: "btn p", type: "submit", text: t("rateSubmit") });
  const more = h("div", { class: "more" }, h("label", null, h("span", null, t("rateAdd"), h("small", { text: " " + t("optional") })), comment), h("div", null, send));
  show(more, false);
  const scores = [1, 2, 3, 4, 5].map((n) =>
    h("label", { class: "score" }, h("input", { type: "radio", name: "score", value: n, required: true, "aria-label": t("rateScore", { n, word: word(n) }) }), h("span", { "aria-hidden": "true", text: String(n) })));
  const form = h("form", {
    class: "rate",
    submit: async (e: Event) => {
      e.preventDefault();
      const picked = form.querySelector<HTMLInputElement>("input[name=score]:checked");
      if (!picked) { err.textContent = t("ratePick"); return; }
      send.disabled = true;
      err.textContent = "";
      try {
        await rate(Number(picked.value), comment.value.trim() || undefined);
        const ok = confirmation(t("rateThanks"));
        form.replaceWith(ok);
        ok.focus();
      } catch (x) {
        err.textContent = failure(x);
      } finally {
        send.disabled = false;
      }
    },
  },
    h("fieldset", null, h("legend", { text: t("rateAsk") }), h("div", { class: "scores" }, ...scores),
      h("small", { class: "ends", "aria-hidden": "true" }, h("span", { text: "1 " + word(1) }), h("span", { text: "5 " + word(5) }))),
    more, err);
  // The comment and the button appear once a score is picked: until then the block stays small beside the chat.
  form.addEventListener("change", () => show(more, true));
  return form;
}
