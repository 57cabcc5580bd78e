//! `cargo run -p toolwire-sim --example sim -- --http --addr 127.0.0.1:8080`

use clap::Parser;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: toolwire_sim::SimArgs,
}

#[tokio::main]
async fn main() -> Result<(), toolwire_sim::SimError> {
    toolwire_sim::run(Cli::parse().args).await
}
