//! `kiemtra`: loads settings, sets up logging and runs the server.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use kiemtra_server::settings::Settings;
use kiemtra_server::startup::Application;
use kiemtra_server::{seed, telemetry};

#[derive(Debug, Parser)]
#[command(version, about = "kiemtra: field-inspection capture server")]
struct Cli {
    /// Create the demo agency, enterprises, inspection and accounts (idempotent).
    #[arg(long)]
    demo: bool,
    /// Settings file (TOML); environment variables `APP__SECTION__KEY` override it.
    #[arg(long)]
    config: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    telemetry::init();
    let settings = Settings::load(cli.config.as_deref())?;
    let app = Application::build(settings).await?;
    if cli.demo {
        let demo = seed::demo(&app.state().db).await?;
        tracing::info!(inspection = %demo.inspection_id, "demo data ready (password: {})", seed::DEMO_PASSWORD);
    }
    // One stdout line when ready: people read it, and the browser test waits for it.
    println!("kiemtra listening on {}", app.url());
    std::io::stdout().flush()?;
    app.run_until_stopped().await?;
    Ok(())
}
