//! How deep `[` and `{` nest, found before the text reaches the YAML parser.
//!
//! libyaml (inside serde_yaml) keeps one "simple key" slot per open flow collection and walks all
//! of them for every token, so parse time grows with the square of the nesting: 40,000 `[` take
//! 3 s, 200,000 take minutes. No content file needs more than three levels, so a file nesting
//! deeper than [`MAX_FLOW_DEPTH`] is refused before parsing.
//!
//! Counting brackets alone would be wrong both ways: `[` is plain text in `summary: 见[附件]`, and
//! a `]` inside quotes closes nothing. So this is a cut-down copy of libyaml's scanner
//! (unsafe-libyaml 0.2.11, `scanner.rs`): it finds where each token starts exactly as libyaml does
//! and skips scalars, comments, anchors and tags the same way, but builds no tokens. Where libyaml
//! would stop with an error, this stops too and reports nothing: the parser gives the message.

/// Deeper flow nesting is refused. Content needs at most three levels (`records: [{ … }]`); at this
/// depth the parser's extra work is at most about 30 times the file's token count.
pub const MAX_FLOW_DEPTH: usize = 32;

/// The byte offset of the first `[` or `{` that opens a flow collection deeper than `limit`.
pub fn too_deep(text: &str, limit: usize) -> Option<usize> {
    if !text.bytes().any(|b| b == b'[' || b == b'{') {
        return None;
    }
    let mut scanner = Scanner::new(text.as_bytes());
    scanner.run(limit).ok().flatten()
}

/// Bytes that end a run of ordinary text: the first bytes of line breaks (`\r`, `\n`, NEL, LS, PS;
/// other characters starting 0xC2 or 0xE2 are checked one by one), and `extra`.
const fn stops(extra: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    table[b'\r' as usize] = true;
    table[b'\n' as usize] = true;
    table[0xC2] = true;
    table[0xE2] = true;
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
}

static LINE_END: [bool; 256] = stops(b"");
static SINGLE_QUOTED: [bool; 256] = stops(b"'");
static DOUBLE_QUOTED: [bool; 256] = stops(b"\"\\");
static PLAIN_IN_BLOCK: [bool; 256] = stops(b" \t:");
static PLAIN_IN_FLOW: [bool; 256] = stops(b" \t:,[]{}");

/// A simple key that might still be completed by `:` (libyaml's `yaml_simple_key_t`), at flow
/// level 0 only: inside flow collections keys do not move the block indentation.
#[derive(Clone, Copy)]
struct Mark {
    index: usize,
    line: usize,
    column: usize,
}

struct Scanner<'a> {
    text: &'a [u8],
    at: usize,
    /// Characters read, as libyaml's `mark.index` (a CRLF counts two).
    index: usize,
    line: usize,
    /// In characters.
    column: usize,
    flow: usize,
    /// The current block indentation column; -1 outside any block collection.
    indent: isize,
    indents: Vec<isize>,
    simple_key_allowed: bool,
    key: Option<Mark>,
}

/// libyaml stopped with an error: the rest of the text is never scanned.
struct Stop;

type Step<T> = Result<T, Stop>;

impl<'a> Scanner<'a> {
    fn new(text: &'a [u8]) -> Self {
        // The reader takes a byte-order mark at the start before the scanner sees anything.
        let bom = "\u{FEFF}".as_bytes();
        Scanner {
            text,
            at: if text.starts_with(bom) { bom.len() } else { 0 },
            index: 0,
            line: 0,
            column: 0,
            flow: 0,
            indent: -1,
            indents: Vec::new(),
            simple_key_allowed: true,
            key: None,
        }
    }

    fn byte(&self, ahead: usize) -> u8 {
        self.text.get(self.at + ahead).copied().unwrap_or(0)
    }

    fn is(&self, c: u8) -> bool {
        self.byte(0) == c
    }

    fn at_end(&self) -> bool {
        self.at >= self.text.len()
    }

    /// Byte length of the line break at `ahead`, if there is one (`\r`, `\n`, NEL, LS, PS).
    fn break_len(&self, ahead: usize) -> Option<usize> {
        match self.byte(ahead) {
            b'\r' | b'\n' => Some(1),
            0xC2 if self.byte(ahead + 1) == 0x85 => Some(2),
            0xE2 if self.byte(ahead + 1) == 0x80 && matches!(self.byte(ahead + 2), 0xA8 | 0xA9) => Some(3),
            _ => None,
        }
    }

    fn is_break(&self, ahead: usize) -> bool {
        match self.byte(ahead) {
            b'\r' | b'\n' => true,
            0xC2 | 0xE2 => self.break_len(ahead).is_some(),
            _ => false,
        }
    }

    fn is_blank(&self, ahead: usize) -> bool {
        matches!(self.byte(ahead), b' ' | b'\t')
    }

    /// Blank, line break or end of text (libyaml's `IS_BLANKZ`; a NUL is refused by its reader).
    fn is_blankz(&self, ahead: usize) -> bool {
        match self.text.get(self.at + ahead) {
            None | Some(b' ' | b'\t' | b'\r' | b'\n') => true,
            Some(0xC2 | 0xE2) => self.is_break(ahead),
            Some(_) => false,
        }
    }

    /// Moves past one character that is not a line break.
    fn skip(&mut self) {
        let width = match self.byte(0) {
            b if b < 0x80 => 1,
            b if b >= 0xF0 => 4,
            b if b >= 0xE0 => 3,
            _ => 2,
        };
        self.at = (self.at + width).min(self.text.len());
        self.index += 1;
        self.column += 1;
    }

    /// Moves past one line break (CRLF is one).
    fn skip_line(&mut self) {
        if self.byte(0) == b'\r' && self.byte(1) == b'\n' {
            self.at += 2;
            self.index += 2;
        } else if let Some(len) = self.break_len(0) {
            self.at += len;
            self.index += 1;
        } else {
            return;
        }
        self.line += 1;
        self.column = 0;
    }

    fn skip_to_break(&mut self) {
        loop {
            self.skip_until(&LINE_END);
            if self.at_end() || self.is_break(0) {
                return;
            }
            self.skip();
        }
    }

    /// Moves past a run of bytes up to the next one marked in `stop`, which marks the first bytes
    /// of line breaks and otherwise only ASCII bytes, so the run ends between characters. Most of
    /// a file is such runs; a table keeps the scan near memory speed.
    fn skip_until(&mut self, stop: &[bool; 256]) {
        let rest = &self.text[self.at..];
        let run = rest.iter().position(|&b| stop[usize::from(b)]).unwrap_or(rest.len());
        let chars = rest[..run].iter().filter(|&&b| b & 0xC0 != 0x80).count();
        self.at += run;
        self.index += chars;
        self.column += chars;
    }

    fn mark(&self) -> Mark {
        Mark { index: self.index, line: self.line, column: self.column }
    }

    fn document_indicator(&self) -> bool {
        self.column == 0
            && ((self.is(b'-') && self.byte(1) == b'-' && self.byte(2) == b'-')
                || (self.is(b'.') && self.byte(1) == b'.' && self.byte(2) == b'.'))
            && self.is_blankz(3)
    }

    /// `yaml_parser_save_simple_key`, for the flow level that matters.
    fn save_key(&mut self) {
        if self.flow == 0 && self.simple_key_allowed {
            self.key = Some(self.mark());
        }
    }

    /// `yaml_parser_remove_simple_key`.
    fn remove_key(&mut self) {
        if self.flow == 0 {
            self.key = None;
        }
    }

    fn roll_indent(&mut self, column: usize) {
        let column = column as isize;
        if self.flow == 0 && self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
        }
    }

    fn unroll_indent(&mut self, column: isize) {
        if self.flow != 0 {
            return;
        }
        while self.indent > column {
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    /// Returns the offset of the first flow collection deeper than `limit`.
    fn run(&mut self, limit: usize) -> Step<Option<usize>> {
        loop {
            self.skip_to_next_token();
            if self.at_end() {
                return Ok(None);
            }
            self.unroll_indent(self.column as isize);
            let c = self.byte(0);
            // The common tokens first; the order of the rest is libyaml's.
            if c.is_ascii_alphanumeric() || c >= 0x80 && c != 0xC2 && c != 0xE2 && c != 0xEF {
                self.save_key();
                self.simple_key_allowed = false;
                self.plain()?;
            } else if self.column == 0 && c == b'%' {
                self.unroll_indent(-1);
                self.remove_key();
                self.simple_key_allowed = false;
                // A directive eats its line break, so the next line does not allow a key.
                self.skip_to_break();
                self.skip_line();
            } else if self.document_indicator() {
                self.unroll_indent(-1);
                self.remove_key();
                self.simple_key_allowed = false;
                self.skip();
                self.skip();
                self.skip();
            } else if c == b'[' || c == b'{' {
                self.save_key();
                self.flow += 1;
                if self.flow > limit {
                    return Ok(Some(self.at));
                }
                self.simple_key_allowed = true;
                self.skip();
            } else if c == b']' || c == b'}' {
                self.remove_key();
                self.flow = self.flow.saturating_sub(1);
                self.simple_key_allowed = false;
                self.skip();
            } else if c == b',' {
                self.remove_key();
                self.simple_key_allowed = true;
                self.skip();
            } else if c == b'-' && self.is_blankz(1) {
                self.roll_indent(self.column);
                self.remove_key();
                self.simple_key_allowed = true;
                self.skip();
            } else if c == b'?' && (self.flow != 0 || self.is_blankz(1)) {
                self.roll_indent(self.column);
                self.remove_key();
                self.simple_key_allowed = self.flow == 0;
                self.skip();
            } else if c == b':' && (self.flow != 0 || self.is_blankz(1)) {
                self.value();
                self.skip();
            } else if c == b'*' || c == b'&' {
                self.save_key();
                self.simple_key_allowed = false;
                self.anchor()?;
            } else if c == b'!' {
                self.save_key();
                self.simple_key_allowed = false;
                self.tag()?;
            } else if (c == b'|' || c == b'>') && self.flow == 0 {
                self.remove_key();
                self.simple_key_allowed = true;
                self.block_scalar()?;
            } else if c == b'\'' || c == b'"' {
                self.save_key();
                self.simple_key_allowed = false;
                self.quoted(c == b'\'')?;
            } else if self.starts_plain(c) {
                self.save_key();
                self.simple_key_allowed = false;
                self.plain()?;
            } else {
                // "found character that cannot start any token"
                return Err(Stop);
            }
        }
    }

    /// `yaml_parser_scan_to_next_token`: spaces, comments and line breaks.
    fn skip_to_next_token(&mut self) {
        loop {
            if self.column == 0 && self.text[self.at..].starts_with("\u{FEFF}".as_bytes()) {
                self.skip();
            }
            let tabs = self.flow != 0 || !self.simple_key_allowed;
            let spaces = self.text[self.at..]
                .iter()
                .position(|&b| b != b' ' && !(tabs && b == b'\t'))
                .unwrap_or(self.text.len() - self.at);
            self.at += spaces;
            self.index += spaces;
            self.column += spaces;
            if self.is(b'#') {
                self.skip_to_break();
            }
            if !self.is_break(0) {
                return;
            }
            self.skip_line();
            if self.flow == 0 {
                self.simple_key_allowed = true;
            }
        }
    }

    /// The last branch of `yaml_parser_fetch_next_token`.
    fn starts_plain(&self, c: u8) -> bool {
        let indicator = self.is_blankz(0)
            || matches!(
                c,
                b'-' | b'?'
                    | b':'
                    | b','
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b'#'
                    | b'&'
                    | b'*'
                    | b'!'
                    | b'|'
                    | b'>'
                    | b'\''
                    | b'"'
                    | b'%'
                    | b'@'
                    | b'`'
            );
        !indicator
            || (c == b'-' && !self.is_blank(1))
            || (self.flow == 0 && (c == b'?' || c == b':') && !self.is_blankz(1))
    }

    /// `yaml_parser_fetch_value`: a `:` completes the simple key if it is still possible.
    fn value(&mut self) {
        let current = self.mark();
        // Inside a flow collection the key is the collection's own, which moves no indentation.
        let key = if self.flow == 0 { self.key.take() } else { None };
        let key = key.filter(|key| key.line == current.line && key.index + 1024 >= current.index);
        match key {
            Some(key) => {
                self.roll_indent(key.column);
                self.simple_key_allowed = false;
            }
            None => {
                self.roll_indent(current.column);
                self.simple_key_allowed = self.flow == 0;
            }
        }
    }

    /// `yaml_parser_scan_anchor`: `&name` or `*name`.
    fn anchor(&mut self) -> Step<()> {
        self.skip();
        let mut length = 0;
        while self.byte(0).is_ascii_alphanumeric() || self.is(b'_') || self.is(b'-') {
            self.skip();
            length += 1;
        }
        if length == 0
            || !(self.is_blankz(0)
                || matches!(self.byte(0), b'?' | b':' | b',' | b']' | b'}' | b'%' | b'@' | b'`'))
        {
            return Err(Stop);
        }
        Ok(())
    }

    fn is_uri_char(&self, verbatim: bool) -> bool {
        let c = self.byte(0);
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'_' | b'-'
                    | b';'
                    | b'/'
                    | b'?'
                    | b':'
                    | b'@'
                    | b'&'
                    | b'='
                    | b'+'
                    | b'$'
                    | b'.'
                    | b'%'
                    | b'!'
                    | b'~'
                    | b'*'
                    | b'\''
                    | b'('
                    | b')'
            )
            || (verbatim && matches!(c, b',' | b'[' | b']'))
    }

    /// `yaml_parser_scan_tag`: `!<uri>`, `!`, `!suffix`, `!handle!suffix`.
    fn tag(&mut self) -> Step<()> {
        if self.byte(1) == b'<' {
            self.skip();
            self.skip();
            while self.is_uri_char(true) {
                self.skip();
            }
            if !self.is(b'>') {
                return Err(Stop);
            }
            self.skip();
        } else {
            while self.is_uri_char(false) {
                self.skip();
            }
        }
        if self.is_blankz(0) || (self.flow != 0 && self.is(b',')) { Ok(()) } else { Err(Stop) }
    }

    /// `yaml_parser_scan_block_scalar`: `|` or `>`, its indicators, then the indented lines.
    fn block_scalar(&mut self) -> Step<()> {
        self.skip();
        let mut increment = 0;
        if self.is(b'+') || self.is(b'-') {
            self.skip();
            if self.byte(0).is_ascii_digit() {
                if self.is(b'0') {
                    return Err(Stop);
                }
                increment = isize::from(self.byte(0) - b'0');
                self.skip();
            }
        } else if self.byte(0).is_ascii_digit() {
            if self.is(b'0') {
                return Err(Stop);
            }
            increment = isize::from(self.byte(0) - b'0');
            self.skip();
            if self.is(b'+') || self.is(b'-') {
                self.skip();
            }
        }
        while self.is_blank(0) {
            self.skip();
        }
        if self.is(b'#') {
            self.skip_to_break();
        }
        if !self.is_break(0) && !self.at_end() {
            return Err(Stop);
        }
        self.skip_line();
        let mut indent = if increment == 0 {
            0
        } else if self.indent >= 0 {
            self.indent + increment
        } else {
            increment
        };
        self.block_scalar_breaks(&mut indent)?;
        while self.column as isize == indent && !self.at_end() {
            self.skip_to_break();
            if self.at_end() {
                break;
            }
            self.skip_line();
            self.block_scalar_breaks(&mut indent)?;
        }
        Ok(())
    }

    /// `yaml_parser_scan_block_scalar_breaks`: empty lines, and the indentation when not yet known.
    fn block_scalar_breaks(&mut self, indent: &mut isize) -> Step<()> {
        let mut max_indent = 0;
        loop {
            while (*indent == 0 || (self.column as isize) < *indent) && self.is(b' ') {
                self.skip();
            }
            max_indent = max_indent.max(self.column as isize);
            if (*indent == 0 || (self.column as isize) < *indent) && self.is(b'\t') {
                return Err(Stop);
            }
            if !self.is_break(0) {
                break;
            }
            self.skip_line();
        }
        if *indent == 0 {
            *indent = max_indent.max(self.indent + 1).max(1);
        }
        Ok(())
    }

    /// `yaml_parser_scan_flow_scalar`: `'…'` (`''` inside) or `"…"` (backslash escapes).
    fn quoted(&mut self, single: bool) -> Step<()> {
        self.skip();
        loop {
            if self.document_indicator() || self.at_end() {
                return Err(Stop);
            }
            self.skip_until(if single { &SINGLE_QUOTED } else { &DOUBLE_QUOTED });
            if self.at_end() {
                return Err(Stop);
            }
            if self.is_break(0) {
                self.skip_line();
            } else if single && self.is(b'\'') && self.byte(1) == b'\'' {
                self.skip();
                self.skip();
            } else if (single && self.is(b'\'')) || (!single && self.is(b'"')) {
                self.skip();
                return Ok(());
            } else if !single && self.is(b'\\') {
                self.skip();
                if self.is_break(0) {
                    self.skip_line();
                } else if !self.at_end() {
                    self.skip();
                }
            } else {
                self.skip();
            }
        }
    }

    /// `yaml_parser_scan_plain_scalar`: up to `: `, ` #`, a flow indicator inside a flow
    /// collection, or a line indented no deeper than the enclosing block.
    fn plain(&mut self) -> Step<()> {
        let indent = self.indent + 1;
        let mut leading_blanks = false;
        loop {
            if self.document_indicator() || self.is(b'#') {
                break;
            }
            loop {
                let before = self.at;
                self.skip_until(if self.flow == 0 { &PLAIN_IN_BLOCK } else { &PLAIN_IN_FLOW });
                if self.at != before {
                    leading_blanks = false;
                }
                if self.is_blankz(0) {
                    break;
                }
                let c = self.byte(0);
                if self.flow != 0
                    && c == b':'
                    && matches!(self.byte(1), b',' | b'?' | b'[' | b']' | b'{' | b'}')
                {
                    return Err(Stop);
                }
                if (c == b':' && self.is_blankz(1))
                    || (self.flow != 0 && matches!(c, b',' | b'[' | b']' | b'{' | b'}'))
                {
                    break;
                }
                leading_blanks = false;
                self.skip();
            }
            if !(self.is_blank(0) || self.is_break(0)) {
                break;
            }
            while self.is_blank(0) || self.is_break(0) {
                if self.is_blank(0) {
                    if leading_blanks && (self.column as isize) < indent && self.is(b'\t') {
                        return Err(Stop);
                    }
                    self.skip();
                } else {
                    self.skip_line();
                    leading_blanks = true;
                }
            }
            if self.flow == 0 && (self.column as isize) < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(text: &str) -> Option<usize> {
        too_deep(text, 3)
    }

    #[test]
    fn counts_flow_collections() {
        assert_eq!(depth("a: [[[x]]]\n"), None);
        assert_eq!(depth("a: [[[[x]]]]\n"), Some(6));
        assert_eq!(depth("a: {b: {c: {d: {e: 1}}}}\n"), Some(15));
        assert_eq!(depth("a: [[[x]]]\nb: [[[[y]]]]\n"), Some(17));
        assert_eq!(depth("- [\n  [\n   [\n    [x]]]]\n"), Some(17));
    }

    #[test]
    fn brackets_in_text_do_not_count() {
        assert_eq!(depth("summary: 见[[[[附件\n"), None);
        assert_eq!(depth("a: x\n  [[[[ continued\n"), None);
        assert_eq!(depth("a: '[[[['\nb: \"{{{{\"\n"), None);
        assert_eq!(depth("a: x # [[[[\n"), None);
        assert_eq!(depth("a: |\n  [[[[\n  {{{{\nb: 1\n"), None);
        assert_eq!(depth("a: >-\n\n   [[[[\n"), None);
        assert_eq!(depth("a: &x [[[y]]]\nb: *x\n"), None);
        assert_eq!(depth("a: !!str [[[y]]]\n"), None);
    }

    #[test]
    fn closers_in_text_do_not_hide_depth() {
        assert!(depth("a: [[\"]]]]\", [[x]]]]\n").is_some());
        assert!(depth("a: [['it''s]]', [[x]]]]\n").is_some());
        assert!(depth("a: [[a'b, [[x]]]]\n").is_some());
        assert!(depth("a: [[#]]]]\n  [[x]]]]\n").is_some());
        assert!(depth("a: [[!t, [[x]]]]\n").is_some());
    }

    #[test]
    fn a_line_at_the_block_indentation_ends_a_plain_scalar() {
        // `[` at the start of the next entry opens a collection; inside the entry it is text.
        assert!(depth("- x\n- [[[[y]]]]\n").is_some());
        assert_eq!(depth("- x\n  [[[[y]]]]\n"), None);
        assert!(depth("a:\n  b: x\n  [[[[y]]]]\n").is_some());
        assert_eq!(depth("a:\n  b: x\n   [[[[y]]]]\n"), None);
    }

    #[test]
    fn stops_where_libyaml_stops() {
        assert_eq!(depth("a: @x [[[[y]]]]\n"), None);
        assert_eq!(depth("a: \"x\n---\n[[[[y]]]]\n"), None);
    }
}
