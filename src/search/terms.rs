//! How text is split into search terms: overlapping pairs of Han characters, single characters
//! of titles, lower-cased ASCII words. `themes/default/static/search.js` splits queries by the same
//! rules (tested against this in `tests/search.rs`).

/// Longest ASCII word kept, in characters; longer words are cut (`search.js` cuts query words the
/// same way), so every term fits in eight bytes (a Han pair is six) and is its own sort key.
pub const MAX_WORD: usize = 8;

/// Han (CJK ideograph) characters: the scripts a name, street or building is written in.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Full-width ASCII (１２号, ＡＢ) read as ASCII, and ASCII lower-cased.
fn fold(c: char) -> char {
    let c = match c as u32 {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Calls `emit` with every term of `text`: each pair of neighbouring Han characters, each Han
/// character too when `unigrams`, and each run of ASCII letters and digits (cut to
/// [`MAX_WORD`]). Anything else separates terms.
pub fn terms(text: &str, unigrams: bool, mut emit: impl FnMut(&str)) {
    // Start of the previous character when it was Han: Han characters are not folded, so a
    // pair is a slice of the text.
    let mut previous: Option<usize> = None;
    let mut word = String::new();
    for (at, c) in text.char_indices() {
        if is_han(c) {
            if !word.is_empty() {
                emit(&word);
                word.clear();
            }
            let end = at + c.len_utf8();
            if unigrams {
                emit(&text[at..end]);
            }
            if let Some(start) = previous {
                emit(&text[start..end]);
            }
            previous = Some(at);
            continue;
        }
        previous = None;
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            if word.len() < MAX_WORD {
                word.push(c);
            }
        } else if !word.is_empty() {
            emit(&word);
            word.clear();
        }
    }
    if !word.is_empty() {
        emit(&word);
    }
}

/// The terms a query looks up, as `search.js` splits it: pairs of Han characters and ASCII
/// words; a lone Han character counts only when the query has nothing longer (then it finds
/// titles containing that character).
pub fn query_terms(query: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for unigrams in [false, true] {
        if !found.is_empty() {
            break;
        }
        terms(query, unigrams, |t| {
            if !found.iter().any(|f| f == t) {
                found.push(t.to_string());
            }
        });
    }
    found
}

/// The shard a term's postings are in: FNV-1a over the term's UTF-16 code units (what
/// JavaScript strings hold), modulo the shard count.
pub fn shard_of(term: &str, shards: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for unit in term.encode_utf16() {
        hash ^= u32::from(unit);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    let shards = shards.max(1);
    // Shard counts are powers of two: a mask is the same remainder, without a division.
    if shards.is_power_of_two() { hash as usize & (shards - 1) } else { hash as usize % shards }
}

/// A term as a number: its bytes (at most eight), big-endian, zero-padded. Ordered like the
/// terms, which hold no NUL.
pub fn term_key(term: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let n = term.len().min(8);
    bytes[..n].copy_from_slice(&term.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

/// The term a key stands for.
pub fn key_term(key: &u64) -> String {
    let bytes = key.to_be_bytes();
    String::from_utf8_lossy(&bytes[..bytes.iter().position(|b| *b == 0).unwrap_or(8)]).into_owned()
}

/// The shard of a term given as its key ([`term_key`]), as [`shard_of`] gives it for the term.
pub fn shard_of_key(key: u64, shards: usize) -> usize {
    let bytes = key.to_be_bytes();
    let len = bytes.iter().position(|b| *b == 0).unwrap_or(8);
    // Keys are made from whole terms, so the bytes are UTF-8.
    shard_of(std::str::from_utf8(&bytes[..len]).unwrap_or_default(), shards)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_terms(text: &str, unigrams: bool) -> Vec<String> {
        let mut found = Vec::new();
        terms(text, unigrams, |t| found.push(t.to_string()));
        found
    }

    #[test]
    fn chinese_is_split_into_overlapping_pairs() {
        assert_eq!(all_terms("东大街12号", false), ["东大", "大街", "12"]);
        assert_eq!(all_terms("李建国", true), ["李", "建", "李建", "国", "建国"]);
        assert_eq!(all_terms("3号楼 Room-B", false), ["3", "号楼", "room", "b"]);
        // Masked names give no pair: the hidden character cannot be searched for.
        assert_eq!(all_terms("赵*兰", false), Vec::<String>::new());
        // Full-width digits and letters read as ASCII.
        assert_eq!(all_terms("１２号ＡＢ", false), ["12", "ab"]);
    }

    #[test]
    fn long_words_are_cut() {
        let long = "a".repeat(100);
        assert_eq!(all_terms(&long, false), ["a".repeat(MAX_WORD)]);
    }

    #[test]
    fn queries_use_single_characters_only_alone() {
        assert_eq!(query_terms("东大街"), ["东大", "大街"]);
        assert_eq!(query_terms("王"), ["王"]);
        assert_eq!(query_terms("12号"), ["12"]);
        assert_eq!(query_terms("王 李"), ["王", "李"]);
        assert_eq!(query_terms("  "), Vec::<String>::new());
        assert_eq!(query_terms("大街 大街"), ["大街"]);
    }

    #[test]
    fn shard_hash_matches_the_browser() {
        // Values computed with search.js's `hash` in node.
        assert_eq!(shard_of("", 1 << 31), 0x811c_9dc5 % (1 << 31));
        assert_eq!(shard_of("a", usize::MAX), 0xe40c_292c);
        assert!(shard_of("东大", 7) < 7);
    }
}
