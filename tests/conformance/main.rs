//! One conformance suite for both table adapters. SQLite always runs; the DynamoDB cases are
//! `#[ignore]`d in a plain `cargo test` and run by the test command (`--include-ignored`)
//! against ministack at `CONNECTION_TEST_DYNAMODB`; without that endpoint they fail.

mod cases;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use connection_table::{DynamoTable, SqliteTable, Table};

pub async fn sqlite() -> Arc<dyn Table> {
    Arc::new(SqliteTable::in_memory().expect("sqlite"))
}

/// A fresh table on the DynamoDB endpoint.
pub async fn dynamodb() -> Arc<dyn Table> {
    static TABLES: AtomicUsize = AtomicUsize::new(0);
    let endpoint = connection_tests::emulator("CONNECTION_TEST_DYNAMODB");
    let config = connection_tests::emulator_config(&endpoint).await;
    let name = format!("conformance-{}-{}", std::process::id(), TABLES.fetch_add(1, Ordering::SeqCst));
    let table = DynamoTable::new(aws_sdk_dynamodb::Client::new(&config), name);
    table.create_if_missing().await.expect("create the test table");
    Arc::new(table)
}

/// Runs every case against SQLite and against DynamoDB.
macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    crate::cases::$case(crate::sqlite().await).await;
                }
            )*
        }
        mod dynamodb {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                #[ignore = "needs DynamoDB (ministack): run by bash tests/run.sh"]
                async fn $case() {
                    crate::cases::$case(crate::dynamodb().await).await;
                }
            )*
        }
    };
}

conformance!(
    items_are_put_read_and_deleted,
    conditional_puts_refuse_existing_items,
    updates_set_remove_add_and_create_missing_items,
    a_failed_condition_leaves_the_item_unchanged,
    bounded_counters_stop_at_their_bounds,
    fifty_buyers_race_for_ten_seats_and_ten_win,
    twenty_sign_ups_race_for_one_nickname_and_one_wins,
    transactions_are_all_or_nothing_with_reasons,
    transactions_refuse_bad_shapes,
    partitions_are_queried_by_sort_key,
    pages_follow_opaque_cursors_both_ways,
    foreign_or_garbled_cursors_are_refused,
    gsi_queries_page_in_index_order,
    expired_items_are_invisible,
    ids_are_allocated_once_each,
    lookups_are_seeded_identically,
    the_rank_index_orders_by_number_and_moves_with_counters,
    batch_reads_answer_every_key_in_order,
    ten_members_race_for_one_lecturer_nickname_and_one_wins,
    twenty_members_like_one_lecturer_at_once_and_all_count,
    like_and_unlike_storms_leave_the_count_equal_to_the_likes,
    twenty_members_like_one_lecture_at_once_and_all_count,
    eight_drafts_started_at_once_leave_five,
    a_deletion_and_a_claim_of_one_upload_never_leave_a_shown_image_missing,
    one_learner_claiming_a_coupon_twenty_times_at_once_holds_it_once,
    a_hundred_learners_claim_one_coupon_at_once_and_each_holds_it,
    a_coupon_deleted_while_being_claimed_leaves_no_unused_holding,
    two_hundred_orders_race_for_the_last_three_seats_and_three_win,
    a_hundred_holders_spend_a_coupon_of_ten_uses_and_ten_win,
    one_holder_spending_a_coupon_in_twenty_orders_at_once_spends_it_once,
    twenty_confirms_of_one_order_record_one_payment,
    expiry_racing_confirms_either_confirms_or_releases_each_order,
    twenty_bookings_from_one_pass_of_ten_uses_spend_exactly_ten,
);
