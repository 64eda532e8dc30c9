use crate::components::header::Header;
use crate::pages::home::HomePage;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <div class="app-frame">
                <Header/>
                <main class="page" id="main">
                    <Routes fallback=|| view! { <HomePage/> }>
                        <Route path=path!("/") view=HomePage/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
