// Why a hub call was refused, as both UIs read it: the server sends "code: text" (docs/protocol.md, "Errors").
import type { ReasonCode } from "./protocol";

/** A refused call: its code to decide on, and the server's words (which may name the field) to show. */
export interface Refusal { code: ReasonCode; text: string }

/**
 * The refusal in a rejected invocation ("… HubException: code: text"), or null for a transport failure
 * (nothing came from the server).
 */
export function hubRefusal(e: unknown): Refusal | null {
  const m = /HubException: (?:([a-z-]+): )?([^]*)$/.exec(String((e as Error)?.message ?? e));
  return m ? { code: (m[1] || "refused") as ReasonCode, text: m[2].trim() } : null;
}
