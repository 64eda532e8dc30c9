//! "Show it again": a page's resources track one `Reload`, and whatever
//! changes what they show bumps it, so they all reload together (instead of a
//! counter per page). On a team database, a change another desktop made
//! (`ChangedElsewhere`) reloads every `Reload` too.

use crate::api;
use leptos::prelude::*;
use partwatch_types::events::CHANGED_ELSEWHERE;

/// A version that resources read and changes bump.
#[derive(Debug, Clone, Copy)]
pub struct Reload {
    own: RwSignal<u32>,
    elsewhere: Option<ChangedElsewhere>,
}

impl Reload {
    pub fn new() -> Self {
        Self {
            own: RwSignal::new(0),
            elsewhere: use_context::<ChangedElsewhere>(),
        }
    }

    /// Makes the calling resource (or effect) reload on the next bump, and
    /// when another desktop of the team changed something.
    pub fn track(self) {
        self.own.track();
        if let Some(elsewhere) = self.elsewhere {
            elsewhere.track();
        }
    }

    /// Everything tracking this reloads.
    pub fn bump(self) {
        self.own.update(|n| *n = n.wrapping_add(1));
    }
}

impl Default for Reload {
    fn default() -> Self {
        Self::new()
    }
}

/// Bumped each time the shell says another desktop of the team changed
/// something (`CHANGED_ELSEWHERE`, pushed, at most a few times a second).
/// Provided once by the app; pages track it through `Reload`, or directly
/// where a page has no `Reload` of its own.
#[derive(Debug, Clone, Copy)]
pub struct ChangedElsewhere(RwSignal<u32>);

impl ChangedElsewhere {
    /// Listens for the shell's event for as long as the window lives.
    pub fn start() -> Self {
        let version = RwSignal::new(0u32);
        api::listen_forever(CHANGED_ELSEWHERE, move |(): ()| {
            version.update(|n| *n = n.wrapping_add(1));
        });
        Self(version)
    }

    /// The app's, if it provides one (always, but a component tested alone
    /// may not have it).
    pub fn from_context() -> Option<Self> {
        use_context::<Self>()
    }

    /// Makes the calling resource reload after a change elsewhere.
    pub fn track(self) {
        self.0.track();
    }
}

/// Tracks `elsewhere` if there is one (see [`ChangedElsewhere::from_context`]).
pub fn track_elsewhere(elsewhere: Option<ChangedElsewhere>) {
    if let Some(elsewhere) = elsewhere {
        elsewhere.track();
    }
}
