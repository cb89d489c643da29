// The top bar: who is signed in, connection state, online/away with capacity, notifications, views, sign-out.
import type { App } from "./app";
import { h, replace } from "../shared/dom";

const connectionText = { connecting: "Connecting…", connected: "Connected", reconnecting: "Reconnecting…", offline: "Offline — retrying" };

export function header(app: App): HTMLElement {
  const s = app.store;
  const conn = h("span", { class: "conn", role: "status", "aria-live": "polite" });
  const status = h("select", { id: "status", "aria-label": "Your status" }, h("option", { value: "online" }, "Online"), h("option", { value: "away" }, "Away"));
  const capacity = h("input", { id: "capacity", type: "number", min: 1, max: 50, "aria-label": "Chats at once", title: "How many chats you take at once" });
  const statusError = h("span", { class: "status-error", role: "alert" });
  const apply = async () => {
    const cap = Math.max(1, Math.min(50, Number(capacity.value) || s.capacity));
    const err = await app.setStatus(status.value as "online" | "away", cap);
    statusError.textContent = err ?? "";
  };
  status.addEventListener("change", apply);
  capacity.addEventListener("change", apply);

  const notify = h("button", { class: "ghost", type: "button", title: "Show a system notification when a chat or message arrives while this tab is hidden" }, "Enable notifications");
  notify.addEventListener("click", async () => {
    await app.attention.ask();
    drawNotify();
  });
  const drawNotify = () => {
    notify.hidden = app.attention.permission !== "default";
  };

  const nav = h("nav", { class: "views", "aria-label": "Views" });
  const viewButton = (view: "chat" | "supervisor", label: string) => {
    const b = h("button", { type: "button", "data-view": view }, label);
    b.addEventListener("click", () => {
      if (view === "supervisor") s.view = "supervisor";
      else s.view = s.active ? "chat" : "visitors";
      s.emit("view");
    });
    return b;
  };
  if (s.me.admin) nav.append(viewButton("chat", "Console"), viewButton("supervisor", "Supervisor"));

  const sound = h("input", { type: "checkbox", id: "sound" });
  sound.checked = app.attention.sound;
  sound.addEventListener("change", () => { app.attention.sound = sound.checked; });

  // Signing out with chats open hands them to colleagues (or the queue): say so and ask first.
  const reallyOut = async () => {
    await fetch("/api/auth/logout", { method: "POST", credentials: "same-origin" }).catch(() => {});
    location.href = "/agent/login";
  };
  const signOut = h("button", { class: "ghost", type: "button", id: "sign-out" }, "Sign out");
  const confirmOut = h("span", { class: "confirm", role: "alert", hidden: true });
  signOut.addEventListener("click", () => {
    const open = s.openChats().length;
    if (open === 0) return void reallyOut();
    const yes = h("button", { type: "button", class: "small danger", id: "sign-out-yes" }, "Sign out anyway");
    const no = h("button", { type: "button", class: "small ghost" }, "Stay");
    yes.addEventListener("click", () => void reallyOut());
    no.addEventListener("click", () => { confirmOut.hidden = true; signOut.hidden = false; signOut.focus(); });
    replace(confirmOut, `${open} open chat${open === 1 ? "" : "s"} will go back to the queue. `, yes, no);
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
    h("label", { class: "capacity" }, "Max chats", capacity),
    statusError,
    notify,
    h("label", { class: "sound", title: "Play a short sound when a new chat arrives" }, sound, "Sound"),
    h("span", { class: "me", title: s.me.agentId }, s.me.name),
    signOut,
    confirmOut,
  );

  const draw = () => {
    conn.className = `conn ${s.connection}`;
    replace(conn, h("span", { class: "dot" }), connectionText[s.connection]);
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
