//! The commands about which database is open: the problem page at start
//! (try again, or this desktop's own database) and Settings › Team database
//! (check a URL, choose it for the next start, move this database up).

use super::{Answer, Context};
use crate::startup::{self, Startup};
use partwatch_core::secrets::OsKeyring;
use partwatch_core::{moving, team};
use partwatch_types::events::MOVE_PROGRESS;
use partwatch_types::{
    DatabaseProblem, MoveSummary, TeamDatabaseCheck, TeamDatabaseStatus, TeamLink,
};
use tauri::{Emitter, Manager, Runtime};

pub async fn problem<R: Runtime>(context: Context<R>, (): ()) -> Answer<Option<DatabaseProblem>> {
    Ok(context.app.state::<Startup>().problem())
}

pub async fn retry<R: Runtime>(context: Context<R>, (): ()) -> Answer<Option<DatabaseProblem>> {
    Ok(startup::open(&context.app).await)
}

pub async fn use_own<R: Runtime>(context: Context<R>, (): ()) -> Answer<Option<DatabaseProblem>> {
    Ok(startup::open_own(&context.app).await?)
}

pub async fn status<R: Runtime>(context: Context<R>, (): ()) -> Answer<TeamDatabaseStatus> {
    let state = context.state()?;
    let startup = context.app.state::<Startup>();
    Ok(TeamDatabaseStatus {
        open: state.db.path().display().to_string(),
        is_postgres: state.db.is_postgres(),
        source: startup::source_of(&startup.choice()),
        saved: team::saved(&startup.data_dir)?.map(|url| team::describe_url(&url)),
        password_place: team::password_place(&startup.data_dir, &OsKeyring),
    })
}

pub async fn check<R: Runtime>(_context: Context<R>, url: String) -> Answer<TeamDatabaseCheck> {
    Ok(team::check(&url).await?)
}

pub async fn choose<R: Runtime>(
    context: Context<R>,
    url: Option<String>,
) -> Answer<TeamDatabaseStatus> {
    team::save(&context.app.state::<Startup>().data_dir, url.as_deref())?;
    status(context, ()).await
}

pub async fn move_up<R: Runtime>(context: Context<R>, url: String) -> Answer<MoveSummary> {
    let state = context.state()?;
    let app = context.app.clone();
    Ok(moving::to_postgres(&state.db, &url, move |progress| {
        if let Err(err) = app.emit(MOVE_PROGRESS, progress) {
            tracing::warn!("could not tell the window how far the move is: {err}");
        }
    })
    .await?)
}

pub async fn team_link<R: Runtime>(context: Context<R>, (): ()) -> Answer<TeamLink> {
    Ok(context.state()?.team_link())
}
