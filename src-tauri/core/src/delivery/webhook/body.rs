//! The JSON bodies posted to webhooks: Slack blocks, a Discord embed and the
//! generic versioned Partwatch event, each escaping user text for its format
//! and truncating to the service's limits.
//!
//! The limits: Slack takes a section text of 3,000 characters, a field of
//! 2,000 and a header of 150; Discord an embed title of 256, a description of
//! 4,096, 25 fields (name 256, value 1,024), a footer of 2,048, 6,000
//! characters in all and a message content of 2,000. A list of short lines
//! that would not fit shows the first ones and then "…and K more".

use super::super::event::{escape_discord, escape_slack, Details, Event, PartFigures};
use partwatch_types::delivery::{DeliveryId, WebhookKind};
use partwatch_types::notifications::NotificationKind;
use serde_json::{json, Value};

// ---------------------------------------------------------------- limits

const SLACK_HEADER: usize = 150;
const SLACK_SECTION: usize = 3_000;
const SLACK_FIELD: usize = 2_000;

const DISCORD_CONTENT: usize = 2_000;
const DISCORD_TITLE: usize = 256;
const DISCORD_DESCRIPTION: usize = 4_096;
const DISCORD_FIELDS: usize = 25;
const DISCORD_FIELD_NAME: usize = 256;
const DISCORD_FIELD_VALUE: usize = 1_024;
/// The footer is only "Partwatch · instance": kept well under Discord's
/// 2,048 so the description keeps room within the 6,000 in all.
const DISCORD_FOOTER: usize = 256;
const DISCORD_EMBED_TOTAL: usize = 6_000;

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
    // Section texts and fields are cut to Slack's limits (after escaping,
    // which lengthens them, and never inside an entity such as `&amp;`).
    let mrkdwn =
        |text: String| json!({ "type": "mrkdwn", "text": truncate_slack(&text, SLACK_SECTION) });
    let field =
        |text: String| json!({ "type": "mrkdwn", "text": truncate_slack(&text, SLACK_FIELD) });
    let mut blocks = vec![
        json!({ "type": "header", "text": { "type": "plain_text", "text": truncate(&event.title, SLACK_HEADER), "emoji": false } }),
        json!({ "type": "section", "text": mrkdwn(escape_slack(&event.body)) }),
    ];
    match &event.details {
        Details::Stock { part } => {
            let u = units(part);
            let mut fields = vec![field(format!("*Part*\n{}", escape_slack(&part.name)))];
            if let Some(ipn) = &part.ipn {
                fields.push(field(format!("*IPN*\n{}", escape_slack(ipn))));
            }
            fields.push(field(format!(
                "*In stock*\n{}{}",
                part.in_stock,
                escape_slack(&u)
            )));
            fields.push(field(format!(
                "*Minimum*\n{}{}",
                part.minimum,
                escape_slack(&u)
            )));
            blocks.push(json!({ "type": "section", "fields": fields }));
        }
        Details::BuildShortage { build } => {
            blocks.push(json!({ "type": "section", "fields": [
                field(format!("*Build order*\n{}", escape_slack(&build.reference))),
                field(format!("*Assembly*\n{} × {}", build.quantity, escape_slack(&build.assembly.name))),
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
            blocks.push(
                json!({ "type": "section", "text": mrkdwn(fit_lines(&lines, SLACK_SECTION)) }),
            );
        }
        Details::Plain => {}
    }
    blocks.push(json!({ "type": "context", "elements": [mrkdwn(format!("Partwatch · {}", escape_slack(instance)))] }));
    json!({ "text": escape_slack(&event.title), "blocks": blocks })
}

fn discord(event: &Event, instance: &str) -> Value {
    let field = |name: &str, value: String| {
        json!({
            "name": truncate(name, DISCORD_FIELD_NAME),
            "value": truncate(&value, DISCORD_FIELD_VALUE),
            "inline": true,
        })
    };
    let mut fields = Vec::new();
    let title = truncate(&escape_discord(&event.title), DISCORD_TITLE);
    let footer = truncate(&format!("Partwatch · {instance}"), DISCORD_FOOTER);
    // The lines of a build shortage, listed as far as they fit.
    let mut lines = None;
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
            lines = Some(
                build
                    .lines
                    .iter()
                    .map(|l| {
                        format!(
                            "• {}: required {}, available {}",
                            escape_discord(&l.part.name),
                            l.required,
                            l.available
                        )
                    })
                    .collect::<Vec<_>>(),
            );
        }
        Details::Plain => {}
    }
    fields.truncate(DISCORD_FIELDS);
    // Discord counts title, description, field names and values and the
    // footer together: the description gets what the others leave.
    let used = title.chars().count()
        + footer.chars().count()
        + fields
            .iter()
            .map(|f| chars(&f["name"]) + chars(&f["value"]))
            .sum::<usize>();
    let room = DISCORD_DESCRIPTION.min(DISCORD_EMBED_TOTAL.saturating_sub(used));
    let description = match lines {
        Some(lines) => {
            let head = truncate(&escape_discord(&event.title), room / 2);
            let head_len = head.chars().count() + 2;
            let list = fit_lines(&lines, room.saturating_sub(head_len));
            truncate(&format!("{head}\n\n{list}"), room)
        }
        None => truncate(&escape_discord(&event.body), room),
    };
    let colour = match event.kind {
        NotificationKind::LowStock | NotificationKind::BuildShortage => 0xD9_77_06,
        NotificationKind::OutOfStock => 0xDC_26_26,
        NotificationKind::BackInStock => 0x16_A3_4A,
        NotificationKind::Test => 0x25_63_EB,
    };
    json!({
        "content": truncate(&format!("**{}**", escape_discord(&event.title)), DISCORD_CONTENT),
        "allowed_mentions": { "parse": [] },
        "embeds": [{
            "title": title,
            "description": description,
            "color": colour,
            "fields": fields,
            "footer": { "text": footer },
            "timestamp": event.created_at,
        }]
    })
}

fn chars(value: &Value) -> usize {
    value.as_str().map_or(0, |s| s.chars().count())
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

/// The lines joined one a line, as many as fit in `max_chars` with, when some
/// are left out, a last line "…and K more".
fn fit_lines(lines: &[String], max_chars: usize) -> String {
    let length = |line: &String| line.chars().count();
    let all: usize = lines.iter().map(length).sum::<usize>() + lines.len().saturating_sub(1);
    if all <= max_chars {
        return lines.join("\n");
    }
    // Room is kept for the longest "more" line there can be.
    let reserve = format!("\n…and {} more", lines.len()).chars().count();
    let mut listed = 0;
    let mut used = 0;
    for line in lines {
        let next = used + usize::from(listed > 0) + length(line);
        if next + reserve > max_chars {
            break;
        }
        used = next;
        listed += 1;
    }
    let more = format!("…and {} more", lines.len() - listed);
    let text = if listed == 0 {
        more
    } else {
        format!("{}\n{more}", lines[..listed].join("\n"))
    };
    truncate(&text, max_chars)
}

/// Cuts escaped Slack text like `truncate`, without leaving half an entity
/// (`&am…`) at the cut.
fn truncate_slack(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    if let Some(amp) = cut.rfind('&') {
        if !cut[amp..].contains(';') {
            cut.truncate(amp);
        }
    }
    cut.push('…');
    cut
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(n: usize, width: usize) -> Vec<String> {
        (0..n).map(|i| format!("{i:0width$}")).collect()
    }

    #[test]
    fn fit_lines_lists_what_fits_then_how_many_are_left_out() {
        assert_eq!(fit_lines(&lines(3, 4), 100), "0000\n0001\n0002");
        let fitted = fit_lines(&lines(50, 9), 100);
        assert!(fitted.chars().count() <= 100, "{fitted}");
        let listed = fitted.lines().filter(|l| !l.starts_with('…')).count();
        assert!(
            fitted.ends_with(&format!("…and {} more", 50 - listed)),
            "{fitted}"
        );
        // Not even the first line fits: only the count.
        assert_eq!(fit_lines(&lines(2, 500), 100), "…and 2 more");
        assert_eq!(fit_lines(&[], 100), "");
    }

    #[test]
    fn slack_cuts_never_split_an_entity() {
        let cut = truncate_slack(&escape_slack("ab<<<<"), 7);
        assert_eq!(cut, "ab&lt;…");
        let mid_entity = truncate_slack(&escape_slack("ab<<<<"), 6);
        assert_eq!(mid_entity, "ab…");
        assert_eq!(truncate_slack("short", 10), "short");
    }
}
