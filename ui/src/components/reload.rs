//! "Show it again": a page's resources track one `Reload`, and whatever
//! changes what they show bumps it, so they all reload together (instead of a
//! counter per page).

use leptos::prelude::*;

/// A version that resources read and changes bump.
#[derive(Debug, Clone, Copy)]
pub struct Reload(RwSignal<u32>);

impl Reload {
    pub fn new() -> Self {
        Self(RwSignal::new(0))
    }

    /// Makes the calling resource (or effect) reload on the next bump.
    pub fn track(self) {
        self.0.track();
    }

    /// Everything tracking this reloads.
    pub fn bump(self) {
        self.0.update(|n| *n = n.wrapping_add(1));
    }
}

impl Default for Reload {
    fn default() -> Self {
        Self::new()
    }
}
