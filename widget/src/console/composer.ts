// The reply box: Enter sends, Shift+Enter breaks the line, "/shortcut" offers canned responses (Tab, Enter or space expands).
import type { App } from "./app";
import { exact, expand, matches, tokenAt } from "./canned";
import { h, replace } from "../shared/dom";
import type { CannedResponse } from "../shared/protocol";

export function composer(app: App): { el: HTMLElement; switchTo(prev: string | null): void } {
  const s = app.store;
  // A textbox with a listbox of suggestions (aria-autocomplete + aria-activedescendant): a textarea may not carry
  // aria-expanded or the combobox role, so the open state is the listbox's presence.
  const input = h("textarea", { id: "composer", rows: 2, maxlength: 4000, placeholder: "Reply…  (Enter sends, Shift+Enter new line, / for canned responses)", "aria-label": "Reply",
    "aria-autocomplete": "list", "aria-controls": "canned" });
  const menu = h("ul", { class: "canned-menu", role: "listbox", id: "canned", "aria-label": "Canned responses", hidden: true });
  const send = h("button", { type: "button", class: "primary", id: "send" }, "Send");
  let options: CannedResponse[] = [];
  let chosen = 0;

  const token = () => tokenAt(input.value, input.selectionStart ?? input.value.length);
  const drawMenu = () => {
    const t = token();
    options = t ? matches(s.canned, t.word).slice(0, 6) : [];
    chosen = Math.min(chosen, Math.max(0, options.length - 1));
    menu.hidden = options.length === 0;
    if (menu.hidden) input.removeAttribute("aria-activedescendant");
    else input.setAttribute("aria-activedescendant", `canned-${chosen}`);
    replace(menu, ...options.map((o, i) => {
      const li = h("li", { role: "option", id: `canned-${i}`, "aria-selected": String(i === chosen), class: i === chosen ? "on" : null }, h("b", null, o.shortcut), h("span", null, o.text));
      li.addEventListener("mousedown", (e) => { e.preventDefault(); use(o); });
      return li;
    }));
  };
  const use = (o: CannedResponse, after = "") => {
    const t = token();
    if (!t) return;
    const r = expand(input.value, t, o, s.activeChat?.detail?.visitor?.languages ?? []);
    input.value = r.text.slice(0, r.caret) + after + r.text.slice(r.caret);
    input.setSelectionRange(r.caret + after.length, r.caret + after.length);
    chosen = 0;
    drawMenu();
    saveDraft();
  };
  const saveDraft = () => {
    const chat = s.activeChat;
    if (chat) chat.draft = input.value;
  };
  const submit = () => {
    const chat = s.activeChat;
    const text = input.value.trim();
    if (!chat || chat.ended || !text) return;
    input.value = "";
    chat.draft = "";
    drawMenu();
    void app.send(chat.view.conversationId, text);
  };

  input.addEventListener("keydown", (e) => {
    if (!menu.hidden && options.length) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        chosen = (chosen + (e.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
        drawMenu();
        return;
      }
      if (e.key === "Tab" || (e.key === "Enter" && !e.shiftKey)) {
        e.preventDefault();
        use(options[chosen]);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        menu.hidden = true;
        input.removeAttribute("aria-activedescendant");
        return;
      }
      const t = token();
      const hit = t && exact(s.canned, t.word);
      if (e.key === " " && hit) {
        e.preventDefault();
        use(hit, " ");
        return;
      }
    }
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  input.addEventListener("input", () => {
    saveDraft();
    drawMenu();
    const chat = s.activeChat;
    if (chat && !chat.ended && input.value.trim()) app.typing(chat.view.conversationId);
    else if (chat) app.stopTyping(chat.view.conversationId);
  });
  input.addEventListener("blur", () => { menu.hidden = true; input.removeAttribute("aria-activedescendant"); });
  input.addEventListener("click", drawMenu);
  send.addEventListener("click", () => { submit(); input.focus(); });

  const el = h("div", { class: "composer" }, menu, input, send);
  return {
    el,
    /** Swaps the draft when the active chat changes; the previous chat keeps what was typed. */
    switchTo(prev: string | null) {
      if (prev && prev !== s.active) app.stopTyping(prev);
      const chat = s.activeChat;
      input.value = chat?.draft ?? "";
      input.disabled = !chat || !!chat.ended;
      send.toggleAttribute("disabled", input.disabled);
      menu.hidden = true;
    },
  };
}
