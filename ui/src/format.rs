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

/// How long ago an ISO-8601 timestamp was: "just now", "5 min ago", "3 h ago",
/// "2 days ago", then the date.
pub fn age(iso: &str) -> String {
    let then = js_sys::Date::new(&JsValue::from_str(iso)).get_time();
    if then.is_nan() {
        return iso.to_owned();
    }
    let seconds = ((js_sys::Date::now() - then) / 1000.0).max(0.0) as i64;
    age_in_words(seconds).unwrap_or_else(|| local_time(iso))
}

/// An age in seconds in words, or `None` from a week on (then the date reads better).
fn age_in_words(seconds: i64) -> Option<String> {
    Some(match seconds {
        ..=44 => "just now".to_owned(),
        45..=3_599 => format!("{} min ago", (seconds + 30) / 60),
        3_600..=86_399 => format!("{} h ago", seconds / 3_600),
        86_400..=604_799 => match seconds / 86_400 {
            1 => "yesterday".to_owned(),
            n => format!("{n} days ago"),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::age_in_words;

    #[test]
    fn ages_read_as_people_say_them() {
        let says = |s| age_in_words(s).unwrap_or_else(|| "the date".to_owned());
        assert_eq!(says(0), "just now");
        assert_eq!(says(44), "just now");
        assert_eq!(says(45), "1 min ago");
        assert_eq!(says(89), "1 min ago");
        assert_eq!(says(90), "2 min ago");
        assert_eq!(says(3_600), "1 h ago");
        assert_eq!(says(86_399), "23 h ago");
        assert_eq!(says(86_400), "yesterday");
        assert_eq!(says(2 * 86_400), "2 days ago");
        assert_eq!(says(7 * 86_400), "the date");
    }
}
