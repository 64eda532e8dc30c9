use partwatch_core::{CoreResult, Database};
use std::path::Path;

/// What every command can reach: the open database (more services join it later).
pub struct AppState {
    pub db: Database,
}

impl AppState {
    pub async fn open(data_dir: &Path) -> CoreResult<Self> {
        Ok(Self {
            db: Database::open_in(data_dir).await?,
        })
    }
}
