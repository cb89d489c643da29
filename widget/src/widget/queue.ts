// The one global, `LiveChat`. Pages may call LiveChat.track(...) before this script has loaded,
// through the documented stub that collects calls in `q`; installing replays them in order.

export interface LiveChatApi {
  version: string;
  track(name: string, properties?: Record<string, unknown>): void;
  open(): void;
  close(): void;
}

interface Stub { q?: ArrayLike<unknown>[]; version?: string }

/** Installs `api` as window.LiveChat and replays queued calls; false when a widget is already running. */
export function installGlobal(win: { LiveChat?: unknown }, api: LiveChatApi): boolean {
  const stub = win.LiveChat as Stub | undefined;
  if (stub && stub.version) return false;
  const queued = stub && Array.isArray(stub.q) ? stub.q : [];
  win.LiveChat = api;
  for (const args of queued) {
    try {
      const [name, properties] = Array.from(args);
      if (typeof name === "string") api.track(name, properties as Record<string, unknown> | undefined);
    } catch { /* one bad call must not stop the rest */ }
  }
  return true;
}
