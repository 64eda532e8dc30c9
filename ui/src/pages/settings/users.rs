//! Users: the list, and the dialog that creates or edits one.

use super::TeamSettings;
use crate::api;
use crate::components::card::CardHead;
use crate::components::confirm::ConfirmDialog;
use crate::components::dialog::{Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::form;
use crate::components::loader::loaded;
use crate::components::reload::Reload;
use crate::components::table::{data_table, text, ACTIONS};
use leptos::prelude::*;
use partwatch_types::inventory::{NewUser, SetUserActive, UpdateUser, User};
use partwatch_types::{commands, ApiError};

#[component]
pub(super) fn UsersSection() -> impl IntoView {
    let reload = Reload::new();
    let users = LocalResource::new(move || {
        reload.track();
        api::ask::<commands::ListUsers>()
    });
    let editing = RwSignal::new(None::<Option<User>>);
    // Deactivating asks first; reactivating is harmless and happens at once.
    let deactivating = RwSignal::new(None::<User>);
    let reactivate = api::action::<commands::SetUserActiveCommand>();
    let error = RwSignal::new(None::<ApiError>);
    api::on_success(reactivate, error, move |_| reload.bump());
    let may_change = TeamSettings::get();
    view! {
        <section class="card" id="users" aria-labelledby="users-title">
            <CardHead id="users-title" title="Users" add="New user" can_add=may_change on_add=move || editing.set(Some(None))/>
            <Failure error/>
            {loaded(users, "Loading…", move |list| view! {
                        {data_table("Users", &[text("Name"), text("Email"), text("State"), ACTIONS], list, |u| {
                                    let edit = u.clone();
                                    let doomed = u.clone();
                                    let id = u.id;
                                    let active = u.active;
                                    view! {
                                        <tr>
                                            <td>{u.name.clone()}</td>
                                            <td>{u.email.clone().unwrap_or_else(|| "—".to_owned())}</td>
                                            <td>{if u.active { "Active" } else { "Inactive" }}</td>
                                            <td class="row-actions">
                                                <button type="button" class="button small" aria-label=format!("Edit {}", u.name)
                                                    on:click=move |_| editing.set(Some(Some(edit.clone())))>"Edit"</button>
                                                {if active {
                                                    view! {
                                                        <button type="button" class="button small danger" aria-label=format!("Deactivate {}", u.name)
                                                            disabled=move || !may_change.get()
                                                            on:click=move |_| deactivating.set(Some(doomed.clone()))>"Deactivate"</button>
                                                    }.into_any()
                                                } else {
                                                    view! {
                                                        <button type="button" class="button small" aria-label=format!("Reactivate {}", u.name)
                                                            disabled=move || !may_change.get() || reactivate.pending().get()
                                                            on:click=move |_| { reactivate.dispatch(SetUserActive { id, active: true }); }>"Reactivate"</button>
                                                    }.into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }
                                })}
                    }.into_any())}
        </section>
        {move || deactivating.get().map(|user| view! {
            <ConfirmDialog title="Deactivate user".to_owned()
                message=format!("Deactivate {}? They keep their subscriptions but are told nothing until reactivated, cannot be made responsible for new build orders, and on a team database their login sees nothing. Their history stays.", user.name)
                confirm="Deactivate user".to_owned()
                action={api::action::<commands::SetUserActiveCommand>()} request=SetUserActive { id: user.id, active: false }
                on_close=move || deactivating.set(None)
                on_done=move |_| { deactivating.set(None); reload.bump(); }/>
        })}
        {move || editing.get().map(|user| view! {
            <UserDialog user on_close=move || editing.set(None)
                on_saved=move || { editing.set(None); reload.bump(); }/>
        })}
    }
}

#[component]
fn UserDialog(
    user: Option<User>,
    #[prop(into)] on_close: Callback<()>,
    #[prop(into)] on_saved: Callback<()>,
) -> impl IntoView {
    let original = user.clone();
    let name = RwSignal::new(user.as_ref().map(|u| u.name.clone()).unwrap_or_default());
    let email = RwSignal::new(
        user.as_ref()
            .and_then(|u| u.email.clone())
            .unwrap_or_default(),
    );
    let error = form::error();
    let save = Action::new_local(move |(name, email): &(String, String)| {
        let (name, email) = (name.clone(), email.clone());
        let original = original.clone();
        async move {
            let email = (!email.trim().is_empty()).then(|| email.trim().to_owned());
            match original {
                None => api::invoke::<commands::CreateUser>(&NewUser { name, email })
                    .await
                    .map(|_| ()),
                Some(u) => api::invoke::<commands::UpdateUserCommand>(&UpdateUser {
                    id: u.id,
                    name,
                    email,
                })
                .await
                .map(|_| ()),
            }
        }
    });
    api::on_success(save, error, move |()| on_saved.run(()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch((name.get(), email.get()));
    };
    let title = if user.is_some() {
        "Edit user"
    } else {
        "New user"
    };
    view! {
        <Dialog title=title.to_owned() on_close>
            <form on:submit=submit>
                <TextField label="Name" value=name autofocus=true/>
                <TextField label="Email address" value=email input_type="email" placeholder="optional, for email notifications"/>
                <Failure error/>
                <DialogActions submit="Save user" busy=save.pending().into() on_cancel=on_close/>
            </form>
        </Dialog>
    }
}
