// Callback requests, left messages and missed chats: status, booked time (due / overdue), e-mail delivery, replies.
import type { App } from "./app";
import { journey } from "./context";
import { h, replace } from "../shared/dom";
import { dayAndTime } from "./format";
import { consoleLang, t, word } from "./i18n";
import type { CallbackView, MailView } from "../shared/protocol";


/** Due (its time has come) or overdue (past it by more than 5 minutes), for a booked callback not yet done. */
export function timing(c: CallbackView, now = Date.now()): "overdue" | "due" | null {
  if (c.done || !c.at) return null;
  const late = now - Date.parse(c.at);
  return late > 5 * 60_000 ? "overdue" : late >= 0 || c.due ? "due" : null;
}

/** The visitor's language, named in the agent's ("Dutch", "Nederlands"), shown when it is not the console's: reply in it. */
function languageName(tag: string): string {
  try { return new Intl.DisplayNames([consoleLang()], { type: "language" }).of(tag) ?? tag; } catch { return tag; }
}

function mailLine(m: MailView): HTMLElement {
  const text = t("requests.mail", { purpose: word("requests.purpose.", m.purpose), to: m.to, status: m.status }) + (m.status !== "sent" && m.reason ? ` (${m.reason})` : "") + (m.attempts > 1 ? t("requests.attempts", { n: m.attempts }) : "");
  return h("li", { class: `mail ${m.status}` }, text);
}

/** Replies being written, by reference: the list is redrawn on every change (and each minute), a draft never is lost. */
const drafts = new Map<string, string>();
const opened = new Set<string>();

function replyForm(app: App, c: CallbackView): HTMLElement {
  const text = h("textarea", { rows: 3, maxlength: 2000, "aria-label": t("requests.replyLabel", { reference: c.reference }), placeholder: t("requests.replyPlaceholder", { email: c.email ?? "" }) });
  text.value = drafts.get(c.reference) ?? "";
  text.addEventListener("input", () => (text.value ? drafts.set(c.reference, text.value) : drafts.delete(c.reference)));
  const err = h("span", { class: "error", role: "alert" });
  const send = h("button", { type: "submit", class: "small primary" }, t("requests.sendReply"));
  const form = h("form", { class: "reply" }, text, h("div", { class: "row" }, err, send));
  form.addEventListener("submit", async (e: Event) => {
    e.preventDefault();
    if (!text.value.trim()) return;
    send.disabled = true;
    const problem = await app.replyToRequest(c, text.value.trim());
    err.textContent = problem ?? "";
    if (!problem) { text.value = ""; drafts.delete(c.reference); }
    send.disabled = false;
  });
  // Folded until wanted, so a long list stays readable; open once the agent has started a reply.
  const box = h("details", { class: "reply-box", open: (c.replies?.length ?? 0) > 0 || drafts.has(c.reference) || opened.has(c.reference) }, h("summary", null, t("requests.replyByEmail")), form);
  box.addEventListener("toggle", () => (box.open ? opened.add(c.reference) : opened.delete(c.reference)));
  return box;
}

export function requestList(app: App, list: CallbackView[]): HTMLElement {
  if (!list.length) return h("p", { class: "empty" }, t("requests.none"));
  const now = Date.now();
  // Due and overdue callbacks first, then open ones newest first, then done ones.
  const rank = (c: CallbackView) => (c.done ? 2 : timing(c, now) ? 0 : 1);
  const sorted = [...list].sort((a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt));
  return h("ul", { class: "requests" }, ...sorted.map((c) => {
    const err = h("span", { class: "error", role: "alert" });
    const done = h("button", { type: "button", class: "small" }, t("requests.markDone"));
    done.addEventListener("click", async () => {
      done.disabled = true;
      err.textContent = (await app.markDone(c)) ?? "";
      done.disabled = false;
    });
    const when = timing(c, now);
    const mails = c.mails ?? [];
    // A missed chat: the visitor left before anyone answered; their journey is a click away.
    const trail = h("div", { class: "trail" });
    const show = c.conversationId ? h("button", { type: "button", class: "small ghost" }, t("requests.showJourney")) : null;
    show?.addEventListener("click", async () => {
      show.disabled = true;
      const d = await app.conversation(c.conversationId!);
      replace(trail, d ? journey(d) : h("p", { class: "error" }, t("requests.journeyFailed")));
      show.remove();
    });
    return h("li", { class: [c.done ? "done" : "", when ?? ""].join(" ").trim() || null, "data-reference": c.reference, "data-kind": c.kind },
      h("div", { class: "row" }, h("span", { class: `chip ${c.kind}` }, word("requests.kind.", c.kind)), h("code", null, c.reference),
        h("span", { class: `chip status ${c.status}` }, word("requests.status.", c.status)), h("span", { class: "muted" }, dayAndTime(c.createdAt)),
        c.language && c.language !== consoleLang() ? h("span", { class: "chip lang" }, t("requests.language", { language: languageName(c.language) })) : null),
      c.at ? h("div", { class: `at ${when ?? ""}` }, t("requests.callAt", { when: dayAndTime(c.at) }), when ? h("b", null, when === "overdue" ? t("requests.overdue") : t("requests.dueNow")) : null) : null,
      c.name ? h("div", { class: "name" }, c.name) : null,
      c.phone ? h("div", null, h("a", { href: `tel:${c.phone.replace(/[^+\d]/g, "")}` }, c.phone)) : null,
      c.email ? h("div", null, h("a", { href: `mailto:${c.email}` }, c.email)) : null,
      c.text ? h("p", { class: "text" }, c.text) : null,
      trail,
      mails.length ? h("ul", { class: "mails", "aria-label": t("requests.email") }, ...mails.map(mailLine)) : null,
      ...(c.replies ?? []).map((r) => h("div", { class: "replied" }, h("span", { class: "muted" }, t("requests.replied", { name: r.agentName, when: dayAndTime(r.at) })), h("p", { class: "text" }, r.text))),
      !c.done && c.email ? replyForm(app, c) : null,
      h("div", { class: "row" }, show, err, c.done ? h("span", { class: "muted" }, c.handledBy ? t("requests.doneBy", { name: c.handledBy }) : t("requests.done")) : done));
  }));
}
