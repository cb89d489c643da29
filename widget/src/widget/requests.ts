import { h, show } from "../shared/dom";
import { confirmation, serverForm } from "./forms";
import type { CallbackSlotsResult, ReferenceResult, RequestStatusView, SiteInfo } from "../shared/protocol";

const KIND: Record<string, string> = { callback: "Call back", message: "Message", "missed-chat": "Missed chat" };
const STATUS: Record<string, string> = { received: "Received", scheduled: "Scheduled", "in-progress": "Being handled", done: "Done" };

/** A slot or booked time as the visitor reads it, in their own zone. */
export const when = (iso: string) =>
  new Date(iso).toLocaleString([], { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

const EMAILED = "A confirmation is on its way by email.";

/**
 * The callback request: phone, a time (as soon as possible, or one of the next free slots within business hours),
 * optional name, note and (only when the server sends e-mail) an address for the confirmation.
 */
export function callbackView(submit: (v: Record<string, string>) => Promise<ReferenceResult>): { el: HTMLElement; slots(r: CallbackSlotsResult): void; site(s: SiteInfo | null): void } {
  const pick = h("select", { name: "at" }, h("option", { value: "", text: "As soon as possible" }));
  let email = false;
  const form = serverForm([
    { name: "phone", label: "Phone number", type: "tel", required: true, pattern: "\\+?[0-9 \\(\\)\\.\\/\\-]{6,32}", auto: "tel" },
    { name: "at", label: "When?", el: pick },
    { name: "name", label: "Name", hint: "optional", max: 100, auto: "name" },
    { name: "contactEmail", label: "Email", hint: "optional, for a confirmation", type: "email", max: 254, auto: "email" },
    { name: "note", label: "What is it about?", hint: "optional", max: 1000, multi: true },
  ], "Request a call", submit, (r: ReferenceResult & { at?: string; email?: string }) =>
    confirmation(r.at ? `Thanks — we'll call you on ${when(r.at)}.` : "Thanks — we'll call you back.", r.reference, email && r.email ? EMAILED : undefined));
  const mail = form.querySelector<HTMLElement>('[data-f="contactEmail"]')!;
  const el = h("div", { class: "view pad" }, h("h3", { text: "Ask us to call you" }), h("p", { text: "Leave your number and pick a time, or we'll call you back as soon as someone is free." }), form);
  return {
    el,
    slots(r) {
      const keep = pick.value;
      pick.replaceChildren(h("option", { value: "", text: "As soon as possible" }),
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
      el.replaceChildren(h("h4", { text: "Your requests" }), h("ul", null, ...list.map((r) =>
        h("li", { class: r.status },
          h("code", { text: r.reference }), " ",
          h("span", { text: `${KIND[r.kind] ?? r.kind} · ${STATUS[r.status] ?? r.status}${r.at && r.status !== "done" ? " · " + when(r.at) : ""}` })))));
    },
  };
}

/** The message confirmation says an e-mail confirmation is coming only when one is. */
export const messageDone = (emailEnabled: boolean) => (r: ReferenceResult) =>
  confirmation("Thanks — your message is with us.", r.reference, emailEnabled ? EMAILED : undefined);
