//! Reading a form: what the fields say, checked before anything is sent. A
//! field that does not read gives an `InvalidInput` error naming the field,
//! shown in the form like the backend's own refusals.

use leptos::prelude::*;
use partwatch_types::{ApiError, ErrorCode, Quantity};
use std::str::FromStr;

/// An error the form shows without asking the backend.
pub fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}

/// A form's last failure, and the labels of its fields that show their
/// own: an error about one of them (`ApiError::field`) is shown on it, any
/// other by the form's `Failure`.
#[derive(Debug, Clone, Copy)]
pub struct FormError {
    error: RwSignal<Option<ApiError>>,
    fields: RwSignal<Vec<&'static str>>,
}

/// The failure signal of the form the calling component holds, shared with
/// the `TextField`s of its view. One form per component: a second call in
/// the same component takes the fields over.
pub fn error() -> RwSignal<Option<ApiError>> {
    let error = RwSignal::new(None);
    provide_context(FormError {
        error,
        fields: RwSignal::new(Vec::new()),
    });
    error
}

impl FormError {
    /// The form around the calling field, if its component made one.
    pub fn around() -> Option<Self> {
        use_context::<FormError>()
    }

    /// The field labelled `label` shows its own errors while it is there.
    pub fn claim(self, label: &'static str) {
        self.fields.update(|fields| fields.push(label));
        let fields = self.fields;
        on_cleanup(move || {
            fields.try_update(|fields| {
                if let Some(at) = fields.iter().position(|l| *l == label) {
                    fields.remove(at);
                }
            });
        });
    }

    /// The message of the failure if it is about the field labelled `label`.
    pub fn message_for(self, label: &str) -> Option<String> {
        self.error.with(|error| {
            error
                .as_ref()
                .filter(|e| e.is_about(label))
                .map(|e| e.message.clone())
        })
    }

    /// The field labelled `label` was changed: its error no longer stands.
    pub fn edited(self, label: &str) {
        if self
            .error
            .with_untracked(|e| e.as_ref().is_some_and(|e| e.is_about(label)))
        {
            self.error.set(None);
        }
    }

    /// Whether `error` is this form's and shown on one of its fields.
    pub fn shows_on_a_field(self, error: RwSignal<Option<ApiError>>) -> bool {
        self.error == error
            && error.with(|e| {
                e.as_ref().is_some_and(|e| {
                    self.fields
                        .with(|fields| fields.iter().any(|label| e.is_about(label)))
                })
            })
    }
}

/// A quantity that must be given ("Quantity: not a number"), an error about
/// the field labelled `label`. Where the window's locale writes decimals
/// with a comma, "2,5" reads as 2.5.
pub fn quantity(label: &str, text: &str) -> Result<Quantity, ApiError> {
    typed_quantity(label, text, decimal_comma())
}

fn typed_quantity(label: &str, text: &str, decimal_comma: bool) -> Result<Quantity, ApiError> {
    Quantity::parse_typed(text, decimal_comma)
        .map_err(|e| invalid(format!("{label}: {e}")).on_field(label))
}

/// Whether the window's locale writes one and a half as "1,5".
#[cfg(target_arch = "wasm32")]
fn decimal_comma() -> bool {
    use wasm_bindgen::JsValue;
    let format = js_sys::Intl::NumberFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    format
        .format()
        .call1(&JsValue::UNDEFINED, &JsValue::from_f64(1.5))
        .ok()
        .and_then(|text| text.as_string())
        .is_some_and(|text| text.contains(','))
}

/// Outside a window (the unit tests) there is no locale: decimals take a point.
#[cfg(not(target_arch = "wasm32"))]
fn decimal_comma() -> bool {
    false
}

/// A quantity that may be left blank, meaning zero.
pub fn optional_quantity(label: &str, text: &str) -> Result<Quantity, ApiError> {
    if text.trim().is_empty() {
        return Ok(Quantity::ZERO);
    }
    quantity(label, text)
}

/// The id (or other value) chosen in a `<select>`; `missing` says what to choose.
pub fn chosen<T: FromStr>(value: &str, missing: &str) -> Result<T, ApiError> {
    value.parse().map_err(|_| invalid(missing))
}

/// Sends what the form read, or shows why it could not be read.
pub fn submit<I: Send + Sync + 'static, T: Send + Sync + 'static>(
    action: Action<I, T>,
    error: RwSignal<Option<ApiError>>,
    input: Result<I, ApiError>,
) {
    match input {
        Ok(input) => {
            action.dispatch(input);
        }
        Err(err) => error.set(Some(err)),
    }
}

/// A form's submit handler: stays on the page and sends what `read` reads
/// from the fields through `action`, or shows in `error` why they do not read.
pub fn on_submit<I: Send + Sync + 'static, T: Send + Sync + 'static>(
    action: Action<I, T>,
    error: RwSignal<Option<ApiError>>,
    read: impl Fn() -> Result<I, ApiError> + 'static,
) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
    move |ev| {
        ev.prevent_default();
        submit(action, error, read());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partwatch_types::inventory::PartId;

    #[test]
    fn a_blank_quantity_is_zero_only_where_it_may_be_left_out() {
        assert_eq!(optional_quantity("Minimum", "  "), Ok(Quantity::ZERO));
        assert_eq!(
            optional_quantity("Minimum", " 2.5 ").map(|q| q.to_string()),
            Ok("2.5".to_owned())
        );
        let err = quantity("Quantity", " ").expect_err("required");
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.is_about("Quantity"), "{err:?}");
        assert!(err.message.starts_with("Quantity: "), "{}", err.message);
        let err = optional_quantity("Minimum", "lots").expect_err("not a number");
        assert!(err.message.starts_with("Minimum: "), "{}", err.message);
    }

    #[test]
    fn a_decimal_comma_reads_where_the_locale_writes_one() {
        assert_eq!(
            typed_quantity("Quantity", " 2,5 ", true).map(|q| q.to_string()),
            Ok("2.5".to_owned())
        );
        assert_eq!(
            typed_quantity("Quantity", "2.5", true).map(|q| q.to_string()),
            Ok("2.5".to_owned())
        );
        let err = typed_quantity("Quantity", "2,5", false).expect_err("decimals take a point");
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(err.message.starts_with("Quantity: "), "{}", err.message);
        let err = typed_quantity("Minimum", "1,234.5", true).expect_err("ambiguous");
        assert!(
            err.message.starts_with("Minimum: ") && err.message.contains("thousands separators"),
            "{}",
            err.message
        );
        // Natively (no window, no locale) a comma is refused, never misread.
        assert!(quantity("Quantity", "1,000").is_err());
    }

    #[test]
    fn an_unchosen_select_says_what_to_choose() {
        assert_eq!(chosen::<PartId>("12", "Choose a part."), Ok(PartId(12)));
        let err = chosen::<PartId>("", "Choose a part.").expect_err("nothing chosen");
        assert_eq!(err.message, "Choose a part.");
    }
}
