// Visitor identity and small widget state survive page loads through localStorage; when that is
// blocked (privacy modes, sandboxed iframes, quota) the widget keeps working from memory.

export interface KeyValue {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function createStorage(backing: () => Storage | null | undefined): KeyValue {
  const memory = new Map<string, string>();
  let store: Storage | null | undefined;
  try {
    store = backing();
    store?.setItem("livechat:probe", "1");
    store?.removeItem("livechat:probe");
  } catch {
    store = null;
  }
  return {
    get(key) {
      if (memory.has(key)) return memory.get(key)!;
      try { return store ? store.getItem(key) : null; } catch { return null; }
    },
    set(key, value) {
      try {
        if (store) { store.setItem(key, value); memory.delete(key); return; }
      } catch { /* quota or revoked access: fall through to memory */ }
      memory.set(key, value);
    },
    remove(key) {
      memory.delete(key);
      try { store?.removeItem(key); } catch { /* nothing to do */ }
    },
  };
}

export function readJson<T>(kv: KeyValue, key: string, fallback: T): T {
  try {
    const raw = kv.get(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}
