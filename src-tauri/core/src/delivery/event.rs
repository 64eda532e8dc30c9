//! What happened, as every channel renders it: one delivery event per trigger
//! firing, with the figures of that moment, and the escaping each target
//! format needs for text that came from a user.

use crate::sql::{self, Conn};
use crate::{CoreError, CoreResult};
use partwatch_types::inventory::{BuildOrderId, PartId, PartRef, ShortLine};
use partwatch_types::notifications::{LinkRequest, NotificationKind, NotificationTarget};
use partwatch_types::Quantity;
use serde::{Deserialize, Serialize};

pub type EventId = i64;

/// A part's figures when the event fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartFigures {
    pub id: PartId,
    pub name: String,
    pub ipn: Option<String>,
    pub in_stock: Quantity,
    pub minimum: Quantity,
    pub units: String,
}

/// A build order and its short lines when it was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildFigures {
    pub id: BuildOrderId,
    pub reference: String,
    pub assembly: PartRef,
    pub quantity: Quantity,
    pub lines: Vec<ShortLine>,
}

/// The structured part of an event (stored as JSON in `delivery_events.details`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Details {
    /// Low stock or back in stock.
    Stock {
        part: PartFigures,
    },
    BuildShortage {
        build: BuildFigures,
    },
    /// A test message, or an event carried over from before events had details.
    #[default]
    #[serde(other)]
    Plain,
}

/// One delivery event as the channels see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: EventId,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    pub part_id: Option<PartId>,
    pub build_order_id: Option<BuildOrderId>,
    pub details: Details,
    pub created_at: String,
}

impl Event {
    /// Where opening it leads.
    pub fn target(&self) -> NotificationTarget {
        match (self.build_order_id, self.part_id) {
            (Some(build), _) => NotificationTarget::BuildOrder(build),
            (None, Some(part)) => NotificationTarget::Part(part),
            (None, None) => NotificationTarget::None,
        }
    }

    /// A link that opens the event's part or build order in the app.
    pub fn app_link(&self) -> Option<String> {
        target_link(&self.target())
    }

    /// A made-up event for "Send test" buttons.
    pub fn test(instance: &str) -> Self {
        Self {
            id: 0,
            kind: NotificationKind::Test,
            title: "Test notification".to_owned(),
            body: format!(
                "This is a test from Partwatch ({instance}). If you can read it, notifications reach you here."
            ),
            part_id: None,
            build_order_id: None,
            details: Details::Plain,
            created_at: crate::clock::now(),
        }
    }
}

/// `partwatch://parts/12`, `partwatch://builds/3`: the links the desktop hands
/// back to the app (see the shell's command line).
pub fn target_link(target: &NotificationTarget) -> Option<String> {
    match target {
        NotificationTarget::Part(id) => Some(format!("partwatch://parts/{id}")),
        NotificationTarget::BuildOrder(id) => Some(format!("partwatch://builds/{id}")),
        NotificationTarget::None => None,
    }
}

/// Reads `partwatch://parts/12` or `partwatch://builds/3` back into a target.
pub fn parse_link(link: &str) -> Option<NotificationTarget> {
    let rest = link.strip_prefix("partwatch://")?.trim_end_matches('/');
    let (what, id) = rest.split_once('/')?;
    let id: i64 = id.parse().ok().filter(|id| *id > 0)?;
    match what {
        "parts" => Some(NotificationTarget::Part(PartId(id))),
        "builds" => Some(NotificationTarget::BuildOrder(BuildOrderId(id))),
        _ => None,
    }
}

/// What a command-line argument asks for, when it is a `partwatch:` link
/// (the scheme in any case, as URLs allow): the target it names, or
/// `Unreadable` with the link (its first 200 characters) for the window to
/// say so. `None` for any other argument.
pub fn link_request(arg: &str) -> Option<LinkRequest> {
    const SCHEME: &str = "partwatch:";
    let scheme = arg.get(..SCHEME.len())?;
    if !scheme.eq_ignore_ascii_case(SCHEME) {
        return None;
    }
    let normal = format!("{SCHEME}{}", &arg[SCHEME.len()..]);
    Some(match parse_link(&normal) {
        Some(target) => LinkRequest::Open { target },
        None => LinkRequest::Unreadable {
            link: arg.chars().take(200).collect(),
        },
    })
}

/// Stores a new event in the caller's transaction.
pub(crate) async fn insert(
    conn: &mut Conn,
    kind: NotificationKind,
    title: &str,
    body: &str,
    part: Option<PartId>,
    build: Option<BuildOrderId>,
    details: &Details,
) -> CoreResult<EventId> {
    let details = serde_json::to_string(details).unwrap_or_else(|_| "{}".to_owned());
    Ok(sql::query_scalar(
        "INSERT INTO delivery_events (kind, title, body, part_id, build_order_id, details)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(kind)
    .bind(title)
    .bind(body)
    .bind(part)
    .bind(build)
    .bind(details)
    .fetch_one(&mut *conn)
    .await?)
}

pub(crate) async fn load(conn: &mut Conn, id: EventId) -> CoreResult<Option<Event>> {
    #[allow(clippy::type_complexity)]
    let row: Option<(
        NotificationKind,
        String,
        String,
        Option<PartId>,
        Option<BuildOrderId>,
        String,
        String,
    )> = sql::query_as(
        "SELECT kind, title, body, part_id, build_order_id, details, created_at
               FROM delivery_events WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((kind, title, body, part_id, build_order_id, details, created_at)) = row else {
        return Ok(None);
    };
    let details = serde_json::from_str(&details).map_err(|err| {
        CoreError::Corrupt(format!("delivery_events.details of event {id}: {err}"))
    })?;
    Ok(Some(Event {
        id,
        kind,
        title,
        body,
        part_id,
        build_order_id,
        details,
        created_at,
    }))
}

/// `text` with each character that `entity` names replaced by it.
fn replace_entities(text: &str, entity: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match entity(c) {
            Some(entity) => out.push_str(entity),
            None => out.push(c),
        }
    }
    out
}

/// The entities of `&`, `<` and `>`.
fn markup_entity(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        _ => None,
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    replace_entities(text, |c| match c {
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        c => markup_entity(c),
    })
}

/// Escapes `&`, `<` and `>` — all that text content needs in markup that
/// reads entities: Slack mrkdwn (its links and mentions such as `<!channel>`)
/// and the body of an OS popup on a server with `body-markup`. Quotes are
/// left alone (they need no escaping outside attributes, and servers that
/// strip markup decode only a few entities).
pub fn escape_markup_text(text: &str) -> String {
    replace_entities(text, markup_entity)
}

/// Escapes text for Slack mrkdwn (see [`escape_markup_text`]).
pub fn escape_slack(text: &str) -> String {
    escape_markup_text(text)
}

/// Escapes text for Discord markdown: every formatting character gets a
/// backslash (mentions are switched off separately with `allowed_mentions`).
pub fn escape_discord(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '#' | '[' | ']' | '(' | ')' | '@'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_for_each_format() {
        let name = r#"<b>&"x"</b>"#;
        assert_eq!(escape_html(name), "&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;");
        assert_eq!(escape_slack(name), "&lt;b&gt;&amp;\"x\"&lt;/b&gt;");
        assert_eq!(escape_slack("<!channel>"), "&lt;!channel&gt;");
        assert_eq!(escape_discord("**x** @everyone"), r"\*\*x\*\* \@everyone");
    }

    #[test]
    fn links_round_trip() {
        for target in [
            NotificationTarget::Part(PartId(12)),
            NotificationTarget::BuildOrder(BuildOrderId(3)),
        ] {
            let link = target_link(&target).expect("a link");
            assert_eq!(parse_link(&link), Some(target));
        }
        assert_eq!(parse_link("partwatch://parts/x"), None);
        assert_eq!(parse_link("partwatch://parts/0"), None);
        assert_eq!(parse_link("https://parts/1"), None);
        assert_eq!(parse_link("partwatch://other/1"), None);
    }

    #[test]
    fn only_partwatch_links_are_requests_and_unreadable_ones_are_kept_to_say_so() {
        assert_eq!(
            link_request("PartWatch://parts/12"),
            Some(LinkRequest::Open {
                target: NotificationTarget::Part(PartId(12))
            })
        );
        assert_eq!(
            link_request("partwatch://builds/3/"),
            Some(LinkRequest::Open {
                target: NotificationTarget::BuildOrder(BuildOrderId(3))
            })
        );
        for unreadable in ["partwatch://parts/x", "partwatch://stock/1", "partwatch:"] {
            assert_eq!(
                link_request(unreadable),
                Some(LinkRequest::Unreadable {
                    link: unreadable.to_owned()
                })
            );
        }
        let long = format!("partwatch://{}", "é".repeat(500));
        match link_request(&long) {
            Some(LinkRequest::Unreadable { link }) => assert_eq!(link.chars().count(), 200),
            other => panic!("{other:?}"),
        }
        for other in ["--demo", "https://parts/1", "part", "é"] {
            assert_eq!(link_request(other), None, "{other}");
        }
    }

    #[test]
    fn details_round_trip_and_tolerate_old_rows() {
        let details = Details::Stock {
            part: PartFigures {
                id: PartId(1),
                name: "R".into(),
                ipn: None,
                in_stock: Quantity::from_milli(1000),
                minimum: Quantity::from_milli(5000),
                units: "pcs".into(),
            },
        };
        let text = serde_json::to_string(&details).expect("json");
        assert_eq!(serde_json::from_str::<Details>(&text).ok(), Some(details));
        assert_eq!(serde_json::from_str::<Details>("{}").ok(), None);
        assert_eq!(
            serde_json::from_str::<Details>("{}").unwrap_or_default(),
            Details::Plain
        );
    }
}
