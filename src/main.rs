//! The `hubmatch` command line; all the work happens in the library.
use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let _ = dotenvy::dotenv();
    let cli = hubmatch::cli::Cli::parse();
    match hubmatch::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hubmatch: {e:#}");
            ExitCode::FAILURE
        }
    }
}
