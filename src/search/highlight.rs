//! Highlighting: which words of a text a query matched (typos, prefixes, synonyms), and the text as HTML with those words in `<mark>`.
//!
//! Pure functions over plain strings, so both the page and the tests can trust
//! that everything outside a `<mark>` is escaped.

/// How a query word may match a word of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordMatcher {
    /// Folded, lower-case.
    pub word: String,
    pub typos: u8,
    /// The last word as typed: it may be the start of a longer word.
    pub prefix: bool,
}

impl WordMatcher {
    pub fn matches(&self, token: &str) -> bool {
        if token == self.word || (self.prefix && token.starts_with(&self.word)) {
            return true;
        }
        if self.typos == 0 {
            return false;
        }
        let t = self.typos as usize;
        if self.prefix {
            // "voluntee" with a typo still prefixes "volunteering".
            let n = self.word.chars().count();
            let head: String = token.chars().take(n).collect();
            if within(&head, &self.word, t) {
                return true;
            }
        }
        within(token, &self.word, t)
    }
}

/// Damerau–Levenshtein (optimal string alignment) distance is at most `max`.
/// A swap of two neighbouring letters counts as one typo, as in Meilisearch.
pub fn within(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=m {
        d[0][j] = j;
    }
    for i in 1..=n {
        let mut best = usize::MAX;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
            best = best.min(v);
        }
        if best > max {
            return false;
        }
    }
    d[n][m] <= max
}

/// `text` as HTML with the byte ranges in `marks` (sorted, not overlapping, on
/// char boundaries) wrapped in `<mark>`; everything else escaped.
pub fn mark(text: &str, marks: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + marks.len() * 13);
    let mut at = 0;
    for &(from, to) in marks {
        if from < at || to > text.len() || from >= to {
            continue;
        }
        escape_into(&text[at..from], &mut out);
        out.push_str("<mark>");
        escape_into(&text[from..to], &mut out);
        out.push_str("</mark>");
        at = to;
    }
    escape_into(&text[at..], &mut out);
    out
}

/// The part of `text` (at most about `max_chars`) around its first mark, cut at
/// spaces, with "…" where it was cut; marks are moved to the cut text.
pub fn fragment(text: &str, marks: &[(usize, usize)], max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return mark(text, marks);
    }
    let first = marks.first().map_or(0, |m| m.0);
    // Start a little before the first match so it reads as a sentence.
    let mut start = back_chars(text, first, max_chars / 4);
    if start > 0 {
        start = text[..start].rfind(' ').map_or(start, |s| s + 1);
        if start > first {
            start = first;
        }
    }
    let mut end = forward_chars(text, start, max_chars);
    if end < text.len() {
        end = text[..end].rfind(' ').filter(|&e| e > start).unwrap_or(end);
    }
    let moved: Vec<(usize, usize)> = marks
        .iter()
        .filter(|(f, t)| *f >= start && *t <= end)
        .map(|(f, t)| (f - start, t - start))
        .collect();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&mark(&text[start..end], &moved));
    if end < text.len() {
        out.push('…');
    }
    out
}

fn back_chars(text: &str, from: usize, n: usize) -> usize {
    text[..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

fn forward_chars(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| from + i)
}

pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

/// Great-circle distance in kilometres.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_typo_swaps_and_drops_count_once() {
        assert!(within("garden", "gadren", 1));
        assert!(within("garden", "gardn", 1));
        assert!(!within("garden", "grdn", 1));
        assert!(within("befriending", "befreinding", 1));
        assert!(within("volunteer", "volunter", 1));
    }

    #[test]
    fn prefixes_match_as_you_type() {
        let m = WordMatcher {
            word: "garde".into(),
            typos: 1,
            prefix: true,
        };
        assert!(m.matches("gardening"));
        assert!(m.matches("garden"));
        assert!(!m.matches("guard"));
    }

    #[test]
    fn marks_are_the_only_markup() {
        let text = "Cook <b>lunch</b> & chat";
        assert_eq!(
            mark(text, &[(0, 4)]),
            "<mark>Cook</mark> &lt;b&gt;lunch&lt;/b&gt; &amp; chat"
        );
    }

    #[test]
    fn a_long_text_is_cut_around_its_first_match() {
        let text = format!(
            "{} befriending {}",
            "word ".repeat(100),
            "tail ".repeat(100)
        );
        let at = text.find("befriending").unwrap();
        let out = fragment(&text, &[(at, at + 11)], 80);
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        assert!(out.contains("<mark>befriending</mark>"), "{out}");
        assert!(out.chars().count() <= 100, "{out}");
    }

    #[test]
    fn camberwell_to_peckham_is_a_couple_of_kilometres() {
        let d = distance_km((51.474, -0.093), (51.469, -0.069));
        assert!((1.0..3.0).contains(&d), "{d}");
    }

    proptest! {
        #[test]
        fn no_input_escapes_the_marks(text in ".{0,80}", a in 0usize..80, b in 0usize..80) {
            let (from, to) = (a.min(b), a.max(b));
            let ok = |i: usize| i <= text.len() && text.is_char_boundary(i);
            let marks = if ok(from) && ok(to) { vec![(from, to)] } else { vec![] };
            let html = fragment(&text, &marks, 30);
            let stripped = html.replace("<mark>", "").replace("</mark>", "");
            prop_assert!(!stripped.contains('<') && !stripped.contains('>'));
        }
    }
}
