//! Rebuilds the crate when a migration is added or changed: `sqlx::migrate!` embeds the folder, but
//! cargo cannot see files a macro reads (the build script sqlx's documentation gives).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
