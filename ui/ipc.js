// The window's only bridge to the backend, imported by ui/src/api.rs
// (`#[wasm_bindgen(module = "/ipc.js")]`; wasm-bindgen copies this file into
// ui/dist/pkg/snippets/ and imports it from partwatch_ui.js).
//
// Partwatch does not expose Tauri's `window.__TAURI__` global
// (`withGlobalTauri: false`). These two functions are what @tauri-apps/api 2
// does under `core.invoke` and `event.listen`, on the private bridge
// `window.__TAURI_INTERNALS__` that Tauri injects into every page. What a
// call may do is still decided by the capabilities in src-tauri/capabilities.

/** Calls a backend command; resolves with its answer, rejects with its error. */
export function invoke(cmd, args = {}) {
  return window.__TAURI_INTERNALS__.invoke(cmd, args);
}

/**
 * Listens to a backend event from any source. `handler` gets the event
 * (`{ event, id, payload }`). Resolves with a function that stops listening.
 */
export async function listen(event, handler) {
  const internals = window.__TAURI_INTERNALS__;
  const eventId = await invoke("plugin:event|listen", {
    event,
    target: { kind: "Any" },
    handler: internals.transformCallback(handler),
  });
  return async () => {
    window.__TAURI_EVENT_PLUGIN_INTERNALS__.unregisterListener(event, eventId);
    await invoke("plugin:event|unlisten", { event, eventId });
  };
}
