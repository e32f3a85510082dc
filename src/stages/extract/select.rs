//! Which chapters to convert: the body by default; `--chapters 1-3,7` picks by number (as
//! `bookvoice chapters` lists them, front and back matter included); `--include front,back`
//! adds those kinds to the default.

use std::ops::RangeInclusive;
use std::str::FromStr;

use super::book::{Chapter, ChapterKind};

/// A list of chapter numbers and ranges: `3`, `1-4`, `10-` (to the end), comma-separated.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterRanges(Vec<RangeInclusive<usize>>);

impl FromStr for ChapterRanges {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut ranges = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let number = |n: &str| -> Result<usize, String> {
                match n.trim().parse::<usize>() {
                    Ok(v) if v > 0 => Ok(v),
                    _ => Err(format!("{n:?} is not a chapter number (they start at 1)")),
                }
            };
            let range = match part.split_once('-') {
                None => number(part).map(|n| n..=n)?,
                Some((a, "")) => number(a)?..=usize::MAX,
                Some(("", b)) => 1..=number(b)?,
                Some((a, b)) => {
                    let (a, b) = (number(a)?, number(b)?);
                    if a > b {
                        return Err(format!("{part:?} runs backwards"));
                    }
                    a..=b
                }
            };
            ranges.push(range);
        }
        if ranges.is_empty() {
            return Err("no chapter numbers given".into());
        }
        Ok(ChapterRanges(ranges))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub chapters: Option<ChapterRanges>,
    pub include: Vec<ChapterKind>,
}

impl Selection {
    pub fn selects(&self, chapter: &Chapter) -> bool {
        match &self.chapters {
            Some(ChapterRanges(ranges)) => ranges.iter().any(|r| r.contains(&chapter.index)),
            None => chapter.kind == ChapterKind::Body || self.include.contains(&chapter.kind),
        }
    }

    /// The chapter numbers asked for that a book of `count` chapters lacks, as ranges in the
    /// form `--chapters` takes (`9`, `8-12`, `10-`), for a warning that names them. An open
    /// range (`5-`) lacks nothing unless it starts past the end.
    pub fn absent(&self, count: usize) -> Vec<String> {
        let Some(ChapterRanges(ranges)) = &self.chapters else {
            return Vec::new();
        };
        ranges
            .iter()
            .filter_map(|r| {
                let (start, end) = (*r.start().max(&(count + 1)), *r.end());
                if end <= count || (end == usize::MAX && start > *r.start()) {
                    return None;
                }
                Some(match (start, end) {
                    (s, usize::MAX) => format!("{s}-"),
                    (s, e) if s == e => s.to_string(),
                    (s, e) => format!("{s}-{e}"),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(index: usize, kind: ChapterKind) -> Chapter {
        Chapter {
            index,
            title: String::new(),
            kind,
            sources: vec![],
            blocks: vec![],
        }
    }

    #[test]
    fn ranges_parse() {
        let r: ChapterRanges = "1-3, 7,10-".parse().unwrap();
        assert_eq!(r, ChapterRanges(vec![1..=3, 7..=7, 10..=usize::MAX]));
        assert!("0".parse::<ChapterRanges>().is_err());
        assert!("5-2".parse::<ChapterRanges>().is_err());
        assert!("x".parse::<ChapterRanges>().is_err());
    }

    #[test]
    fn body_by_default_widened_by_include() {
        let front = chapter(1, ChapterKind::Front);
        let body = chapter(2, ChapterKind::Body);
        let back = chapter(3, ChapterKind::Back);
        let default = Selection::default();
        assert!(!default.selects(&front) && default.selects(&body) && !default.selects(&back));
        let wide = Selection {
            chapters: None,
            include: vec![ChapterKind::Back],
        };
        assert!(!wide.selects(&front) && wide.selects(&back));
        let picked = Selection {
            chapters: Some("1,3".parse().unwrap()),
            include: vec![],
        };
        assert!(picked.selects(&front) && !picked.selects(&body) && picked.selects(&back));
    }

    #[test]
    fn numbers_past_the_end_are_named() {
        let asked = |ranges: &str| Selection {
            chapters: Some(ranges.parse().unwrap()),
            include: vec![],
        };
        assert_eq!(asked("2,9").absent(7), vec!["9"]);
        assert_eq!(asked("5-9").absent(7), vec!["8-9"]);
        assert_eq!(asked("5-,8-").absent(7), vec!["8-"]);
        assert!(asked("1-7,3-").absent(7).is_empty());
        assert!(Selection::default().absent(0).is_empty());
    }
}
