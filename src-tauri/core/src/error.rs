use partwatch_types::{ApiError, ErrorCode};

/// Everything that can go wrong in the core, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{0}")]
    InvalidInput(String),
    /// `error` is about one field of a form, named by its label ("Name",
    /// "IPN", "Minimum stock"): the window shows it on that field.
    #[error("{error}")]
    OnField {
        field: String,
        error: Box<CoreError>,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A mail server, webhook or the desktop did not take a message.
    #[error("{0}")]
    Delivery(String),
    /// The team database refused this person's login (row-level security
    /// or a right the login lacks): someone else's data, or a change only an
    /// administrator may make.
    #[error("{0}")]
    Forbidden(String),
    #[error("The database could not be used: {0}")]
    Database(sqlx::Error),
    /// A PostgreSQL server that is not there, refuses the login or has no
    /// such database: the message names the server, never the password.
    #[error("{0}")]
    Unreachable(String),
    /// A database a newer Partwatch has migrated further than this build knows.
    #[error(
        "This database has schema version {found}, newer than this Partwatch knows ({known}): \
         a newer Partwatch has used it. Update Partwatch on this desktop to open it."
    )]
    NewerSchema { found: i64, known: i64 },
    /// A stored value this version does not understand (an unknown kind, a
    /// malformed setting): reported, never guessed.
    #[error("The database holds data this version of Partwatch does not understand: {0}")]
    Corrupt(String),
    #[error("The database schema could not be brought up to date: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("The data directory {path} could not be prepared: {source}")]
    DataDirectory {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A file of this desktop's own (beside the database) could not be
    /// read or written.
    #[error("{path} could not be {doing}: {source}")]
    File {
        path: String,
        doing: &'static str,
        #[source]
        source: std::io::Error,
    },
}

pub type CoreResult<T> = Result<T, CoreError>;

/// PostgreSQL's SQLSTATE for a right the login lacks, and for a row that
/// row-level security refuses.
const INSUFFICIENT_PRIVILEGE: &str = "42501";

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::InvalidInput(_) => ErrorCode::InvalidInput,
            CoreError::OnField { error, .. } => error.code(),
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::Conflict(_) => ErrorCode::Conflict,
            CoreError::Delivery(_) => ErrorCode::Delivery,
            CoreError::Forbidden(_) => ErrorCode::Forbidden,
            CoreError::Database(_)
            | CoreError::Unreachable(_)
            | CoreError::NewerSchema { .. }
            | CoreError::Corrupt(_)
            | CoreError::Migration(_)
            | CoreError::DataDirectory { .. } => ErrorCode::Database,
            CoreError::File { .. } => ErrorCode::Internal,
        }
    }
}

impl CoreError {
    /// This error, as one about the field labelled `field`.
    pub fn on_field(self, field: &str) -> Self {
        match self {
            // The innermost field is the one at fault.
            on_field @ CoreError::OnField { .. } => on_field,
            error => CoreError::OnField {
                field: field.to_owned(),
                error: Box::new(error),
            },
        }
    }
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        match err {
            CoreError::OnField { field, error } => ApiError::from(*error).on_field(field),
            err => ApiError::new(err.code(), err.to_string()),
        }
    }
}

impl From<sqlx::Error> for CoreError {
    /// A column whose stored value does not decode (an unknown enum name, a
    /// wrong type) is `Corrupt`, naming the column and the value.
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::ColumnDecode { index, source } => {
                CoreError::Corrupt(format!("column {index}: {source}"))
            }
            sqlx::Error::Database(db) if db.code().as_deref() == Some(INSUFFICIENT_PRIVILEGE) => {
                CoreError::Forbidden(format!(
                    "The team database does not let your login do this: only the person it \
                     belongs to, or an administrator, may ({}).",
                    db.message()
                ))
            }
            other => CoreError::Database(other),
        }
    }
}
