//! The `hallsim` binary: parse the command line, run, report the error.

use clap::Parser;

fn main() {
    let cli = hallsim::cli::Cli::parse();
    if let Err(e) = hallsim::cli::run(cli) {
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}
