//! Input checks shared by every inventory operation. Each returns the cleaned
//! value or an `InvalidInput` error that names the field, in its words and as
//! `CoreError::OnField` (so the window shows it on that field).

use crate::{CoreError, CoreResult};
use std::str::FromStr;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// A required single-line text: trimmed, 1..=max characters, no control
/// characters, no invisible or direction-changing characters, no line breaks,
/// and no whitespace but the ordinary space.
pub fn required(field: &str, text: &str, max: usize) -> CoreResult<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CoreError::InvalidInput(format!("{field} cannot be empty.")).on_field(field));
    }
    single_line(field, text, max).map_err(|e| e.on_field(field))
}

/// An optional single-line text: blank becomes `None`.
pub fn optional(field: &str, text: Option<&str>, max: usize) -> CoreResult<Option<String>> {
    let text = line(field, text.unwrap_or_default(), max)?;
    Ok((!text.is_empty()).then_some(text))
}

/// A single-line text that may be empty (units, locations, batches): the
/// same rules as [`required`], but blank is kept as `""`.
pub fn line(field: &str, text: &str, max: usize) -> CoreResult<String> {
    match text.trim() {
        "" => Ok(String::new()),
        text => single_line(field, text, max).map_err(|e| e.on_field(field)),
    }
}

/// A free text (may be empty, may span lines and hold tabs), at most `max`
/// characters, without invisible or direction-changing characters.
pub fn free_text(field: &str, text: &str, max: usize) -> CoreResult<String> {
    free_text_unlabelled(field, text, max).map_err(|e| e.on_field(field))
}

fn free_text_unlabelled(field: &str, text: &str, max: usize) -> CoreResult<String> {
    let text = text.trim();
    too_long(field, text, max)?;
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(CoreError::InvalidInput(format!(
            "{field} contains characters that cannot be shown."
        )));
    }
    if text.chars().any(is_separator) {
        return Err(CoreError::InvalidInput(format!(
            "{field} contains a special line or paragraph separator; use an ordinary line break."
        )));
    }
    no_invisible(field, text)?;
    Ok(text.to_owned())
}

fn single_line(field: &str, text: &str, max: usize) -> CoreResult<String> {
    too_long(field, text, max)?;
    if text.chars().any(|c| c.is_control() || is_separator(c)) {
        return Err(CoreError::InvalidInput(format!(
            "{field} must be a single line of text."
        )));
    }
    if text.chars().any(|c| c.is_whitespace() && c != ' ') {
        return Err(CoreError::InvalidInput(format!(
            "{field} can only contain ordinary spaces, not tabs or special spaces."
        )));
    }
    no_invisible(field, text)?;
    Ok(text.to_owned())
}

fn too_long(field: &str, text: &str, max: usize) -> CoreResult<()> {
    if text.chars().count() > max {
        return Err(CoreError::InvalidInput(format!(
            "{field} is too long: at most {max} characters."
        )));
    }
    Ok(())
}

/// The line and paragraph separators (general categories Zl and Zp).
fn is_separator(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator
    )
}

/// Refuses format characters (general category Cf): zero-width spaces and
/// joiners, soft hyphens, and the marks that change the text direction, which
/// make a text look other than it is.
fn no_invisible(field: &str, text: &str) -> CoreResult<()> {
    if text
        .chars()
        .any(|c| c.general_category() == GeneralCategory::Format)
    {
        return Err(CoreError::InvalidInput(format!(
            "{field} contains invisible or text-direction characters (such as zero-width spaces); remove them."
        )));
    }
    Ok(())
}

/// An email address: one `@`, a non-empty local part, a dotted domain, no
/// spaces, and one that lettre (which sends the mail) accepts as an address.
pub fn email(text: Option<&str>) -> CoreResult<Option<String>> {
    let Some(text) = optional("Email address", text, 254)? else {
        return Ok(None);
    };
    address(&text).map_err(|e| e.on_field("Email address"))?;
    Ok(Some(text))
}

/// Checks one bare address (no display name, already trimmed) and returns it
/// as lettre's [`lettre::Address`].
pub fn address(text: &str) -> CoreResult<lettre::Address> {
    let shape_ok = match text.split_once('@') {
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
    let parsed = if shape_ok && text.chars().count() <= 254 {
        lettre::Address::from_str(text).ok()
    } else {
        None
    };
    parsed.ok_or_else(|| {
        CoreError::InvalidInput(format!(
            "\"{text}\" is not a valid email address (like name@example.com)."
        ))
    })
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
    fn single_lines_refuse_invisible_characters_separators_and_odd_spaces() {
        for bad in [
            "a\u{202E}b",
            "a\u{200B}b",
            "\u{200B}\u{200B}",
            "a\u{2028}b",
            "a\u{2029}b",
            "a\tb",
            "a\u{A0}b",
            "a\u{FEFF}b",
        ] {
            let err = required("Name", bad, 20).expect_err(bad);
            assert!(err.to_string().starts_with("Name "), "{err}");
            assert!(optional("IPN", Some(bad), 20).is_err(), "{bad:?}");
            assert!(line("Units", bad, 20).is_err(), "{bad:?}");
        }
        assert!(line("Units", "pcs\nkg", 20).is_err());
        assert_eq!(line("Units", "  ", 20).ok(), Some(String::new()));
        assert_eq!(optional("IPN", Some(" "), 20).ok(), Some(None));
        assert_eq!(
            required("Name", "Smith, John", 20).ok(),
            Some("Smith, John".to_owned())
        );
    }

    #[test]
    fn free_text_keeps_newlines_and_tabs_only() {
        assert_eq!(
            free_text("Reason", "a\n\tb", 20).ok(),
            Some("a\n\tb".to_owned())
        );
        for bad in [
            "a\u{202E}b",
            "a\u{200B}b",
            "a\u{2028}b",
            "a\u{2029}b",
            "a\rb",
        ] {
            assert!(free_text("Reason", bad, 20).is_err(), "{bad:?}");
        }
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
            "a<b>@x.example",
            "a,b@x.example",
            "a;b@x.example",
            "a..b@x.example",
            "a\u{200B}@x.example",
        ] {
            assert!(email(Some(bad)).is_err(), "{bad}");
        }
    }
}
