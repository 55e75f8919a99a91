//! `fanbase-emulator`: runs the platform emulator on a local port with generated or file-seeded
//! data, and prints the deployment URL and demo tokens to sign in with.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;
use fanbase_emulator::{Emulator, Generate, Options, Seed};

/// A local stand-in for the hosted platform's desktop API (Convex HTTP function API, contract v1).
#[derive(Parser)]
#[command(name = "fanbase-emulator", version)]
struct Cli {
    /// Address to listen on (the control endpoints answer loopback callers only).
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Port to listen on (0 = any free port).
    #[arg(long, default_value_t = 3210)]
    port: u16,
    /// Seed from this JSON file instead of generating data.
    #[arg(long, value_name = "PATH")]
    seed_file: Option<PathBuf>,
    /// Generated stores (store 0 belongs to the demo creator, store 1 to the demo admin).
    #[arg(long, default_value_t = 2)]
    seed_stores: usize,
    /// Generated customers (fans) per store.
    #[arg(long, default_value_t = 1_000)]
    seed_customers: usize,
    /// Generated platform users (at least 2: the admin and the creator).
    #[arg(long, default_value_t = 20)]
    seed_users: usize,
    /// Generated engagement events per store.
    #[arg(long, default_value_t = 2_000)]
    seed_events: usize,
    /// Random seed of the generator: the same flags give the same data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The generator's "now" in epoch ms (default: the current time).
    #[arg(long)]
    now: Option<i64>,
    /// Write the seed as JSON to PATH and exit (edit it, then start with --seed-file).
    #[arg(long, value_name = "PATH")]
    dump_seed: Option<PathBuf>,
    /// Do not log each call on stderr.
    #[arg(long)]
    quiet: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("fanbase-emulator: {why}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let seed = match &cli.seed_file {
        Some(path) => Seed::from_file(path)?,
        None => {
            let now = cli.now.unwrap_or_else(wall_ms);
            Seed::generate(&Generate {
                seed: cli.seed,
                now,
                stores: cli.seed_stores,
                customers_per_store: cli.seed_customers,
                users: cli.seed_users,
                events_per_store: cli.seed_events,
            })
        }
    };
    if let Some(path) = &cli.dump_seed {
        let text = serde_json::to_string_pretty(&seed).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("wrote the seed to {}", path.display());
        return Ok(());
    }
    let options = Options { host: cli.host, port: cli.port, verbose: !cli.quiet };
    let emulator = Emulator::start_with(seed, options)
        .await
        .map_err(|e| format!("cannot start on {}:{}: {e}", cli.host, cli.port))?;
    print_welcome(&emulator);
    tokio::select! {
        _ = tokio::signal::ctrl_c() => println!("stopping"),
        _ = emulator.serve_forever() => {}
    }
    Ok(())
}

fn print_welcome(e: &Emulator) {
    let url = e.url();
    let who = |id: &str| e.state().user(id).map(|u| format!("{} <{}>", u.name, u.email)).unwrap_or_default();
    println!("fanbase-emulator: the platform's desktop API is running.");
    println!();
    println!("  deployment URL  {url}");
    if let Some((token, id)) = e.admin() {
        println!("  admin token     {token}   ({}, admin)", who(id));
    }
    if let Some((token, id)) = e.creator() {
        println!("  creator token   {token}   ({}, owns {})", who(id), e.creator_store_id());
    }
    println!();
    for s in e.state().stores() {
        println!(
            "  store {}  \"{}\"  owner {}  {} fans, {} events",
            s.store.id, s.store.name, s.store.owner_id, s.live_customers, s.events
        );
    }
    println!("  {} users", e.state().users().len());
    println!();
    println!("Sign in with the URL and a token; `fanbase login --deployment {url}` reads the token from stdin.");
    println!("Faults: curl -X POST {url}/_control/faults -H 'content-type: application/json' -d '{{\"serverErrors\":{{\"times\":3}}}}'");
    println!("Press Ctrl-C to stop.");
}

fn wall_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
