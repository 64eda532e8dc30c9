//! Moving in from the window: check (the preview) or import CSV files,
//! announcing `IMPORT_PROGRESS` as the rows go by, and save the rows an
//! import skipped into the Downloads folder; and the way out, the parts and
//! categories exported there as CSV.

use super::{Answer, Context};
use partwatch_core::import::{self, export};
use partwatch_types::events::IMPORT_PROGRESS;
use partwatch_types::import::{ExportedParts, ImportReport, ImportRequest, SkippedRows};
use partwatch_types::{ApiError, ErrorCode};
use std::path::PathBuf;
use tauri::{Emitter, Manager, Runtime};

pub async fn import_files<R: Runtime>(
    context: Context<R>,
    request: ImportRequest,
) -> Answer<ImportReport> {
    let state = context.state()?;
    let app = context.app.clone();
    Ok(import::run(&state.db, &request, move |progress| {
        if let Err(err) = app.emit(IMPORT_PROGRESS, progress) {
            tracing::warn!("could not tell the window how far the import is: {err}");
        }
    })
    .await?)
}

/// Into the user's Downloads folder.
pub async fn save_skipped_rows<R: Runtime>(
    context: Context<R>,
    rows: SkippedRows,
) -> Answer<String> {
    let downloads = downloads(&context, &rows.name)?;
    Ok(import::save_skipped(&downloads, &rows)?
        .display()
        .to_string())
}

/// Into the user's Downloads folder.
pub async fn export_parts<R: Runtime>(context: Context<R>, _: ()) -> Answer<ExportedParts> {
    let state = context.state()?;
    let downloads = downloads(&context, "parts.csv")?;
    Ok(export::save(&state.db, &downloads).await?)
}

/// The user's Downloads folder (`~/Downloads` where the desktop names
/// none), to save `what` in.
fn downloads<R: Runtime>(context: &Context<R>, what: &str) -> Result<PathBuf, ApiError> {
    let paths = context.app.path();
    paths
        .download_dir()
        .or_else(|_| paths.home_dir().map(|home| home.join("Downloads")))
        .map_err(|err| {
            ApiError::new(
                ErrorCode::Internal,
                format!("There is no Downloads folder to save {what} in: {err}"),
            )
        })
}
