//! Every path of the app, in one place: the router's table is declared in
//! `app.rs` with these same shapes, and every link and navigation builds its
//! path here, so a moved screen is one change.

use partwatch_types::inventory::{CategoryId, PartId};
use partwatch_types::notifications::NotificationTarget;

pub const HOME: &str = "/";
pub const PARTS: &str = "/parts";
pub const BUILDS: &str = "/builds";
pub const NOTIFICATIONS: &str = "/notifications";
pub const SETTINGS: &str = "/settings";

/// A part's page.
pub fn part(id: PartId) -> String {
    format!("/parts/{id}")
}

/// A category's page.
pub fn category(id: CategoryId) -> String {
    format!("/categories/{id}")
}

/// Where a notification (or a clicked popup) leads.
pub fn target(target: &NotificationTarget) -> String {
    match target {
        NotificationTarget::Part(id) => part(*id),
        NotificationTarget::BuildOrder(_) => BUILDS.to_owned(),
        NotificationTarget::None => NOTIFICATIONS.to_owned(),
    }
}

/// The id in a path parameter (`/parts/:id`), if it is one.
pub fn id_param<T: std::str::FromStr>(param: Option<&str>) -> Option<T> {
    param.and_then(|text| text.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use partwatch_types::inventory::BuildOrderId;

    #[test]
    fn paths_are_built_from_ids() {
        assert_eq!(part(PartId(7)), "/parts/7");
        assert_eq!(category(CategoryId(12)), "/categories/12");
    }

    #[test]
    fn a_notification_leads_to_its_part_or_the_builds_or_the_inbox() {
        assert_eq!(target(&NotificationTarget::Part(PartId(3))), "/parts/3");
        assert_eq!(
            target(&NotificationTarget::BuildOrder(BuildOrderId(9))),
            BUILDS
        );
        assert_eq!(target(&NotificationTarget::None), NOTIFICATIONS);
    }

    #[test]
    fn only_a_number_is_an_id() {
        assert_eq!(id_param::<PartId>(Some("42")), Some(PartId(42)));
        assert_eq!(id_param::<PartId>(Some("42x")), None);
        assert_eq!(id_param::<PartId>(Some("")), None);
        assert_eq!(id_param::<PartId>(None), None);
    }
}
