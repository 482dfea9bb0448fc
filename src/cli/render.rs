//! `sgd-lab render FILE --out fig.svg`.

pub fn main(_args: &[String]) -> Result<(), String> {
    Err("render is not built yet".into())
}
