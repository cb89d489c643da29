// A tiny element builder for the widget and the console. Text goes in through textContent or Text nodes only:
// nothing a visitor or an agent typed is ever parsed as HTML.

type Attrs = Record<string, string | number | boolean | null | undefined | ((e: any) => void)>;
type Child = Node | string | number | null | undefined | false;

/**
 * `h("button", { class: "btn", click: f, text: "Send" }, …children)`. A function is a listener (`click` or
 * `onclick`); `text` sets textContent; `value` sets the property (what an input shows); true is an empty attribute.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const k in attrs) {
    const v = attrs[k];
    if (v == null || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else if (k === "text") el.textContent = String(v);
    else if (k === "value" && "value" in el) (el as HTMLInputElement).value = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

/** Appends nodes and text; null, undefined, false and "" add nothing (so `cond && h(…)` reads naturally). */
export function append(el: Element, children: Child[]): void {
  for (const c of children) if (c || c === 0) el.append(typeof c === "number" ? String(c) : c);
}

export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Shows or hides an element by the hidden attribute (no inline styles: strict CSPs forbid them). */
export function show(el: Element, visible: boolean): void {
  (el as HTMLElement).hidden = !visible;
}

/** An element whose text is the time since `iso`, kept current by the console's one-second tick. */
export function ticking(iso: string | null | undefined, cls = "tick"): HTMLElement {
  return h("span", { class: cls, "data-since": iso ?? "" });
}

const SVG = "http://www.w3.org/2000/svg";

/** A 24×24 stroked icon from a fixed path (never from data). */
export function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  svg.append(path);
  return svg;
}

export const CHAT_ICON = "M4 5h16v11H9l-5 4z";
export const CLOSE_ICON = "M6 6l12 12M18 6L6 18";
export const PHONE_ICON = "M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2";
