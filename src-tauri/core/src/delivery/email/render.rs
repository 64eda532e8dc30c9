//! The email templates: the subject, the plain-text and the HTML bodies of an
//! event (user text escaped in HTML), and the multipart message built from
//! them.

use super::super::event::{escape_html, BuildFigures, Details, Event, PartFigures};
use super::super::DeliveryError;
use super::settings::{parse_mailbox, ServerSettings};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::Message;
use partwatch_types::notifications::NotificationKind;

/// The rendered email for one event and one reader.
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// One event of a digest, with why its reader is told.
pub struct DigestItem<'a> {
    pub event: &'a Event,
    pub reason: &'a str,
}

const BODY_OPEN: &str = "<!DOCTYPE html><html><body style=\"font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2937;line-height:1.5\">";

/// Renders an event as an email: the subject "[INSTANCE] title", a plain-text
/// part and an HTML part in which every user-supplied text is escaped.
pub fn render(event: &Event, instance: &str, reason: Option<&str>) -> Rendered {
    let subject = format!("[{instance}] {}", event.title);
    let mut text = String::new();
    let mut html = BODY_OPEN.to_owned();
    push_event(event, "h2", "18px", &mut text, &mut html);
    let footer = match reason {
        Some(reason) if !reason.is_empty() => format!("You receive this because {reason}."),
        _ => String::new(),
    };
    push_footer(&footer, instance, &mut text, &mut html);
    Rendered {
        subject,
        text,
        html,
    }
}

/// Renders a person's digest: every event in `items` (oldest first), grouped
/// by kind in the order of `NotificationKind::ALL`, each with its figures
/// of the moment it happened and its link, under the subject "[INSTANCE]
/// Digest: 20 low stock, 1 build shortage".
pub fn render_digest(items: &[DigestItem<'_>], instance: &str) -> Rendered {
    let mut groups: Vec<(NotificationKind, Vec<&DigestItem<'_>>)> = Vec::new();
    for kind in NotificationKind::ALL {
        let of_kind: Vec<&DigestItem<'_>> = items
            .iter()
            .filter(|item| item.event.kind == kind)
            .collect();
        if !of_kind.is_empty() {
            groups.push((kind, of_kind));
        }
    }
    let counts: Vec<String> = groups
        .iter()
        .map(|(kind, of_kind)| format!("{} {}", of_kind.len(), kind.label().to_lowercase()))
        .collect();
    let subject = format!("[{instance}] Digest: {}", counts.join(", "));
    let mut text = format!(
        "{} since the last digest: {}.\n",
        if items.len() == 1 {
            "1 notification".to_owned()
        } else {
            format!("{} notifications", items.len())
        },
        counts.join(", ")
    );
    let mut html = BODY_OPEN.to_owned();
    html.push_str(&format!(
        "<p style=\"margin:0 0 16px\">{}</p>",
        escape_html(text.trim_end())
    ));
    for (kind, of_kind) in &groups {
        let heading = format!("{} ({})", kind.label(), of_kind.len());
        text.push_str(&format!("\n== {heading} ==\n"));
        html.push_str(&format!(
            "<h2 style=\"margin:24px 0 8px;font-size:18px;border-bottom:2px solid #e5e7eb\">{}</h2>",
            escape_html(&heading)
        ));
        for item in of_kind {
            text.push('\n');
            push_event(item.event, "h3", "15px", &mut text, &mut html);
            if !item.reason.is_empty() {
                text.push_str(&format!("(because {})\n", item.reason));
                html.push_str(&format!(
                    "<p style=\"margin:0 0 16px;color:#6b7280;font-size:12px\">Because {}.</p>",
                    escape_html(item.reason)
                ));
            }
        }
    }
    push_footer(
        "You receive this digest instead of a mail per notification (Settings › Email digest).",
        instance,
        &mut text,
        &mut html,
    );
    Rendered {
        subject,
        text,
        html,
    }
}

fn push_footer(footer: &str, instance: &str, text: &mut String, html: &mut String) {
    text.push_str(&format!("\n{footer}\n— Partwatch ({instance})\n"));
    html.push_str(&format!(
        "<p style=\"margin:24px 0 0;color:#6b7280;font-size:12px\">{} — Partwatch ({})</p></body></html>",
        escape_html(footer),
        escape_html(instance)
    ));
}

/// Appends one event — its title (as `heading`), body, figures and link — to
/// both parts.
fn push_event(event: &Event, heading: &str, size: &str, text: &mut String, html: &mut String) {
    text.push_str(&format!("{}\n\n{}\n", event.title, event.body));
    html.push_str(&format!(
        "<{heading} style=\"margin:0 0 8px;font-size:{size}\">{}</{heading}>",
        escape_html(&event.title)
    ));
    html.push_str(&format!(
        "<p style=\"margin:0 0 16px\">{}</p>",
        escape_html(&event.body).replace('\n', "<br>")
    ));
    let cell = "padding:4px 12px 4px 0;border-bottom:1px solid #e5e7eb;text-align:left";
    match &event.details {
        Details::Stock { part } => {
            let PartFigures {
                name,
                ipn,
                in_stock,
                minimum,
                units,
                ..
            } = part;
            let units = if units.is_empty() {
                String::new()
            } else {
                format!(" {units}")
            };
            text.push_str(&format!("\nPart:      {name}\n"));
            if let Some(ipn) = ipn {
                text.push_str(&format!("IPN:       {ipn}\n"));
            }
            text.push_str(&format!(
                "In stock:  {in_stock}{units}\nMinimum:   {minimum}{units}\n"
            ));
            html.push_str("<table style=\"border-collapse:collapse;margin:0 0 16px\">");
            let mut row = |label: &str, value: &str| {
                html.push_str(&format!(
                    "<tr><th style=\"{cell}\">{label}</th><td style=\"{cell}\">{}</td></tr>",
                    escape_html(value)
                ));
            };
            row("Part", name);
            if let Some(ipn) = ipn {
                row("IPN", ipn);
            }
            row("In stock", &format!("{in_stock}{units}"));
            row("Minimum", &format!("{minimum}{units}"));
            html.push_str("</table>");
        }
        Details::BuildShortage { build } => {
            let BuildFigures {
                reference,
                assembly,
                quantity,
                lines,
                ..
            } = build;
            text.push_str(&format!(
                "\nBuild order: {reference} — {quantity} × {}\n\n",
                assembly.name
            ));
            text.push_str(&format!(
                "{:<32} {:>12} {:>12}\n",
                "Part", "Required", "Available"
            ));
            for line in lines {
                text.push_str(&format!(
                    "{:<32} {:>12} {:>12}\n",
                    line.part.name,
                    line.required.to_string(),
                    line.available.to_string()
                ));
            }
            html.push_str(&format!(
                "<p style=\"margin:0 0 8px\">Build order <strong>{}</strong>: {} × {}</p>",
                escape_html(reference),
                escape_html(&quantity.to_string()),
                escape_html(&assembly.name)
            ));
            html.push_str(&format!(
                "<table style=\"border-collapse:collapse;margin:0 0 16px\"><tr><th style=\"{cell}\">Part</th><th style=\"{cell}\">Required</th><th style=\"{cell}\">Available</th></tr>"
            ));
            for line in lines {
                html.push_str(&format!(
                    "<tr><td style=\"{cell}\">{}</td><td style=\"{cell}\">{}</td><td style=\"{cell}\">{}</td></tr>",
                    escape_html(&line.part.name),
                    escape_html(&line.required.to_string()),
                    escape_html(&line.available.to_string())
                ));
            }
            html.push_str("</table>");
        }
        Details::Plain => {}
    }
    if let Some(link) = event.app_link() {
        text.push_str(&format!("\nOpen in Partwatch: {link}\n"));
        html.push_str(&format!(
            "<p style=\"margin:0 0 16px\"><a href=\"{0}\" style=\"color:#2563eb\">Open in Partwatch</a></p>",
            escape_html(&link)
        ));
    }
}

/// Builds the message from the saved sender to `to` (a mailbox built from
/// its parts, so any display name is quoted or encoded by lettre).
pub(super) fn message(
    settings: &ServerSettings,
    to: Mailbox,
    rendered: Rendered,
) -> Result<Message, DeliveryError> {
    let from = parse_mailbox(&settings.from_address).map_err(|_| {
        DeliveryError::permanent(format!(
            "The sender address \"{}\" is not valid.",
            settings.from_address
        ))
    })?;
    Message::builder()
        .from(from)
        .to(to)
        .subject(rendered.subject)
        .user_agent(format!("Partwatch {}", env!("CARGO_PKG_VERSION")))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(rendered.text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(rendered.html),
                ),
        )
        .map_err(|e| DeliveryError::permanent(format!("The message could not be built: {e}")))
}
