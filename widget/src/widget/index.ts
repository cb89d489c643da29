// The embeddable visitor widget. Embed with
//   <script src="https://HOST/widget.js" data-site="SITE" async></script>
// and, to call LiveChat.track before the script has loaded, the stub first:
//   window.LiveChat = window.LiveChat || { q: [], track: function () { this.q.push(arguments); } };
import { scriptConfig } from "./page";
import { candidates, choose, use } from "./i18n";
import { installGlobal } from "./queue";
import { createStorage } from "./storage";
import CSS from "./styles.css";
import { Widget } from "./widget";

declare const VERSION: string;

(async () => {
  const config = scriptConfig((document.currentScript || document.querySelector("script[data-site][src*='widget']")) as HTMLScriptElement | null);
  if (!config || (window as { LiveChat?: { version?: string } }).LiveChat?.version) return;

  const host = document.createElement("livechat-widget");
  const root = host.attachShadow({ mode: "open" });
  try {
    // Constructed stylesheets are not inline styles, so a strict style-src CSP lets them through.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement("style");
    style.textContent = CSS;
    root.append(style);
  }
  // The visitor's language: data-lang, else the page's <html lang>, else the browser's; else (no match) the site's, from Hello.
  const languages = candidates(config.lang, document.documentElement.lang, navigator.languages || [navigator.language]);
  const chosen = choose(languages);
  if (chosen) await use(config.server, ...chosen);
  // A second copy of the script may have started while this one fetched its catalog.
  if ((window as { LiveChat?: { version?: string } }).LiveChat?.version) return;
  const widget = new Widget(config.server, config.site, createStorage(() => window.localStorage), root, config.color, languages, !chosen);
  installGlobal(window as { LiveChat?: unknown }, {
    version: VERSION,
    track: (name, properties) => widget.track(name, properties),
    open: () => widget.toggle(true),
    close: () => widget.toggle(false),
  });
  const attach = () => {
    document.body.append(host);
    widget.watch();
    widget.start();
  };
  document.body ? attach() : document.addEventListener("DOMContentLoaded", attach);
})();
