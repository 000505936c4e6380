//! What a zone's `area` says in numbers: the house numbers, rows, buildings and stairwells it
//! covers on each named street or estate (东大街1号至28号, 新村住宅区第1排至第6排,
//! 河畔家园3号楼1至2单元). Search answers "who is responsible for 东大街20号" with it, and
//! `check` warns where a number cannot be placed, so webmasters learn the forms
//! (docs/content-format.md, section 8.1).
//!
//! `themes/default/static/address.js` reads queries with the same rules, character for
//! character; `tests/search.rs` runs both on the same texts. Keep the two in step.

use crate::diagnostic::{Diagnostic, SourceText};
use crate::search::terms::is_han;

/// What a number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 号: a house number on a street.
    House,
    /// 排: a row of houses in an estate.
    Row,
    /// 号楼, 栋, 幢: a building.
    Building,
    /// 单元: a stairwell of a building.
    Stair,
    /// 层: a floor.
    Floor,
    /// 室: a room.
    Room,
}

impl Kind {
    /// Streets, rows and buildings come first; stairwells are in buildings, floors in
    /// stairwells, rooms on floors. A place without a street name takes the earlier levels of
    /// the place before it (河畔家园5号楼1单元、2单元: the 2单元 is in 5号楼).
    pub fn rank(self) -> u8 {
        match self {
            Kind::House | Kind::Row | Kind::Building => 0,
            Kind::Stair => 1,
            Kind::Floor => 2,
            Kind::Room => 3,
        }
    }

    /// The letter of the kind in the search index's range files.
    pub fn letter(self) -> char {
        match self {
            Kind::House => 'h',
            Kind::Row => 'r',
            Kind::Building => 'b',
            Kind::Stair => 'u',
            Kind::Floor => 'f',
            Kind::Room => 'm',
        }
    }
}

/// Which house numbers of a range count: 单号 (odd) or 双号 (even) are one side of a street.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parity {
    All,
    Odd,
    Even,
}

/// One level of a place: a range of numbers of one kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub kind: Kind,
    pub from: u32,
    /// `None`: no end (东大街单号 is every odd number).
    pub to: Option<u32>,
    pub parity: Parity,
}

impl Level {
    /// Whether `n` is in the range.
    pub fn contains(&self, n: u32) -> bool {
        let side = match self.parity {
            Parity::All => true,
            Parity::Odd => n % 2 == 1,
            Parity::Even => n.is_multiple_of(2),
        };
        side && n >= self.from && self.to.is_none_or(|to| n <= to)
    }
}

/// A range on a named street or estate: 东大街 [号 1–28], 河畔家园 [楼 5, 单元 1–2]. No levels
/// is the whole place (后街全部).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The street or estate, as written before the first number; empty when the area names
    /// none (3号楼1至2单元).
    pub name: String,
    pub levels: Vec<Level>,
    /// Characters `start..end` of the text: from the name (or the name it continues, written
    /// before) to the end of the last level.
    pub start: usize,
    pub end: usize,
}

impl Place {
    /// The levels as the search index writes them: each kind's letter, the first number, `-`
    /// and the last when they differ (`-` alone when there is no last), `o` or `e` for one
    /// side of the street. 河畔家园5号楼1至2单元 is `b5u1-2`; 东大街单号 is `h1-o`.
    pub fn code(&self) -> String {
        let mut code = String::new();
        for level in &self.levels {
            code.push(level.kind.letter());
            code.push_str(&level.from.to_string());
            match level.to {
                Some(to) if to == level.from => {}
                Some(to) => code.push_str(&format!("-{to}")),
                None => code.push('-'),
            }
            match level.parity {
                Parity::All => {}
                Parity::Odd => code.push('o'),
                Parity::Even => code.push('e'),
            }
        }
        code
    }
}

/// Why a number could not be placed in a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// 1号至: a range without its last number.
    NoEnd,
    /// 东大街至28号: a range without its first number.
    NoStart,
    /// 28号至1号.
    Reversed,
    /// 1号至6排: the two ends count different things.
    Mixed,
    /// 东大街28, 1至28: a number without 号, 排, 单元 or another unit.
    NoUnit,
}

impl ProblemKind {
    /// The name the browser's reader gives the same problem (`address.js`).
    pub fn label(self) -> &'static str {
        match self {
            ProblemKind::NoEnd => "no-end",
            ProblemKind::NoStart => "no-start",
            ProblemKind::Reversed => "reversed",
            ProblemKind::Mixed => "mixed",
            ProblemKind::NoUnit => "no-unit",
        }
    }
}

/// A number the reader could not place, at characters `start..end` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub start: usize,
    pub end: usize,
}

/// What an area says in numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    pub places: Vec<Place>,
    pub problems: Vec<Problem>,
}

/// Numbers longer than this are not house, row or building numbers (a postcode, a masked
/// phone number) and are passed over.
const MAX_DIGITS: usize = 5;

/// Full-width ASCII (１２号, －, （）) read as ASCII.
fn fold(c: char) -> char {
    match c as u32 {
        code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Characters that end a street name and separate the parts of a list.
fn is_break(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '、' | ',' | ';' | ':' | '。' | '"' | '“' | '”' | '《' | '》' | '【' | '】')
}

/// Characters between the two ends of a range: 1号至28号, 1到28号, 1-28号, 1～28号.
fn is_range_mark(c: char) -> bool {
    matches!(c, '至' | '到' | '-' | '~' | '—' | '–' | '〜')
}

/// Characters that make a number part of something else: 139****5678, 3.5, A12, 8:00.
fn is_glue(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '*' | '.' | '/' | '#' | '_')
}

/// A number written without a unit at the end of a list part (3号楼1、2单元): the unit of the
/// next part places it.
struct Bare {
    start: usize,
    end: usize,
    value: u32,
    /// The name and levels it was written under, and where the name starts.
    name: String,
    context: Vec<Level>,
    name_start: usize,
}

/// How reading one level ended.
enum Step {
    /// A level, and where reading goes on.
    Level(Level, usize),
    /// A number without a unit at a break, and where it ends.
    Bare(u32, usize),
    /// No level: a count (12个), a number of something else (139****5678) or a problem, already
    /// noted. Reading goes on from here.
    Stop(usize),
}

/// The reader's state over the characters of one text.
struct Reader {
    chars: Vec<char>,
    reading: Reading,
    /// The street name being written, and where it starts; empty between names.
    name: String,
    name_start: usize,
    /// Whether the current name began right after a place (东厂区3号至8号工位: 工位 is no
    /// name of its own).
    name_after_place: bool,
    /// The name and levels a place without a name of its own continues, and where the name
    /// starts.
    last: Option<(String, Vec<Level>, usize)>,
    bare: Vec<Bare>,
    /// 单号 / 双号 written after a name, for the first house numbers that follow.
    side: Parity,
}

/// Reads what an area says in numbers.
pub fn read(area: &str) -> Reading {
    let mut reader = Reader {
        chars: area.chars().map(fold).collect(),
        reading: Reading::default(),
        name: String::new(),
        name_start: 0,
        name_after_place: false,
        last: None,
        bare: Vec::new(),
        side: Parity::All,
    };
    reader.run();
    reader.reading
}

/// The levels of `before` that come above a level of rank `rank`.
fn above(before: &[Level], rank: u8) -> Vec<Level> {
    before.iter().take_while(|l| l.kind.rank() < rank).cloned().collect()
}

impl Reader {
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn starts_with(&self, i: usize, word: &str) -> bool {
        word.chars().enumerate().all(|(k, c)| self.at(i + k) == Some(c))
    }

    fn is_digit(&self, i: usize) -> bool {
        self.at(i).is_some_and(|c| c.is_ascii_digit())
    }

    /// Whether a level starts at `i`: a digit, or 第 and a digit.
    fn level_starts(&self, i: usize) -> bool {
        self.is_digit(i) || (self.at(i) == Some('第') && self.is_digit(i + 1))
    }

    /// 单号 / 双号, bare or in brackets, at `i`: the side and the characters it takes.
    fn side_at(&self, i: usize) -> Option<(Parity, usize)> {
        let open = usize::from(self.at(i) == Some('('));
        let side = if self.starts_with(i + open, "单号") {
            Parity::Odd
        } else if self.starts_with(i + open, "双号") {
            Parity::Even
        } else {
            return None;
        };
        match open {
            0 => Some((side, 2)),
            _ => (self.at(i + 3) == Some(')')).then_some((side, 4)),
        }
    }

    /// The unit written at `i`, and how many characters it takes.
    fn unit_at(&self, i: usize) -> Option<(Kind, usize)> {
        if self.starts_with(i, "号楼") {
            return Some((Kind::Building, 2));
        }
        if self.starts_with(i, "单元") {
            return Some((Kind::Stair, 2));
        }
        let kind = match self.at(i)? {
            '号' => Kind::House,
            '栋' | '幢' => Kind::Building,
            '排' => Kind::Row,
            '层' => Kind::Floor,
            '室' => Kind::Room,
            _ => return None,
        };
        Some((kind, 1))
    }

    /// The digits at `i`: their value, unless longer than [`MAX_DIGITS`] or part of something
    /// else (139****5678, 3.5, A12); and where they end.
    fn number_at(&self, i: usize) -> (Option<u32>, usize) {
        let mut end = i;
        let mut value: u32 = 0;
        while self.is_digit(end) {
            if end - i < MAX_DIGITS {
                value = value * 10 + self.chars[end].to_digit(10).unwrap_or(0);
            }
            end += 1;
        }
        // A time (8:00) is glued by its colon.
        let colon_before = i > 1 && self.at(i - 1) == Some(':') && self.is_digit(i - 2);
        let colon_after = self.at(end) == Some(':') && self.is_digit(end + 1);
        let glued = (i > 0 && self.at(i - 1).is_some_and(is_glue))
            || self.at(end).is_some_and(is_glue)
            || colon_before
            || colon_after;
        ((end - i <= MAX_DIGITS && !glued).then_some(value), end)
    }

    /// Past the characters glued to a number (139****5678, 8:00), from `i`.
    fn skip_glued(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(is_glue) || (self.at(i) == Some(':') && self.is_digit(i + 1)) {
            i += 1;
        }
        // And past the other end of a range of them (8:00至17:30).
        self.skip_unknown(i)
    }

    /// Past the other end of a range in a unit this reader does not know (1班至3班), from `i`
    /// after the first end.
    fn skip_unknown(&self, i: usize) -> usize {
        if !self.at(i).is_some_and(is_range_mark) || !self.level_starts(i + 1) {
            return i;
        }
        let (_, end) = self.number_at(i + 1 + usize::from(self.at(i + 1) == Some('第')));
        let unit = self.at(end).is_some_and(|c| is_han(c) && !is_range_mark(c));
        end + usize::from(unit)
    }

    fn problem(&mut self, kind: ProblemKind, start: usize, end: usize) {
        self.reading.problems.push(Problem { kind, start, end });
    }

    /// Forgets the name being written: what follows is no part of it.
    fn drop_name(&mut self) {
        self.name.clear();
        self.name_after_place = true;
        self.side = Parity::All;
    }

    /// Ends the name being written at a break; a name standing alone is what the next place
    /// without a name continues (东大街 1号至10号).
    fn end_name(&mut self) {
        if !self.name.is_empty() && !self.name_after_place {
            self.last = Some((self.name.clone(), Vec::new(), self.name_start));
        }
        self.name.clear();
        self.name_after_place = false;
        self.side = Parity::All;
    }

    /// Numbers left without a unit cannot be placed.
    fn flush_bare(&mut self) {
        for bare in std::mem::take(&mut self.bare) {
            self.problem(ProblemKind::NoUnit, bare.start, bare.end);
        }
    }

    /// Adds a place; the next place without a name continues it.
    fn place(&mut self, name: String, start: usize, levels: Vec<Level>, end: usize) {
        self.last = Some((name.clone(), levels.clone(), start));
        self.reading.places.push(Place { name, levels, start, end });
        self.drop_name();
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.chars.len() {
            let c = self.chars[i];
            let joins = matches!(c, '及' | '和' | '与') && self.level_starts(i + 1);
            if is_break(c) || joins {
                self.end_name();
                i += 1;
                continue;
            }
            if !self.name.is_empty()
                && let Some((side, len)) = self.side_at(i)
            {
                // 东大街单号: one side of the whole street, unless numbers follow.
                let mut next = i + len;
                while self.at(next).is_some_and(char::is_whitespace) {
                    next += 1;
                }
                if self.level_starts(next) {
                    self.side = side;
                    i = next;
                } else {
                    let level = Level { kind: Kind::House, from: 1, to: None, parity: side };
                    self.place(self.name.clone(), self.name_start, vec![level], i + len);
                    i += len;
                }
            } else if c == '(' {
                // Remarks in brackets are not read: （第三村民小组）, （女生）.
                i = (i..self.chars.len()).find(|&j| self.chars[j] == ')').map_or(self.chars.len(), |j| j + 1);
            } else if !self.name.is_empty() && self.starts_with(i, "全部") {
                self.place(self.name.clone(), self.name_start, Vec::new(), i + 2);
                i += 2;
            } else if self.level_starts(i) {
                i = self.levels(i);
            } else {
                self.flush_bare();
                if self.name.is_empty() {
                    self.name_start = i;
                }
                self.name.push(c);
                i += 1;
            }
        }
        self.end_name();
        self.flush_bare();
    }

    /// Reads one level at `i`: 1号, 第3排, 1至28号, 1-49号单号, 2单元.
    fn level(&mut self, i: usize) -> Step {
        let first = i + usize::from(self.at(i) == Some('第'));
        let (from, after) = self.number_at(first);
        let Some(from) = from else { return Step::Stop(self.skip_glued(after)) };
        let first_unit = self.unit_at(after).map(|(kind, len)| (kind, after + len));
        let mut end = first_unit.map_or(after, |(_, end)| end);
        let mut second: Option<(u32, Option<Kind>)> = None;
        if self.at(end).is_some_and(is_range_mark) {
            let start = end + 1 + usize::from(self.at(end + 1) == Some('第'));
            if !self.is_digit(start) {
                self.problem(ProblemKind::NoEnd, i, end + 1);
                return Step::Stop(end + 1);
            }
            let (to, after_to) = self.number_at(start);
            let Some(to) = to else { return Step::Stop(self.skip_glued(after_to)) };
            let unit = self.unit_at(after_to);
            end = after_to + unit.map_or(0, |(_, len)| len);
            second = Some((to, unit.map(|(kind, _)| kind)));
        }
        let next = self.at(end);
        // 12个, 7个教学班, 1至3班: a count, or a unit this reader does not know.
        let unknown = next.is_some_and(|c| is_han(c) && !is_range_mark(c));
        let kind = match (first_unit.map(|(kind, _)| kind), second) {
            (Some(kind), None) => kind,
            (None, None) | (None, Some((_, None))) if unknown => {
                return Step::Stop(self.skip_unknown(end + 1));
            }
            (None, None) if next.is_none_or(|c| is_break(c) || c == '(' || c == ')') => {
                return Step::Bare(from, end);
            }
            (None, None) => return Step::Stop(end),
            (None, Some((_, None))) => {
                self.problem(ProblemKind::NoUnit, i, end);
                return Step::Stop(end);
            }
            (Some(kind), Some((_, None))) if !unknown => kind,
            (None, Some((_, Some(kind)))) => kind,
            (Some(a), Some((_, Some(b)))) if a == b => a,
            (Some(Kind::House), Some((_, Some(Kind::Building)))) => Kind::Building,
            _ => {
                self.problem(ProblemKind::Mixed, i, end);
                return Step::Stop(end);
            }
        };
        let to = second.map_or(from, |(to, _)| to);
        if to < from {
            self.problem(ProblemKind::Reversed, i, end);
            return Step::Stop(end);
        }
        let mut level = Level { kind, from, to: Some(to), parity: Parity::All };
        if kind == Kind::House
            && let Some((side, len)) = self.side_at(end)
        {
            level.parity = side;
            end += len;
        }
        Step::Level(level, end)
    }

    /// Reads the levels written from `start` (3号楼2单元1至6层) and adds their place; returns
    /// where reading goes on.
    fn levels(&mut self, start: usize) -> usize {
        let own = !self.name.is_empty();
        if own && self.name.chars().next_back().is_some_and(is_range_mark) {
            // 东大街至28号: the mark ended up in the name.
            let (_, after) = self.number_at(start + usize::from(self.at(start) == Some('第')));
            let end = after + self.unit_at(after).map_or(0, |(_, len)| len);
            self.problem(ProblemKind::NoStart, start - 1, end);
            self.drop_name();
            return end;
        }
        if own {
            self.flush_bare();
        }
        // A name of its own, or the name and the earlier levels of the place before.
        let (name, name_start, before) = match (own, &self.last) {
            (true, _) => (self.name.clone(), self.name_start, Vec::new()),
            (false, Some((name, levels, at))) => (name.clone(), *at, levels.clone()),
            (false, None) => (String::new(), start, Vec::new()),
        };
        let mut levels: Vec<Level> = Vec::new();
        let mut bare = None;
        let mut i = start;
        loop {
            match self.level(i) {
                Step::Level(level, next) => {
                    // 1号至10号12号至20号: a second street range is a place of its own.
                    if levels.last().is_some_and(|l: &Level| level.kind.rank() <= l.kind.rank()) {
                        break;
                    }
                    levels.push(level);
                    i = next;
                }
                Step::Bare(value, end) => {
                    bare = Some((i, end, value));
                    i = end;
                    break;
                }
                Step::Stop(next) => {
                    i = next;
                    break;
                }
            }
            if !self.level_starts(i) {
                break;
            }
        }
        if let Some(first) = levels.first_mut()
            && first.kind == Kind::House
            && first.parity == Parity::All
        {
            first.parity = self.side;
        }
        let context = match levels.first() {
            Some(first) => {
                let mut context = above(&before, first.kind.rank());
                context.extend(levels.iter().cloned());
                context
            }
            None => before,
        };
        if let Some((start, end, value)) = bare {
            self.bare.push(Bare {
                start,
                end,
                value,
                name: name.clone(),
                context: context.clone(),
                name_start,
            });
            self.last = Some((name, context, name_start));
            self.drop_name();
            return i;
        }
        let Some(kind) = levels.first().map(|l| l.kind) else {
            self.drop_name();
            return i;
        };
        if !own {
            // Numbers left without a unit take this one (1、2单元).
            for bare in std::mem::take(&mut self.bare) {
                let mut levels = above(&bare.context, kind.rank());
                levels.push(Level { kind, from: bare.value, to: Some(bare.value), parity: Parity::All });
                self.reading.places.push(Place {
                    name: bare.name,
                    levels,
                    start: bare.name_start,
                    end: bare.end,
                });
            }
        }
        self.place(name, name_start, context, i);
        i
    }
}

/// The warnings of one zone's area: each number that could not be placed in a range, at its
/// place in the file when the area is written on one line as it reads (else at `area:`).
pub fn check(zone: &str, area: &str, source: &SourceText, key_at: Option<usize>) -> Vec<Diagnostic> {
    let problems = read(area).problems;
    if problems.is_empty() {
        return Vec::new();
    }
    // The area's text in the file: on the line of `area:`, after it.
    let value_at = key_at.and_then(|key| {
        let line_end = source.text[key..].find('\n').map_or(source.text.len(), |n| key + n);
        source.text[key..line_end].find(area).map(|n| key + n)
    });
    let chars: Vec<(usize, char)> = area.char_indices().collect();
    problems
        .into_iter()
        .map(|problem| {
            let fragment: String =
                chars[problem.start..problem.end.min(chars.len())].iter().map(|(_, c)| c).collect();
            let (what, hint) = match problem.kind {
                ProblemKind::NoEnd => (
                    format!("“{fragment}”缺少终点"),
                    "范围写全起止，例如“东大街1号至28号”“东大街1-28号”“第1排至第6排”",
                ),
                ProblemKind::NoStart => (
                    format!("“{fragment}”缺少起点"),
                    "范围写全起止，例如“东大街1号至28号”“东大街1-28号”“第1排至第6排”",
                ),
                ProblemKind::Reversed => {
                    (format!("“{fragment}”的起点大于终点"), "小的号写在前面，例如“东大街1号至28号”")
                }
                ProblemKind::Mixed => (
                    format!("“{fragment}”两端的单位不同"),
                    "两端用同一种单位，例如“1号至28号”“第1排至第6排”“1至3号楼”",
                ),
                ProblemKind::NoUnit => (
                    format!("“{fragment}”后面缺少单位"),
                    "数字后面写上单位：号、排、号楼（栋）、单元、层、室，例如“东大街28号”“3号楼1、2单元”",
                ),
            };
            let at = match value_at {
                Some(value) => Some(value + chars.get(problem.start).map_or(area.len(), |(at, _)| *at)),
                None => key_at,
            };
            Diagnostic::warning(
                &source.path,
                format!("责任区“{zone}”的范围 area 里，{what}，按门牌搜索时找不到这一段"),
            )
            .at(at.map_or((0, 0), |at| source.position(at)))
            .hint(format!("{hint}；写法见 docs/content-format.md 第 8.1 节"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each place as `name:code`, then each problem as `label@start-end` (characters).
    fn show(text: &str) -> Vec<String> {
        let reading = read(text);
        let places = reading.places.iter().map(|p| format!("{}:{}", p.name, p.code()));
        let problems = reading.problems.iter().map(|p| format!("{}@{}-{}", p.kind.label(), p.start, p.end));
        places.chain(problems).collect()
    }

    #[test]
    fn house_numbers_in_every_written_form() {
        for text in [
            "东大街1号至28号",
            "东大街1-28号",
            "东大街1～28号",
            "东大街1号到28号",
            "东大街1至28号",
            "东大街１－２８号",
        ] {
            assert_eq!(show(text), ["东大街:h1-28"], "{text}");
        }
        assert_eq!(show("东大街1—28号"), ["东大街:h1-28"]);
        assert_eq!(show("东大街28号"), ["东大街:h28"]);
        assert_eq!(show("东大街1号至28号（第三村民小组）"), ["东大街:h1-28"]);
    }

    #[test]
    fn one_side_of_a_street() {
        assert_eq!(show("东大街单号"), ["东大街:h1-o"]);
        assert_eq!(show("东大街双号、西大街单号"), ["东大街:h1-e", "西大街:h1-o"]);
        assert_eq!(show("东大街1号至49号单号"), ["东大街:h1-49o"]);
        assert_eq!(show("东大街2-50号（双号）"), ["东大街:h2-50e"]);
        assert_eq!(show("东大街单号1号至49号"), ["东大街:h1-49o"]);
        assert_eq!(show("后街全部、西场院周边"), ["后街:"]);
    }

    #[test]
    fn rows_buildings_stairwells_floors_rooms() {
        assert_eq!(show("新村住宅区第1排至第6排"), ["新村住宅区:r1-6"]);
        assert_eq!(show("新村住宅区第1至6排"), ["新村住宅区:r1-6"]);
        assert_eq!(show("新村住宅区1-6排"), ["新村住宅区:r1-6"]);
        assert_eq!(show("3号楼1至2单元"), [":b3u1-2"]);
        assert_eq!(show("幸福小区3号楼2单元"), ["幸福小区:b3u2"]);
        assert_eq!(show("幸福小区3栋"), ["幸福小区:b3"]);
        assert_eq!(show("幸福小区3幢2单元"), ["幸福小区:b3u2"]);
        assert_eq!(show("幸福小区1至3号楼"), ["幸福小区:b1-3"]);
        assert_eq!(show("幸福小区1号至3号楼"), ["幸福小区:b1-3"]);
        assert_eq!(show("幸福小区1号楼至3号楼"), ["幸福小区:b1-3"]);
        assert_eq!(show("幸福家园3号楼2单元1至6层"), ["幸福家园:b3u2f1-6"]);
        assert_eq!(show("机关办公楼3层301至305室"), ["机关办公楼:f3m301-305"]);
    }

    #[test]
    fn lists_continue_the_street_or_building_before() {
        assert_eq!(show("东大街1号至10号、12号至20号"), ["东大街:h1-10", "东大街:h12-20"]);
        assert_eq!(show("东大街1号至10号，西大街5号"), ["东大街:h1-10", "西大街:h5"]);
        assert_eq!(show("河畔家园5号楼1单元、2单元"), ["河畔家园:b5u1", "河畔家园:b5u2"]);
        assert_eq!(show("河畔家园3号楼1、2单元"), ["河畔家园:b3u1", "河畔家园:b3u2"]);
        assert_eq!(show("东大街1、3、5号"), ["东大街:h1", "东大街:h3", "东大街:h5"]);
        assert_eq!(show("学生公寓1号楼（女生）、2号楼（男生）"), ["学生公寓:b1", "学生公寓:b2"]);
        assert_eq!(show("东大街38号至64号、小学胡同"), ["东大街:h38-64"]);
        assert_eq!(show("北大街1号至33号、村卫生室周边"), ["北大街:h1-33"]);
        assert_eq!(show("东大街 1号至10号"), ["东大街:h1-10"]);
        assert_eq!(show("东大街1号至10号12号至20号"), ["东大街:h1-10", "东大街:h12-20"]);
        assert_eq!(show("东大街1号至10号及12号"), ["东大街:h1-10", "东大街:h12"]);
        assert_eq!(show("和平小区2号楼3单元、4单元"), ["和平小区:b2u3", "和平小区:b2u4"]);
    }

    #[test]
    fn counts_and_other_numbers_are_passed_over() {
        for text in [
            "二年级7个教学班",
            "三年级6个教学班及12家校外实习企业",
            "水厂化验室及城区12个管网水质监测点",
            "教学楼1层一年级1班至3班教室",
            "值班电话139****5678",
            "邮编065000",
            "8:00至17:30",
            "村北苗木基地、蔬菜大棚园区",
            "第三村民小组",
            "",
        ] {
            let reading = read(text);
            assert!(reading.problems.is_empty(), "{text}: {:?}", reading.problems);
        }
        assert_eq!(show("教学楼1层一年级1班至3班教室"), ["教学楼:f1"]);
    }

    #[test]
    fn numbers_that_cannot_be_placed_are_problems() {
        assert_eq!(show("东大街1号至"), ["no-end@3-6"]);
        assert_eq!(show("东大街1号至、西大街5号"), ["西大街:h5", "no-end@3-6"]);
        assert_eq!(show("东大街至28号"), ["no-start@3-7"]);
        assert_eq!(show("东大街28号至1号"), ["reversed@3-9"]);
        assert_eq!(show("新村1号至6排"), ["mixed@2-7"]);
        assert_eq!(show("东大街28"), ["no-unit@3-5"]);
        assert_eq!(show("东大街1至28"), ["no-unit@3-7"]);
        assert_eq!(show("东大街1、西大街"), ["no-unit@3-4"]);
        assert_eq!(show("东大街1、2"), ["no-unit@3-4", "no-unit@5-6"]);
    }

    #[test]
    fn levels_contain_numbers_on_their_side() {
        let reading = read("东大街1号至49号单号");
        let level = &reading.places[0].levels[0];
        assert!(level.contains(1) && level.contains(49) && !level.contains(2) && !level.contains(51));
        let whole = &read("东大街双号").places[0].levels[0];
        assert!(whole.contains(1000) && !whole.contains(999));
    }
}
