// Bundles the visitor widget and the agent console into the server's wwwroot.
//   node build.mjs           build, write .br/.gz beside each bundle, print sizes, fail when widget.js
//                            is over its budget (brotli, as the server sends it)
//   node build.mjs --check   build into a temp dir and fail when the committed bundles (and their
//                            .br/.gz) differ
//   node build.mjs --analyze what takes the room in widget.js
//   node build.mjs --tests   compile test/*.test.ts into .test-out/ for `node --test`
import * as esbuild from "esbuild";
import { gzipSync, brotliCompressSync, constants as zlib } from "node:zlib";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wwwroot = join(here, "..", "src", "LiveChat.Server", "wwwroot");
const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
// What a visitor's browser downloads: the precompressed .br the server sends (WebFront.cs).
const WIDGET_BUDGET = 24 * 1024;

const bundles = [
  { entry: "src/widget/index.ts", out: "widget.js", budget: WIDGET_BUDGET },
  { entry: "src/console/index.ts", out: "agent/console.js" },
];

// The SignalR client logs at length; the widget runs it with logging off, so those calls (single
// statements, one per line in the published ESM) are dropped at build time, as is code for Node
// (Platform.isNode is false in a browser). Every browser the widget targets has fetch,
// AbortController and WebSockets, so polyfill paths, the XMLHttpRequest client and the
// Server-Sent Events transport are left out:
// WebSockets (which stateful reconnect needs) fall back to long polling.
const stubs = {
  "XhrHttpClient.js": 'export class XhrHttpClient { constructor() { throw new Error("fetch is required"); } }',
  "ServerSentEventsTransport.js": "export class ServerSentEventsTransport {}",
};
// A .css import is the stylesheet's text, minified, for a constructed stylesheet in the shadow root.
const cssText = {
  name: "css-text",
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => {
      const { code } = await esbuild.transform(readFileSync(args.path, "utf8"), { loader: "css", minify: true, target: ["chrome90", "firefox90", "safari15"] });
      return { contents: code.trim(), loader: "text" };
    });
  },
};

const patches = [
  { name: "logger calls", find: /^(\s*)this\._logger\.log\(LogLevel\.\w+, .*\);$/gm, with: "$1void 0;" },
  { name: "Platform.isNode", find: /\bPlatform\.isNode\b/g, with: "false" },
  { name: "fetch/AbortController missing", find: /typeof (fetch|AbortController) === "undefined"/g, with: "false" },
  { name: "fetch present", find: /typeof fetch !== "undefined"/g, with: "true" },
];
// A patch or stub that no longer matches anything (a new @microsoft/signalr release) fails the build
// rather than silently growing the widget.
const signalrTrim = {
  name: "signalr-trim",
  setup(build) {
    const hits = new Map();
    build.onStart(() => hits.clear());
    build.onLoad({ filter: /@microsoft[\\/]signalr[\\/]dist[\\/]esm[\\/].*\.js$/ }, (args) => {
      const file = args.path.split(/[\\/]/).pop();
      if (stubs[file]) { hits.set(file, 1); return { contents: stubs[file], loader: "js" }; }
      let code = readFileSync(args.path, "utf8");
      for (const p of patches) {
        code = code.replace(p.find, (...m) => { hits.set(p.name, (hits.get(p.name) ?? 0) + 1); return p.with.replace("$1", typeof m[1] === "string" ? m[1] : ""); });
      }
      return { contents: code, loader: "js" };
    });
    build.onEnd((result) => {
      if (result.errors.length) return;
      const unused = [...patches.map((p) => p.name), ...Object.keys(stubs)].filter((n) => !hits.get(n));
      if (unused.length) return { errors: [{ text: `signalr-trim: no longer matches @microsoft/signalr: ${unused.join(", ")}. Update the patches in build.mjs.` }] };
    });
  },
};

// Deterministic output: no timestamps, no absolute paths, a fixed target; the same sources
// always give the same bytes, which is what --check relies on.
const common = {
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020", "chrome90", "firefox90", "safari15"],
  platform: "browser",
  legalComments: "none",
  charset: "utf8",
  absWorkingDir: here,
  define: { VERSION: JSON.stringify(pkg.version) },
  logLevel: "warning",
  plugins: [signalrTrim, cssText],
  mangleProps: /^_/,
};

// The widget's catalogs besides the built-in English, fetched on demand (src/widget/i18n.ts): minified JSON.
const langDir = join(here, "src", "widget", "lang");
const catalogs = readdirSync(langDir).filter((f) => f.endsWith(".json") && f !== "en.json").sort().map((f) => "widget/lang/" + f);

const compress = (bytes) => ({
  gz: gzipSync(bytes, { level: 9 }),
  br: brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_LGWIN]: 24, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
});

async function buildInto(dir) {
  const sizes = [];
  mkdirSync(join(dir, "widget", "lang"), { recursive: true });
  for (const out of catalogs) {
    const bytes = Buffer.from(JSON.stringify(JSON.parse(readFileSync(join(langDir, out.split("/").pop()), "utf8"))));
    const { gz, br } = compress(bytes);
    writeFileSync(join(dir, out), bytes);
    writeFileSync(join(dir, out) + ".gz", gz);
    writeFileSync(join(dir, out) + ".br", br);
    sizes.push({ out, raw: bytes.length, gz: gz.length, br: br.length });
  }
  for (const b of bundles) {
    const outfile = join(dir, b.out);
    await esbuild.build({ ...common, entryPoints: [b.entry], outfile });
    const bytes = readFileSync(outfile);
    // Precompressed at the best level once, here, so the server never compresses them per request.
    const gz = gzipSync(bytes, { level: 9 });
    const br = brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_LGWIN]: 24, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
    writeFileSync(outfile + ".gz", gz);
    writeFileSync(outfile + ".br", br);
    sizes.push({ ...b, raw: bytes.length, gz: gz.length, br: br.length });
  }
  return sizes;
}

const kb = (n) => (n / 1024).toFixed(1) + " KB";
const args = process.argv.slice(2);

if (args.includes("--analyze")) {
  const r = await esbuild.build({ ...common, entryPoints: [bundles[0].entry], write: false, metafile: true, outfile: "widget.js" });
  console.log(await esbuild.analyzeMetafile(r.metafile));
} else if (args.includes("--tests")) {
  const tests = readdirSync(join(here, "test")).filter((f) => f.endsWith(".test.ts"));
  rmSync(join(here, ".test-out"), { recursive: true, force: true });
  await esbuild.build({
    entryPoints: tests.map((f) => join("test", f)), outdir: ".test-out", outExtension: { ".js": ".mjs" },
    bundle: true, format: "esm", platform: "node", target: "node20", absWorkingDir: here, logLevel: "warning",
    define: { VERSION: '"test"' },
  });
} else if (args.includes("--check")) {
  const tmp = mkdtempSync(join(tmpdir(), "livechat-widget-"));
  try {
    await buildInto(tmp);
    const files = [...bundles.map((b) => b.out), ...catalogs].flatMap((f) => [f, f + ".br", f + ".gz"]);
    const stale = files.filter((f) => {
      const committed = join(wwwroot, f);
      return !existsSync(committed) || !readFileSync(committed).equals(readFileSync(join(tmp, f)));
    });
    if (stale.length) {
      console.error(`Out of date: ${stale.map((f) => "wwwroot/" + f).join(", ")}. Run \`node build.mjs\` in widget/ and commit the result.`);
      process.exit(1);
    }
    console.log("Committed bundles match the sources.");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  const sizes = await buildInto(wwwroot);
  let over = false;
  for (const s of sizes) {
    const budget = s.budget ? ` (budget ${kb(s.budget)})` : "";
    console.log(`wwwroot/${s.out}: ${kb(s.raw)}, ${kb(s.br)} brotli${budget}, ${kb(s.gz)} gzip`);
    if (s.budget && s.br > s.budget) {
      console.error(`wwwroot/${s.out} is ${s.br - s.budget} bytes over its budget (brotli, as served).`);
      over = true;
    }
  }
  if (over) process.exit(1);
}
