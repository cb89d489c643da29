// After a chat ends: one question, a score of 1–5 and an optional comment (visitor hub `Rate`). The scores are native
// radio buttons in a fieldset, so the group is one tab stop, arrow keys move between scores, and the legend names it.
import { h, show } from "../shared/dom";
import { confirmation, failure } from "./forms";

const WORDS = ["", "very poor", "poor", "okay", "good", "excellent"];

export function ratingForm(rate: (score: number, comment?: string) => Promise<unknown>): HTMLElement {
  const err = h("p", { class: "err", role: "alert" });
  const comment = h("textarea", { name: "comment", rows: 2, maxlength: 1000 });
  const send = h("button", { class: "btn p", type: "submit", text: "Submit rating" });
  const more = h("div", { class: "more" }, h("label", null, h("span", null, "Anything to add?", h("small", { text: " optional" })), comment), h("div", null, send));
  show(more, false);
  const scores = [1, 2, 3, 4, 5].map((n) =>
    h("label", { class: "score" }, h("input", { type: "radio", name: "score", value: n, required: true, "aria-label": `${n} of 5, ${WORDS[n]}` }), h("span", { "aria-hidden": "true", text: String(n) })));
  const form = h("form", {
    class: "rate",
    submit: async (e: Event) => {
      e.preventDefault();
      const picked = form.querySelector<HTMLInputElement>("input[name=score]:checked");
      if (!picked) { err.textContent = "Pick a score from 1 to 5."; return; }
      send.disabled = true;
      err.textContent = "";
      try {
        await rate(Number(picked.value), comment.value.trim() || undefined);
        const ok = confirmation("Thank you for your feedback.");
        form.replaceWith(ok);
        ok.focus();
      } catch (x) {
        err.textContent = failure(x);
      } finally {
        send.disabled = false;
      }
    },
  },
    h("fieldset", null, h("legend", { text: "How did we do?" }), h("div", { class: "scores" }, ...scores),
      h("small", { class: "ends", "aria-hidden": "true" }, h("span", { text: "1 very poor" }), h("span", { text: "5 excellent" }))),
    more, err);
  // The comment and the button appear once a score is picked: until then the block stays small beside the chat.
  form.addEventListener("change", () => show(more, true));
  return form;
}
