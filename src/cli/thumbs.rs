//! `sgd-lab thumbs --out DIR`: the landing page's pictures, DIR/<lab id>.svg for every
//! built lab (`sgd_lab::lab::thumbnail`); scripts/build-web.sh writes them into
//! dist/www/thumbs/.

use sgd_lab::lab::thumbnail;

fn parse(args: &[String]) -> Result<String, String> {
    match args {
        [o, dir] if o == "--out" => Ok(dir.clone()),
        _ => Err(format!(
            "thumbs takes --out DIR (the directory to write <lab>.svg to), got {:?}",
            args.join(" ")
        )),
    }
}

pub fn main(args: &[String]) -> Result<(), String> {
    let out = parse(args)?;
    let dir = std::path::Path::new(&out);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {out}: {e}"))?;
    let mut written = Vec::new();
    for t in thumbnail::all()? {
        let path = dir.join(format!("{}.svg", t.id));
        std::fs::write(&path, &t.svg)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(format!("{} ({}, step {})", t.id, t.chart, t.t));
    }
    eprintln!(
        "sgd-lab: wrote {} pictures to {out}: {}",
        written.len(),
        written.join(", ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_and_bad_ones_named() {
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(parse(&a(&["--out", "d"])).unwrap(), "d");
        assert_eq!(
            parse(&a(&["d"])).err().unwrap(),
            "thumbs takes --out DIR (the directory to write <lab>.svg to), got \"d\""
        );
        assert!(parse(&a(&["--out"])).is_err());
        assert!(parse(&a(&["--out", "d", "--x"])).is_err());
    }
}
