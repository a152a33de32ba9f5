//! The book list screen (a reception desk on a shared tablet): how a typed query is read and
//! how the books on the device are ranked against it.
//!
//! Search runs over summaries held in memory rather than a storage index on names: once records
//! are encrypted at rest, a plaintext name index would leak exactly what encryption hides, so
//! names are only ever compared after decoding.

use std::cmp::Ordering;

use crate::text::fold_for_search;
use crate::CitizenId;

/// What the ranking needs to know of a listed book. The shell's summaries implement it, so a
/// list already in memory is searched without copying it.
pub trait ListedBook {
    fn citizen_id(&self) -> &CitizenId;
    /// The full name folded with [`fold_for_search`], computed once per load.
    fn folded_name(&self) -> &str;
}

/// The order of the book list: by folded name, then by citizen ID (two people can share a name).
pub fn by_name<B: ListedBook>(a: &B, b: &B) -> Ordering {
    a.folded_name()
        .cmp(b.folded_name())
        .then_with(|| a.citizen_id().cmp(b.citizen_id()))
}

/// A search query as typed at a reception desk: a citizen ID (or some of its digits), or a
/// fragment of a name, with or without diacritics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Matches everything.
    All,
    /// A full, valid 12-digit citizen ID: looked up by key.
    CitizenId(CitizenId),
    /// Some digits of a citizen ID (e.g. the last four, as printed on masked lists).
    IdDigits(String),
    /// Folded name tokens; a book matches when every token occurs in its folded name.
    Name(Vec<String>),
}

impl Query {
    pub fn parse(input: &str) -> Query {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Query::All;
        }
        if compact.chars().all(|c| c.is_ascii_digit()) {
            return match CitizenId::parse(&compact) {
                Ok(id) => Query::CitizenId(id),
                Err(_) => Query::IdDigits(compact),
            };
        }
        let tokens: Vec<String> = words(&fold_for_search(input)).map(str::to_owned).collect();
        if tokens.is_empty() {
            // Only punctuation: nothing to match a name against.
            return Query::All;
        }
        Query::Name(tokens)
    }

    fn rank(&self, book: &impl ListedBook) -> Option<u8> {
        match self {
            Query::All => Some(0),
            Query::CitizenId(id) => (book.citizen_id() == id).then_some(0),
            Query::IdDigits(digits) => {
                let id = book.citizen_id().as_str();
                if id.ends_with(digits.as_str()) {
                    Some(0)
                } else {
                    id.contains(digits.as_str()).then_some(1)
                }
            }
            Query::Name(tokens) => {
                let name = book.folded_name();
                if !tokens.iter().all(|t| name.contains(t.as_str())) {
                    return None;
                }
                let name_words: Vec<&str> = words(name).collect();
                if name_words.len() == tokens.len()
                    && name_words.iter().zip(tokens).all(|(w, t)| *w == t)
                {
                    Some(0)
                } else if tokens
                    .iter()
                    .all(|t| name_words.iter().any(|w| w.starts_with(t.as_str())))
                {
                    Some(1)
                } else {
                    Some(2)
                }
            }
        }
    }

    /// Matching books, exact names first, then names where every token starts a word
    /// ("ng v a" finds "Nguyễn Văn A"), then any substring match; by name within each rank.
    pub fn filter<B: ListedBook + Clone>(&self, books: &[B]) -> Vec<B> {
        let mut hits: Vec<(u8, &B)> = books
            .iter()
            .filter_map(|b| self.rank(b).map(|r| (r, b)))
            .collect();
        hits.sort_by(|(ra, a), (rb, b)| ra.cmp(rb).then_with(|| by_name(*a, *b)));
        hits.into_iter().map(|(_, b)| b.clone()).collect()
    }
}

/// The words of folded text: punctuation separates words like a space ("nguyen,van" is two).
fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citizen_id(serial: u32) -> CitizenId {
        CitizenId::parse(&format!("0190900{serial:05}")).expect("a well-formed test ID")
    }

    #[derive(Debug, Clone)]
    struct Listed {
        id: CitizenId,
        name: &'static str,
        folded: String,
    }

    impl ListedBook for Listed {
        fn citizen_id(&self) -> &CitizenId {
            &self.id
        }
        fn folded_name(&self) -> &str {
            &self.folded
        }
    }

    fn listed(n: u32, name: &'static str) -> Listed {
        Listed {
            id: citizen_id(n),
            name,
            folded: fold_for_search(name),
        }
    }

    fn books() -> Vec<Listed> {
        vec![
            listed(1, "Nguyễn Văn A"),
            listed(2, "Nguyễn Văn Bình"),
            listed(3, "Đặng Thị Ngọc Ánh"),
            listed(4, "Hoàng Văn Dũng"),
        ]
    }

    fn names(query: &str) -> Vec<&'static str> {
        Query::parse(query)
            .filter(&books())
            .into_iter()
            .map(|b| b.name)
            .collect()
    }

    #[test]
    fn queries_are_read_as_reception_types_them() {
        assert_eq!(Query::parse("   "), Query::All);
        assert_eq!(Query::parse(",;"), Query::All);
        assert_eq!(
            Query::parse("0190 9000 0001"),
            Query::CitizenId(CitizenId::parse("019090000001").expect("valid"))
        );
        assert_eq!(Query::parse("0001"), Query::IdDigits("0001".into()));
        assert_eq!(
            Query::parse("  NGUYỄN,văn  A "),
            Query::Name(vec!["nguyen".into(), "van".into(), "a".into()])
        );
    }

    #[test]
    fn search_ignores_diacritics_case_and_word_order_of_fragments() {
        let hits = names("nguyen van a");
        assert_eq!(
            hits.first().copied(),
            Some("Nguyễn Văn A"),
            "exact name first: {hits:?}"
        );
        assert!(
            !hits.contains(&"Hoàng Văn Dũng"),
            "every token must match: {hits:?}"
        );
        assert_eq!(names("NGUYỄN  văn"), ["Nguyễn Văn A", "Nguyễn Văn Bình"]);
        assert_eq!(names("dang ngoc anh"), ["Đặng Thị Ngọc Ánh"]);
        assert_eq!(names("dung"), ["Hoàng Văn Dũng"]);
        // Decomposed input, as some phone keyboards produce.
        assert_eq!(names("Hoa\u{300}ng"), ["Hoàng Văn Dũng"]);
        assert!(names("tran").is_empty());
        assert_eq!(names("ngoc anh").len(), 1);
        assert_eq!(names("  ").len(), 4);
    }

    #[test]
    fn citizen_ids_match_whole_or_by_their_last_digits_first() {
        let third = citizen_id(3);
        assert_eq!(names(third.as_str()), ["Đặng Thị Ngọc Ánh"]);
        let second = citizen_id(2);
        let spaced = format!("{} {}", &second.as_str()[..6], &second.as_str()[6..]);
        assert_eq!(names(&spaced), ["Nguyễn Văn Bình"]);
        assert!(names(citizen_id(42).as_str()).is_empty());
        let fourth = citizen_id(4);
        assert_eq!(names(&fourth.as_str()[8..]), ["Hoàng Văn Dũng"]);
    }

    #[test]
    fn same_names_are_ordered_by_citizen_id() {
        let mut list = [
            listed(9, "Lê Văn C"),
            listed(5, "Le Van C"),
            listed(1, "Bùi An"),
        ];
        list.sort_by(by_name);
        let ids: Vec<&CitizenId> = list.iter().map(|b| &b.id).collect();
        assert_eq!(ids[0], &citizen_id(1));
        assert!(ids[1] < ids[2]);
    }
}
