//! The combobox both pickers are made of (ARIA 1.2, list autocomplete): a
//! labelled text field with `role="combobox"` and, under it, a listbox of
//! options the picker computes from what was typed. The arrows move through
//! the options (the active one stays in sight and is the field's
//! `aria-activedescendant`), Enter picks the active option, Escape closes the
//! list (not the dialog around it); the mouse works too, without taking the
//! focus from the field. What the options are, what picking one does and
//! what leaving the field means is the picker's business.

use crate::components::form::FormError;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

/// Which option is active while the list is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Typing makes the first option active, so Enter picks it; the arrows
    /// stop at either end of the list.
    Automatic,
    /// No option is active until an arrow key makes one so; the arrows wrap
    /// round the list.
    Manual,
}

impl Selection {
    /// The active option when the list has just been filtered by typing.
    fn first(self) -> Option<usize> {
        match self {
            Selection::Automatic => Some(0),
            Selection::Manual => None,
        }
    }

    /// The option an arrow key moves to among `len` options.
    fn step(self, active: Option<usize>, len: usize, down: bool) -> Option<usize> {
        match self {
            Selection::Automatic => Some(match (active, down) {
                (None, _) => 0,
                (Some(i), true) => (i + 1).min(len.saturating_sub(1)),
                (Some(i), false) => i.saturating_sub(1),
            }),
            Selection::Manual if len == 0 => None,
            Selection::Manual => Some(match (active, down) {
                (None, true) => 0,
                (None, false) => len - 1,
                (Some(i), true) => (i + 1) % len,
                (Some(i), false) => (i + len - 1) % len,
            }),
        }
    }
}

/// The option Enter picks among `len`: the active one, else the only one.
fn target(active: Option<usize>, len: usize) -> Option<usize> {
    active.or((len == 1).then_some(0)).filter(|&i| i < len)
}

/// Whether a combobox's list is open and which option is active: what the
/// keys and the mouse work on, and what the picker around it opens, moves
/// and closes.
#[derive(Debug, Clone, Copy)]
pub struct Combo {
    pub open: RwSignal<bool>,
    pub active: RwSignal<Option<usize>>,
    selection: Selection,
}

impl Combo {
    /// A closed list, no option active.
    pub fn new(selection: Selection) -> Self {
        Self {
            open: RwSignal::new(false),
            active: RwSignal::new(None),
            selection,
        }
    }

    /// Opens the list with option `active` active.
    pub fn open_at(self, active: Option<usize>) {
        self.active.set(active);
        self.open.set(true);
    }

    /// Closes the list.
    pub fn close(self) {
        self.open.set(false);
        self.active.set(None);
    }
}

/// A labelled combobox with the field's element id `id` (its list's is
/// `{id}-list`, its options' `{id}-option-{i}`); the list's accessible name
/// is `label` too. `text` is what the field shows. `options` are listed,
/// each shown by `option_view` in an `<li class="combo-option …">` with the
/// classes `option_class` adds.
///
/// Typing sets `text`, opens the list and runs `on_input`; a click or an
/// arrow key on a closed list runs `on_open` (else just opens it); picking
/// runs `on_pick`; Enter that picks nothing runs `on_enter`, which says
/// whether it dealt with the key (else the form gets it); leaving the field
/// runs `on_blur`, then closes the list. `list_hidden` hides the list even
/// when open (while its options load); `under_field` is shown between the
/// field and the list, `children` under the list.
#[component]
pub fn Combobox<T, F, V>(
    id: String,
    label: &'static str,
    text: RwSignal<String>,
    combo: Combo,
    options: Signal<Vec<T>>,
    option_view: F,
    option_class: fn(&T) -> &'static str,
    #[prop(into)] on_pick: Callback<T>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(into)] on_blur: Callback<()>,
    #[prop(optional, into)] on_open: Option<Callback<()>>,
    #[prop(optional, into)] on_enter: Option<Callback<(), bool>>,
    #[prop(into)] placeholder: Signal<&'static str>,
    #[prop(optional)] autofocus: bool,
    /// Sets `spellcheck="false"` on the field.
    #[prop(optional)]
    no_spellcheck: bool,
    #[prop(optional_no_strip)] described_by: Option<String>,
    #[prop(optional, into)] invalid: MaybeProp<bool>,
    #[prop(optional, into)] list_hidden: MaybeProp<bool>,
    #[prop(optional, into)] under_field: ViewFn,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(&T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let Combo {
        open,
        active,
        selection,
    } = combo;
    // An error about this field (`ApiError::field` naming its label) is
    // shown under it, as a `TextField` shows its own.
    let form = FormError::around();
    if let Some(form) = form {
        form.claim(label);
    }
    let message = move || form.and_then(|form| form.message_for(label));
    // A choice made answers the error about the field.
    let on_pick = Callback::new(move |option: T| {
        if let Some(form) = form {
            form.edited(label);
        }
        on_pick.run(option);
    });
    let list_id = format!("{id}-list");
    let option_id = {
        let id = id.clone();
        move |i: usize| format!("{id}-option-{i}")
    };
    let open_list = move || match on_open {
        Some(on_open) => on_open.run(()),
        None => open.set(true),
    };
    let on_key = move |ev: KeyboardEvent| {
        let len = options.with_untracked(Vec::len);
        match ev.key().as_str() {
            key @ ("ArrowDown" | "ArrowUp") => {
                ev.prevent_default();
                if open.get_untracked() {
                    active.update(|a| *a = selection.step(*a, len, key == "ArrowDown"));
                } else {
                    open_list();
                }
            }
            "Enter" => {
                let picked = open
                    .get_untracked()
                    .then(|| target(active.get_untracked(), len))
                    .flatten()
                    .and_then(|i| options.with_untracked(|o| o.get(i).cloned()));
                if let Some(option) = picked {
                    // Picking is not submitting the form.
                    ev.prevent_default();
                    on_pick.run(option);
                } else if on_enter.is_some_and(|on_enter| on_enter.run(())) {
                    ev.prevent_default();
                }
            }
            "Escape" if open.get_untracked() => {
                // Closes the list only, not the dialog around it.
                ev.prevent_default();
                ev.stop_propagation();
                combo.close();
            }
            _ => {}
        }
    };
    // The active option stays in sight as the arrows move.
    let scroll_to = option_id.clone();
    Effect::new(move |_| {
        if let (true, Some(at)) = (open.get(), active.get()) {
            scroll_into_view(&scroll_to(at));
        }
    });

    let active_id = option_id.clone();
    let options_view = move || {
        options
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, option)| {
                let class = match option_class(&option) {
                    "" => "combo-option".to_owned(),
                    more => format!("combo-option {more}"),
                };
                let shown = option_view(&option);
                view! {
                    <li
                        id=option_id(i)
                        role="option"
                        class=class
                        class:active=move || active.get() == Some(i)
                        aria-selected=move || if active.get() == Some(i) { "true" } else { "false" }
                        // Keeps the focus in the field, so choosing is no blur.
                        on:mousedown=|ev| ev.prevent_default()
                        on:mousemove=move |_| active.set(Some(i))
                        on:click=move |_| on_pick.run(option.clone())
                    >
                        {shown}
                    </li>
                }
            })
            .collect_view()
    };
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || {
            let ids: Vec<&str> = [
                message().is_some().then_some(error_id.as_str()),
                described_by.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field combo" class:invalid=move || message().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                role="combobox"
                autocomplete="off"
                spellcheck=no_spellcheck.then_some("false")
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-activedescendant=move || {
                    let len = options.with(Vec::len);
                    active.get().filter(|&i| open.get() && i < len).map(&active_id)
                }
                aria-describedby=described_by
                aria-invalid=move || {
                    if message().is_some() {
                        Some("true")
                    } else {
                        invalid.get().map(|bad| if bad { "true" } else { "false" })
                    }
                }
                placeholder=move || placeholder.get()
                autofocus=autofocus
                prop:value=move || text.get()
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    text.set(typed.clone());
                    if let Some(form) = form {
                        form.edited(label);
                    }
                    combo.open_at(selection.first());
                    on_input.run(typed);
                }
                on:click=move |_| if !open.get_untracked() { open_list() }
                on:keydown=on_key
                on:blur=move |_| {
                    on_blur.run(());
                    combo.close();
                }
            />
            {move || message().map(|message| view! { <span class="field-error" role="alert" id=error_id.clone()>{message}</span> })}
            {under_field.run()}
            <ul
                id=list_id
                class="combo-list"
                role="listbox"
                aria-label=label
                hidden=move || !open.get() || list_hidden.get().unwrap_or(false)
            >
                {options_view}
            </ul>
            {children.map(|children| children())}
        </div>
    }
}

fn scroll_into_view(element_id: &str) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(element) = document().get_element_by_id(element_id) else {
        return;
    };
    let options = js_sys::Object::new();
    // Nothing to do if the browser lacks it: the list still works.
    let _ = js_sys::Reflect::set(&options, &"block".into(), &"nearest".into());
    if let Ok(scroll) = js_sys::Reflect::get(&element, &"scrollIntoView".into()) {
        if let Some(scroll) = scroll.dyn_ref::<js_sys::Function>() {
            let _ = scroll.call1(&JsValue::from(element), &options);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_arrows_wrap_round_the_options() {
        let step = |active, len, down| Selection::Manual.step(active, len, down);
        assert_eq!(step(None, 0, true), None);
        assert_eq!(step(None, 3, true), Some(0));
        assert_eq!(step(None, 3, false), Some(2));
        assert_eq!(step(Some(2), 3, true), Some(0));
        assert_eq!(step(Some(0), 3, false), Some(2));
        assert_eq!(step(Some(1), 3, true), Some(2));
    }

    #[test]
    fn automatic_arrows_stop_at_either_end() {
        let step = |active, len, down| Selection::Automatic.step(active, len, down);
        assert_eq!(step(Some(0), 0, true), Some(0));
        assert_eq!(step(Some(1), 3, true), Some(2));
        assert_eq!(step(Some(2), 3, true), Some(2));
        assert_eq!(step(Some(0), 3, false), Some(0));
        assert_eq!(step(None, 3, false), Some(0));
        assert_eq!(Selection::Automatic.first(), Some(0));
        assert_eq!(Selection::Manual.first(), None);
    }

    #[test]
    fn enter_picks_the_active_option_or_the_only_one() {
        assert_eq!(target(Some(1), 3), Some(1));
        assert_eq!(target(None, 1), Some(0));
        assert_eq!(target(None, 2), None);
        assert_eq!(target(Some(0), 0), None);
        assert_eq!(target(Some(4), 3), None);
    }
}
