//! The JSON bodies posted to webhooks: Slack blocks, a Discord embed and the
//! generic versioned Partwatch event, each escaping user text for its format
//! and truncating to the service's limits.

use super::super::event::{escape_discord, escape_slack, Details, Event, PartFigures};
use partwatch_types::delivery::{DeliveryId, WebhookKind};
use partwatch_types::notifications::NotificationKind;
use serde_json::{json, Value};

// ---------------------------------------------------------------- bodies

fn units(part: &PartFigures) -> String {
    if part.units.is_empty() {
        String::new()
    } else {
        format!(" {}", part.units)
    }
}

/// The JSON body for one event and one webhook kind.
pub fn body(kind: WebhookKind, event: &Event, delivery: DeliveryId, instance: &str) -> Value {
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

fn generic(event: &Event, delivery: DeliveryId, instance: &str) -> Value {
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
