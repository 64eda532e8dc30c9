//! Input checks shared by every inventory operation. Each returns the cleaned
//! value or an `InvalidInput` error that names the field.

use crate::{CoreError, CoreResult};

/// A required single-line text: trimmed, 1..=max characters, no control characters.
pub fn required(field: &str, text: &str, max: usize) -> CoreResult<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CoreError::InvalidInput(format!("{field} cannot be empty.")));
    }
    single_line(field, text, max)
}

/// An optional single-line text: blank becomes `None`.
pub fn optional(field: &str, text: Option<&str>, max: usize) -> CoreResult<Option<String>> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => single_line(field, text, max).map(Some),
    }
}

/// A free text (may be empty, may span lines), at most `max` characters.
pub fn free_text(field: &str, text: &str, max: usize) -> CoreResult<String> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(CoreError::InvalidInput(format!(
            "{field} is too long: at most {max} characters."
        )));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(CoreError::InvalidInput(format!(
            "{field} contains characters that cannot be shown."
        )));
    }
    Ok(text.to_owned())
}

fn single_line(field: &str, text: &str, max: usize) -> CoreResult<String> {
    if text.chars().count() > max {
        return Err(CoreError::InvalidInput(format!(
            "{field} is too long: at most {max} characters."
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(CoreError::InvalidInput(format!(
            "{field} must be a single line of text."
        )));
    }
    Ok(text.to_owned())
}

/// An email address: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn email(text: Option<&str>) -> CoreResult<Option<String>> {
    let Some(text) = optional("Email address", text, 254)? else {
        return Ok(None);
    };
    let valid = match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
                && !text.contains(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(Some(text))
    } else {
        Err(CoreError::InvalidInput(format!(
            "\"{text}\" is not an email address (like name@example.com)."
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        assert_eq!(required("Name", "  R1 ", 10).ok(), Some("R1".to_owned()));
        assert!(required("Name", "   ", 10).is_err());
        assert!(required("Name", &"x".repeat(11), 10).is_err());
        assert!(required("Name", "a\nb", 10).is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(
            email(Some(" ada@lab.example ")).ok(),
            Some(Some("ada@lab.example".to_owned()))
        );
        assert_eq!(email(Some("")).ok(), Some(None));
        for bad in [
            "ada",
            "ada@",
            "@lab.example",
            "ada@lab",
            "a b@lab.example",
            "a@b@c.de",
            "a@.de",
            "a@de.",
        ] {
            assert!(email(Some(bad)).is_err(), "{bad}");
        }
    }
}
