//! The page-cursor pagination of api.md §0.5: the client sends the page it is on, the page it
//! wants and the ids of the first and last items it shows; [`plan`] turns that into a cursor
//! id, a number of items to skip from it, and a direction.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PageQuery {
    pub take: i64,
    #[serde(default)]
    pub current_page: Option<i64>,
    #[serde(default)]
    pub target_page: Option<i64>,
    #[serde(default)]
    pub first_item_id: Option<i64>,
    #[serde(default)]
    pub last_item_id: Option<i64>,
}

/// Infinite scroll: only `take` and `lastItemId`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScrollQuery {
    pub take: i64,
    #[serde(default)]
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

pub fn plan(q: &PageQuery) -> PagePlan {
    let take = q.take.max(0);
    let first_page = PagePlan { cursor: None, skip: 0, take, backward: false };
    match (q.current_page.filter(|p| *p != 0), q.target_page.filter(|p| *p != 0)) {
        (Some(current), Some(target)) => {
            let diff = current - target;
            if diff == 0 {
                return PagePlan { cursor: q.first_item_id, skip: 0, take, backward: false };
            }
            let backward = diff >= 1;
            let cursor = if backward { q.first_item_id } else { q.last_item_id };
            let skip = if diff.abs() == 1 { 1 } else { (diff.abs() - 1) * take + 1 };
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

    #[test]
    fn infinite_scroll_and_first_page() {
        let scroll = PageQuery { take: 5, last_item_id: Some(7), ..Default::default() };
        assert_eq!(plan(&scroll), PagePlan { cursor: Some(7), skip: 1, take: 5, backward: false });
        let first = PageQuery { take: 5, ..Default::default() };
        assert_eq!(plan(&first), PagePlan { cursor: None, skip: 0, take: 5, backward: false });
    }
}
