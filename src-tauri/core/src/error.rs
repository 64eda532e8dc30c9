use partwatch_types::{ApiError, ErrorCode};

/// Everything that can go wrong in the core, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// A mail server, webhook or the desktop did not take a message.
    #[error("{0}")]
    Delivery(String),
    #[error("The database could not be used: {0}")]
    Database(sqlx::Error),
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
}

pub type CoreResult<T> = Result<T, CoreError>;

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::InvalidInput(_) => ErrorCode::InvalidInput,
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::Conflict(_) => ErrorCode::Conflict,
            CoreError::Delivery(_) => ErrorCode::Delivery,
            CoreError::Database(_)
            | CoreError::Corrupt(_)
            | CoreError::Migration(_)
            | CoreError::DataDirectory { .. } => ErrorCode::Database,
        }
    }
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        ApiError::new(err.code(), err.to_string())
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
            other => CoreError::Database(other),
        }
    }
}
