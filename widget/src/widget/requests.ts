import { h, show } from "../shared/dom";
import { confirmation, serverForm } from "./forms";
import type { CallbackSlotsResult, ReferenceResult, RequestStatusView, SiteInfo } from "../shared/protocol";

import { t, when, type Key } from "./i18n";

const KIND: Record<string, Key> = { callback: "kindCallback", message: "kindMessage", "missed-chat": "kindMissed" };
const STATUS: Record<string, Key> = { received: "stReceived", scheduled: "stScheduled", "in-progress": "stInProgress", done: "stDone" };
const EMAILED = (): string => t("emailed");

/**
 * The callback request: phone, a time (as soon as possible, or one of the next free slots within business hours),
 * optional name, note and (only when the server sends e-mail) an address for the confirmation.
 */
export function callbackView(submit: (v: Record<string, string>) => Promise<ReferenceResult>): { el: HTMLElement; slots(r: CallbackSlotsResult): void; site(s: SiteInfo | null): void } {
  const pick = h("select", { name: "at" }, h("option", { value: "", text: t("asap") }));
  let email = false;
  const form = serverForm([
    { name: "phone", label: t("phone"), type: "tel", required: true, pattern: "\\+?[0-9 \\(\\)\\.\\/\\-]{6,32}", auto: "tel" },
    { name: "at", label: t("when"), el: pick },
    { name: "name", label: t("name"), hint: t("optional"), max: 100, auto: "name" },
    { name: "contactEmail", label: t("email"), hint: t("emailOptional"), type: "email", max: 254, auto: "email" },
    { name: "note", label: t("about"), hint: t("optional"), max: 1000, multi: true },
  ], t("requestCall"), submit, (r: ReferenceResult & { at?: string; email?: string }) =>
    confirmation(r.at ? t("callAt", { when: when(r.at) }) : t("callSoon"), r.reference, email && r.email ? EMAILED() : undefined));
  const mail = form.querySelector<HTMLElement>('[data-f="contactEmail"]')!;
  const el = h("div", { class: "view pad" }, h("h3", { text: t("callbackTitle") }), h("p", { text: t("callbackIntro") }), form);
  return {
    el,
    slots(r) {
      const keep = pick.value;
      pick.replaceChildren(h("option", { value: "", text: t("asap") }),
        ...r.slots.map((s) => h("option", { value: s.at, text: when(s.at) })));
      if (r.slots.some((s) => s.at === keep)) pick.value = keep;
    },
    site(s) {
      email = !!s?.emailEnabled;
      show(mail, email);
    },
  };
}

/** "Where is my request?": the visitor's recent requests and what became of them. */
export function statusBox(): { el: HTMLElement; set(list: RequestStatusView[]): void } {
  const el = h("div", { class: "reqs", "aria-live": "polite" });
  return {
    el,
    set(list) {
      show(el, list.length > 0);
      el.replaceChildren(h("h4", { text: t("yourRequests") }), h("ul", null, ...list.map((r) =>
        h("li", { class: r.status },
          h("code", { text: r.reference }), " ",
          h("span", { text: `${KIND[r.kind] ? t(KIND[r.kind]) : r.kind} · ${STATUS[r.status] ? t(STATUS[r.status]) : r.status}${r.at && r.status !== "done" ? " · " + when(r.at) : ""}` })))));
    },
  };
}

/** The message confirmation says an e-mail confirmation is coming only when one is. */
export const messageDone = (emailEnabled: boolean) => (r: ReferenceResult) =>
  confirmation(t("messageDone"), r.reference, emailEnabled ? EMAILED() : undefined);
