// A stand-in for the visitor hub, for working on the widget without the .NET server:
// serves ../src/LiveChat.Server/wwwroot and speaks just enough SignalR (JSON protocol over
// WebSockets) to script a visit: an invitation, a queue, an agent who joins and replies.
//   node dev/mock-hub.mjs [port]      then open http://127.0.0.1:PORT/demo/
import { createServer } from "node:http";
import { readFileSync, existsSync, statSync } from "node:fs";
import { join, extname, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocketServer } from "ws";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "LiveChat.Server", "wwwroot");
const port = Number(process.argv[2] || 5090);
const RS = "\x1e";
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
const state = { seq: 0, conversationId: null, messages: [], agent: null, opts: new URL("http://x/?" + (process.env.MOCK || "")).searchParams };
let refs = 0;

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/hubs/visitor/negotiate") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify({ negotiateVersion: 1, connectionId: "c" + Date.now(), connectionToken: "t" + Date.now(), availableTransports: [{ transport: "WebSockets", transferFormats: ["Text"] }] }));
  }
  let file = join(root, decodeURIComponent(url.pathname));
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!file.startsWith(root) || !existsSync(file)) { res.writeHead(404); return res.end("not found"); }
  res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream", "cache-control": "no-store" });
  res.end(readFileSync(file));
});

const wss = new WebSocketServer({ server, path: "/hubs/visitor" });
wss.on("connection", (ws) => {
  const push = (target, arg) => ws.send(JSON.stringify({ type: 1, target, arguments: [arg] }) + RS);
  const message = (from, text, clientMessageId = null, senderName = null) => {
    const m = { conversationId: state.conversationId, messageId: "m" + (state.seq + 1), sequence: ++state.seq, from, text, sentAt: new Date().toISOString(), clientMessageId, senderName };
    state.messages.push(m);
    for (const c of wss.clients) c.send(JSON.stringify({ type: 1, target: "Message", arguments: [m] }) + RS);
    return m;
  };
  const startChat = () => {
    if (state.conversationId) return;
    state.conversationId = "conv-" + Date.now();
    setTimeout(() => push("Queue", { conversationId: state.conversationId, position: 2, estimatedWaitSeconds: 120 }), 50);
    if (state.opts.has("noagent")) return;
    setTimeout(() => { state.agent = "Anna"; push("AgentJoined", { conversationId: state.conversationId, name: "Anna" }); }, 1500);
    setTimeout(() => push("Typing", { conversationId: state.conversationId, from: "agent", isTyping: true }), 2000);
    setTimeout(() => message("agent", "Hi, I'm Anna. The 5-year loan is usually the best value for that amount. What are you planning?", null, "Anna"), 3500);
  };
  const methods = {
    Hello: () => {
      if (!state.opts.has("noinvite")) setTimeout(() => push("Invitation", { invitationId: "inv1", ruleId: "loan-rates-confused", situation: "Comparing loan rates", text: "Comparing our loan rates? I can help you pick the right term.", agentName: "Anna from Hearth & Home", offers: ["chat", "callback", "phone"] }), 800);
      return {
        visitorId: "v1", token: "tok",
        conversation: state.conversationId ? { conversationId: state.conversationId, status: state.agent ? "active" : "queued", agentName: state.agent, messages: state.messages } : null,
        invitation: null,
        site: { phoneNumber: "0800 123 4567", agentsAvailable: !state.opts.has("away"), withinBusinessHours: true },
        notices: state.opts.has("notice") ? [{ noticeId: "n1", text: "Card payments are slow right now; orders are safe.", severity: "warning", link: null, pageMatches: null, expiresAt: null }] : [],
      };
    },
    AcceptInvitation: () => null,
    DismissInvitation: () => null,
    StartChat: () => { startChat(); return { conversationId: state.conversationId, queuePosition: 2, estimatedWaitSeconds: 120 }; },
    SendMessage: (a) => {
      if (a.text.includes("refuse")) throw new Error("HubException: text is not allowed");
      const existing = state.messages.find((m) => m.clientMessageId === a.clientMessageId);
      const m = existing || message("visitor", a.text, a.clientMessageId);
      return { messageId: m.messageId, sequence: m.sequence };
    },
    GetMessages: (a) => state.messages.filter((m) => m.sequence > a.afterSequence),
    RequestCallback: () => ({ reference: "LC-" + (7000 + ++refs) + "K3Q" }),
    LeaveMessage: () => ({ reference: "LC-" + (7000 + ++refs) + "M2P" }),
    RequestTranscript: () => null,
    EndChat: () => { push("ChatEnded", { conversationId: state.conversationId, reason: "visitor" }); state.conversationId = null; state.agent = null; state.messages = []; return null; },
  };
  ws.on("message", (data) => {
    for (const frame of String(data).split(RS).filter(Boolean)) {
      const msg = JSON.parse(frame);
      if (msg.protocol) { ws.send("{}" + RS); continue; }
      if (msg.type !== 1) continue;
      console.log("←", msg.target, JSON.stringify(msg.arguments));
      const f = methods[msg.target];
      if (!msg.invocationId) { f?.(...msg.arguments); continue; }
      try {
        ws.send(JSON.stringify({ type: 3, invocationId: msg.invocationId, result: f ? f(...msg.arguments) ?? null : null }) + RS);
      } catch (e) {
        ws.send(JSON.stringify({ type: 3, invocationId: msg.invocationId, error: `An unexpected error occurred invoking '${msg.target}' on the server. ${e.message}` }) + RS);
      }
    }
  });
});

server.listen(port, "127.0.0.1", () => console.log(`mock hub on http://127.0.0.1:${port}/demo/`));
