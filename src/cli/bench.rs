//! `sgd-lab bench`.

pub fn main(_args: &[String]) -> Result<(), String> {
    Err("bench is not built yet".into())
}
