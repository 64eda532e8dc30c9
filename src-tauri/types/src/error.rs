use serde::{Deserialize, Serialize};
use std::fmt;

/// The closed set of error codes the backend may answer with.
///
/// The UI maps each to a presentation (an inline field error, a toast, a
/// retry hint); a new failure mode means a new variant here, never a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input was rejected by validation; nothing was changed.
    InvalidInput,
    /// The thing asked for does not exist (any more).
    NotFound,
    /// The change conflicts with existing data (a duplicate, a reference that blocks it).
    Conflict,
    /// The database could not be read or written.
    Database,
    /// The team database does not let this person's login do it (someone
    /// else's notifications, a setting only an administrator changes).
    Forbidden,
    /// A message could not be delivered (mail server, webhook, desktop
    /// notifications); the message says why in plain words.
    Delivery,
    /// The UI and the shell disagree about a message's shape.
    Protocol,
    /// Anything else: a bug, reported with its message.
    Internal,
}

impl ErrorCode {
    /// Every code, for exhaustive tests and documentation.
    pub const ALL: [ErrorCode; 8] = [
        ErrorCode::InvalidInput,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::Database,
        ErrorCode::Forbidden,
        ErrorCode::Delivery,
        ErrorCode::Protocol,
        ErrorCode::Internal,
    ];
}

/// The error every command returns, serialized as `{ "code": ..., "message": ... }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    /// A sentence a user can read: what went wrong and, where it helps, what to do.
    pub message: String,
    /// The label of the form field at fault ("Name", "IPN", "Minimum
    /// stock"), when the error is about one: the window shows it on that
    /// field. Absent from the JSON when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
        }
    }

    /// This error, as one about the field labelled `field`.
    pub fn on_field(self, field: impl Into<String>) -> Self {
        Self {
            field: Some(field.into()),
            ..self
        }
    }

    /// Whether this error is about the field labelled `label`.
    pub fn is_about(&self, label: &str) -> bool {
        self.field.as_deref() == Some(label)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message() {
        let err = ApiError::new(ErrorCode::NotFound, "Part 7 does not exist.");
        let json = serde_json::to_value(&err).expect("serializable");
        assert_eq!(
            json,
            serde_json::json!({ "code": "not_found", "message": "Part 7 does not exist." })
        );
    }

    #[test]
    fn an_error_about_a_field_names_it() {
        let err =
            ApiError::new(ErrorCode::Conflict, "The IPN R1 is already used by R.").on_field("IPN");
        let json = serde_json::to_value(&err).expect("serializable");
        assert_eq!(
            json,
            serde_json::json!({
                "code": "conflict",
                "message": "The IPN R1 is already used by R.",
                "field": "IPN"
            })
        );
        let back: ApiError = serde_json::from_value(json).expect("deserializable");
        assert!(back.is_about("IPN") && !back.is_about("Name"));
    }

    #[test]
    fn every_code_round_trips() {
        for code in ErrorCode::ALL {
            let text = serde_json::to_string(&code).expect("serializable");
            let back: ErrorCode = serde_json::from_str(&text).expect("deserializable");
            assert_eq!(back, code);
        }
    }

    #[test]
    fn unknown_code_is_rejected() {
        let parsed: Result<ApiError, _> =
            serde_json::from_str(r#"{ "code": "oops", "message": "x" }"#);
        assert!(parsed.is_err());
    }
}
