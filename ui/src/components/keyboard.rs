//! The keyboard beyond what the browser does by itself.
//!
//! A modal surface (a dialog, the notification flyout) holds the keyboard
//! while it is open ([`hold_keyboard`]): Escape closes it wherever the focus
//! is, Tab and Shift+Tab go round its own controls (and into it from the
//! control that opened it), and when it closes the focus goes back to that
//! control. And `/` anywhere but in a text field goes to the part search
//! ([`SearchKey`]).

use crate::routes;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

/// What Tab may stop on.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), \
                         select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/// The part search box on the Parts screen.
const PART_SEARCH: &str = "input[type=search][aria-label='Search parts']";

/// Holds the keyboard for the surface `scope` for as long as the calling
/// component lives: Escape runs `close`, Tab stays inside, and at the end
/// the focus returns to whatever had it when the surface opened.
pub fn hold_keyboard(scope: NodeRef<leptos::html::Div>, close: Callback<()>) {
    let opener = StoredValue::new_local(
        document()
            .active_element()
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()),
    );
    let keys = window_event_listener(ev::keydown, move |ev| {
        if ev.default_prevented() {
            return;
        }
        match ev.key().as_str() {
            "Escape" => {
                ev.prevent_default();
                close.run(());
            }
            "Tab" => {
                let Some(scope) = scope.get_untracked() else {
                    return;
                };
                if let Some(next) = wrapped_focus(&scope, ev.shift_key()) {
                    ev.prevent_default();
                    // A control that cannot take the focus leaves it where it was.
                    let _ = next.focus();
                }
            }
            _ => {}
        }
    });
    // Whatever moves the focus out (Shift+Tab past the first control, where
    // a keyboard does not report Shift with the Tab) brings it back in, at
    // the other end from where it left.
    let last_inside = StoredValue::new_local(None::<web_sys::Element>);
    let focus_moves = window_event_listener(ev::focusin, move |ev| {
        let Some(scope) = scope.get_untracked() else {
            return;
        };
        let Some(target) = ev
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if scope.contains(Some(&target)) {
            last_inside.set_value(Some(target));
            return;
        }
        // Never inside yet (the flyout, opened from the bell): nothing to keep.
        let Some(left_from) = last_inside.get_value() else {
            return;
        };
        if let Some((first, last)) = ends(&scope) {
            let first_element: &web_sys::Element = &first;
            let back = if *first_element == left_from {
                last
            } else {
                first
            };
            let _ = back.focus();
        }
    });
    on_cleanup(move || {
        keys.remove();
        focus_moves.remove();
        if let Some(Some(opener)) = opener.try_get_value() {
            if opener.is_connected() {
                let _ = opener.focus();
            }
        }
    });
}

/// The first and the last control Tab may stop on inside `scope`.
fn ends(scope: &web_sys::Element) -> Option<(web_sys::HtmlElement, web_sys::HtmlElement)> {
    let found = scope.query_selector_all(FOCUSABLE).ok()?;
    let controls: Vec<web_sys::HtmlElement> = (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|node| node.dyn_into().ok())
        .collect();
    Some((controls.first()?.clone(), controls.last()?.clone()))
}

/// Where Tab goes instead of where the browser would take it: from the last
/// control round to the first (Shift: the first to the last), and from
/// outside the surface into it. `None`: the browser's next stop is inside.
fn wrapped_focus(scope: &web_sys::Element, backwards: bool) -> Option<web_sys::HtmlElement> {
    let (first, last) = ends(scope)?;
    let active = document().active_element();
    let inside = active
        .as_ref()
        .is_some_and(|element| scope.contains(Some(element)));
    let (edge, other) = if backwards {
        (&first, &last)
    } else {
        (&last, &first)
    };
    let at_edge = active.as_ref().is_some_and(|element| {
        let edge: &web_sys::Element = edge;
        edge == element
    });
    if !inside {
        Some(if backwards { last } else { first })
    } else if at_edge {
        Some(other.clone())
    } else {
        None
    }
}

/// Whether the focus is somewhere typing goes (a field, not a button).
fn typing_somewhere() -> bool {
    document().active_element().is_some_and(|element| {
        matches!(
            element.tag_name().to_ascii_lowercase().as_str(),
            "input" | "textarea" | "select"
        ) || element
            .dyn_ref::<web_sys::HtmlElement>()
            .is_some_and(web_sys::HtmlElement::is_content_editable)
    })
}

/// Set when `/` was pressed away from the Parts screen: the screen focuses
/// its search box when it opens.
#[derive(Clone, Copy)]
pub struct SearchWanted(pub RwSignal<bool>);

/// `/` goes to the part search: the box on the Parts screen, focused (from
/// any other screen, the Parts screen opens first). Not while typing in a
/// field, and not while a dialog or the flyout holds the keyboard.
#[component]
pub fn SearchKey() -> impl IntoView {
    let wanted = SearchWanted(RwSignal::new(false));
    provide_context(wanted);
    let navigate = use_navigate();
    let keys = window_event_listener(ev::keydown, move |ev| {
        if ev.default_prevented()
            || ev.key() != "/"
            || ev.ctrl_key()
            || ev.alt_key()
            || ev.meta_key()
            || typing_somewhere()
            || document()
                .query_selector("[role=dialog]")
                .ok()
                .flatten()
                .is_some()
        {
            return;
        }
        ev.prevent_default();
        if !focus_part_search() {
            wanted.0.set(true);
            navigate(routes::PARTS, Default::default());
        }
    });
    on_cleanup(move || keys.remove());
}

/// Focuses the part search box if the screen shows one.
pub fn focus_part_search() -> bool {
    document()
        .query_selector(PART_SEARCH)
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|search| search.focus().is_ok())
}
