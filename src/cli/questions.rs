//! `sgd-lab questions [--html]`: every lab's predict-then-reveal questions in lecture
//! order, for an instructor (plain text; with --html the site's questions.html, which
//! scripts/build-web.sh writes into dist/).

use sgd_lab::lab::quiz;
use sgd_lab::lab::registry::LABS;

/// Text for HTML: `&`, `<`, `>` and `"` escaped.
pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The labs with questions, in lecture order: (number on the landing page, entry).
pub(super) fn labs() -> Vec<(usize, &'static sgd_lab::lab::registry::LabEntry)> {
    let mut n = 0;
    let mut out = Vec::new();
    for lab in LABS {
        if !lab.time.is_empty() {
            n += 1;
        }
        if !quiz::questions(lab.id).is_empty() {
            out.push((n, lab));
        }
    }
    out
}

pub fn text() -> String {
    let mut out = String::from(
        "SGD Lab: the questions each lab asks before its run (predict, then reveal)\n",
    );
    for (n, lab) in labs() {
        out += &format!("\n{n}. {} ({})\n", lab.title, lab.part);
        for (i, q) in quiz::questions(lab.id).iter().enumerate() {
            out += &format!("   Q{}. {}\n", i + 1, q.prompt);
            for (k, c) in q.choices.iter().enumerate() {
                out += &format!("       {}) {c}\n", (b'a' + k as u8) as char);
            }
            out += &format!("       Answered by the run: {}\n", q.reveal);
        }
    }
    out
}

pub fn html() -> String {
    let mut body = String::new();
    for (n, lab) in labs() {
        body += &format!(
            "<section class=\"kit-lab\">\n<h2>{n}. <a href=\"index.html#lab={id}&amp;quiz=1\">{title}</a></h2>\n<p class=\"part\">From the lecture: {part}</p>\n<p>{teaser}</p>\n<ol class=\"kit-questions\">\n",
            id = esc(lab.id),
            title = esc(lab.title),
            part = esc(lab.part),
            teaser = esc(lab.teaser)
        );
        for q in quiz::questions(lab.id) {
            body += &format!("<li><p>{}</p>\n<ol type=\"a\">\n", esc(q.prompt));
            for c in q.choices {
                body += &format!("<li>{}</li>\n", esc(c));
            }
            body += &format!(
                "</ol>\n<p class=\"kit-reveal\">Answered by the run: {}</p></li>\n",
                esc(q.reveal)
            );
        }
        body += "</ol>\n</section>\n";
    }
    page(
        "Questions",
        "the labs' questions",
        "Each lab can open with a question (a link with <code>quiz=1</code>): the student predicts, plays, and the lab says whether the simulation agreed, with the numbers that decided it, computed from the run on screen — change the knobs and the verdict follows. Here are all of them, for the instructor.",
        &body,
    )
}

/// A static page of the site: CSP meta, the site's stylesheet, a header, `body`.
/// `intro` is markup (ours, never user text).
pub(super) fn page(title: &str, heading: &str, intro: &str, body: &str) -> String {
    format!(
        "<!doctype html>
<html lang=\"en\">
<head>
  <meta charset=\"utf-8\">
  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
  <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'wasm-unsafe-eval'\">
  <meta name=\"color-scheme\" content=\"light dark\">
  <title>{title} — SGD Lab</title>
  <link rel=\"icon\" href=\"www/icon.svg\" type=\"image/svg+xml\">
  <link rel=\"stylesheet\" href=\"www/style.css\">
</head>
<body class=\"kit\">
  <header class=\"site-header\">
    <h1><a href=\"index.html\">SGD Lab</a>: {heading}</h1>
    <p class=\"intro\">{intro}</p>
  </header>
  <main>
{body}  </main>
</body>
</html>
"
    )
}

pub fn main(args: &[String]) -> Result<(), String> {
    match args {
        [] => print!("{}", text()),
        [h] if h == "--html" => print!("{}", html()),
        _ => {
            return Err(format!(
                "questions takes nothing or --html, got {:?}",
                args.join(" ")
            ))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_question_and_choice_is_on_the_page_escaped() {
        let page = html();
        let text = text();
        for lab in LABS {
            for q in quiz::questions(lab.id) {
                assert!(page.contains(&esc(q.prompt)), "{}", q.prompt);
                assert!(text.contains(q.prompt), "{}", q.prompt);
                for c in q.choices {
                    assert!(page.contains(&format!("<li>{}</li>", esc(c))), "{c}");
                }
            }
        }
        assert!(page.contains("index.html#lab=per-sample&amp;quiz=1"));
        assert_eq!(esc("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
        assert!(!page.contains("<script"), "no script: the page is text");
    }
}
