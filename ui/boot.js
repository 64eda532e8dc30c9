// Loads the wasm app. Kept out of index.html so the CSP needs no inline script.
import init from "./pkg/partwatch_ui.js";
init();
