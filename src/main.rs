//! `sgd-lab`: the command line of SGD Lab. See `sgd-lab help`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // A bug must still end in one line, never a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("sgd-lab: internal error, please report it: {info}");
    }));
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::main(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sgd-lab: {e}");
            ExitCode::from(2)
        }
    }
}
