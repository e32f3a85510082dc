//! Front matter, body or back matter for each chapter, so that only the book itself is read
//! by default.
//!
//! Evidence, strongest first: the structural types where the chapter starts (`epub:type`,
//! ARIA roles), its title, its file's name, the landmarks or EPUB 2 guide, and finally its
//! position: what precedes the start of the body (the `bodymatter` landmark, or the first
//! chapter typed as body) is front matter, non-linear documents after it are back matter.
//! Some kinds (copyright, acknowledgements, a Project Gutenberg header or licence) are front
//! or back depending on where they sit.

use super::book::ChapterKind;
use super::chapters::Draft;
use super::package::GuideRef;

/// What one piece of evidence says.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Says {
    Front,
    Body,
    Back,
    /// Matter outside the body; which side depends on position.
    Aside,
}

fn by_type(t: &str) -> Option<Says> {
    Some(match t {
        "titlepage" | "halftitlepage" | "title-page" | "frontmatter" | "dedication"
        | "epigraph" | "seriespage" | "landmarks" | "loi" | "lot" | "preamble" => Says::Front,
        "backmatter" | "index" | "endnotes" | "footnotes" | "rearnotes" | "glossary"
        | "bibliography" | "appendix" | "afterword" | "conclusion" | "credits" => Says::Back,
        "copyright-page" | "imprint" | "acknowledgments" | "acknowledgements" | "contributors"
        | "other-credits" | "errata" | "notes" | "colophon" | "license" | "uncopyright"
        | "cover" | "toc" => Says::Aside,
        "bodymatter" | "chapter" | "part" | "volume" | "division" | "prologue" | "epilogue" => {
            Says::Body
        }
        _ => return None,
    })
}

fn by_title(title: &str) -> Option<Says> {
    let t = title
        .trim()
        .trim_end_matches(['.', ':'])
        .to_lowercase()
        .replace(['’', '\''], "");
    if t.contains("project gutenberg")
        || t.contains("creative commons")
        || t.contains("license")
        || t.contains("licence")
        || t.starts_with("attribution")
    {
        return Some(Says::Aside);
    }
    if t.starts_with("about the publisher") || t.starts_with("about this publisher") {
        return Some(Says::Back);
    }
    let exact = |words: &[&str]| words.contains(&t.as_str());
    if exact(&[
        "title page",
        "titlepage",
        "title",
        "half title",
        "half-title",
        "dedication",
        "epigraph",
        "frontispiece",
        "list of illustrations",
        "illustrations",
    ]) || t.starts_with("also by")
        || t.starts_with("praise for")
        || t.starts_with("make your own books")
    {
        return Some(Says::Front);
    }
    if exact(&[
        "colophon",
        "index",
        "notes",
        "endnotes",
        "footnotes",
        "glossary",
        "bibliography",
        "about the author",
        "about the publisher",
        "back cover",
    ]) {
        return Some(Says::Back);
    }
    if exact(&[
        "cover",
        "front cover",
        "contents",
        "table of contents",
        "toc",
        "brief contents",
        "copyright",
        "copyright page",
        "imprint",
        "uncopyright",
        "license",
        "licence",
        "acknowledgements",
        "acknowledgments",
        "credits",
        "transcribers note",
        "transcribers notes",
    ]) {
        return Some(Says::Aside);
    }
    None
}

fn by_file(path: &str) -> Option<Says> {
    let file = path.rsplit('/').next().unwrap_or(path).to_lowercase();
    let stem = file.split('.').next().unwrap_or(&file);
    let stem = stem.trim_end_matches(|c: char| c.is_ascii_digit() || c == '_' || c == '-');
    Some(match stem {
        "titlepage" | "title-page" | "title_page" | "title" | "halftitle" | "dedication" => {
            Says::Front
        }
        "cover" | "front-cover" | "frontcover" | "toc" | "contents" | "table-of-contents" => {
            Says::Aside
        }
        "colophon" | "index" | "endnotes" | "footnotes" | "notes" | "about-the-author"
        | "backcover" | "back-cover" => Says::Back,
        "copyright" | "imprint" | "uncopyright" | "license" | "licence" | "acknowledgements"
        | "acknowledgments" => Says::Aside,
        s if s.contains("promo") || s.contains("advert") => Says::Aside,
        _ => return None,
    })
}

fn by_landmark(kind: &str) -> Option<Says> {
    match kind {
        "title-page" | "titlepage" | "dedication" | "epigraph" | "loi" | "lot" => Some(Says::Front),
        "cover" | "toc" => Some(Says::Aside),
        "colophon" | "index" | "glossary" | "bibliography" | "endnotes" | "notes" => {
            Some(Says::Back)
        }
        "copyright-page" | "copyright" | "acknowledgements" | "acknowledgments" => {
            Some(Says::Aside)
        }
        _ => None,
    }
}

/// Classifies each chapter. `doc_paths[i]` is the path of document `i`; `words[i]` the
/// words of draft `i`.
pub fn classify(
    drafts: &[Draft],
    doc_paths: &[String],
    landmarks: &[GuideRef],
    book_title: &str,
    words: &[usize],
) -> Vec<ChapterKind> {
    // Evidence from the markup, and from the title or file name alone (weaker: a chapter
    // titled "Notes" between two chapters of the story is part of it).
    let (mut says, weak): (Vec<Option<Says>>, Vec<bool>) = drafts
        .iter()
        .map(|d| {
            let path = &doc_paths[d.first_doc()];
            // A specific type ("copyright-page") says more than a generic one ("frontmatter").
            let generic =
                |t: &&String| matches!(t.as_str(), "frontmatter" | "backmatter" | "bodymatter");
            let typed = d
                .types
                .iter()
                .filter(|t| !generic(t))
                .find_map(|t| by_type(t))
                .or_else(|| d.types.iter().filter(generic).find_map(|t| by_type(t)));
            if typed.is_some() {
                return (typed, false);
            }
            let named = by_title(&d.title).or_else(|| by_file(path));
            if named.is_some() {
                return (named, true);
            }
            let marked = landmarks
                .iter()
                .filter(|l| &l.path == path)
                .find_map(|l| by_landmark(&l.kind));
            (marked, false)
        })
        .unzip();

    // A short chapter named like the book, before the first chapter that says body, is a
    // title page (Gutenberg's "LA DIVINA COMMEDIA di Dante Alighieri").
    let book = book_title.to_lowercase();
    let first_body = says
        .iter()
        .position(|s| *s == Some(Says::Body))
        .unwrap_or(drafts.len());
    for (i, d) in drafts.iter().enumerate() {
        let title = d.title.to_lowercase();
        let named_like_book = !book.is_empty()
            && !title.is_empty()
            && (title.contains(&book) || book.contains(&title));
        if says[i].is_none() && named_like_book && words[i] < 100 && i < first_body {
            let later_body = drafts.iter().skip(i + 1).any(|n| !n.title.is_empty());
            if later_body {
                says[i] = Some(Says::Front);
            }
        }
    }

    // Where the body begins: the landmark, else the first chapter that says body, else the
    // first that says nothing.
    let landmark_start = landmarks
        .iter()
        .find(|l| matches!(l.kind.as_str(), "bodymatter" | "text" | "start"))
        .and_then(|l| doc_paths.iter().position(|p| *p == l.path))
        .and_then(|doc| {
            drafts.iter().enumerate().position(|(i, d)| {
                d.first_doc() >= doc
                    && !matches!(says[i], Some(Says::Front | Says::Back | Says::Aside))
            })
        });
    let body_start = landmark_start
        .or_else(|| says.iter().position(|s| *s == Some(Says::Body)))
        .or_else(|| {
            drafts
                .iter()
                .enumerate()
                .position(|(i, d)| says[i].is_none() && d.linear)
        })
        .unwrap_or(drafts.len());

    let mut kinds: Vec<ChapterKind> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let before = i < body_start;
            match says[i] {
                Some(Says::Front) => ChapterKind::Front,
                Some(Says::Back) => ChapterKind::Back,
                Some(Says::Aside) if before => ChapterKind::Front,
                Some(Says::Aside) => ChapterKind::Back,
                Some(Says::Body) => ChapterKind::Body,
                None if before => ChapterKind::Front,
                None if !d.linear => ChapterKind::Back,
                None => ChapterKind::Body,
            }
        })
        .collect();
    // Position outweighs a name: front or back matter by its title alone, with the story
    // on both sides, is part of the story.
    for i in 1..kinds.len().saturating_sub(1) {
        if weak[i]
            && matches!(says[i], Some(Says::Front | Says::Back))
            && kinds[i - 1] == ChapterKind::Body
            && kinds[i + 1] == ChapterKind::Body
        {
            kinds[i] = ChapterKind::Body;
        }
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(title: &str, doc: usize, types: &[&str], linear: bool) -> Draft {
        Draft {
            title: title.into(),
            spans: vec![(doc, 0..1)],
            sources: vec![],
            types: types.iter().map(|t| t.to_string()).collect(),
            linear,
        }
    }

    #[test]
    fn types_titles_files_and_position() {
        let paths: Vec<String> = [
            "cover.xhtml",
            "title.xhtml",
            "etym.xhtml",
            "ch1.xhtml",
            "ch2.xhtml",
            "copyright.xhtml",
            "notes.xhtml",
            "x.xhtml",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let drafts = [
            draft("", 0, &[], false),
            draft("Moby-Dick", 1, &[], true),
            draft("ETYMOLOGY", 2, &["frontmatter"], true),
            draft("Loomings", 3, &["chapter", "bodymatter"], true),
            draft("The Carpet-Bag", 4, &[], true),
            draft("Copyright", 5, &[], true),
            draft("Notes", 6, &["endnotes"], true),
            draft("Extra", 7, &[], false),
        ];
        let landmarks = [GuideRef {
            kind: "bodymatter".into(),
            path: "ch1.xhtml".into(),
        }];
        let words = [0; 8];
        let kinds = classify(&drafts, &paths, &landmarks, "Moby-Dick", &words);
        use ChapterKind::*;
        assert_eq!(kinds, [Front, Front, Front, Body, Body, Back, Back, Back]);
        // Without the landmark the first chapter typed as body starts it.
        assert_eq!(classify(&drafts, &paths, &[], "Moby-Dick", &words), kinds);
    }

    #[test]
    fn gutenberg_boilerplate_is_front_then_back() {
        let paths: Vec<String> = ["a.html", "b.html", "c.html"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let drafts = [
            draft(
                "The Project Gutenberg eBook of La Divina Commedia",
                0,
                &[],
                true,
            ),
            draft("Inferno • Canto I", 1, &[], true),
            draft("The Full Project Gutenberg License", 2, &[], true),
        ];
        use ChapterKind::*;
        assert_eq!(
            classify(&drafts, &paths, &[], "", &[100, 1000, 100]),
            [Front, Body, Back]
        );
    }

    #[test]
    fn position_outweighs_a_title_and_licences_are_matter() {
        let paths: Vec<String> = (0..7).map(|i| format!("c{i}.xhtml")).collect();
        let drafts = [
            draft("One", 0, &["chapter"], true),
            draft("Dedication", 1, &[], true),
            draft("Two", 2, &["chapter"], true),
            draft("Notes", 3, &[], true),
            draft("Three", 4, &["chapter"], true),
            draft("Attribution (CC BY 4.0)", 5, &[], true),
            draft("About the Publisher", 6, &[], true),
        ];
        use ChapterKind::*;
        assert_eq!(
            classify(&drafts, &paths, &[], "", &[1000; 7]),
            [Body, Body, Body, Body, Body, Back, Back]
        );
    }
}
