//! Toasts: failures of things the user started but is no longer looking at
//! (a bell pressed in the tree, a notification marked read from the flyout)
//! appear at the bottom of the window for a few seconds, politely announced.

use crate::components::icons::CloseIcon;
use leptos::prelude::*;
use partwatch_types::ApiError;
use std::time::Duration;

#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<(u32, String)>>,
    next: StoredValue<u32>,
}

impl Toasts {
    pub fn new() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        }
    }

    /// Shows `err`'s message for eight seconds.
    pub fn error(self, err: &ApiError) {
        self.show(err.message.clone(), Duration::from_secs(8));
    }

    /// Says `message` (something the window was asked and could not do)
    /// for fifteen seconds, or until dismissed.
    pub fn say(self, message: String) {
        self.show(message, Duration::from_secs(15));
    }

    fn show(self, message: String, lasting: Duration) {
        let id = self.next.get_value();
        self.next.set_value(id.wrapping_add(1));
        self.items.update(|items| items.push((id, message)));
        set_timeout(
            move || self.items.update(|items| items.retain(|(i, _)| *i != id)),
            lasting,
        );
    }

    fn dismiss(self, id: u32) {
        self.items.update(|items| items.retain(|(i, _)| *i != id));
    }
}

impl Default for Toasts {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.items.get() key=|(id, _)| *id let:toast>
                <div class="toast">
                    <span>{toast.1.clone()}</span>
                    <button type="button" class="icon-button small" aria-label="Dismiss"
                        on:click=move |_| toasts.dismiss(toast.0)><CloseIcon/></button>
                </div>
            </For>
        </div>
    }
}
