//! The page-cursor pagination of api.md §0.5: the client sends the page it is on, the page it
//! wants and the ids of the first and last items it shows; [`plan`] turns that into a cursor
//! id, a number of items to skip from it, and a direction.

use serde::Deserialize;

use crate::lenient;

/// The page-cursor fields, read from a query beside the route's own filters (a route lists
/// both in its `params`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct PageQuery {
    /// The page size.
    #[serde(deserialize_with = "lenient::int")]
    pub take: i64,
    /// The page the client shows (0 or absent on the first request).
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub current_page: Option<i64>,
    /// The page it wants.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub target_page: Option<i64>,
    /// The id of the first item it shows.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub first_item_id: Option<i64>,
    /// The id of the last item it shows.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub last_item_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagePlan {
    /// The item to start from (excluded when `skip` ≥ 1); `None` = the first page.
    pub cursor: Option<i64>,
    /// How many items to pass over, counting the cursor item itself.
    pub skip: i64,
    pub take: i64,
    /// Reading backwards from the cursor (results are still returned in list order).
    pub backward: bool,
}

/// The most items one page holds (the client's order page asks for 10,000 coupons at once).
pub const TAKE_MAX: i64 = 10_000;

/// Where the page `q` asks for starts and how long it is. `0` is an absent page or id, as the
/// client sends on its first request (api.md §0.5).
pub fn plan(q: &PageQuery) -> PagePlan {
    let q = PageQuery {
        take: q.take,
        current_page: q.current_page,
        target_page: q.target_page,
        first_item_id: q.first_item_id.filter(|id| *id != 0),
        last_item_id: q.last_item_id.filter(|id| *id != 0),
    };
    let take = q.take.clamp(0, TAKE_MAX);
    let first_page = PagePlan { cursor: None, skip: 0, take, backward: false };
    match (q.current_page.filter(|p| *p != 0), q.target_page.filter(|p| *p != 0)) {
        (Some(current), Some(target)) => {
            let diff = current.saturating_sub(target);
            if diff == 0 {
                return PagePlan { cursor: q.first_item_id, skip: 0, take, backward: false };
            }
            let backward = diff >= 1;
            let cursor = if backward { q.first_item_id } else { q.last_item_id };
            let distance = diff.saturating_abs();
            let skip = if distance == 1 { 1 } else { (distance - 1).saturating_mul(take).saturating_add(1) };
            match cursor {
                Some(_) => PagePlan { cursor, skip, take, backward },
                None => first_page,
            }
        }
        _ => match q.last_item_id {
            Some(last) => PagePlan { cursor: Some(last), skip: 1, take, backward: false },
            None => first_page,
        },
    }
}

/// The page `plan` selects from the whole list `items` (in list order), finding the cursor by
/// `id`. A cursor no longer in the list gives an empty page, as the original's cursor did.
pub fn window<T>(items: Vec<T>, plan: &PagePlan, id: impl Fn(&T) -> i64) -> Vec<T> {
    let take = plan.take as usize;
    let skip = plan.skip as usize;
    let (start, end) = match plan.cursor {
        None => (0, take),
        Some(cursor) => match items.iter().position(|item| id(item) == cursor) {
            None => return Vec::new(),
            Some(at) if plan.backward => {
                let end = (at + 1).saturating_sub(skip);
                (end.saturating_sub(take), end)
            }
            Some(at) => (at.saturating_add(skip), at.saturating_add(skip).saturating_add(take)),
        },
    };
    items.into_iter().take(end).skip(start).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(current: i64, target: i64) -> PageQuery {
        PageQuery {
            take: 10,
            current_page: Some(current),
            target_page: Some(target),
            first_item_id: Some(100),
            last_item_id: Some(91),
        }
    }

    #[test]
    fn the_next_page_starts_after_the_last_item() {
        assert_eq!(plan(&q(1, 2)), PagePlan { cursor: Some(91), skip: 1, take: 10, backward: false });
    }

    #[test]
    fn jumping_three_pages_ahead_skips_two_pages_more() {
        assert_eq!(plan(&q(1, 4)), PagePlan { cursor: Some(91), skip: 21, take: 10, backward: false });
    }

    #[test]
    fn going_back_reads_backwards_from_the_first_item() {
        assert_eq!(plan(&q(3, 2)), PagePlan { cursor: Some(100), skip: 1, take: 10, backward: true });
    }

    fn ids(q: PageQuery) -> Vec<i64> {
        let list: Vec<i64> = (1..=25).rev().collect();
        window(list, &plan(&q), |id| *id)
    }

    #[test]
    fn windows_follow_the_plan_in_list_order() {
        let page = |current, target, first, last| PageQuery {
            take: 5,
            current_page: Some(current),
            target_page: Some(target),
            first_item_id: Some(first),
            last_item_id: Some(last),
        };
        assert_eq!(ids(PageQuery { take: 5, ..Default::default() }), [25, 24, 23, 22, 21]);
        assert_eq!(ids(page(1, 2, 25, 21)), [20, 19, 18, 17, 16]);
        assert_eq!(ids(page(1, 3, 25, 21)), [15, 14, 13, 12, 11]);
        assert_eq!(ids(page(3, 2, 15, 11)), [20, 19, 18, 17, 16]);
        assert_eq!(ids(page(3, 1, 15, 11)), [25, 24, 23, 22, 21]);
        assert_eq!(ids(page(5, 6, 5, 1)), Vec::<i64>::new());
        assert_eq!(ids(PageQuery { take: 5, last_item_id: Some(3), ..Default::default() }), [2, 1]);
        assert_eq!(
            ids(PageQuery { take: 5, last_item_id: Some(99), ..Default::default() }),
            Vec::<i64>::new()
        );
    }

    #[test]
    fn absurd_page_jumps_give_empty_pages() {
        let far = |current, target| PageQuery {
            take: 10_000,
            current_page: Some(current),
            target_page: Some(target),
            first_item_id: Some(25),
            last_item_id: Some(21),
        };
        assert_eq!(ids(far(1, i64::MAX)), Vec::<i64>::new());
        assert_eq!(ids(far(i64::MIN, i64::MAX)), Vec::<i64>::new());
        assert_eq!(ids(far(i64::MAX, i64::MIN)), Vec::<i64>::new());
    }

    #[test]
    fn zero_ids_and_pages_are_absent() {
        let first = PageQuery {
            take: 2,
            current_page: Some(0),
            target_page: Some(0),
            first_item_id: Some(0),
            last_item_id: Some(0),
        };
        assert_eq!(ids(first), [25, 24]);
    }

    #[test]
    fn infinite_scroll_and_first_page() {
        let scroll = PageQuery { take: 5, last_item_id: Some(7), ..Default::default() };
        assert_eq!(plan(&scroll), PagePlan { cursor: Some(7), skip: 1, take: 5, backward: false });
        let first = PageQuery { take: 5, ..Default::default() };
        assert_eq!(plan(&first), PagePlan { cursor: None, skip: 0, take: 5, backward: false });
    }
}
