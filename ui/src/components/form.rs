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

/// A quantity that must be given ("Quantity: not a number").
pub fn quantity(label: &str, text: &str) -> Result<Quantity, ApiError> {
    text.trim()
        .parse::<Quantity>()
        .map_err(|e| invalid(format!("{label}: {e}")))
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
        assert!(err.message.starts_with("Quantity: "), "{}", err.message);
        let err = optional_quantity("Minimum", "lots").expect_err("not a number");
        assert!(err.message.starts_with("Minimum: "), "{}", err.message);
    }

    #[test]
    fn an_unchosen_select_says_what_to_choose() {
        assert_eq!(chosen::<PartId>("12", "Choose a part."), Ok(PartId(12)));
        let err = chosen::<PartId>("", "Choose a part.").expect_err("nothing chosen");
        assert_eq!(err.message, "Choose a part.");
    }
}
