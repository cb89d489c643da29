// The agent console (placeholder): built by the same toolchain into wwwroot/agent/console.js.
// The real console is written separately; this entry only proves the bundle path.

const root = document.getElementById("console");
if (root) root.textContent = "The agent console is not built yet.";
