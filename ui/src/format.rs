//! Presenting values the way the user's desktop does.

use wasm_bindgen::JsValue;

/// An ISO-8601 UTC timestamp from the backend, in the user's local time and
/// locale ("01/12/2026, 13:16"); the input itself if it cannot be read.
pub fn local_time(iso: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    let options = js_sys::Object::new();
    for (key, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    String::from(date.to_locale_string("default", &options))
}
