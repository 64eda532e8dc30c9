//! Each person's own PostgreSQL login on a team database.
//!
//! A team's database administrator creates a login per person on the
//! server (`CREATE ROLE ben LOGIN PASSWORD '…'`) and gives it to that person
//! here (`partwatch login --person "Ben Ng" --login ben`). From then on, a
//! desktop connecting with that login is Ben's, and the server itself holds
//! it to the rules of `migrations-postgres/20261203120000_people_and_logins.sql`:
//! Ben reads and changes only his own notifications, subscriptions and
//! personal settings, and changes the team's settings only if he is an
//! administrator. The login that owns the database is not bound by them.

use crate::sql;
use crate::{CoreError, CoreResult, Database};
use partwatch_types::inventory::UserId;
use partwatch_types::Permissions;

/// What this desktop's login may change beyond its person's own things:
/// everything on a desktop's own file; on a team database, the team's
/// settings for the owner's login (or a member of its role) and for the
/// logins of people who are administrators. The server enforces it either
/// way; the window uses this to show those settings read-only.
pub async fn permissions(db: &Database) -> CoreResult<Permissions> {
    if !db.is_postgres() {
        return Ok(Permissions {
            team_settings: true,
        });
    }
    let team_settings: bool = sql::query_scalar(
        "SELECT COALESCE((SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables
                           WHERE schemaname = current_schema() AND tablename = '_sqlx_migrations'),
                         FALSE)
                OR partwatch_is_administrator()",
    )
    .fetch_one(db)
    .await?;
    Ok(Permissions { team_settings })
}

/// A person given their own login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    pub person: UserId,
    pub name: String,
    pub login: String,
    pub administrator: bool,
}

/// Gives the existing PostgreSQL login `login` to the person called
/// `person` (case-insensitive), as an administrator or not: the login gets a
/// person's rights on this database and is bound to that person. Run with the
/// login that owns the database; giving a person's login again changes only
/// whether they are an administrator.
pub async fn grant_login(
    db: &Database,
    person: &str,
    login: &str,
    administrator: bool,
) -> CoreResult<Granted> {
    if !db.is_postgres() {
        return Err(CoreError::InvalidInput(
            "Logins are for a team database: on this desktop's own file, one person works alone."
                .into(),
        ));
    }
    let login = valid_login(login)?;
    let person = person.trim();
    let mut tx = db.begin_write().await?;
    let role: Option<(bool, bool)> =
        sql::query_as("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1")
            .bind(login)
            .fetch_optional(&mut *tx)
            .await?;
    match role {
        None => {
            return Err(CoreError::NotFound(format!(
                "The server has no login \"{login}\". Create it first, e.g. in psql: \
                 CREATE ROLE \"{login}\" LOGIN PASSWORD '…';"
            )))
        }
        Some((superuser, bypasses)) if superuser || bypasses => {
            return Err(CoreError::InvalidInput(format!(
                "\"{login}\" is a superuser (or bypasses row-level security): the server would not \
                 hold it to a person's rules. Give {person} a login of their own."
            )))
        }
        Some(_) => {}
    }
    // The owner, or a login that acts as the owner (a member of its role).
    let owner: bool = sql::query_scalar(
        "SELECT COALESCE((SELECT pg_has_role($1::name, tableowner, 'USAGE') FROM pg_tables
                           WHERE schemaname = current_schema() AND tablename = 'notifications'),
                         FALSE)",
    )
    .bind(login)
    .fetch_one(&mut *tx)
    .await?;
    if owner {
        return Err(CoreError::InvalidInput(format!(
            "\"{login}\" owns this database, which no rule binds: give {person} a login of their own."
        )));
    }
    let found: Option<(UserId, String, Option<String>)> =
        sql::query_as("SELECT id, name, db_login FROM users WHERE name = $1 COLLATE NOCASE")
            .bind(person)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((id, name, current)) = found else {
        return Err(CoreError::NotFound(format!(
            "Nobody is called \"{person}\" on this team database."
        )));
    };
    if let Some(current) = current.filter(|c| c != login) {
        return Err(CoreError::Conflict(format!(
            "{name} already connects with the login \"{current}\"."
        )));
    }
    let holder: Option<String> =
        sql::query_scalar("SELECT name FROM users WHERE db_login = $1 AND id <> $2")
            .bind(login)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    if let Some(holder) = holder {
        return Err(CoreError::Conflict(format!(
            "The login \"{login}\" is already {holder}'s."
        )));
    }
    sql::query("SELECT partwatch_grant_login($1)")
        .bind(login)
        .execute(&mut *tx)
        .await?;
    sql::query("UPDATE users SET db_login = $1, administrator = $2 WHERE id = $3")
        .bind(login)
        .bind(administrator)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Granted {
        person: id,
        name,
        login: login.to_owned(),
        administrator,
    })
}

/// A login name as PostgreSQL takes it unquoted or quoted: 1 to 63 bytes of
/// letters, digits and `_ . @ -`, starting with a letter or `_`.
fn valid_login(login: &str) -> CoreResult<&str> {
    let login = login.trim();
    let mut chars = login.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_well = chars.all(|c| c.is_ascii_alphanumeric() || "_.@-".contains(c));
    if !starts_well || !rest_well || login.len() > 63 {
        return Err(CoreError::InvalidInput(format!(
            "\"{login}\" is not a login name: use 1 to 63 letters, digits, _ . @ or -, \
             starting with a letter."
        )));
    }
    Ok(login)
}

#[cfg(test)]
mod tests {
    use super::valid_login;

    #[test]
    fn login_names_are_checked_before_the_server_sees_them() {
        assert_eq!(valid_login(" ben ").ok(), Some("ben"));
        assert_eq!(valid_login("ada.l@lab-2").ok(), Some("ada.l@lab-2"));
        for bad in [
            "",
            "1ben",
            "ben smith",
            "ben\"; DROP TABLE users; --",
            &"x".repeat(64),
        ] {
            assert!(valid_login(bad).is_err(), "{bad:?}");
        }
    }
}
