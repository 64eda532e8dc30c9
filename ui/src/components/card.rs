//! The head of a card: its heading (the name the card's `aria-labelledby`
//! points at) and the one button that adds to what the card lists.

use leptos::prelude::*;

/// `<h2 id=id>title</h2>` and the button `add` (a primary one when
/// `primary`) that runs `on_add`.
#[component]
pub fn CardHead(
    id: &'static str,
    title: &'static str,
    add: &'static str,
    #[prop(optional)] primary: bool,
    /// Whether the add button is there (always, unless told).
    #[prop(optional, into)]
    can_add: Option<Signal<bool>>,
    #[prop(into)] on_add: Callback<()>,
) -> impl IntoView {
    let class = if primary { "button primary" } else { "button" };
    let shown = move || can_add.is_none_or(|can| can.get());
    view! {
        <div class="card-head">
            <h2 id=id>{title}</h2>
            {move || shown().then(|| view! {
                <button type="button" class=class on:click=move |_| on_add.run(())>{add}</button>
            })}
        </div>
    }
}
