// The agent console: signed-in agents only (the server redirects others to /agent/login before this runs).
import { App } from "./app";
import { chatView } from "./chat";
import { contextPane } from "./context";
import { h } from "../shared/dom";
import { since } from "./format";
import { header } from "./header";
import type { Me } from "../shared/protocol";
import { sidebar } from "./sidebar";
import { noticeStrip } from "./noticestrip";
import { neighbour, Store } from "./store";
import { supervisorView } from "./supervisor";
import { visitorsView } from "./visitors";

async function main(root: HTMLElement): Promise<void> {
  const res = await fetch("/api/auth/me", { credentials: "same-origin" });
  if (res.status === 401) {
    location.href = "/agent/login";
    return;
  }
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const store = new Store((await res.json()) as Me);
  const app = new App(store);

  const center = h("main", { class: "center" }, visitorsView(app), chatView(app), store.me.admin ? supervisorView(app) : null);
  root.replaceChildren(header(app), noticeStrip(app), h("div", { class: "body" }, sidebar(app), center, contextPane(app)));
  const drawView = () => {
    root.dataset.view = store.view;
  };
  store.on(["view"], drawView);
  drawView();

  document.addEventListener("keydown", (e) => keys(app, e));
  // Holding Alt shows each chat's number for Alt+1…9.
  const alt = (e: KeyboardEvent) => root.classList.toggle("alt-held", e.altKey && !e.ctrlKey);
  document.addEventListener("keydown", alt);
  document.addEventListener("keyup", alt);
  window.addEventListener("blur", () => root.classList.remove("alt-held"));
  // One tick a second for every waiting time and time on page; nothing else redraws for the clock.
  const tick = () => {
    const now = Date.now();
    for (const el of root.querySelectorAll<HTMLElement>("[data-since]")) {
      const text = since(el.dataset.since, now);
      if (el.textContent !== text) el.textContent = text;
    }
  };
  new MutationObserver(tick).observe(root, { childList: true, subtree: true });
  setInterval(tick, 1000);
  tick();
  app.notices.start();
  void app.loadSites();
  await app.start();
}

/** Alt+1…9 jumps to a chat, Ctrl+↑/↓ walks through them, Escape returns to the reply box. */
function keys(app: App, e: KeyboardEvent): void {
  const s = app.store;
  if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-9]$/.test(e.code)) {
    const id = s.order[Number(e.code.slice(5)) - 1];
    if (id) {
      e.preventDefault();
      app.select(id);
    }
  } else if (e.ctrlKey && !e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
    const id = neighbour(s.order, s.view === "chat" ? s.active : null, e.key === "ArrowDown" ? 1 : -1);
    if (id) {
      e.preventDefault();
      app.select(id);
    }
  } else if (e.key === "Escape" && s.view === "chat" && !(e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement)) {
    document.getElementById("composer")?.focus();
  }
}

const root = document.getElementById("console");
if (root) {
  main(root).catch((e) => {
    root.replaceChildren(h("p", { class: "fatal" }, `The console could not start: ${e instanceof Error ? e.message : e}. `, h("a", { href: "/agent" }, "Reload")));
  });
}
