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
    #[prop(into)] on_add: Callback<()>,
) -> impl IntoView {
    let class = if primary { "button primary" } else { "button" };
    view! {
        <div class="card-head">
            <h2 id=id>{title}</h2>
            <button type="button" class=class on:click=move |_| on_add.run(())>{add}</button>
        </div>
    }
}
