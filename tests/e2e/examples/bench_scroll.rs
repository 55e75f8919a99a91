//! Scroll benchmark (issue 4): on N demo fans (default 1,000,000) in the real window, scrolls the
//! contacts table from top to bottom — first wheel-like steps of one screen per frame, then jumps
//! across the whole list as a dragged scrollbar does — and prints every frame interval's worst
//! and 99th percentile beside the idle frame interval measured in the same run (goal: no frame
//! over 100 ms). `make bench-scroll` (SCROLL_ROWS=N) builds the app and runs it under Xvfb;
//! `SCROLL_DB=PATH` keeps the seeded database there and reuses it on the next run.

use std::time::{Duration, Instant};

use fanbase_core::demo;
use fanbase_e2e::{App, Sandbox};
use serde_json::Value;

/// Records every animation frame's interval in `window.__frames` (and when it ended in
/// `window.__frameEnds`) until `window.__stop`; a 4 ms timer's ticks in `window.__probe`; and
/// every IPC request's command, start, response and whether it asked for cursors only in
/// `window.__ipc` (Tauri sends IPC through `fetch`).
const RECORD_FRAMES: &str = "
  window.__frames = []; window.__frameEnds = []; window.__stop = false; let last = performance.now();
  const tick = (t) => { window.__frames.push(t - last); window.__frameEnds.push(t); last = t;
    if (!window.__stop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  window.__probe = []; setInterval(() => window.__probe.push(performance.now()), 4);
  window.__ipc = []; const fetch0 = window.fetch;
  window.fetch = (url, options) => {
    const start = performance.now(); const body = typeof options?.body === 'string' ? options.body : '';
    const cmd = String(url).split('/').pop();
    return fetch0(url, options).then((r) => { window.__ipc.push([cmd, start, performance.now(),
      body.includes('\"cursorsOnly\":true')]); return r; });
  };
  return true;";

/// Scrolls `steps` times, one step per frame, from `from` to `to` (fractions of the scroll height).
fn scroll_script(from: f64, to: f64, steps: u32) -> String {
    format!(
        "const el = document.querySelector('[data-testid=contacts-scroll]'); window.__scrolled = false;
         const max = () => el.scrollHeight - el.clientHeight; let i = 0;
         const step = () => {{ i += 1; el.scrollTop = max() * ({from} + ({to} - {from}) * i / {steps});
           if (i < {steps}) requestAnimationFrame(step); else window.__scrolled = true; }};
         requestAnimationFrame(step); return true;"
    )
}

async fn wait_for(app: &App, script: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    while app.js(script).await != Value::Bool(true) {
        assert!(Instant::now() < deadline, "timed out waiting for {script}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Takes the frame intervals recorded since the last call (ms).
async fn take_frames(app: &App) -> Vec<f64> {
    let v = app.js("const f = window.__frames; window.__frames = []; return f;").await;
    v.as_array().expect("frame list").iter().filter_map(Value::as_f64).collect()
}

/// Explains every frame over 80 ms since the last call: how long the page's main thread stayed
/// busy in it (the longest gap between 4 ms timer ticks) and which IPC responses arrived in it.
async fn explain_slow_frames(app: &App) {
    let v = app
        .js("const r = [window.__frameEnds, window.__ipc, window.__probe]; window.__frameEnds = []; window.__ipc = [];
             window.__probe = []; return r;")
        .await;
    let ends: Vec<f64> = v[0].as_array().expect("frame ends").iter().filter_map(Value::as_f64).collect();
    let ipc = v[1].as_array().expect("ipc log");
    let probe: Vec<f64> = v[2].as_array().expect("probe").iter().filter_map(Value::as_f64).collect();
    for w in ends.windows(2) {
        let (from, to) = (w[0], w[1]);
        if to - from <= 80.0 {
            continue;
        }
        let during: Vec<String> = ipc
            .iter()
            .filter(|c| c[2].as_f64().is_some_and(|end| end > from && end <= to))
            .map(|c| {
                let (start, end) = (c[1].as_f64().unwrap_or(0.0), c[2].as_f64().unwrap_or(0.0));
                format!("{} +{:.0} ms took {:.0} ms cursors_only={}", c[0], end - from, end - start, c[3])
            })
            .collect();
        let mut ticks = vec![from];
        ticks.extend(probe.iter().copied().filter(|t| *t > from && *t < to));
        ticks.push(to);
        let busy = ticks.windows(2).map(|p| p[1] - p[0]).fold(0.0, f64::max);
        println!(
            "  frame of {:.0} ms at {from:.0}: main thread busy for up to {busy:.0} ms; IPC responses in it: {}",
            to - from,
            if during.is_empty() { "none".to_string() } else { during.join("; ") }
        );
    }
}

fn summary(label: &str, mut frames: Vec<f64>, idle_median: f64) -> f64 {
    // Where the slow frames fell: the frame's position in the run (one scroll step per frame).
    let slow: Vec<String> =
        frames.iter().enumerate().filter(|(_, f)| **f > 50.0).map(|(i, f)| format!("#{i} {f:.0} ms")).collect();
    frames.sort_by(f64::total_cmp);
    let n = frames.len();
    let worst = frames.last().copied().unwrap_or(0.0);
    let p99 = frames.get((n * 99 / 100).min(n.saturating_sub(1))).copied().unwrap_or(0.0);
    let over = frames.iter().filter(|f| **f > 100.0).count();
    println!(
        "{label:<44} {n:>6} frames  p99 {p99:>7.1} ms  worst {worst:>7.1} ms ({:.1}x idle)  over 100 ms: {over}",
        worst / idle_median
    );
    if !slow.is_empty() {
        println!("  frames over 50 ms: {}", slow.join(", "));
    }
    worst
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let rows: u64 = std::env::args().nth(1).map(|a| a.parse().expect("ROWS is a number")).unwrap_or(1_000_000);
    // An optional second argument names a seeded database to reuse (made on the first run).
    let reuse = std::env::args().nth(2).map(std::path::PathBuf::from);
    let sandbox = Sandbox::new();
    match &reuse {
        Some(saved) if saved.exists() => {
            std::fs::copy(saved, &sandbox.db_path).expect("copy the seeded database");
            println!("reusing {rows} demo fans seeded earlier in {}", saved.display());
        }
        _ => {
            let db = sandbox.db().await;
            let t = Instant::now();
            demo::fill(&db, "s1", rows, 7, fanbase_core::now_ms()).await.expect("seed");
            db.close().await;
            println!("seeded {rows} demo fans in {:.1} s", t.elapsed().as_secs_f64());
            if let Some(saved) = &reuse {
                std::fs::copy(&sandbox.db_path, saved).expect("save the seeded database");
            }
        }
    }

    let app = App::launch(sandbox, &[]).await;
    app.find_with("[data-testid=fan-count]", "data-count", &rows.to_string()).await;
    app.find("[data-testid=contact-row][data-index='0']").await;
    app.js(RECORD_FRAMES).await;

    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut idle = take_frames(&app).await;
    idle.sort_by(f64::total_cmp);
    let idle_median = idle.get(idle.len() / 2).copied().unwrap_or(16.7).max(1.0);
    println!("idle reference: {} frames, median interval {idle_median:.1} ms", idle.len());

    // Wheel-like: one screen per frame through the first 2% of the list.
    app.js(&scroll_script(0.0, 0.02, 600)).await;
    wait_for(&app, "return window.__scrolled === true;", Duration::from_secs(120)).await;
    let wheel = summary("wheel: 600 frames, one screen each", take_frames(&app).await, idle_median);
    explain_slow_frames(&app).await;

    // Dragged scrollbar: top to bottom in 300 jumps, one per frame.
    app.js("document.querySelector('[data-testid=contacts-scroll]').scrollTop = 0; return true;").await;
    app.js(&scroll_script(0.0, 1.0, 300)).await;
    wait_for(&app, "return window.__scrolled === true;", Duration::from_secs(120)).await;
    let last = rows - 1;
    app.find(&format!("[data-testid=contact-row][data-index='{last}']")).await;
    let drag = summary("scrollbar drag: top to bottom in 300 jumps", take_frames(&app).await, idle_median);
    explain_slow_frames(&app).await;

    let worst = wheel.max(drag);
    println!(
        "=> worst frame while scrolling {rows} fans: {worst:.1} ms (goal: none over 100 ms) {}",
        if worst <= 100.0 { "ok" } else { "OVER" }
    );
    app.js("window.__stop = true; return true;").await;
    app.quit().await;
}
