//! The app's one icon set: inline SVG strokes on a 24-unit grid, drawn in
//! `currentColor` so they follow the theme. Decorative: the control that
//! holds an icon carries the accessible name.

use leptos::prelude::*;

#[component]
pub fn BellIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 10a6 6 0 0 1 12 0v4l1.5 2.5h-15L6 14z"/>
            <path d="M10 19a2 2 0 0 0 4 0"/>
        </svg>
    }
}

#[component]
pub fn DatabaseIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <ellipse cx="12" cy="6" rx="7" ry="3"/>
            <path d="M5 6v12c0 1.7 3.1 3 7 3s7-1.3 7-3V6"/>
            <path d="M5 12c0 1.7 3.1 3 7 3s7-1.3 7-3"/>
        </svg>
    }
}

/// A tick: "done", "mark as read".
#[component]
pub fn CheckIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M5 12.5l4.5 4.5L19 7.5"/>
        </svg>
    }
}

/// A cross: close, dismiss.
#[component]
pub fn CloseIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 6l12 12M18 6L6 18"/>
        </svg>
    }
}

/// A chevron pointing right (a collapsed branch), or down when `open`.
#[component]
pub fn ChevronIcon(#[prop(into)] open: Signal<bool>) -> impl IntoView {
    view! {
        <svg class="icon chevron" class:open=move || open.get() viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M9 6l6 6-6 6"/>
        </svg>
    }
}

#[component]
pub fn LogoMark() -> impl IntoView {
    view! { <img class="logo" src="/icon.png" alt="" width="28" height="28"/> }
}
