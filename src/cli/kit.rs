//! `sgd-lab kit`: the course kit page (the site's kit.html, scripts/build-web.sh): for
//! every lab in lecture order its lecture time, its one-line claim, its questions, a
//! ready <iframe> snippet and link, and the command that makes its slide figures; then
//! how to put a lab into Moodle or Canvas.

use super::questions::{esc, page};
use sgd_lab::lab::quiz;
use sgd_lab::lab::registry::LABS;

/// Where the instructor's copy of the site lives (they replace it).
pub const HOST: &str = "https://YOUR-HOST/sgd-lab/";

/// The <iframe> snippet for lab `id` (the page's "copy embed code" writes the same form).
pub fn snippet(id: &str, title: &str) -> String {
    format!(
        "<iframe src=\"{HOST}embed.html#lab={id}\" width=\"640\" height=\"420\" title=\"SGD Lab: {}\" loading=\"lazy\"></iframe>",
        title.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
    )
}

pub fn html() -> String {
    let mut body = String::new();
    let mut n = 0;
    for lab in LABS.iter().filter(|l| l.ready) {
        let number = if lab.time.is_empty() {
            String::new()
        } else {
            n += 1;
            format!("{n}. ")
        };
        let id = esc(lab.id);
        body += &format!(
            "<section class=\"kit-lab\" id=\"kit-{id}\">\n<h2>{number}<a href=\"index.html#lab={id}\">{}</a></h2>\n<p class=\"part\">From the lecture: {}</p>\n<p>{}</p>\n",
            esc(lab.title),
            esc(lab.part),
            esc(lab.teaser)
        );
        let qs = quiz::questions(lab.id);
        if !qs.is_empty() {
            body += &format!("<p>Predict, then play (<a href=\"index.html#lab={id}&amp;quiz=1\">open with the question</a>):</p>\n<ol class=\"kit-questions\">\n");
            for q in qs {
                body += &format!(
                    "<li>{} <em>({})</em></li>\n",
                    esc(q.prompt),
                    esc(&q.choices.join(" / "))
                );
            }
            body += "</ol>\n";
        }
        body += &format!(
            "<p>Embed (<a href=\"embed.html#lab={id}\">try the embed view</a>):</p>\n<pre class=\"kit-code\"><code>{}</code></pre>\n<p>Slide figures: on the lab page, set it up, then Save → Scenario (JSON), and</p>\n<pre class=\"kit-code\"><code>sgd-lab lab sgd-lab-{id}.json --out slides/{id}</code></pre>\n</section>\n",
            esc(&snippet(lab.id, lab.title))
        );
    }
    body += &format!(
        "<section class=\"kit-lms\">\n<h2>Into Moodle or Canvas</h2>\n<ul>\n<li>Put the site (the folder <code>dist/</code>) on any static host (a course web space, GitHub Pages), or use the copy you already have; replace <code>{HOST}</code> in the snippets above by its address.</li>\n<li>Moodle: in a Page or a Label, switch the editor to HTML (the <code>&lt;/&gt;</code> button) and paste a snippet. Canvas: in a Page, <em>Insert → Embed</em>, or the HTML editor, and paste it.</li>\n<li>Without a host: upload <code>sgd-lab.html</code> (every lab in one file, it works from disk) as a file resource, and link to it.</li>\n<li>A lesson link can fix what students see: add <code>&amp;hide=knobs</code>, <code>&amp;autoplay=1</code> or <code>&amp;quiz=1</code> to a lab's address (the lab page's \"For a lesson\" panel writes such links and snippets). Every question is also on <a href=\"questions.html\">one page</a>.</li>\n</ul>\n</section>\n"
    );
    page(
        "Course kit",
        "course kit",
        "Every lab in the order of the lecture, with what it shows, its questions, an embed snippet and the command for slide figures.",
        &body,
    )
}

pub fn main(args: &[String]) -> Result<(), String> {
    if !args.is_empty() {
        return Err(format!("kit takes no arguments, got {:?}", args.join(" ")));
    }
    print!("{}", html());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ready_lab_has_its_snippet_command_and_claim() {
        let page = html();
        for lab in LABS.iter().filter(|l| l.ready) {
            assert!(
                page.contains(&esc(&snippet(lab.id, lab.title))),
                "{}",
                lab.id
            );
            assert!(page.contains(&format!(
                "sgd-lab lab sgd-lab-{0}.json --out slides/{0}",
                lab.id
            )));
            assert!(page.contains(&esc(lab.teaser)), "{}", lab.id);
        }
        assert!(!page.contains("<script"));
        assert!(
            snippet("decay", "A \"b\" & c").contains("title=\"SGD Lab: A &quot;b&quot; &amp; c\"")
        );
    }
}
