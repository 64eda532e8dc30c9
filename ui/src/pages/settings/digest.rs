//! Settings › Email digest: a person's mail one by one, or gathered into one
//! an hour or a day.

use super::preferences::follow_answer;
use super::{Edits, SaveRow};
use crate::api;
use crate::components::dialog::TextField;
use crate::components::form;
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::notifications::{Digest, EmailDigest, Preferences};

/// Email digest: each mail at once, or gathered into one an hour or a day
/// (at a time of this desktop's zone, kept with it).
#[component]
pub(super) fn DigestForm(
    answer: RwSignal<Option<Preferences>>,
    refetch: Callback<()>,
) -> impl IntoView {
    let every = RwSignal::new(EmailDigest::Immediately);
    let at = RwSignal::new("08:00".to_owned());
    let zone = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let error = form::error();
    let edits = Edits::new(move || (every.get(), at.get()), saved);
    edits.ask_before_leaving("notifications", "Your email digest", move || {
        refetch.run(())
    });
    let show = move |p: &Preferences| {
        every.set(p.digest.every);
        if !p.digest.at.is_empty() {
            at.set(p.digest.at.clone());
        }
        zone.set(p.digest.time_zone.clone());
    };
    let save = api::action::<commands::UpdateMyDigest>();
    follow_answer(answer, save, error, saved, edits, show);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        save.dispatch(Digest {
            every: every.get(),
            at: at.get(),
            time_zone: String::new(),
        });
    };
    let choose = move |ev| {
        if let Some(choice) = EmailDigest::parse(&event_target_value(&ev)) {
            every.set(choice);
        }
    };
    view! {
        <section class="card" aria-labelledby="digest-title">
            <h2 id="digest-title">"Email digest"</h2>
            <p class="muted intro">"Your emails one by one as they happen, or gathered into one mail an hour or a day, grouped by kind. Out of stock is critical: it is always mailed at once."</p>
            <form on:submit=submit class="settings-form">
                <div class="field">
                    <label for="digest-every">"Send my emails"</label>
                    <select id="digest-every" on:change=choose prop:value=move || every.get().as_str()>
                        {EmailDigest::ALL.into_iter().map(|choice| view! { <option value=choice.as_str()>{choice.label()}</option> }).collect_view()}
                    </select>
                </div>
                <fieldset class="unboxed" disabled=move || every.get() != EmailDigest::Daily>
                    <TextField label="Daily digest at" value=at input_type="time" called="Digest time"/>
                </fieldset>
                {move || {
                    let zone = zone.get();
                    (every.get() != EmailDigest::Immediately && !zone.is_empty())
                        .then(|| view! { <p class="hint small">{format!("Kept in the time zone {zone}.")}</p> })
                }}
                <SaveRow label="Save my email digest" busy=save.pending().into() saved error/>
            </form>
        </section>
    }
}
