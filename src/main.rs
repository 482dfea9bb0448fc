//! `sgd-lab`: the command line of SGD Lab. See `sgd-lab help`.
//!
//! The command line is native only (it writes SVG files and reads the file system);
//! for `wasm32` this binary is empty and the library is what the browser loads.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    // A bug must still end in one line, never a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("sgd-lab: internal error, please report it: {info}");
    }));
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::main(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sgd-lab: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
