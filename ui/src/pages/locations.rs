//! Where stock is kept: every location as a tree (`/locations`), and one
//! location (`/locations/:id`) with its breadcrumb, its sub-locations and the
//! stock items in it, each of which can be transferred elsewhere; edit,
//! delete (the core refuses while it holds stock or sub-locations, and the
//! dialog says why) and new sub-locations.

use crate::api;
use crate::components::card::CardHead;
use crate::components::confirm::ConfirmDialog;
use crate::components::dialog::{Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::components::loader::{for_id_param, loaded, opened};
use crate::components::location_picker::{LocationPicker, PickerText};
use crate::components::reload::Reload;
use crate::components::table::{data_table, number, text, ACTIONS};
use crate::components::transfer::{amount, TransferDialog};
use crate::routes;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use partwatch_types::commands;
use partwatch_types::inventory::{
    LocatedItem, Location, LocationContents, LocationId, LocationRef, NewLocation, UpdateLocation,
};

/// "1 item", "3 items".
fn count(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

// ---------------------------------------------------------------- the tree

#[component]
pub fn LocationsPage() -> impl IntoView {
    let reload = Reload::new();
    let locations = LocalResource::new(move || {
        reload.track();
        api::ask::<commands::ListLocations>()
    });
    let creating = RwSignal::new(false);
    view! {
        <div class="page-head">
            <div>
                <h1>"Locations"</h1>
                <p class="lede">"Where stock is kept: stores, shelves, drawers, bins. Moving stock between them changes no totals."</p>
            </div>
            <div class="head-actions">
                <button type="button" class="button primary" on:click=move |_| creating.set(true)>"New location"</button>
            </div>
        </div>
        <section class="card" aria-labelledby="locations-title">
            <h2 id="locations-title" class="visually-hidden">"All locations"</h2>
            {loaded(locations, "Loading locations…", |list| {
                if list.is_empty() {
                    view! {
                        <div class="empty">
                            <p>"No locations yet."</p>
                            <p class="muted">"“New location” adds one; so does typing a new one wherever stock is put."</p>
                        </div>
                    }.into_any()
                } else {
                    data_table("Locations", &[text("Location"), number("Stock items"), number("Sub-locations"), text("Description")], list, |l: Location| view! {
                        <tr>
                            <td>
                                <span class="tree-indent" style=format!("padding-left: {}px", l.depth.clamp(0, 12) * 20)>
                                    <A href=routes::location(l.id)>{l.name}</A>
                                </span>
                            </td>
                            <td class="num">{l.items}</td>
                            <td class="num">{l.children}</td>
                            <td class="muted">{l.description}</td>
                        </tr>
                    })
                }
            })}
        </section>
        {move || creating.get().then(|| view! {
            <NewLocationDialog parent=None on_close=move || creating.set(false)
                on_created=move |_: Location| { creating.set(false); reload.bump(); }/>
        })}
    }
}

/// Creates a location, inside `parent` unless the user picks another.
#[component]
fn NewLocationDialog(
    parent: Option<LocationRef>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_created: Callback<Location>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let inside = RwSignal::new(parent);
    let inside_text = PickerText::new();
    let error = form::error();
    let save = api::action::<commands::CreateLocation>();
    api::on_success(save, error, move |made| on_created.run(made));
    let on_submit = form::on_submit(save, error, move || {
        inside_text
            .chosen("Inside", inside.get_untracked().as_ref())
            .map(|parent_id| NewLocation {
                parent_id,
                name: name.get_untracked(),
                description: description.get_untracked(),
            })
    });
    view! {
        <Dialog title="New location".to_owned() on_close>
            <form on:submit=on_submit>
                <TextField label="Name" called="Location name" value=name autofocus=true placeholder="Drawer A3"/>
                <LocationPicker label="Inside" value=inside text=inside_text none_label="Top level"/>
                <TextField label="Description" value=description placeholder="optional"/>
                <Failure error/>
                <DialogActions submit="Create location" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

// ---------------------------------------------------------------- one location

#[component]
pub fn LocationPage() -> impl IntoView {
    for_id_param("location", |id: LocationId| view! { <LocationView id/> })
}

#[component]
fn LocationView(id: LocationId) -> impl IntoView {
    let reload = Reload::new();
    let contents = LocalResource::new(move || {
        reload.track();
        async move { api::invoke::<commands::GetLocation>(&id).await }
    });
    opened(
        contents,
        "location",
        move |contents| view! { <LocationDetails contents reload/> },
    )
}

/// What a dialog on the location's page is doing.
#[derive(Debug, Clone)]
enum Doing {
    Edit,
    Delete,
    NewChild,
    Transfer(LocatedItem),
}

#[component]
fn LocationDetails(contents: LocationContents, reload: Reload) -> impl IntoView {
    let LocationContents {
        location,
        ancestors,
        children,
        items,
    } = contents;
    let doing = RwSignal::new(None::<Doing>);
    let here = LocationRef {
        id: location.id,
        path: location.path.clone(),
    };
    let parent = ancestors.last().cloned();
    let navigate = use_navigate();
    let shown = StoredValue::new((location.clone(), here, parent));
    let done = move || {
        doing.set(None);
        reload.bump();
    };
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href=routes::LOCATIONS>"Locations"</A>
            {ancestors.into_iter().map(|a| {
                let name = a.path.rsplit(partwatch_types::inventory::PATH_SEPARATOR).next().unwrap_or(&a.path).to_owned();
                view! { <span aria-hidden="true">"›"</span><A href=routes::location(a.id)>{name}</A> }
            }).collect_view()}
        </nav>
        <div class="page-head">
            <div>
                <h1>{location.name.clone()}</h1>
                <p class="muted">{location.path.clone()}</p>
                {(!location.description.is_empty()).then(|| view! { <p class="lede">{location.description.clone()}</p> })}
            </div>
            <div class="head-actions">
                <button type="button" class="button" on:click=move |_| doing.set(Some(Doing::Edit))>"Edit location"</button>
                <button type="button" class="button danger" on:click=move |_| doing.set(Some(Doing::Delete))>"Delete location…"</button>
            </div>
        </div>
        <section class="card" aria-labelledby="sublocations-title">
            <CardHead id="sublocations-title" title="Sub-locations" add="New sub-location" on_add=move || doing.set(Some(Doing::NewChild))/>
            {if children.is_empty() {
                view! { <p class="muted">"None."</p> }.into_any()
            } else {
                view! {
                    <ul class="chips" aria-label="Sub-locations">
                        {children.into_iter().map(|c| view! {
                            <li>
                                <A href=routes::location(c.id)>{c.name}</A>
                                <span class="count" title="Stock items right there">{count(c.items, "item", "items")}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="here-title">
            <h2 id="here-title">"Stock here"</h2>
            {if items.is_empty() {
                view! { <p class="muted">"No stock here. Stock arrives from a part's “Add stock”, or by transfer."</p> }.into_any()
            } else {
                data_table("Stock here", &[text("Part"), text("IPN"), text("Batch"), number("Quantity"), ACTIONS], items, move |located: LocatedItem| {
                    let name = if located.item.batch.is_empty() {
                        located.part.name.clone()
                    } else {
                        format!("{}, batch {}", located.part.name, located.item.batch)
                    };
                    let row = StoredValue::new(located.clone());
                    view! {
                        <tr>
                            <td><A href=routes::part(located.part.id)>{located.part.name.clone()}</A></td>
                            <td class="mono">{located.ipn.clone().unwrap_or_default()}</td>
                            <td class="mono">{located.item.batch.clone()}</td>
                            <td class="num">{amount(located.item.quantity, &located.units)}</td>
                            <td class="row-actions">
                                <button type="button" class="button small" aria-label=format!("Transfer {name}")
                                    on:click=move |_| doing.set(Some(Doing::Transfer(row.get_value())))>"Transfer"</button>
                            </td>
                        </tr>
                    }
                })
            }}
        </section>
        {move || doing.get().map(|now| {
            let close = move || doing.set(None);
            let (location, here, parent) = shown.get_value();
            match now {
                Doing::Edit => view! {
                    <EditLocationDialog location parent on_close=close on_saved=done/>
                }.into_any(),
                Doing::NewChild => view! {
                    <NewLocationDialog parent=Some(here) on_close=close
                        on_created=move |_: Location| done()/>
                }.into_any(),
                Doing::Transfer(located) => view! {
                    <TransferDialog item=located.item units=located.units on_close=close on_saved=done/>
                }.into_any(),
                Doing::Delete => {
                    let navigate = navigate.clone();
                    let back = parent.as_ref().map_or_else(|| routes::LOCATIONS.to_owned(), |p| routes::location(p.id));
                    let action = api::action::<commands::DeleteLocation>();
                    view! {
                        <ConfirmDialog title="Delete location".to_owned()
                            message=delete_message(&location)
                            confirm="Delete location".to_owned()
                            action request=location.id
                            on_close=close
                            on_done=move |()| navigate(&back, Default::default())/>
                    }.into_any()
                }
            }
        })}
    }
}

/// What deleting a location does, in words.
fn delete_message(location: &Location) -> String {
    let mut message = format!("Delete the location {}?", location.path);
    if location.items > 0 || location.children > 0 {
        message.push_str(&format!(
            " It still holds {} and {}: only an empty location can go, so move them elsewhere first.",
            count(location.items, "stock item", "stock items"),
            count(location.children, "sub-location", "sub-locations"),
        ));
    } else {
        message.push_str(" It is empty; nothing else changes.");
    }
    message
}

/// Renames, describes and moves a location (all in one `UpdateLocation`).
#[component]
fn EditLocationDialog(
    location: Location,
    parent: Option<LocationRef>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let name = RwSignal::new(location.name.clone());
    let description = RwSignal::new(location.description.clone());
    let inside = RwSignal::new(parent);
    let inside_text = PickerText::new();
    let error = form::error();
    let save = api::action::<commands::UpdateLocationCommand>();
    api::on_success(save, error, move |_| on_saved.run(()));
    let id = location.id;
    let on_submit = form::on_submit(save, error, move || {
        inside_text
            .chosen("Inside", inside.get_untracked().as_ref())
            .map(|parent_id| UpdateLocation {
                id,
                parent_id,
                name: name.get_untracked(),
                description: description.get_untracked(),
            })
    });
    view! {
        <Dialog title="Edit location".to_owned() on_close>
            <form on:submit=on_submit>
                <TextField label="Name" called="Location name" value=name autofocus=true/>
                <LocationPicker label="Inside" value=inside text=inside_text none_label="Top level" outside_of=id/>
                <TextField label="Description" value=description/>
                <Failure error/>
                <DialogActions submit="Save" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawer(items: i64, children: i64) -> Location {
        Location {
            id: LocationId(3),
            parent_id: Some(LocationId(2)),
            name: "Drawer A3".to_owned(),
            description: String::new(),
            path: "Store › Shelf B › Drawer A3".to_owned(),
            depth: 2,
            items,
            children,
        }
    }

    #[test]
    fn deleting_a_location_says_whether_it_can_go() {
        assert_eq!(
            delete_message(&drawer(0, 0)),
            "Delete the location Store › Shelf B › Drawer A3? It is empty; nothing else changes."
        );
        assert_eq!(
            delete_message(&drawer(1, 2)),
            "Delete the location Store › Shelf B › Drawer A3? It still holds 1 stock item and \
             2 sub-locations: only an empty location can go, so move them elsewhere first."
        );
    }
}
