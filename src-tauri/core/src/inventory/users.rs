//! People who watch parts. One of them is this desktop's current user.

use super::must_exist;
use crate::notifications::Announcement;
use crate::sql::{self, Conn};
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::inventory::{
    NewUser, SetUserActive, SignIn, SignInChoices, UpdateUser, User, UserId,
};

pub(crate) const CURRENT_USER_KEY: &str = "current_user_id";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: UserId,
    name: String,
    email: Option<String>,
    active: bool,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        User {
            id: row.id,
            name: row.name,
            email: row.email,
            active: row.active,
        }
    }
}

pub async fn create(db: &Database, input: &NewUser) -> CoreResult<User> {
    let name = validate::required("Name", &input.name, 100)?;
    let email = validate::email(input.email.as_deref())?;
    let mut tx = db.begin_write().await?;
    ensure_name_free(&mut tx, &name, None).await?;
    let id = UserId(
        sql::query_scalar::<i64>("INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id")
            .bind(&name)
            .bind(&email)
            .fetch_one(&mut *tx)
            .await?,
    );
    let user = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(user)
}

/// Changes a user's name and email address together: both are checked
/// first, and either both change or neither does. A `None` or blank address
/// clears it.
pub async fn update(db: &Database, input: &UpdateUser) -> CoreResult<User> {
    let name = validate::required("Name", &input.name, 100)?;
    let email = validate::email(input.email.as_deref())?;
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "users", "User", input.id).await?;
    ensure_name_free(&mut tx, &name, Some(input.id)).await?;
    sql::query("UPDATE users SET name = $1, email = $2 WHERE id = $3")
        .bind(&name)
        .bind(&email)
        .bind(input.id)
        .execute(&mut *tx)
        .await?;
    let user = get_in(&mut tx, input.id).await?;
    tx.commit().await?;
    Ok(user)
}

/// Deactivates (or reactivates) a user. The current user cannot be deactivated.
pub async fn set_active(db: &Database, request: &SetUserActive) -> CoreResult<User> {
    let (id, active) = (request.id, request.active);
    let mut tx = db.begin_write().await?;
    must_exist(&mut tx, "users", "User", id).await?;
    if !active && current_id(&mut tx).await? == Some(id) {
        return Err(CoreError::Conflict(
            "You cannot deactivate the user you are working as; switch to another user first."
                .into(),
        ));
    }
    sql::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(active)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let user = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(user)
}

pub async fn list(db: &Database) -> CoreResult<Vec<User>> {
    let rows: Vec<UserRow> =
        sql::query_as("SELECT id, name, email, active FROM users ORDER BY name COLLATE NOCASE")
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(User::from).collect())
}

pub async fn get(db: &Database, id: UserId) -> CoreResult<User> {
    let mut conn = db.connection().await?;
    get_in(&mut conn, id).await
}

pub(crate) async fn get_in(conn: &mut Conn, id: UserId) -> CoreResult<User> {
    let row: Option<UserRow> =
        sql::query_as("SELECT id, name, email, active FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(User::from)
        .ok_or_else(|| CoreError::NotFound(format!("User {id} does not exist.")))
}

/// The user this desktop works as. On the very first start there is none:
/// one is created with `default_name` (the shell passes the OS user's name).
pub async fn current(db: &Database, default_name: &str) -> CoreResult<User> {
    let mut tx = db.begin_write().await?;
    if let Some(id) = stored_current(db, &mut tx).await? {
        let user = get_in(&mut tx, id).await?;
        tx.commit().await?;
        db.remember_current_user(user.id);
        return Ok(user);
    }
    let name = validate::required("Name", default_name, 100).unwrap_or_else(|_| "Me".into());
    let existing: Option<UserId> =
        sql::query_scalar("SELECT id FROM users WHERE name = $1 COLLATE NOCASE")
            .bind(&name)
            .fetch_optional(&mut *tx)
            .await?;
    let id = match existing {
        Some(id) => id,
        None => UserId(
            sql::query_scalar::<i64>("INSERT INTO users (name) VALUES ($1) RETURNING id")
                .bind(&name)
                .fetch_one(&mut *tx)
                .await?,
        ),
    };
    store_current(db, &mut tx, id).await?;
    let user = get_in(&mut tx, id).await?;
    tx.commit().await?;
    db.remember_current_user(user.id);
    Ok(user)
}

/// Who works on this desktop as it starts. On a SQLite file, as
/// [`current`] (created at the very first start). On a team database: the
/// person whose own login the desktop connects with; else the person this
/// desktop remembers; for the first desktop on a team database
/// nobody has used yet, its first person, named after the OS user; else
/// nobody yet — the window asks who is there ([`sign_in_choices`],
/// [`sign_in`]) rather than guessing from the OS user's name.
pub async fn at_start(db: &Database, default_name: &str) -> CoreResult<Option<User>> {
    if !db.is_postgres() {
        return current(db, default_name).await.map(Some);
    }
    let mut conn = db.connection().await?;
    if let Some(id) = stored_current(db, &mut conn).await? {
        let user = get_in(&mut conn, id).await?;
        db.remember_current_user(user.id);
        return Ok(Some(user));
    }
    let people: i64 = sql::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut conn)
        .await?;
    drop(conn);
    if people == 0 {
        return current(db, default_name).await.map(Some);
    }
    Ok(None)
}

/// The person this desktop works as; on a team database where nobody has
/// signed in on this desktop yet, a `NotFound` error that says so.
pub async fn signed_in(db: &Database, default_name: &str) -> CoreResult<User> {
    match db.current_user() {
        Some(id) => get(db, id).await,
        None if !db.is_postgres() => current(db, default_name).await,
        None => Err(CoreError::NotFound(
            "Nobody has signed in on this desktop yet: choose who you are.".into(),
        )),
    }
}

/// Whom a desktop may sign in as on its team database: its active people,
/// and a name for someone new (`default_name`, the OS user's).
pub async fn sign_in_choices(db: &Database, default_name: &str) -> CoreResult<SignInChoices> {
    Ok(SignInChoices {
        database: db.path().display().to_string(),
        people: list(db).await?.into_iter().filter(|u| u.active).collect(),
        suggested_name: default_name.trim().to_owned(),
    })
}

/// This desktop works as `who` from now on (someone new is added first, in
/// the same transaction), remembered on this desktop and announced.
pub async fn sign_in(db: &Database, who: &SignIn) -> CoreResult<User> {
    let new = match who {
        SignIn::Existing(_) => None,
        SignIn::New(new) => Some((
            validate::required("Name", &new.name, 100)?,
            validate::email(new.email.as_deref())?,
        )),
    };
    let mut tx = db.begin_write().await?;
    if tx.is_postgres() {
        let id = match who {
            SignIn::Existing(id) => Some(*id),
            SignIn::New(_) => None,
        };
        refuse_other_than_login(&mut tx, id).await?;
    }
    let id = match (who, new) {
        (SignIn::Existing(id), _) => *id,
        (SignIn::New(_), Some((name, email))) => {
            ensure_name_free(&mut tx, &name, None).await?;
            UserId(
                sql::query_scalar::<i64>(
                    "INSERT INTO users (name, email) VALUES ($1, $2) RETURNING id",
                )
                .bind(&name)
                .bind(&email)
                .fetch_one(&mut *tx)
                .await?,
            )
        }
        (SignIn::New(_), None) => {
            return Err(CoreError::InvalidInput("Say who is new here.".into()))
        }
    };
    let user = get_in(&mut tx, id).await?;
    if !user.active {
        return Err(CoreError::Conflict(format!(
            "{} is deactivated; ask someone to reactivate them first.",
            user.name
        )));
    }
    store_current(db, &mut tx, id).await?;
    tx.announce_after_commit(Announcement::CurrentUser(user.clone()));
    tx.commit().await?;
    db.remember_current_user(user.id);
    Ok(user)
}

/// Switches this desktop to another (active) user; remembered between
/// starts, and announced (`Announcement::CurrentUser`) so the window, the
/// tray and the delivery of popups all follow.
pub async fn switch_current(db: &Database, id: UserId) -> CoreResult<User> {
    if db.is_postgres() {
        return Err(CoreError::Conflict(
            "Switching user is for a desktop's own database: on a team database each desktop \
             works as the person who signed in there."
                .into(),
        ));
    }
    let mut tx = db.begin_write().await?;
    let user = get_in(&mut tx, id).await?;
    if !user.active {
        return Err(CoreError::Conflict(format!(
            "{} is deactivated; reactivate them before working as them.",
            user.name
        )));
    }
    store_current(db, &mut tx, id).await?;
    tx.announce_after_commit(Announcement::CurrentUser(user.clone()));
    tx.commit().await?;
    db.remember_current_user(user.id);
    Ok(user)
}

/// Who makes the change in this transaction: on SQLite, the user the file
/// remembers; on a team database, the person whose own login this is, else
/// the person of the desktop whose transaction it is (`Database::begin_write`
/// says it to the server).
pub(crate) async fn current_id(conn: &mut Conn) -> CoreResult<Option<UserId>> {
    if conn.is_postgres() {
        return Ok(sql::query_scalar(
            "SELECT COALESCE(partwatch_person(),
                             NULLIF(current_setting('partwatch.person', TRUE), '')::BIGINT)",
        )
        .fetch_one(&mut *conn)
        .await?);
    }
    let value: Option<String> =
        sql::query_scalar("SELECT value FROM instance_settings WHERE key = $1")
            .bind(CURRENT_USER_KEY)
            .fetch_optional(&mut *conn)
            .await?;
    match value {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            CoreError::Corrupt(format!(
                "instance_settings.{CURRENT_USER_KEY} holds {text:?}, which is not a user id"
            ))
        }),
    }
}

/// Who this desktop worked as last: a SQLite file remembers it in its
/// `instance_settings`; on a team database, which every desktop shares,
/// this desktop's data directory does (`team::PERSON_FILE_NAME`), and a
/// person no longer in the database is forgotten (found again by name).
async fn stored_current(db: &Database, conn: &mut Conn) -> CoreResult<Option<UserId>> {
    if !db.is_postgres() {
        return current_id(conn).await;
    }
    if let Some(own) = login_person(conn).await? {
        return Ok(Some(own));
    }
    let database = db.path().display().to_string();
    let remembered = db.current_user().or_else(|| {
        db.person_file()
            .and_then(|file| crate::team::remembered_person(file, &database))
    });
    let Some(id) = remembered else {
        return Ok(None);
    };
    let exists: Option<UserId> = sql::query_scalar("SELECT id FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(exists)
}

/// On a team database, the person whose own PostgreSQL login this desktop
/// connects with (`logins::grant_login`), if it is one; a deactivated
/// person's login is refused (the server shows it nothing anyway).
async fn login_person(conn: &mut Conn) -> CoreResult<Option<UserId>> {
    let found: Option<(UserId, bool, String)> =
        sql::query_as("SELECT id, active, name FROM users WHERE db_login = session_user")
            .fetch_optional(&mut *conn)
            .await?;
    match found {
        None => Ok(None),
        Some((id, true, _)) => Ok(Some(id)),
        Some((_, false, name)) => Err(CoreError::Forbidden(format!(
            "{name} is deactivated on this team database: ask an administrator to reactivate them."
        ))),
    }
}

/// A desktop connected with a person's own login is that person: it cannot
/// sign in or switch as anyone else.
async fn refuse_other_than_login(conn: &mut Conn, id: Option<UserId>) -> CoreResult<()> {
    let Some(own) = login_person(conn).await? else {
        return Ok(());
    };
    if id == Some(own) {
        return Ok(());
    }
    let name: String = sql::query_scalar("SELECT name FROM users WHERE id = $1")
        .bind(own)
        .fetch_one(&mut *conn)
        .await?;
    Err(CoreError::Forbidden(format!(
        "This desktop connects to the team database with {name}'s own login, so it works as {name}."
    )))
}

async fn store_current(db: &Database, conn: &mut Conn, id: UserId) -> CoreResult<()> {
    if db.is_postgres() {
        if let Some(file) = db.person_file() {
            crate::team::remember_person(file, &db.path().display().to_string(), id)?;
        }
        return Ok(());
    }
    sql::query(
        "INSERT INTO instance_settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(CURRENT_USER_KEY)
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn ensure_name_free(conn: &mut Conn, name: &str, except: Option<UserId>) -> CoreResult<()> {
    if super::name_taken(conn, "users", name, except).await? {
        return Err(
            CoreError::Conflict(format!("There is already a user called {name}.")).on_field("Name"),
        );
    }
    Ok(())
}
