//! The newest few of many dated items, without making views of the rest.

use crate::date::Date;

/// The `keep` newest of `items`, newest first, ties in `order`. Only items as new as the
/// `keep`-th newest date are made into views (the county's home page and feed pick 10 and 50 out
/// of ~10,000 notices at city scale, and `serve` does it again after an edit).
pub fn newest<I, V>(
    items: impl Iterator<Item = I> + Clone,
    date: impl Fn(&I) -> Date,
    keep: usize,
    view: impl FnMut(I) -> V,
    mut order: impl FnMut(&V, &V) -> std::cmp::Ordering,
) -> Vec<V> {
    let mut dates: Vec<Date> = items.clone().map(|item| date(&item)).collect();
    let oldest = match keep {
        0 => return Vec::new(),
        _ if dates.len() > keep => Some(*dates.select_nth_unstable_by(keep - 1, |a, b| b.cmp(a)).1),
        _ => None,
    };
    let mut views: Vec<V> =
        items.filter(|item| oldest.is_none_or(|oldest| date(item) >= oldest)).map(view).collect();
    views.sort_by(&mut order);
    views.truncate(keep);
    views
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `newest` must equal: everything made into a view, sorted, cut.
    fn sorted_then_cut(items: &[(Date, u32)], keep: usize) -> Vec<(Date, u32)> {
        let mut all = items.to_vec();
        all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        all.truncate(keep);
        all
    }

    #[test]
    fn newest_equals_sorting_everything_even_with_ties_at_the_cut() {
        let mut seed = 7u64;
        let mut next = move |below: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % below
        };
        for round in 0..500 {
            let len = next(80) as usize;
            // Few distinct days, so that many items share the date of the last one kept.
            let days = 1 + next(if round % 2 == 0 { 3 } else { 40 });
            let items: Vec<(Date, u32)> = (0..len)
                .map(|i| {
                    let day = next(days) as u8;
                    (Date::new(2016, 1 + day / 28, 1 + day % 28).expect("a date"), (i as u32 * 7919) % 101)
                })
                .collect();
            let keep = next(12) as usize;
            let mut made = 0;
            let got = newest(
                items.iter().copied(),
                |item| item.0,
                keep,
                |item| {
                    made += 1;
                    item
                },
                |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)),
            );
            assert_eq!(got, sorted_then_cut(&items, keep), "round {round}: {items:?}, keep {keep}");
            assert!(made <= items.len());
        }
    }

    #[test]
    fn newest_makes_views_only_of_what_can_be_kept() {
        let items: Vec<(Date, u32)> =
            (1..=28).map(|day| (Date::parse(&format!("2016-02-{day:02}")).expect("a date"), day)).collect();
        let mut made = 0;
        let got = newest(
            items.iter().copied(),
            |item| item.0,
            3,
            |item| {
                made += 1;
                item.1
            },
            |a, b| b.cmp(a),
        );
        assert_eq!(got, vec![28, 27, 26]);
        assert_eq!(made, 3);
    }
}
