//! Webhooks: Slack incoming webhooks, Discord webhooks and a generic JSON
//! POST. One post per event (not per user) to every enabled webhook that
//! takes the event's kind. The bodies escape user text for each format.
//!
//! The generic body is Partwatch's versioned event (`"schema":
//! "partwatch.event/v1"`), documented in ARCHITECTURE.md.

use super::event::{escape_discord, escape_slack, Details, Event, PartFigures};
use super::{BoxFuture, Channel, DeliveryConfig, DeliveryError, Outgoing, WebhookTarget};
use crate::{validate, CoreError, CoreResult, Database};
use partwatch_types::delivery::{
    ChannelKind, TestSent, Webhook, WebhookId, WebhookInput, WebhookKind,
};
use partwatch_types::notifications::NotificationKind;
use serde_json::{json, Value};
use sqlx::SqliteConnection;
use std::time::Duration;

// ---------------------------------------------------------------- storage

type Row = (i64, String, String, String, bool, bool, bool, bool);

const COLUMNS: &str = "id, name, kind, url, low_stock, back_in_stock, build_shortage, enabled";

fn from_row((id, name, kind, url, low, back, build, enabled): Row) -> Webhook {
    let mut events = Vec::new();
    for (on, kind) in [
        (low, NotificationKind::LowStock),
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
        kind: WebhookKind::parse(&kind).unwrap_or(WebhookKind::Generic),
        url,
        events,
        enabled,
    }
}

pub async fn list(db: &Database) -> CoreResult<Vec<Webhook>> {
    let rows: Vec<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM webhooks ORDER BY name"))
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

async fn get_in(conn: &mut SqliteConnection, id: WebhookId) -> CoreResult<Webhook> {
    let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM webhooks WHERE id = ?"))
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
    back: bool,
    build: bool,
}

fn validate(input: &WebhookInput) -> CoreResult<Valid> {
    let name = validate::required("Name", &input.name, 100)?;
    let url = input.url.trim().to_owned();
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
    let (low, back, build) = (
        has(NotificationKind::LowStock),
        has(NotificationKind::BackInStock),
        has(NotificationKind::BuildShortage),
    );
    if !(low || back || build) {
        return Err(CoreError::InvalidInput(
            "Choose at least one kind of event for the webhook.".into(),
        ));
    }
    Ok(Valid {
        name,
        url,
        low,
        back,
        build,
    })
}

async fn ensure_name_free(
    conn: &mut SqliteConnection,
    name: &str,
    except: Option<WebhookId>,
) -> CoreResult<()> {
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM webhooks WHERE name = ? COLLATE NOCASE AND id IS NOT ?")
            .bind(name)
            .bind(except)
            .fetch_optional(&mut *conn)
            .await?;
    match taken {
        Some(_) => Err(CoreError::Conflict(format!(
            "There is already a webhook named \"{name}\"."
        ))),
        None => Ok(()),
    }
}

pub async fn create(db: &Database, input: &WebhookInput) -> CoreResult<Webhook> {
    let v = validate(input)?;
    let mut tx = db.begin_write().await?;
    ensure_name_free(&mut tx, &v.name, None).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO webhooks (name, kind, url, low_stock, back_in_stock, build_shortage, enabled)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&v.name)
    .bind(input.kind.as_str())
    .bind(&v.url)
    .bind(v.low)
    .bind(v.back)
    .bind(v.build)
    .bind(input.enabled)
    .fetch_one(&mut *tx)
    .await?;
    let hook = get_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(hook)
}

pub async fn update(db: &Database, id: WebhookId, input: &WebhookInput) -> CoreResult<Webhook> {
    let v = validate(input)?;
    let mut tx = db.begin_write().await?;
    get_in(&mut tx, id).await?;
    ensure_name_free(&mut tx, &v.name, Some(id)).await?;
    sqlx::query(
        "UPDATE webhooks SET name = ?, kind = ?, url = ?, low_stock = ?, back_in_stock = ?,
                build_shortage = ?, enabled = ? WHERE id = ?",
    )
    .bind(&v.name)
    .bind(input.kind.as_str())
    .bind(&v.url)
    .bind(v.low)
    .bind(v.back)
    .bind(v.build)
    .bind(input.enabled)
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
    get_in(&mut tx, id).await?;
    sqlx::query("DELETE FROM webhooks WHERE id = ?")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The enabled webhooks, each with the kinds it takes (for the trigger engine).
pub(crate) async fn enabled_in(conn: &mut SqliteConnection) -> CoreResult<Vec<Enabled>> {
    Ok(sqlx::query_as(
        "SELECT id, kind || ': ' || name AS label, low_stock, back_in_stock, build_shortage
           FROM webhooks WHERE enabled = 1 ORDER BY id",
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
    back_in_stock: bool,
    build_shortage: bool,
}

impl Enabled {
    /// Whether this webhook posts notifications of `kind`.
    pub fn takes(&self, kind: NotificationKind) -> bool {
        match kind {
            NotificationKind::LowStock => self.low_stock,
            NotificationKind::BackInStock => self.back_in_stock,
            NotificationKind::BuildShortage => self.build_shortage,
            NotificationKind::Test => false,
        }
    }
}

// ---------------------------------------------------------------- bodies

fn units(part: &PartFigures) -> String {
    if part.units.is_empty() {
        String::new()
    } else {
        format!(" {}", part.units)
    }
}

/// The JSON body for one event and one webhook kind.
pub fn body(kind: WebhookKind, event: &Event, delivery: i64, instance: &str) -> Value {
    match kind {
        WebhookKind::Slack => slack(event, instance),
        WebhookKind::Discord => discord(event, instance),
        WebhookKind::Generic => generic(event, delivery, instance),
    }
}

fn slack(event: &Event, instance: &str) -> Value {
    let mrkdwn = |text: String| json!({ "type": "mrkdwn", "text": text });
    let mut blocks = vec![
        json!({ "type": "header", "text": { "type": "plain_text", "text": truncate(&event.title, 150), "emoji": false } }),
        json!({ "type": "section", "text": mrkdwn(escape_slack(&event.body)) }),
    ];
    match &event.details {
        Details::Stock { part } => {
            let u = units(part);
            let mut fields = vec![mrkdwn(format!("*Part*\n{}", escape_slack(&part.name)))];
            if let Some(ipn) = &part.ipn {
                fields.push(mrkdwn(format!("*IPN*\n{}", escape_slack(ipn))));
            }
            fields.push(mrkdwn(format!(
                "*In stock*\n{}{}",
                part.in_stock,
                escape_slack(&u)
            )));
            fields.push(mrkdwn(format!(
                "*Minimum*\n{}{}",
                part.minimum,
                escape_slack(&u)
            )));
            blocks.push(json!({ "type": "section", "fields": fields }));
        }
        Details::BuildShortage { build } => {
            blocks.push(json!({ "type": "section", "fields": [
                mrkdwn(format!("*Build order*\n{}", escape_slack(&build.reference))),
                mrkdwn(format!("*Assembly*\n{} × {}", build.quantity, escape_slack(&build.assembly.name))),
            ]}));
            let lines: Vec<String> = build
                .lines
                .iter()
                .map(|l| {
                    format!(
                        "• {}: required {}, available {}",
                        escape_slack(&l.part.name),
                        l.required,
                        l.available
                    )
                })
                .collect();
            blocks.push(json!({ "type": "section", "text": mrkdwn(lines.join("\n")) }));
        }
        Details::Plain => {}
    }
    blocks.push(json!({ "type": "context", "elements": [mrkdwn(format!("Partwatch · {}", escape_slack(instance)))] }));
    json!({ "text": escape_slack(&event.title), "blocks": blocks })
}

fn discord(event: &Event, instance: &str) -> Value {
    let field = |name: &str, value: String| json!({ "name": name, "value": truncate(&value, 1024), "inline": true });
    let mut fields = Vec::new();
    let mut description = escape_discord(&event.body);
    match &event.details {
        Details::Stock { part } => {
            let u = escape_discord(&units(part));
            fields.push(field("Part", escape_discord(&part.name)));
            if let Some(ipn) = &part.ipn {
                fields.push(field("IPN", escape_discord(ipn)));
            }
            fields.push(field("In stock", format!("{}{u}", part.in_stock)));
            fields.push(field("Minimum", format!("{}{u}", part.minimum)));
        }
        Details::BuildShortage { build } => {
            fields.push(field("Build order", escape_discord(&build.reference)));
            fields.push(field(
                "Assembly",
                format!(
                    "{} × {}",
                    build.quantity,
                    escape_discord(&build.assembly.name)
                ),
            ));
            description = format!(
                "{}\n\n{}",
                escape_discord(&event.title),
                build
                    .lines
                    .iter()
                    .map(|l| format!(
                        "• {}: required {}, available {}",
                        escape_discord(&l.part.name),
                        l.required,
                        l.available
                    ))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        Details::Plain => {}
    }
    let colour = match event.kind {
        NotificationKind::LowStock | NotificationKind::BuildShortage => 0xD9_77_06,
        NotificationKind::BackInStock => 0x16_A3_4A,
        NotificationKind::Test => 0x25_63_EB,
    };
    json!({
        "content": truncate(&format!("**{}**", escape_discord(&event.title)), 2000),
        "allowed_mentions": { "parse": [] },
        "embeds": [{
            "title": truncate(&event.title, 256),
            "description": truncate(&description, 4096),
            "color": colour,
            "fields": fields,
            "footer": { "text": truncate(&format!("Partwatch · {instance}"), 2048) },
            "timestamp": event.created_at,
        }]
    })
}

fn generic(event: &Event, delivery: i64, instance: &str) -> Value {
    let (part, build) = match &event.details {
        Details::Stock { part } => (
            json!({ "id": part.id, "name": part.name, "ipn": part.ipn,
                    "in_stock": part.in_stock, "minimum": part.minimum, "units": part.units }),
            Value::Null,
        ),
        Details::BuildShortage { build } => (
            json!({ "id": build.assembly.id, "name": build.assembly.name }),
            json!({ "id": build.id, "reference": build.reference, "quantity": build.quantity,
                    "short_lines": build.lines.iter().map(|l| json!({
                        "part": { "id": l.part.id, "name": l.part.name },
                        "required": l.required, "available": l.available,
                    })).collect::<Vec<_>>() }),
        ),
        Details::Plain => (Value::Null, Value::Null),
    };
    json!({
        "schema": "partwatch.event/v1",
        "event_id": event.id,
        "delivery_id": delivery,
        "kind": event.kind.as_str(),
        "occurred_at": event.created_at,
        "instance": instance,
        "title": event.title,
        "body": event.body,
        "link": event.app_link(),
        "part": part,
        "build_order": build,
    })
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

// ---------------------------------------------------------------- sending

fn client(timeout: Duration) -> Result<reqwest::Client, DeliveryError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .user_agent(concat!("Partwatch/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| DeliveryError::permanent(format!("The web client could not be set up: {e}")))
}

async fn post(
    client: &reqwest::Client,
    hook: &WebhookTarget,
    kind: NotificationKind,
    delivery: i64,
    body: &Value,
) -> Result<(), DeliveryError> {
    let response = client
        .post(&hook.url)
        .header("Content-Type", "application/json")
        .header("X-Partwatch-Event", kind.as_str())
        .header("X-Partwatch-Delivery", delivery.to_string())
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| explain_transport(&e, hook))?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let text: String = response
        .text()
        .await
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let answer = if text.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", text.trim())
    };
    let message = format!("{} answered {status}{answer}", hook.name);
    if status.is_server_error() || status.as_u16() == 429 || status.as_u16() == 408 {
        Err(DeliveryError::transient(message))
    } else {
        Err(DeliveryError::permanent(format!(
            "{message}. Check the webhook's address."
        )))
    }
}

fn explain_transport(err: &reqwest::Error, hook: &WebhookTarget) -> DeliveryError {
    let host = reqwest::Url::parse(&hook.url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    if err.is_timeout() {
        DeliveryError::transient(format!("{host} did not answer in time."))
    } else if err.is_connect() {
        DeliveryError::transient(format!(
            "Could not connect to {host}; it may be down or unreachable."
        ))
    } else {
        DeliveryError::transient(format!("Posting to {host} failed: {err}"))
    }
}

/// The webhook channel.
pub struct WebhookChannel {
    db: Database,
    client: Result<reqwest::Client, DeliveryError>,
}

impl WebhookChannel {
    pub fn new(db: Database, config: &DeliveryConfig) -> Self {
        Self {
            db,
            client: client(config.send_timeout),
        }
    }
}

impl Channel for WebhookChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Webhook
    }

    fn deliver<'a>(&'a self, outgoing: &'a Outgoing) -> BoxFuture<'a, Result<(), DeliveryError>> {
        Box::pin(async move {
            let client = self.client.as_ref().map_err(Clone::clone)?;
            let hook = outgoing
                .webhook
                .as_ref()
                .ok_or_else(|| DeliveryError::permanent("The webhook no longer exists."))?;
            let instance = super::email::instance_name(&self.db)
                .await
                .map_err(|e| DeliveryError::transient(e.to_string()))?;
            let body = body(hook.kind, &outgoing.event, outgoing.id, &instance);
            post(client, hook, outgoing.event.kind, outgoing.id, &body).await
        })
    }
}

/// Posts a test event to the webhook now and reports its answer.
pub async fn send_test(
    db: &Database,
    config: &DeliveryConfig,
    id: WebhookId,
) -> CoreResult<TestSent> {
    let hook = {
        let mut conn = db.pool().acquire().await?;
        get_in(&mut conn, id).await?
    };
    let instance = super::email::instance_name(db).await?;
    let target = WebhookTarget {
        id: hook.id,
        name: hook.name.clone(),
        kind: hook.kind,
        url: hook.url.clone(),
    };
    let client = client(config.send_timeout).map_err(|e| CoreError::Delivery(e.message))?;
    let event = Event::test(&instance);
    post(
        &client,
        &target,
        NotificationKind::Test,
        0,
        &body(hook.kind, &event, 0, &instance),
    )
    .await
    .map_err(|e| CoreError::Delivery(e.message))?;
    Ok(TestSent {
        message: format!("{} accepted the test post.", hook.name),
    })
}
