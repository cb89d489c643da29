// The one global, `LiveChat`. Pages may call LiveChat.track(...) before this script has loaded,
// through the documented stub that collects calls in `q`; installing replays them in order.

export interface LiveChatApi {
  version: string;
  track(name: string, properties?: Record<string, unknown>): void;
  open(): void;
  close(): void;
  /** The page's consent decision (its consent banner): true connects and stores, false disconnects and removes it all. */
  consent(granted: boolean): void;
}

/** `c`: a consent decision made before the script loaded, by a stub with `consent: function (v) { this.c = v; }`. */
interface Stub { q?: ArrayLike<unknown>[]; version?: string; c?: unknown }

/** Installs `api` as window.LiveChat and replays queued calls; false when a widget is already running. */
export function installGlobal(win: { LiveChat?: unknown }, api: LiveChatApi): boolean {
  const stub = win.LiveChat as Stub | undefined;
  if (stub && stub.version) return false;
  const queued = stub && Array.isArray(stub.q) ? stub.q : [];
  win.LiveChat = api;
  if (stub && typeof stub.c === "boolean") api.consent(stub.c);
  for (const args of queued) {
    try {
      const [name, properties] = Array.from(args);
      if (typeof name === "string") api.track(name, properties as Record<string, unknown> | undefined);
    } catch { /* one bad call must not stop the rest */ }
  }
  return true;
}
