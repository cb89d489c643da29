/**
 * Every error of the REST API is an RFC 9457 problem (application/problem+json): `detail` says what is wrong and
 * names the field; a 400 also lists it under `errors` by field. `title` is generic ("Forbidden"), so it is not shown.
 */
export interface Problem {
  status?: number;
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

/** The text to show for a refused request's parsed body, or undefined when it carries none. */
export function problemDetail(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const p = body as Problem;
  if (typeof p.detail === "string" && p.detail) return p.detail;
  const first = p.errors ? Object.values(p.errors).flat()[0] : undefined;
  return typeof first === "string" ? first : undefined;
}
