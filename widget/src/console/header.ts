// The top bar: who is signed in, connection state, online/away with capacity, notifications, views, sign-out.
import type { App } from "./app";
import { h, replace } from "../shared/dom";
import { CONSOLE_LANGS, consoleLang, plural, t, type ConsoleLang } from "./i18n";

const connectionText = { connecting: "header.connecting", connected: "header.connected", reconnecting: "header.reconnecting", offline: "header.offline" } as const;

export function header(app: App): HTMLElement {
  const s = app.store;
  const conn = h("span", { class: "conn", role: "status", "aria-live": "polite" });
  const status = h("select", { id: "status", "aria-label": t("header.status") }, h("option", { value: "online" }, t("header.online")), h("option", { value: "away" }, t("header.away")));
  const capacity = h("input", { id: "capacity", type: "number", min: 1, max: 50, "aria-label": t("header.capacity"), title: t("header.capacityTitle") });
  const statusError = h("span", { class: "status-error", role: "alert" });
  const apply = async () => {
    const cap = Math.max(1, Math.min(50, Number(capacity.value) || s.capacity));
    const err = await app.setStatus(status.value as "online" | "away", cap);
    statusError.textContent = err ?? "";
  };
  status.addEventListener("change", apply);
  capacity.addEventListener("change", apply);

  // The console's language, kept with the agent's status on the server; the console is rebuilt in it.
  const language = h("select", { id: "console-lang", "aria-label": t("header.language") },
    ...CONSOLE_LANGS.map((l) => h("option", { value: l.lang, lang: l.lang, selected: l.lang === consoleLang() }, l.name)));
  language.addEventListener("change", async () => {
    const err = await app.setLanguage(language.value as ConsoleLang);
    if (err) { statusError.textContent = err; language.value = consoleLang(); }
  });

  const notify = h("button", { class: "ghost", type: "button", title: t("header.notificationsTitle") }, t("header.notifications"));
  notify.addEventListener("click", async () => {
    await app.attention.ask();
    drawNotify();
  });
  const drawNotify = () => {
    notify.hidden = app.attention.permission !== "default";
  };

  const nav = h("nav", { class: "views", "aria-label": t("header.views") });
  const viewButton = (view: "chat" | "supervisor", label: string) => {
    const b = h("button", { type: "button", "data-view": view }, label);
    b.addEventListener("click", () => {
      if (view === "supervisor") s.view = "supervisor";
      else s.view = s.active ? "chat" : "visitors";
      s.emit("view");
    });
    return b;
  };
  if (s.me.admin) nav.append(viewButton("chat", t("header.console")), viewButton("supervisor", t("header.supervisor")));

  const sound = h("input", { type: "checkbox", id: "sound" });
  sound.checked = app.attention.sound;
  sound.addEventListener("change", () => { app.attention.sound = sound.checked; });

  // Signing out with chats open hands them to colleagues (or the queue): say so and ask first.
  const reallyOut = async () => {
    await fetch("/api/auth/logout", { method: "POST", credentials: "same-origin" }).catch(() => {});
    location.href = "/agent/login";
  };
  const signOut = h("button", { class: "ghost", type: "button", id: "sign-out" }, t("header.signOut"));
  const confirmOut = h("span", { class: "confirm", role: "alert", hidden: true });
  signOut.addEventListener("click", () => {
    const open = s.openChats().length;
    if (open === 0) return void reallyOut();
    const yes = h("button", { type: "button", class: "small danger", id: "sign-out-yes" }, t("header.signOutAnyway"));
    const no = h("button", { type: "button", class: "small ghost" }, t("header.stay"));
    yes.addEventListener("click", () => void reallyOut());
    no.addEventListener("click", () => { confirmOut.hidden = true; signOut.hidden = false; signOut.focus(); });
    replace(confirmOut, plural(open, "header.openChatsBack"), yes, no);
    confirmOut.hidden = false;
    signOut.hidden = true;
    no.focus();
  });

  const bar = h("header", { class: "topbar" },
    h("div", { class: "brand" }, h("span", { class: "logo", "aria-hidden": "true" }), "LiveChat"),
    nav,
    h("div", { class: "spacer" }),
    conn,
    h("label", { class: "status" }, h("span", { class: "dot" }), status),
    h("label", { class: "capacity" }, t("header.maxChats"), capacity),
    statusError,
    notify,
    h("label", { class: "sound", title: t("header.soundTitle") }, sound, t("header.sound")),
    language,
    h("span", { class: "me", title: s.me.agentId }, s.me.name),
    signOut,
    confirmOut,
  );

  const draw = () => {
    conn.className = `conn ${s.connection}`;
    replace(conn, h("span", { class: "dot" }), t(connectionText[s.connection]));
    status.value = s.status === "away" ? "away" : "online";
    bar.dataset.status = status.value;
    if (document.activeElement !== capacity) capacity.value = String(s.capacity);
    for (const b of nav.querySelectorAll<HTMLButtonElement>("button")) {
      const on = b.dataset.view === "supervisor" ? s.view === "supervisor" : s.view !== "supervisor";
      b.classList.toggle("on", on);
      b.setAttribute("aria-pressed", String(on));
    }
    drawNotify();
  };
  s.on(["connection", "status", "view"], draw);
  draw();
  return bar;
}
