//! Page links for long lists, in GOV.UK's pagination pattern.

pub struct PageLink {
    pub number: u32,
    pub href: String,
    pub current: bool,
}

pub struct Pagination {
    pub previous: Option<String>,
    pub next: Option<String>,
    /// Page numbers to show; `None` is a gap ("…").
    pub items: Vec<Option<PageLink>>,
}

impl Pagination {
    /// `None` when everything fits on one page.
    pub fn new(current: u32, total_pages: u32, href: impl Fn(u32) -> String) -> Option<Self> {
        if total_pages <= 1 {
            return None;
        }
        let mut items = Vec::new();
        let mut last_shown = 0;
        for n in 1..=total_pages {
            let near = n.abs_diff(current) <= 1;
            if n == 1 || n == total_pages || near {
                if n > last_shown + 1 {
                    items.push(None);
                }
                items.push(Some(PageLink {
                    number: n,
                    href: href(n),
                    current: n == current,
                }));
                last_shown = n;
            }
        }
        Some(Self {
            previous: (current > 1).then(|| href(current - 1)),
            next: (current < total_pages).then(|| href(current + 1)),
            items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(p: &Pagination) -> Vec<String> {
        p.items
            .iter()
            .map(|i| {
                i.as_ref().map_or("…".to_owned(), |l| {
                    if l.current {
                        format!("[{}]", l.number)
                    } else {
                        l.number.to_string()
                    }
                })
            })
            .collect()
    }

    #[test]
    fn one_page_needs_no_links() {
        assert!(Pagination::new(1, 1, |n| n.to_string()).is_none());
        assert!(Pagination::new(1, 0, |n| n.to_string()).is_none());
    }

    #[test]
    fn far_pages_collapse_into_gaps() {
        let p = Pagination::new(7, 15, |n| format!("?page={n}")).unwrap();
        assert_eq!(shown(&p), vec!["1", "…", "6", "[7]", "8", "…", "15"]);
        assert_eq!(p.previous.as_deref(), Some("?page=6"));
        assert_eq!(p.next.as_deref(), Some("?page=8"));
    }

    #[test]
    fn the_last_page_has_no_next() {
        let p = Pagination::new(3, 3, |n| n.to_string()).unwrap();
        assert_eq!(shown(&p), vec!["1", "2", "[3]"]);
        assert!(p.next.is_none());
    }
}
