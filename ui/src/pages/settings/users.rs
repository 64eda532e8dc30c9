//! Users: the list, and the dialog that creates or edits one.

use super::TeamSettings;
use crate::api;
use crate::components::card::CardHead;
use crate::components::dialog::{Dialog, DialogActions, TextField};
use crate::components::error::Failure;
use crate::components::loader::loaded;
use crate::components::reload::Reload;
use crate::components::table::{data_table, text, ACTIONS};
use leptos::prelude::*;
use partwatch_types::inventory::{NewUser, UpdateUser, User};
use partwatch_types::{commands, ApiError};

#[component]
pub(super) fn UsersSection() -> impl IntoView {
    let reload = Reload::new();
    let users = LocalResource::new(move || {
        reload.track();
        api::ask::<commands::ListUsers>()
    });
    let editing = RwSignal::new(None::<Option<User>>);
    view! {
        <section class="card" id="users" aria-labelledby="users-title">
            <CardHead id="users-title" title="Users" add="New user" can_add=TeamSettings::get() on_add=move || editing.set(Some(None))/>
            {loaded(users, "Loading…", move |list| view! {
                        {data_table("Users", &[text("Name"), text("Email"), text("State"), ACTIONS], list, |u| {
                                    let edit = u.clone();
                                    view! {
                                        <tr>
                                            <td>{u.name.clone()}</td>
                                            <td>{u.email.clone().unwrap_or_else(|| "—".to_owned())}</td>
                                            <td>{if u.active { "Active" } else { "Inactive" }}</td>
                                            <td class="row-actions">
                                                <button type="button" class="button small" aria-label=format!("Edit {}", u.name)
                                                    on:click=move |_| editing.set(Some(Some(edit.clone())))>"Edit"</button>
                                            </td>
                                        </tr>
                                    }
                                })}
                    }.into_any())}
        </section>
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
    let error = RwSignal::new(None::<ApiError>);
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
