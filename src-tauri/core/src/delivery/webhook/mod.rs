//! Webhooks: Slack incoming webhooks, Discord webhooks and a generic JSON
//! POST. One post per event (not per user) to every enabled webhook that
//! takes the event's kind. The bodies escape user text for each format.
//!
//! The generic body is Partwatch's versioned event (`"schema":
//! "partwatch.event/v1"`), documented in ARCHITECTURE.md.
//!
//! This file holds the channel and the test post; the webhooks in the
//! database live in `store.rs`, the bodies in `body.rs`, and the HTTP post and
//! the reading of its answer in `post.rs`.

mod body;
mod post;
mod store;

pub use body::body;
pub use store::{create, delete, list, update};
pub(crate) use store::{enabled_in, Enabled};

use super::event::Event;
use super::{BoxFuture, Channel, DeliveryConfig, DeliveryError, Outgoing, WebhookTarget};
use crate::{CoreError, CoreResult, Database};
use partwatch_types::delivery::{ChannelKind, DeliveryId, TestSent, WebhookId};
use partwatch_types::notifications::NotificationKind;
use post::{client, post};
use store::get_in;

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

    /// Posts go to several services, each its own host: more at once than
    /// mails to one server.
    fn max_in_flight(&self) -> usize {
        16
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
        let mut conn = db.connection().await?;
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
        DeliveryId(0),
        &body(hook.kind, &event, DeliveryId(0), &instance),
    )
    .await
    .map_err(|e| CoreError::Delivery(e.message))?;
    Ok(TestSent {
        message: format!("{} accepted the test post.", hook.name),
    })
}
