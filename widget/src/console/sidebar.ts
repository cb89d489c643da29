// The left column: the live visitors entry, this agent's chats (unread counts, Alt+n), and the queue with waits.
import type { App } from "./app";
import { h, replace, ticking } from "../shared/dom";
import { visitorLabel } from "./format";
import { visitorGone } from "./store";

export function sidebar(app: App): HTMLElement {
  const s = app.store;
  const visitorsButton = h("button", { type: "button", class: "nav-item", id: "nav-visitors" });
  visitorsButton.addEventListener("click", () => {
    s.view = "visitors";
    s.emit("view", "chats");
  });
  const chatList = h("ul", { class: "chat-list", id: "chats", "aria-label": "Your chats" });
  const chatCount = h("span", { class: "count" });
  const queueList = h("ul", { class: "queue-list", id: "queue", "aria-label": "Waiting visitors" });
  const queueCount = h("span", { class: "count" });

  const drawVisitors = () => {
    const online = s.visitorCounts.online; // the site's total, not the rows of the list's view
    replace(visitorsButton, h("span", { class: "nav-label" }, "Live visitors"), h("span", { class: "count" }, String(online)));
    visitorsButton.classList.toggle("on", s.view === "visitors");
  };

  const drawChats = () => {
    const items = s.order.map((id, i) => {
      const chat = s.chats.get(id)!;
      const v = chat.view;
      const last = [...v.messages].reverse().find((m) => m.from !== "system");
      const b = h("button", { type: "button", class: "chat-item", "aria-current": s.view === "chat" && s.active === id ? "true" : null },
        h("span", { class: "row" },
          h("span", { class: "who" }, visitorLabel(v.visitorId)),
          visitorGone(chat) ? h("span", { class: "chip gone", title: "The visitor closed the page; the chat closes itself if they do not come back" }, "Left") : null,
          chat.unread > 0 ? h("span", { class: "unread", "aria-label": `${chat.unread} unread` }, String(chat.unread))
            : chat.fresh ? h("span", { class: "unread", "aria-label": "new chat" }, "New") : null,
          i < 9 ? h("kbd", { title: `Alt+${i + 1}` }, String(i + 1)) : null),
        h("span", { class: "row sub" },
          chat.ended ? h("span", { class: "ended" }, "Ended") : chat.visitorTyping ? h("span", { class: "typing-dots" }, "typing…") : h("span", { class: "preview" }, last ? (last.from === "agent" ? "You: " : "") + last.text : v.situation ?? "New chat")),
      );
      b.addEventListener("click", () => app.select(id));
      const li = h("li", { class: chat.ended ? "ended" : chat.unread || chat.fresh ? "has-unread" : null }, b);
      return li;
    });
    replace(chatList, ...(items.length ? items : [h("li", { class: "empty" }, s.status === "away" ? "You are away: no new chats will be routed to you." : "No chats yet. New ones arrive here by themselves.")]));
    chatCount.textContent = String(s.openChats().length);
  };

  const drawQueue = () => {
    const q = s.queue;
    queueCount.textContent = String(q.length);
    const items = q.map((e) => {
      const err = h("span", { class: "error", role: "alert" });
      const accept = h("button", { type: "button", class: "small primary" }, "Accept");
      accept.addEventListener("click", async () => {
        accept.disabled = true;
        const e2 = await app.accept(e.conversationId);
        accept.disabled = false;
        err.textContent = e2 ?? "";
      });
      // Triage at a glance: the situation the chat came from and the visitor's own first words.
      const gone = !!e.visitorLeftAt;
      if (gone) accept.disabled = true;
      return h("li", { class: gone ? "gone" : null },
        h("div", { class: "row" }, h("span", { class: "who" }, visitorLabel(e.visitorId)),
          gone ? h("span", { class: "chip gone" }, "Left the site") : null,
          h("span", { class: "wait", title: "Waiting" }, ticking(e.queuedAt))),
        e.situation ? h("div", { class: "situation" }, h("span", { class: "chip situation" }, e.situation)) : null,
        h("div", { class: "preview first" }, e.firstMessage ? `“${e.firstMessage}”` : "No message yet"),
        h("div", { class: "row" }, err, accept));
    });
    replace(queueList, ...(items.length ? items : [h("li", { class: "empty" }, "Nobody is waiting.")]));
  };

  s.on(["visitors", "visitorCounts", "view"], drawVisitors);
  s.on(["chats", "view", "active", "status"], drawChats);
  s.on(["queue"], drawQueue);
  drawVisitors();
  drawChats();
  drawQueue();

  return h("aside", { class: "sidebar" },
    visitorsButton,
    h("h2", null, "Chats", chatCount),
    chatList,
    h("h2", null, "Queue", queueCount),
    queueList,
    h("p", { class: "hints" }, h("kbd", null, "Alt"), "+", h("kbd", null, "1–9"), " or ", h("kbd", null, "Ctrl"), "+", h("kbd", null, "↑↓"), " switch chats"),
  );
}
