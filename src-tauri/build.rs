//! Points tauri-build at the root `tauri.conf.json` (the design card keeps it at the repo root).

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
        .expect("tauri-build failed: check tauri.conf.json and src-tauri/capabilities");
}
