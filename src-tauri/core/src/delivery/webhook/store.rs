//! The webhooks in the database: listing, creating, updating and deleting
//! them (with validation of the name, address and event kinds), and the
//! enabled webhooks with the kinds they take, for the trigger engine.

use crate::sql::{self, Conn};
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::delivery::{UpdateWebhook, Webhook, WebhookId, WebhookInput, WebhookKind};
use partwatch_types::notifications::NotificationKind;

// ---------------------------------------------------------------- storage

type Row = (
    WebhookId,
    String,
    WebhookKind,
    String,
    bool,
    bool,
    bool,
    bool,
    bool,
);

const COLUMNS: &str =
    "id, name, kind, url, low_stock, out_of_stock, back_in_stock, build_shortage, enabled";

fn from_row((id, name, kind, url, low, out, back, build, enabled): Row) -> Webhook {
    let mut events = Vec::new();
    for (on, kind) in [
        (low, NotificationKind::LowStock),
        (out, NotificationKind::OutOfStock),
        (back, NotificationKind::BackInStock),
        (build, NotificationKind::BuildShortage),
    ] {
        if on {
            events.push(kind);
        }
    }
    Webhook {
        id,
        name,
        kind,
        url,
        events,
        enabled,
    }
}

pub async fn list(db: &Database) -> CoreResult<Vec<Webhook>> {
    let rows: Vec<Row> = sql::query_as(format!("SELECT {COLUMNS} FROM webhooks ORDER BY name"))
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

pub(super) async fn get_in(conn: &mut Conn, id: WebhookId) -> CoreResult<Webhook> {
    let row: Option<Row> = sql::query_as(format!("SELECT {COLUMNS} FROM webhooks WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(from_row)
        .ok_or_else(|| CoreError::NotFound(format!("Webhook {id} does not exist.")))
}

struct Valid {
    name: String,
    url: String,
    low: bool,
    out: bool,
    back: bool,
    build: bool,
}

fn validate(input: &WebhookInput) -> CoreResult<Valid> {
    let name = validate::required("Name", &input.name, 100)?;
    // Checked as a line first, so the message below never repeats a huge or
    // unprintable text.
    let url = validate::required("Address", &input.url, 2048)?;
    let parsed = reqwest::Url::parse(&url).map_err(|_| {
        CoreError::InvalidInput(format!(
            "\"{url}\" is not a web address (like https://hooks.slack.com/…)."
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(CoreError::InvalidInput(
            "A webhook address must start with http:// or https://.".into(),
        ));
    }
    if url.len() > 2048 {
        return Err(CoreError::InvalidInput(
            "The webhook address is too long (2048 characters at most).".into(),
        ));
    }
    let has = |k| input.events.contains(&k);
    let (low, out, back, build) = (
        has(NotificationKind::LowStock),
        has(NotificationKind::OutOfStock),
        has(NotificationKind::BackInStock),
        has(NotificationKind::BuildShortage),
    );
    if !(low || out || back || build) {
        return Err(CoreError::InvalidInput(
            "Choose at least one kind of event for the webhook.".into(),
        ));
    }
    Ok(Valid {
        name,
        url,
        low,
        out,
        back,
        build,
    })
}

/// Binds the eight webhook fields, in the column order `create` and
/// `update` share.
fn bind_fields<'q, Q: sql::Bind<'q>>(query: Q, v: &'q Valid, input: &'q WebhookInput) -> Q {
    query
        .bind(&v.name)
        .bind(input.kind)
        .bind(&v.url)
        .bind(v.low)
        .bind(v.out)
        .bind(v.back)
        .bind(v.build)
        .bind(input.enabled)
}

async fn ensure_name_free(
    conn: &mut Conn,
    name: &str,
    except: Option<WebhookId>,
) -> CoreResult<()> {
    if crate::inventory::name_taken(conn, "webhooks", name, except).await? {
        return Err(
            CoreError::Conflict(format!("There is already a webhook named \"{name}\"."))
                .on_field("Name"),
        );
    }
    Ok(())
}

pub async fn create(db: &Database, input: &WebhookInput) -> CoreResult<Webhook> {
    let v = validate(input)?;
    let mut tx = db.begin_write().await?;
    ensure_name_free(&mut tx, &v.name, None).await?;
    let insert = sql::query_scalar::<WebhookId>(
        "INSERT INTO webhooks (name, kind, url, low_stock, out_of_stock, back_in_stock,
                               build_shortage, enabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    );
    let id = bind_fields(insert, &v, input).fetch_one(&mut *tx).await?;
    let hook = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(hook)
}

pub async fn update(db: &Database, request: &UpdateWebhook) -> CoreResult<Webhook> {
    let (id, input) = (request.id, &request.webhook);
    let v = validate(input)?;
    let mut tx = db.begin_write().await?;
    get_in(&mut tx, id).await?;
    ensure_name_free(&mut tx, &v.name, Some(id)).await?;
    let update = sql::query(
        "UPDATE webhooks SET name = $1, kind = $2, url = $3, low_stock = $4, out_of_stock = $5,
                back_in_stock = $6, build_shortage = $7, enabled = $8 WHERE id = $9",
    );
    bind_fields(update, &v, input)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let hook = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(hook)
}

/// Deletes a webhook and its deliveries (pending ones are not sent).
pub async fn delete(db: &Database, id: WebhookId) -> CoreResult<()> {
    let mut tx = db.begin_write().await?;
    let hook = get_in(&mut tx, id).await?;
    let deleted = sql::query("DELETE FROM webhooks WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if deleted == 0 {
        // Row-level security hides a row from a DELETE without an error: on
        // a team database only an administrator removes a webhook.
        return Err(CoreError::Forbidden(format!(
            "Only an administrator of the team may remove the webhook \"{}\".",
            hook.name
        )));
    }
    tx.commit().await?;
    Ok(())
}

/// The enabled webhooks, each with the kinds it takes (for the trigger engine).
pub(crate) async fn enabled_in(conn: &mut Conn) -> CoreResult<Vec<Enabled>> {
    Ok(sql::query_as(
        "SELECT id, kind || ': ' || name AS label, low_stock, out_of_stock, back_in_stock,
                build_shortage
           FROM webhooks WHERE enabled = TRUE ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?)
}

/// An enabled webhook, as the trigger engine needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Enabled {
    pub id: WebhookId,
    /// How the delivery log names it: "slack: Stores channel".
    pub label: String,
    low_stock: bool,
    out_of_stock: bool,
    back_in_stock: bool,
    build_shortage: bool,
}

impl Enabled {
    /// Whether this webhook posts notifications of `kind`.
    pub fn takes(&self, kind: NotificationKind) -> bool {
        match kind {
            NotificationKind::LowStock => self.low_stock,
            NotificationKind::OutOfStock => self.out_of_stock,
            NotificationKind::BackInStock => self.back_in_stock,
            NotificationKind::BuildShortage => self.build_shortage,
            NotificationKind::Test => false,
        }
    }
}
