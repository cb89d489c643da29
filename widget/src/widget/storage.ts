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

/**
 * Storage that writes nothing until allowed (consent first): before `allow()` every write stays in memory, and the
 * browser's storage is not even probed. `allow()` carries what was kept in memory over; `wipe(prefix)` removes every
 * key the widget wrote (localStorage and sessionStorage) and goes back to memory only.
 */
export interface ConsentStore extends KeyValue {
  readonly allowed: boolean;
  allow(): void;
  /** One stored key, read without writing anything (no probe): how a chat the visitor started is found again. */
  peek(key: string): string | null;
  wipe(prefix: string): void;
}

export function consentStorage(backing: () => Storage | null | undefined, allowed: boolean): ConsentStore {
  const memory = new Map<string, string>();
  let real: KeyValue | null = null;
  const store: ConsentStore = {
    get allowed() { return !!real; },
    get: (k) => (real ? real.get(k) : memory.get(k) ?? null),
    set: (k, v) => { real ? real.set(k, v) : memory.set(k, v); },
    remove: (k) => { real ? real.remove(k) : memory.delete(k); },
    allow() {
      if (real) return;
      real = createStorage(backing);
      for (const [k, v] of memory) real.set(k, v);
      memory.clear();
    },
    peek(k) {
      try { return backing()?.getItem(k) ?? null; } catch { return null; }
    },
    wipe(prefix) {
      real = null;
      memory.clear();
      for (const s of [() => backing(), () => window.sessionStorage]) {
        try {
          const area = s();
          if (!area) continue;
          for (let i = area.length - 1; i >= 0; i--) {
            const k = area.key(i);
            if (k && k.startsWith(prefix)) area.removeItem(k);
          }
        } catch { /* storage blocked: there is nothing of ours in it */ }
      }
    },
  };
  if (allowed) store.allow();
  return store;
}
