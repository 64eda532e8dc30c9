//! `sqlx::migrate!` embeds the migration files, but on stable Rust it cannot
//! tell cargo to look for new ones: a migration added without a Rust change
//! would be missing from the build. Watching both folders fixes that.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=migrations-postgres");
}
