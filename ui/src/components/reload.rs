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
/// where a page has no `Reload` of its own. While a dialog is open the bump
/// waits until the last one closes: reloading the page under it would
/// rebuild the dialog and lose what the person was typing.
#[derive(Debug, Clone, Copy)]
pub struct ChangedElsewhere {
    version: RwSignal<u32>,
    open_dialogs: StoredValue<u32>,
    waiting: StoredValue<bool>,
}

impl ChangedElsewhere {
    /// Listens for the shell's event for as long as the window lives.
    pub fn start() -> Self {
        let this = Self {
            version: RwSignal::new(0),
            open_dialogs: StoredValue::new(0),
            waiting: StoredValue::new(false),
        };
        api::listen_forever(CHANGED_ELSEWHERE, move |(): ()| {
            if this.open_dialogs.get_value() > 0 {
                this.waiting.set_value(true);
            } else {
                this.bump();
            }
        });
        this
    }

    fn bump(self) {
        self.version.update(|n| *n = n.wrapping_add(1));
    }

    /// A dialog opened: hold changes until it closes ([`Self::release`]).
    pub fn hold(self) {
        self.open_dialogs.update_value(|n| *n += 1);
    }

    /// A dialog closed: show what changed meanwhile, once none is open.
    pub fn release(self) {
        self.open_dialogs.update_value(|n| *n = n.saturating_sub(1));
        if self.open_dialogs.get_value() == 0 && self.waiting.get_value() {
            self.waiting.set_value(false);
            self.bump();
        }
    }

    /// The app's, if it provides one (always, but a component tested alone
    /// may not have it).
    pub fn from_context() -> Option<Self> {
        use_context::<Self>()
    }

    /// Makes the calling resource reload after a change elsewhere.
    pub fn track(self) {
        self.version.track();
    }
}

/// Tracks `elsewhere` if there is one (see [`ChangedElsewhere::from_context`]).
pub fn track_elsewhere(elsewhere: Option<ChangedElsewhere>) {
    if let Some(elsewhere) = elsewhere {
        elsewhere.track();
    }
}
