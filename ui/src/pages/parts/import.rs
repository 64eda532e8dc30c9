//! "Import CSV" on the Parts screen: the files are read here, checked by the
//! backend at once (the preview: how each file was read, its first rows with
//! the bad cells marked, every problem by line and column, what importing
//! would make; what each file holds and what each of its columns is read
//! as, to be chosen where the headings say nothing Partwatch knows, checked
//! again at each choice), then imported in one transaction — nothing unless every row
//! is good, or the good rows with the others listed in a file to save. A
//! progress bar follows both runs (`IMPORT_PROGRESS`).

use crate::api;
use crate::components::dialog::Dialog;
use crate::components::error::Failure;
use leptos::prelude::*;
use partwatch_types::commands;
use partwatch_types::events::IMPORT_PROGRESS;
use partwatch_types::import::{
    ChosenReading, ImportField, ImportFile, ImportKind, ImportMode, ImportProgress, ImportReport,
    ImportRequest, ImportedFile, RowProblem, SkippedRows,
};
use partwatch_types::{ApiError, ErrorCode};
use wasm_bindgen::JsCast;

/// Problems listed in the dialog; the rest are counted (and, when skipped,
/// all of them are in the saved list).
const PROBLEMS_SHOWN: usize = 200;

#[component]
pub fn ImportDialog(
    #[prop(into)] on_close: Callback<()>,
    /// Runs once an import has been written.
    #[prop(into)]
    on_imported: Callback<()>,
) -> impl IntoView {
    let files = StoredValue::new(Vec::<ImportFile>::new());
    let mode = RwSignal::new(ImportMode::AllOrNothing);
    let error = RwSignal::new(None::<ApiError>);
    let reading = RwSignal::new(false);
    // The names of the files chosen last (the field itself is emptied).
    let chosen = RwSignal::new(Vec::<String>::new());
    // Each report drawn afresh, keyed by its number: a select redrawn in
    // place keeps what WebKit remembers of its last choice, and choosing
    // that option again would then fire no change.
    let preview = RwSignal::new(None::<(u64, ImportReport)>);
    let reports = StoredValue::new(0_u64);
    let show = move |report: ImportReport| {
        reports.update_value(|n| *n += 1);
        preview.set(Some((reports.get_value(), report)));
    };
    let imported = RwSignal::new(None::<ImportReport>);
    let progress = RwSignal::new(None::<ImportProgress>);
    let check = api::action::<commands::ImportFilesCommand>();
    let import = api::action::<commands::ImportFilesCommand>();
    // Only while a run is under way: an event arriving after the run's
    // answer would leave a finished bar behind.
    let running = move || {
        check.pending().try_get_untracked().unwrap_or(false)
            || import.pending().try_get_untracked().unwrap_or(false)
    };
    api::listen_while_mounted(IMPORT_PROGRESS, move |p: ImportProgress| {
        if running() {
            progress.try_set(Some(p));
        }
    });
    // An import once sent is written whatever the window does; the dialog
    // stays until it is, so the page behind it reloads what it made.
    let on_close = Callback::new(move |()| {
        if !import.pending().get_untracked() {
            on_close.run(());
        }
    });
    // The control a choice was made with: the new preview replaces it, and
    // the focus goes back to its successor.
    let refocus = StoredValue::new(None::<String>);
    api::on_success(check, error, move |report| {
        show(report);
        if let Some(id) = refocus.get_value() {
            refocus.set_value(None);
            request_animation_frame(move || {
                if let Some(element) = document()
                    .get_element_by_id(&id)
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = element.focus();
                }
            });
        }
    });
    api::on_success(import, error, move |report: ImportReport| {
        if report.committed {
            imported.set(Some(report));
            on_imported.run(());
        } else {
            // Something changed since the check: the new problems.
            show(report);
        }
    });
    // The bar goes when a run ends, however it ended.
    Effect::new(move |_| {
        if !check.pending().get() && !import.pending().get() {
            progress.set(None);
        }
    });
    let busy = move || reading.get() || check.pending().get() || import.pending().get();

    let on_files = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let list: Vec<web_sys::File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        // Emptied, so that choosing the same files again (after mending
        // them) is a change and they are read and checked afresh.
        input.set_value("");
        chosen.set(list.iter().map(web_sys::File::name).collect());
        preview.set(None);
        error.set(None);
        files.set_value(Vec::new());
        reading.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let read = read_files(&list).await;
            // The dialog may have been closed meanwhile.
            if reading.is_disposed() {
                return;
            }
            reading.set(false);
            match read {
                Ok(read) if read.is_empty() => {}
                Ok(read) => {
                    files.set_value(read.clone());
                    check.dispatch(ImportRequest {
                        files: read,
                        mode: mode.get_untracked(),
                        commit: false,
                    });
                }
                Err(err) => error.set(Some(err)),
            }
        });
    };
    // A file read another way: checked again, with every file.
    let on_reading = Callback::new(
        move |(name, reading, control): (String, ChosenReading, String)| {
            let mut list = files.get_value();
            let Some(file) = list.iter_mut().find(|f| f.name == name) else {
                return;
            };
            file.reading = Some(reading);
            files.set_value(list.clone());
            refocus.set_value(Some(control));
            error.set(None);
            check.dispatch(ImportRequest {
                files: list,
                mode: mode.get_untracked(),
                commit: false,
            });
        },
    );
    let blocked = move || {
        preview.with(|p| {
            p.as_ref().is_some_and(|(_, p)| {
                (p.bad_rows > 0 && mode.get() == ImportMode::AllOrNothing)
                    || p.files.iter().any(|f| f.unreadable.is_some())
            })
        })
    };
    let unreadable = move || {
        preview.with(|p| {
            p.as_ref()
                .is_some_and(|(_, p)| p.files.iter().any(|f| f.unreadable.is_some()))
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let list = files.get_value();
        if list.is_empty() {
            error.set(Some(ApiError::new(
                ErrorCode::InvalidInput,
                "Choose one or more CSV files first.",
            )));
            return;
        }
        import.dispatch(ImportRequest {
            files: list,
            mode: mode.get_untracked(),
            commit: true,
        });
    };

    view! {
        <Dialog title="Import from CSV".to_owned() wide=true on_close>
            {move || match imported.get() {
                Some(report) => view! { <Imported report on_close/> }.into_any(),
                None => view! {
                    <form on:submit=on_submit>
                        <p class="muted lead">
                            "Categories, parts, stock items and BOM lines, in Partwatch’s columns "
                            "or as InvenTree exports them. Choose the files together: the ids "
                            "in one refer to rows of the others."
                        </p>
                        <div class="field">
                            <label for="import-files">"CSV files"</label>
                            <input id="import-files" type="file" multiple accept=".csv,text/csv,text/plain"
                                disabled=busy on:change=on_files aria-describedby="import-chosen"/>
                            <p class="hint" id="import-chosen">{move || chosen.with(|names| {
                                if names.is_empty() {
                                    "No files chosen yet.".to_owned()
                                } else {
                                    format!("Chosen: {}", names.join(", "))
                                }
                            })}</p>
                        </div>
                        <fieldset class="checks">
                            <legend>"If some rows have problems"</legend>
                            {[(ImportMode::AllOrNothing, "Import nothing"), (ImportMode::SkipBadRows, "Skip the bad rows")]
                                .map(|(choice, label)| view! {
                                    <label class="check">
                                        <input type="radio" name="import-mode"
                                            prop:checked=move || mode.get() == choice
                                            on:change=move |_| mode.set(choice)/>
                                        {label}
                                    </label>
                                })}
                        </fieldset>
                        {move || reading.get().then(|| view! { <p class="muted" role="status">"Reading the files…"</p> })}
                        <ProgressLine progress/>
                        <For each=move || preview.get() key=|(n, _)| *n let:((_, report))>
                            <Preview report mode=mode.into() busy=Signal::derive(busy) on_reading
                                chosen=files.with_value(|f| f.iter().filter(|f| f.reading.is_some()).map(|f| f.name.clone()).collect())/>
                        </For>
                        <Failure error/>
                        {move || (blocked() && !unreadable()).then(|| view! {
                            <p class="hint">"Nothing is imported while rows have problems: fix them in the files and choose them again, or skip the bad rows."</p>
                        })}
                        <div class="dialog-actions">
                            <button type="button" class="button" disabled=move || import.pending().get()
                                on:click=move |_| on_close.run(())>"Cancel"</button>
                            <button type="submit" class="button primary"
                                disabled=move || busy() || preview.with(Option::is_none) || blocked()>
                                "Import"
                            </button>
                        </div>
                    </form>
                }.into_any(),
            }}
        </Dialog>
    }
}

/// Reads every chosen file as UTF-8 text.
async fn read_files(list: &[web_sys::File]) -> Result<Vec<ImportFile>, ApiError> {
    let mut files = Vec::new();
    for file in list {
        let name = file.name();
        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .map_err(|_| {
                ApiError::new(
                    ErrorCode::InvalidInput,
                    format!("{name} could not be read."),
                )
            })?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        files.push(ImportFile::from_bytes(&name, bytes)?);
    }
    Ok(files)
}

/// The bar of a run under way: which file, how many rows of all.
#[component]
fn ProgressLine(progress: RwSignal<Option<ImportProgress>>) -> impl IntoView {
    move || {
        progress.get().map(|p| {
            view! {
                <div class="move-progress">
                    <progress aria-label="Import progress" max=p.total.max(1).to_string() value=p.done.to_string()></progress>
                    <span>{format!("{} of {} rows ({})", p.done, p.total, p.file)}</span>
                </div>
            }
        })
    }
}

/// What the check found: the verdict (what importing would make), every
/// problem, then each file as read.
#[component]
fn Preview(
    report: ImportReport,
    mode: Signal<ImportMode>,
    /// While files are read or checked: no choice until the check is back.
    busy: Signal<bool>,
    /// A file to be read another way: (its name, how, the id of the control
    /// that chose it).
    on_reading: Callback<(String, ChosenReading, String)>,
    /// The files read as chosen (their choices stay open).
    chosen: Vec<String>,
) -> impl IntoView {
    let files = report
        .files
        .iter()
        .enumerate()
        .map(|(at, file)| {
            let open = file.unreadable.is_some() || chosen.contains(&file.name);
            file_preview(at, file, &report.problems, open, busy, on_reading)
        })
        .collect_view();
    let summary = report.counts.summary();
    let bad_rows = report.bad_rows;
    let unread: Vec<String> = report
        .files
        .iter()
        .filter(|f| f.unreadable.is_some())
        .map(|f| f.name.clone())
        .collect();
    let verdict = move || {
        if !unread.is_empty() {
            let names = unread.join(", ");
            view! {
                <p class="warn-text" role="status">{format!(
                    "Partwatch cannot read {names} as it is: say below what it holds and what \
                     its columns are. No file is checked until then."
                )}</p>
            }
            .into_any()
        } else if bad_rows == 0 {
            view! { <p class="ok" role="status">{format!("Every row is good. Importing makes {summary}.")}</p> }
                .into_any()
        } else {
            let rows = plural(bad_rows, "row has a problem", "rows have problems");
            let then = if mode.get() == ImportMode::SkipBadRows {
                format!("Importing skips them and makes {summary}.")
            } else {
                format!("The other rows would make {summary}.")
            };
            view! { <p class="warn-text" role="status">{format!("{rows}. {then}")}</p> }.into_any()
        }
    };
    let shown = report.problems.len().min(PROBLEMS_SHOWN);
    let more = report.problems.len() - shown;
    let problems = (!report.problems.is_empty()).then(|| {
        let rows = report.problems[..shown]
            .iter()
            .map(|p| {
                view! {
                    <tr>
                        <td>{p.file.clone()}</td>
                        <td class="num">{p.line}</td>
                        <td>{p.column.clone().unwrap_or_default()}</td>
                        <td>{p.message.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="table" aria-label="Problems">
                    <thead><tr>
                        <th scope="col">"File"</th><th scope="col" class="num">"Line"</th>
                        <th scope="col">"Column"</th><th scope="col">"Problem"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {(more > 0).then(|| view! { <p class="muted">{format!("… and {more} more problems.")}</p> })}
        }
    });
    view! {
        <section class="import-preview" aria-label="Preview">
            {verdict}
            {problems}
            {files}
        </section>
    }
}

/// One file: what it was read as (and the choice of what it holds and what
/// each column is), and its first rows, in the columns read, with the bad
/// cells (and rows) marked.
fn file_preview(
    at: usize,
    file: &ImportedFile,
    problems: &[RowProblem],
    open: bool,
    busy: Signal<bool>,
    on_reading: Callback<(String, ChosenReading, String)>,
) -> impl IntoView {
    let ignored = file.columns_ignored();
    let ignored = if ignored.is_empty() {
        String::new()
    } else {
        format!(" Not read: {}.", ignored.join(", "))
    };
    let columns = file.preset.map_or("the columns as chosen".to_owned(), |p| {
        format!("{}’s columns", p.label())
    });
    let about = match file.kind {
        Some(kind) => format!(
            "{} of {}, {columns}.{ignored}",
            plural(file.rows, "row", "rows"),
            kind.label(),
        ),
        None => plural(file.rows, "row", "rows"),
    };
    let read: Vec<usize> = (0..file.columns.len())
        .filter(|&i| file.columns[i].read_as.is_some())
        .collect();
    let headings = read
        .iter()
        .map(|&i| view! { <th scope="col">{file.columns[i].heading.clone()}</th> })
        .collect_view();
    let rows = file
        .sample
        .iter()
        .map(|row| {
            let of_row: Vec<&RowProblem> = problems
                .iter()
                .filter(|p| p.file == file.name && p.line == row.line)
                .collect();
            let cells = read
                .iter()
                .map(|&i| {
                    let heading = file.columns[i].heading.as_str();
                    let bad: Vec<&str> = of_row
                        .iter()
                        .filter(|p| p.column.as_deref() == Some(heading))
                        .map(|p| p.message.as_str())
                        .collect();
                    let is_bad = !bad.is_empty();
                    let title = is_bad.then(|| bad.join(" "));
                    let cell = row.cells.get(i).cloned().unwrap_or_default();
                    view! { <td class:bad=is_bad title=title>{cell}</td> }
                })
                .collect_view();
            view! {
                <tr class:bad-row=!of_row.is_empty()>
                    <td class="num">{row.line}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let label = format!("First rows of {}", file.name);
    let sample = (!read.is_empty()).then(|| {
        view! {
            <div class="table-scroll">
                <table class="table compact" aria-label=label>
                    <thead><tr><th scope="col" class="num">"Line"</th>{headings}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let why = file.unreadable.clone().map(|why| {
        view! { <p class="warn-text" role="alert">{why}</p> }
    });
    view! {
        <h3>{file.name.clone()}</h3>
        <p class="muted small">{about}</p>
        {why}
        <ColumnChoices at file=file.clone() open busy on_reading/>
        {sample}
    }
}

/// What a file holds and what each of its columns is read as, each a
/// select; a choice is checked again at once. Open while the file cannot be
/// read as it is, and once something was chosen.
#[component]
fn ColumnChoices(
    at: usize,
    file: ImportedFile,
    open: bool,
    busy: Signal<bool>,
    on_reading: Callback<(String, ChosenReading, String)>,
) -> impl IntoView {
    let name = file.name.clone();
    let kind_id = format!("import-kind-{at}");
    let kind_label = format!("{} holds", file.name);
    let on_kind = {
        let (name, kind_id) = (name.clone(), kind_id.clone());
        move |ev: leptos::ev::Event| {
            let chosen = event_target_value(&ev)
                .parse::<usize>()
                .ok()
                .and_then(|i| ImportKind::ALL.get(i).copied());
            if let Some(kind) = chosen {
                on_reading.run((name.clone(), ChosenReading::Kind(kind), kind_id.clone()));
            }
        }
    };
    let kinds = ImportKind::ALL
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            view! { <option value=i.to_string() selected=file.kind == Some(*kind)>{kind.title()}</option> }
        })
        .collect_view();
    let unchosen = file.kind.is_none().then(|| {
        view! { <option value="" selected=true disabled=true>"Choose…"</option> }
    });
    let read_as = file.read_as();
    let columns = file
        .columns
        .iter()
        .enumerate()
        .map(|(column, c)| {
            let heading = if c.heading.is_empty() {
                format!("Column {} (no heading)", column + 1)
            } else {
                c.heading.clone()
            };
            let first = file
                .sample
                .first()
                .and_then(|row| row.cells.get(column))
                .cloned()
                .unwrap_or_default();
            let choice = file.kind.map(|kind| {
                let id = format!("import-column-{at}-{column}");
                let label = format!("Read “{heading}” as");
                let fields = ImportField::of(kind);
                let options = fields
                    .iter()
                    .enumerate()
                    .map(|(i, field)| {
                        view! {
                            <option value=i.to_string() selected=c.read_as == Some(*field)>
                                {field.label(kind)}
                            </option>
                        }
                    })
                    .collect_view();
                let (name, read_as, control) = (name.clone(), read_as.clone(), id.clone());
                let on_change = move |ev: leptos::ev::Event| {
                    let field = event_target_value(&ev)
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| fields.get(i).copied());
                    let mut read_as = read_as.clone();
                    // A field is read from one column: chosen here, it
                    // leaves the column it was read from.
                    if let Some(field) = field {
                        for other in read_as.iter_mut() {
                            if *other == Some(field) {
                                *other = None;
                            }
                        }
                    }
                    read_as[column] = field;
                    on_reading.run((
                        name.clone(),
                        ChosenReading::Columns { kind, read_as },
                        control.clone(),
                    ));
                };
                view! {
                    <label class="visually-hidden" for=id.clone()>{label}</label>
                    <select id=id disabled=move || busy.get() on:change=on_change>
                        <option value="" selected=c.read_as.is_none()>"Not read"</option>
                        {options}
                    </select>
                }
            });
            view! {
                <tr class:unread=c.read_as.is_none()>
                    <th scope="row">{heading}</th>
                    <td>{choice}</td>
                    <td class="muted">{first}</td>
                </tr>
            }
        })
        .collect_view();
    let summary = format!(
        "How {} is read: {} of {} columns",
        file.name,
        file.columns.iter().filter(|c| c.read_as.is_some()).count(),
        file.columns.len()
    );
    let table_label = format!("Columns of {}", file.name);
    let hint = file.kind.is_none().then(
        || view! { <p class="hint">"Say what it holds first; then what each column is."</p> },
    );
    // A disclosure button, not <details>: WebKit's WebDriver cannot reach
    // into one (its text reads empty, its selects cannot be clicked).
    let shown = RwSignal::new(open);
    let region = format!("import-columns-{at}");
    view! {
        <div class="column-choices">
        <button type="button" class="disclosure" aria-expanded=move || shown.get().to_string()
            aria-controls=region.clone() on:click=move |_| shown.update(|s| *s = !*s)>
            {summary}
        </button>
        <div id=region hidden=move || !shown.get()>
            <div class="field inline">
                <label for=kind_id.clone()>{kind_label}</label>
                <select id=kind_id disabled=move || busy.get() on:change=on_kind>
                    {unchosen}
                    {kinds}
                </select>
            </div>
            {hint}
            <div class="table-scroll">
                <table class="table compact" aria-label=table_label>
                    <thead><tr>
                        <th scope="col">"Column"</th><th scope="col">"Read as"</th>
                        <th scope="col">"First row"</th>
                    </tr></thead>
                    <tbody>{columns}</tbody>
                </table>
            </div>
        </div>
        </div>
    }
}

/// After the import: what it made, and the lists of skipped rows to save.
#[component]
fn Imported(report: ImportReport, on_close: Callback<()>) -> impl IntoView {
    let summary = format!("Imported {}.", report.counts.summary());
    let skipped = report
        .skipped
        .into_iter()
        .map(|rows| view! { <SkippedList rows/> })
        .collect_view();
    view! {
        <p class="ok" role="status">{summary}</p>
        {skipped}
        <div class="dialog-actions">
            <button type="button" class="button primary" on:click=move |_| on_close.run(())>"Close"</button>
        </div>
    }
}

/// "12 rows of parts.csv were skipped" with a button that saves them (and
/// their problems) into the Downloads folder.
#[component]
fn SkippedList(rows: SkippedRows) -> impl IntoView {
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let save = api::action::<commands::SaveSkippedRowsCommand>();
    api::on_success(save, error, move |path| saved.set(Some(path)));
    let said = format!(
        "{} of {} {} skipped.",
        plural(rows.rows, "row", "rows"),
        rows.file,
        if rows.rows == 1 { "was" } else { "were" }
    );
    let button = format!("Save {}", rows.name);
    view! {
        <div class="skipped">
            <p>{said}</p>
            <button type="button" class="button" disabled=move || save.pending().get()
                on:click=move |_| { save.dispatch(rows.clone()); }>{button}</button>
            {move || saved.get().map(|path| view! { <p class="muted" role="status">{format!("Saved to {path}")}</p> })}
            <Failure error/>
        </div>
    }
}

/// "1 row", "3 rows".
fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
