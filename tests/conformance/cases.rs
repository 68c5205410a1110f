//! The cases, each written once against the `Table` port.

use std::sync::Arc;

use connection_adapters::Clock;
use connection_domain::lookups::seed_rows;
use connection_table::{
    Cond, Index, Item, Key, Query, SkCond, Table, TableError, TxOp, Update, counter_add, epoch_seconds,
    next_id,
};
use connection_tests::{Event, Harness};
use futures_util::future::join_all;
use serde_json::{Value, json};

fn item(pk: &str, sk: &str, extra: Value) -> Item {
    let mut item = Key::new(pk, sk).item();
    if let Value::Object(fields) = extra {
        item.extend(fields);
    }
    item
}

pub async fn items_are_put_read_and_deleted(t: Arc<dyn Table>) {
    let key = Key::new("P#1", "A");
    assert_eq!(t.get(&key).await.unwrap(), None);
    let stored = item(
        "P#1",
        "A",
        json!({"name": "춤", "n": 3, "ok": true, "none": null, "list": [1, "a"], "map": {"x": 1.5}}),
    );
    t.put(stored.clone(), None).await.unwrap();
    assert_eq!(t.get(&key).await.unwrap(), Some(stored.clone()));
    assert_eq!(t.delete(&key, None).await.unwrap(), Some(stored));
    assert_eq!(t.get(&key).await.unwrap(), None);
    assert_eq!(t.delete(&key, None).await.unwrap(), None);
}

pub async fn conditional_puts_refuse_existing_items(t: Arc<dyn Table>) {
    let first = item("P#2", "A", json!({"v": 1}));
    t.put(first.clone(), Some(Cond::NotExists)).await.unwrap();
    let err = t.put(item("P#2", "A", json!({"v": 2})), Some(Cond::NotExists)).await.unwrap_err();
    assert_eq!(err, TableError::ConditionFailed);
    assert_eq!(t.get(&Key::new("P#2", "A")).await.unwrap(), Some(first));
    let replaced = item("P#2", "A", json!({"v": 3}));
    t.put(replaced.clone(), Some(Cond::Eq("v".into(), json!(1)))).await.unwrap();
    assert_eq!(t.get(&Key::new("P#2", "A")).await.unwrap(), Some(replaced));
}

pub async fn updates_set_remove_add_and_create_missing_items(t: Arc<dyn Table>) {
    let key = Key::new("P#3", "A");
    let created = t.update(&key, Update::new().set("name", "a").add("count", 2), None).await.unwrap();
    assert_eq!(created, item("P#3", "A", json!({"name": "a", "count": 2})));
    let updated = t
        .update(&key, Update::new().set("nested", json!({"k": [1]})).remove("name").add("count", -5), None)
        .await
        .unwrap();
    assert_eq!(updated, item("P#3", "A", json!({"count": -3, "nested": {"k": [1]}})));
    assert_eq!(t.get(&key).await.unwrap(), Some(updated));
    let must_exist =
        t.update(&Key::new("P#3", "missing"), Update::new().set("x", 1), Some(Cond::Exists)).await;
    assert_eq!(must_exist.unwrap_err(), TableError::ConditionFailed);
    assert_eq!(t.get(&Key::new("P#3", "missing")).await.unwrap(), None);
}

pub async fn a_failed_condition_leaves_the_item_unchanged(t: Arc<dyn Table>) {
    let key = Key::new("P#4", "A");
    t.put(item("P#4", "A", json!({"state": "READY", "n": 5})), None).await.unwrap();
    let conds = [
        Cond::Eq("state".into(), json!("DONE")),
        Cond::Ne("state".into(), json!("READY")),
        Cond::Gt("n".into(), json!(5)),
        Cond::Lt("n".into(), json!(5)),
        Cond::AttrExists("missing".into()),
        Cond::AttrNotExists("state".into()),
        Cond::NotExists,
        Cond::And(vec![Cond::Ge("n".into(), json!(5)), Cond::Le("n".into(), json!(4))]),
        Cond::Or(vec![Cond::Eq("n".into(), json!(1)), Cond::Eq("n".into(), json!(2))]),
        Cond::And(vec![Cond::NotExists]),
    ];
    for cond in conds {
        let r = t.update(&key, Update::new().set("state", "DONE"), Some(cond.clone())).await;
        assert_eq!(r.unwrap_err(), TableError::ConditionFailed, "{cond:?}");
        assert_eq!(t.delete(&key, Some(cond.clone())).await.unwrap_err(), TableError::ConditionFailed);
    }
    assert_eq!(t.get(&key).await.unwrap().unwrap()["state"], "READY");
    let ok = Cond::And(vec![
        Cond::Ge("n".into(), json!(5)),
        Cond::Eq("state".into(), json!("READY")),
        Cond::Exists,
    ]);
    t.update(&key, Update::new().set("state", "DONE"), Some(ok)).await.unwrap();
    // A group of one condition (as a profile update without unique changes builds it).
    let single = Cond::And(vec![Cond::Exists]);
    t.update(&key, Update::new().set("state", "AGAIN"), Some(single)).await.unwrap();
    assert_eq!(t.get(&key).await.unwrap().unwrap()["state"], "AGAIN");
}

pub async fn bounded_counters_stop_at_their_bounds(t: Arc<dyn Table>) {
    let key = Key::new("P#5", "SEATS");
    assert_eq!(counter_add(t.as_ref(), &key, "taken", 3, Some(0), Some(4)).await.unwrap(), 3);
    assert_eq!(
        counter_add(t.as_ref(), &key, "taken", 2, Some(0), Some(4)).await.unwrap_err(),
        TableError::ConditionFailed
    );
    assert_eq!(counter_add(t.as_ref(), &key, "taken", 1, Some(0), Some(4)).await.unwrap(), 4);
    assert_eq!(counter_add(t.as_ref(), &key, "taken", -4, Some(0), Some(4)).await.unwrap(), 0);
    assert_eq!(
        counter_add(t.as_ref(), &key, "taken", -1, Some(0), Some(4)).await.unwrap_err(),
        TableError::ConditionFailed
    );
    let fresh = Key::new("P#5", "FRESH");
    assert_eq!(
        counter_add(t.as_ref(), &fresh, "left", -1, Some(0), None).await.unwrap_err(),
        TableError::ConditionFailed
    );
}

pub async fn fifty_buyers_race_for_ten_seats_and_ten_win(t: Arc<dyn Table>) {
    let key = Key::new("SCHEDULE#1", "SEATS");
    t.put(item("SCHEDULE#1", "SEATS", json!({"left": 10})), None).await.unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (t, key) = (t.clone(), key.clone());
            tokio::spawn(async move { counter_add(t.as_ref(), &key, "left", -1, Some(0), None).await })
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(e) => assert_eq!(e, TableError::ConditionFailed),
        }
    }
    assert_eq!(won, 10);
    assert_eq!(t.get(&key).await.unwrap().unwrap()["left"], 0);
}

pub async fn twenty_sign_ups_race_for_one_nickname_and_one_wins(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    for n in 1..=20 {
        h.grant_sign_up(&format!("racer{n}@gmail.com"), "GOOGLE").await;
    }
    let requests = (1..=20).map(|n| {
        let body = json!({
            "provider": "GOOGLE", "email": format!("racer{n}@example.com"), "authEmail": format!("racer{n}@gmail.com"),
            "name": "경주자", "nickname": "the-one", "phoneNumber": format!("010{n:08}"),
            "registerConsents": {"termsOfService": true, "talk": true, "email": true,
                "marketing": {"marketingChannelTalk": true, "marketingEmail": true}}
        });
        h.invoke(Event::from_fixture("post-users.json").json(&body))
    });
    let replies = join_all(requests).await;
    let winners: Vec<_> = replies.iter().filter(|r| r.status == 201).collect();
    assert_eq!(winners.len(), 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        assert_eq!((r.status, r.code()), (400, "DuplicateNickname"));
    }
    let winner_id = winners[0].data()["createUser"]["id"].as_i64().unwrap();
    let email = winners[0].data()["createUser"]["email"].as_str().unwrap().to_string();
    // No partial sign-ups: only the winner's user, guards, binding and consents exist.
    for id in 1..=20 {
        let user = t.get(&connection_model::keys::user(id)).await.unwrap();
        assert_eq!(user.is_some(), id == winner_id, "user {id}");
        let consents = t
            .query(Query::partition(format!("USER#{id}")).sk(SkCond::BeginsWith("CONSENT#".into())))
            .await
            .unwrap();
        assert_eq!(consents.items.len(), if id == winner_id { 5 } else { 0 });
    }
    for n in 1..=20 {
        let mine = format!("racer{n}@example.com") == email;
        let guard =
            t.get(&connection_model::keys::user_email_guard(&format!("racer{n}@example.com"))).await.unwrap();
        assert_eq!(guard.is_some(), mine, "e-mail guard of racer {n}");
        let binding =
            t.get(&connection_model::keys::auth_email(&format!("racer{n}@gmail.com"))).await.unwrap();
        assert_eq!(binding.is_some(), mine, "auth binding of racer {n}");
        let phone = t.get(&connection_model::keys::user_phone_guard(&format!("010{n:08}"))).await.unwrap();
        assert_eq!(phone.is_some(), mine, "phone guard of racer {n}");
        // A loser may pick another nickname and sign up with the grant its sign-in left.
        let grant =
            t.get(&connection_model::keys::sign_up_grant(&format!("racer{n}@gmail.com"))).await.unwrap();
        assert_eq!(grant.is_some(), !mine, "sign-up grant of racer {n}");
    }
}

pub async fn transactions_are_all_or_nothing_with_reasons(t: Arc<dyn Table>) {
    t.put(item("T#1", "taken", json!({"v": 1})), None).await.unwrap();
    t.put(item("T#1", "counter", json!({"n": 1})), None).await.unwrap();
    let ops = vec![
        TxOp::Put { item: item("T#1", "new", json!({})), cond: Some(Cond::NotExists) },
        TxOp::Put { item: item("T#1", "taken", json!({"v": 2})), cond: Some(Cond::NotExists) },
        TxOp::Update { key: Key::new("T#1", "counter"), update: Update::new().add("n", 1), cond: None },
        TxOp::Check { key: Key::new("T#1", "other"), cond: Cond::NotExists },
    ];
    let err = t.transact(ops).await.unwrap_err();
    assert_eq!(
        err,
        TableError::TransactionCanceled(vec![None, Some("ConditionalCheckFailed".into()), None, None])
    );
    assert!(err.failed_at(1) && !err.failed_at(0));
    assert_eq!(t.get(&Key::new("T#1", "new")).await.unwrap(), None);
    assert_eq!(t.get(&Key::new("T#1", "counter")).await.unwrap().unwrap()["n"], 1);
    assert_eq!(t.get(&Key::new("T#1", "taken")).await.unwrap().unwrap()["v"], 1);

    let ops = vec![
        TxOp::Put { item: item("T#1", "new", json!({"ok": true})), cond: Some(Cond::NotExists) },
        TxOp::Delete { key: Key::new("T#1", "taken"), cond: Some(Cond::Eq("v".into(), json!(1))) },
        TxOp::Update {
            key: Key::new("T#1", "counter"),
            update: Update::new().add("n", 1),
            cond: Some(Cond::Exists),
        },
    ];
    t.transact(ops).await.unwrap();
    assert_eq!(t.get(&Key::new("T#1", "new")).await.unwrap().unwrap()["ok"], true);
    assert_eq!(t.get(&Key::new("T#1", "taken")).await.unwrap(), None);
    assert_eq!(t.get(&Key::new("T#1", "counter")).await.unwrap().unwrap()["n"], 2);

    let hundred: Vec<_> = (0..100)
        .map(|i| TxOp::Put { item: item("T#2", &format!("{i:03}"), json!({})), cond: None })
        .collect();
    t.transact(hundred).await.unwrap();
    assert_eq!(t.query(Query::partition("T#2")).await.unwrap().items.len(), 100);
}

pub async fn transactions_refuse_bad_shapes(t: Arc<dyn Table>) {
    let too_many: Vec<_> =
        (0..101).map(|i| TxOp::Put { item: item("T#3", &i.to_string(), json!({})), cond: None }).collect();
    assert!(matches!(t.transact(too_many).await, Err(TableError::Invalid(_))));
    let twice = vec![
        TxOp::Put { item: item("T#3", "a", json!({})), cond: None },
        TxOp::Delete { key: Key::new("T#3", "a"), cond: None },
    ];
    assert!(matches!(t.transact(twice).await, Err(TableError::Invalid(_))));
    assert!(matches!(t.transact(vec![]).await, Err(TableError::Invalid(_))));
    assert_eq!(t.query(Query::partition("T#3")).await.unwrap().items.len(), 0);
}

async fn fill(t: &dyn Table, pk: &str, n: usize) {
    for chunk in (0..n).collect::<Vec<_>>().chunks(25) {
        let ops = chunk
            .iter()
            .map(|i| TxOp::Put {
                item: item(pk, &format!("ITEM#{i:03}"), json!({"i": i, "gsi1pk": "BY_COLOUR", "gsi1sk": format!("{}#{i:03}", ["blue", "red"][i % 2])})),
                cond: None,
            })
            .collect();
        t.transact(ops).await.unwrap();
    }
}

fn numbers(items: &[Item]) -> Vec<i64> {
    items.iter().map(|i| i["i"].as_i64().unwrap()).collect()
}

pub async fn partitions_are_queried_by_sort_key(t: Arc<dyn Table>) {
    fill(t.as_ref(), "Q#1", 12).await;
    t.put(item("Q#1", "OTHER#1", json!({"i": 99})), None).await.unwrap();
    t.put(item("Q#2", "ITEM#000", json!({"i": -1})), None).await.unwrap();
    let q = |c: SkCond| Query::partition("Q#1").sk(c);
    let all = t.query(q(SkCond::BeginsWith("ITEM#".into()))).await.unwrap();
    assert_eq!(numbers(&all.items), (0..12).collect::<Vec<_>>());
    assert_eq!(all.cursor, None);
    let between = t.query(q(SkCond::Between("ITEM#003".into(), "ITEM#005".into()))).await.unwrap();
    assert_eq!(numbers(&between.items), vec![3, 4, 5]);
    let backward = t.query(q(SkCond::Lt("ITEM#003".into())).backward()).await.unwrap();
    assert_eq!(numbers(&backward.items), vec![2, 1, 0]);
    let ge = t.query(q(SkCond::Ge("ITEM#010".into())).limit(5)).await.unwrap();
    assert_eq!(numbers(&ge.items), vec![10, 11, 99]);
    let eq = t.query(q(SkCond::Eq("ITEM#007".into()))).await.unwrap();
    assert_eq!(numbers(&eq.items), vec![7]);
    let gt_le = t.query(q(SkCond::Gt("ITEM#009".into())).limit(1)).await.unwrap();
    assert_eq!(numbers(&gt_le.items), vec![10]);
    assert!(gt_le.cursor.is_some());
    let le = t.query(q(SkCond::Le("ITEM#001".into()))).await.unwrap();
    assert_eq!(numbers(&le.items), vec![0, 1]);
}

pub async fn pages_follow_opaque_cursors_both_ways(t: Arc<dyn Table>) {
    fill(t.as_ref(), "Q#3", 25).await;
    for forward in [true, false] {
        let mut seen = Vec::new();
        let mut cursor = None;
        let mut pages = 0;
        loop {
            let mut q = Query::partition("Q#3").limit(7).after(cursor.take());
            if !forward {
                q = q.backward();
            }
            let page = t.query(q).await.unwrap();
            pages += 1;
            seen.extend(numbers(&page.items));
            match page.cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        let mut expected: Vec<i64> = (0..25).collect();
        if !forward {
            expected.reverse();
        }
        assert_eq!(seen, expected);
        assert!((4..=5).contains(&pages), "{pages} pages");
    }
}

pub async fn foreign_or_garbled_cursors_are_refused(t: Arc<dyn Table>) {
    fill(t.as_ref(), "Q#4", 3).await;
    let page = t.query(Query::partition("Q#4").limit(1)).await.unwrap();
    let cursor = page.cursor.expect("more pages");
    let foreign = t.query(Query::partition("Q#5").after(Some(cursor.clone()))).await;
    assert_eq!(foreign.unwrap_err(), TableError::InvalidCursor);
    let wrong_index = t.query(Query::gsi(Index::Gsi1, "Q#4").after(Some(cursor))).await;
    assert_eq!(wrong_index.unwrap_err(), TableError::InvalidCursor);
    let garbage = t.query(Query::partition("Q#4").after(Some("%%%not-a-cursor".into()))).await;
    assert_eq!(garbage.unwrap_err(), TableError::InvalidCursor);
}

pub async fn gsi_queries_page_in_index_order(t: Arc<dyn Table>) {
    fill(t.as_ref(), "Q#6", 10).await;
    let reds = t
        .query(Query::gsi(Index::Gsi1, "BY_COLOUR").sk(SkCond::BeginsWith("red#".into())).backward())
        .await
        .unwrap();
    assert_eq!(numbers(&reds.items), vec![9, 7, 5, 3, 1]);
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = t.query(Query::gsi(Index::Gsi1, "BY_COLOUR").limit(3).after(cursor.take())).await.unwrap();
        seen.extend(numbers(&page.items));
        match page.cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, vec![0, 2, 4, 6, 8, 1, 3, 5, 7, 9]);
}

pub async fn expired_items_are_invisible(t: Arc<dyn Table>) {
    let now = epoch_seconds();
    t.put(item("X#1", "old", json!({"ttl": now - 10})), None).await.unwrap();
    t.put(item("X#1", "live", json!({"ttl": now + 3600})), None).await.unwrap();
    t.put(item("X#1", "forever", json!({})), None).await.unwrap();
    assert_eq!(t.get(&Key::new("X#1", "old")).await.unwrap(), None);
    assert!(t.get(&Key::new("X#1", "live")).await.unwrap().is_some());
    let page = t.query(Query::partition("X#1")).await.unwrap();
    let keys: Vec<_> = page.items.iter().map(|i| i["sk"].as_str().unwrap().to_string()).collect();
    assert_eq!(keys, vec!["forever", "live"]);
    let limited = t.query(Query::partition("X#1").limit(1).backward()).await.unwrap();
    assert_eq!(limited.items[0]["sk"], "live", "an expired item does not use up a page");
    // An expired item no longer blocks a new one with the same key.
    t.put(item("X#1", "old", json!({"fresh": true})), Some(Cond::NotExists)).await.unwrap();
    assert_eq!(t.get(&Key::new("X#1", "old")).await.unwrap().unwrap()["fresh"], true);
}

pub async fn ids_are_allocated_once_each(t: Arc<dyn Table>) {
    assert_eq!(next_id(t.as_ref(), "thing").await.unwrap(), 1);
    assert_eq!(next_id(t.as_ref(), "thing").await.unwrap(), 2);
    assert_eq!(next_id(t.as_ref(), "other").await.unwrap(), 1);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let t = t.clone();
            tokio::spawn(async move { next_id(t.as_ref(), "thing").await.unwrap() })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap());
    }
    ids.sort();
    assert_eq!(ids, (3..23).collect::<Vec<_>>());
}

pub async fn lookups_are_seeded_identically(t: Arc<dyn Table>) {
    let rows = seed_rows();
    assert_eq!(connection_model::lookups::seed(t.as_ref()).await.unwrap(), rows.len());
    // Seeding again changes nothing.
    connection_model::lookups::seed(t.as_ref()).await.unwrap();
    let mut kinds: Vec<&str> = rows.iter().map(|r| r.0).collect();
    kinds.dedup();
    for kind in kinds {
        let page = t.query(Query::partition(connection_model::keys::lookup_partition(kind))).await.unwrap();
        let expected: Vec<_> = rows.iter().filter(|r| r.0 == kind).collect();
        assert_eq!(page.items.len(), expected.len(), "{kind}");
        let mut by_key: Vec<_> = expected.iter().map(|r| (r.1.clone(), r.2.clone())).collect();
        by_key.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        for (got, (sk, fields)) in page.items.iter().zip(by_key) {
            assert_eq!(got["sk"], json!(sk));
            assert_eq!(got["entity"], json!(kind), "the entity name stands beside a lookup's own fields");
            for (name, value) in fields.as_object().unwrap() {
                assert_eq!(&got[name], value, "{kind} {sk} {name}");
            }
        }
    }
}

pub async fn the_rank_index_orders_by_number_and_moves_with_counters(t: Arc<dyn Table>) {
    // 9 < 10 < 100 as numbers, though not as strings.
    for (i, score) in [(0, 10), (1, 9), (2, 100), (3, 10), (4, 55)] {
        t.put(item("R#1", &format!("ITEM#{i}"), json!({"i": i, "rankpk": "TOP", "ranksk": score})), None)
            .await
            .unwrap();
    }
    t.put(item("R#1", "UNRANKED", json!({"i": 9, "ranksk": 1000})), None).await.unwrap();
    let top = t.query(Query::gsi(Index::Rank, "TOP").backward()).await.unwrap();
    assert_eq!(
        numbers(&top.items),
        vec![2, 4, 3, 0, 1],
        "ties fall back to the key, and only ranked items appear"
    );
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page =
            t.query(Query::gsi(Index::Rank, "TOP").backward().limit(2).after(cursor.take())).await.unwrap();
        seen.extend(numbers(&page.items));
        match page.cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, vec![2, 4, 3, 0, 1]);
    // A counter added to the sort key moves the item, atomically with the rest of the write.
    t.update(&Key::new("R#1", "ITEM#1"), Update::new().add("ranksk", 200).add("likes", 1), None)
        .await
        .unwrap();
    let top = t.query(Query::gsi(Index::Rank, "TOP").backward().limit(1)).await.unwrap();
    assert_eq!(numbers(&top.items), vec![1]);
    let above_fifty = t.query(Query::gsi(Index::Rank, "TOP").sk(SkCond::Ge("50".into()))).await.unwrap();
    assert_eq!(numbers(&above_fifty.items), vec![4, 2, 1]);
    // Leaving the ranking: the item stays, the index entry goes.
    t.update(&Key::new("R#1", "ITEM#2"), Update::new().remove("rankpk"), None).await.unwrap();
    let top = t.query(Query::gsi(Index::Rank, "TOP").backward()).await.unwrap();
    assert_eq!(numbers(&top.items), vec![1, 4, 3, 0]);
}

pub async fn batch_reads_answer_every_key_in_order(t: Arc<dyn Table>) {
    let now = epoch_seconds();
    for chunk in (0..150).collect::<Vec<i64>>().chunks(50) {
        let ops = chunk
            .iter()
            .map(|i| {
                let ttl = if i % 50 == 7 { json!(now - 5) } else { json!(null) };
                TxOp::Put { item: item(&format!("B#{i}"), "ITEM", json!({"i": i, "ttl": ttl})), cond: None }
            })
            .collect();
        t.transact(ops).await.unwrap();
    }
    assert_eq!(t.batch_get(&[]).await.unwrap(), Vec::<Option<Item>>::new());
    // 150 stored keys (over one request's 100), a missing one and a repeated one, in a shuffled order.
    let mut keys: Vec<Key> = (0..150).rev().map(|i| Key::new(format!("B#{i}"), "ITEM")).collect();
    keys.insert(3, Key::new("B#missing", "ITEM"));
    keys.push(Key::new("B#0", "ITEM"));
    let got = t.batch_get(&keys).await.unwrap();
    assert_eq!(got.len(), keys.len());
    for (key, found) in keys.iter().zip(&got) {
        let i: Option<i64> = key.pk.trim_start_matches("B#").parse().ok();
        match i {
            Some(i) if i % 50 != 7 => {
                assert_eq!(found.as_ref().map(|f| f["i"].clone()), Some(json!(i)), "{key:?}")
            }
            _ => assert_eq!(found, &None, "{key:?}: missing or expired"),
        }
    }
}

/// Signs up members `1..=n` and returns their tokens.
async fn members(h: &Harness, n: u32) -> Vec<String> {
    let mut tokens = Vec::new();
    for i in 1..=n {
        h.grant_sign_up(&format!("m{i}@gmail.com"), "GOOGLE").await;
        let body = json!({
            "provider": "GOOGLE", "email": format!("m{i}@example.com"), "authEmail": format!("m{i}@gmail.com"),
            "name": "회원", "nickname": format!("m{i}"), "phoneNumber": format!("010{i:08}"),
            "registerConsents": {"termsOfService": true, "talk": true, "email": true,
                "marketing": {"marketingChannelTalk": true, "marketingEmail": true}}
        });
        let r = h.invoke(Event::from_fixture("post-users.json").json(&body)).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
        let id = r.data()["createUser"]["id"].as_i64().unwrap();
        tokens.push(h.token(connection_http::jwt::Role::User(id)));
    }
    tokens
}

fn lecturer_form(nickname: &str) -> Value {
    json!({
        "profileImageUrls": [], "nickname": nickname, "email": "t@gmail.com", "phoneNumber": "01012345678",
        "regions": ["온라인"], "genres": ["힙합"]
    })
}

pub async fn ten_members_race_for_one_lecturer_nickname_and_one_wins(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 10).await;
    let requests = tokens.iter().map(|token| {
        h.invoke(Event::new("POST", "/lecturers", "/lecturers").bearer(token).json(&lecturer_form("유일")))
    });
    let replies = join_all(requests).await;
    let winners = replies.iter().filter(|r| r.status == 201).count();
    assert_eq!(winners, 1, "{:?}", replies.iter().map(|r| &r.body).collect::<Vec<_>>());
    for r in replies.iter().filter(|r| r.status != 201) {
        assert_eq!((r.status, r.code()), (400, "duplicatedLecturerNickname"));
    }
    // Only the winner became a lecturer: exactly one user holds a lecturer id.
    let mut holders = 0;
    for id in 1..=10 {
        let user = t.get(&connection_model::keys::user(id)).await.unwrap().unwrap();
        holders += usize::from(user.get("lecturerId").is_some());
    }
    assert_eq!(holders, 1);
}

/// Makes member `user` (signed in with `token`) a lecturer and returns the lecturer's id.
async fn a_lecturer(h: &Harness, user: i64, token: &str) -> i64 {
    let r = h
        .invoke(Event::new("POST", "/lecturers", "/lecturers").bearer(token).json(&lecturer_form("인기강사")))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let account = h.table.get(&connection_model::keys::user(user)).await.unwrap().unwrap();
    account["lecturerId"].as_i64().unwrap()
}

async fn likes_of(t: &dyn Table, lecturer: i64) -> (i64, i64) {
    let item = t.get(&connection_model::keys::lecturer(lecturer)).await.unwrap().unwrap();
    let count = item.get("likeCount").and_then(Value::as_i64).unwrap_or(0);
    let rank = item["ranksk"].as_i64().unwrap();
    (count, rank)
}

pub async fn twenty_members_like_one_lecturer_at_once_and_all_count(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 21).await;
    let lecturer = a_lecturer(&h, 21, &tokens[20]).await;
    let path = format!("/lecturer-likes/{lecturer}");
    let likes = tokens[..20]
        .iter()
        .map(|token| h.invoke(Event::new("POST", &path, "/lecturer-likes/{lecturerId}").bearer(token)));
    for r in join_all(likes).await {
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let (count, rank) = likes_of(t.as_ref(), lecturer).await;
    assert_eq!(count, 20);
    assert_eq!(rank, connection_domain::catalog::popularity(0, 20));
}

pub async fn like_and_unlike_storms_leave_the_count_equal_to_the_likes(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 9).await;
    let lecturer = a_lecturer(&h, 9, &tokens[8]).await;
    let path = format!("/lecturer-likes/{lecturer}");
    // Each of 8 members likes and unlikes over and over, concurrently with the others.
    let storms = tokens[..8].iter().enumerate().map(|(i, token)| {
        let h = &h;
        let path = path.clone();
        async move {
            for round in 0..6 {
                let method = if (round + i) % 2 == 0 { "POST" } else { "DELETE" };
                let r =
                    h.invoke(Event::new(method, &path, "/lecturer-likes/{lecturerId}").bearer(token)).await;
                assert!(r.status < 300, "{method}: {:?}", r.body);
                // A double like and a double unlike change nothing.
                let r =
                    h.invoke(Event::new(method, &path, "/lecturer-likes/{lecturerId}").bearer(token)).await;
                assert!(r.status < 300, "{method} again: {:?}", r.body);
            }
        }
    });
    join_all(storms).await;
    let mut liked = 0;
    for user in 1..=8 {
        liked +=
            i64::from(t.get(&connection_model::keys::lecturer_like(user, lecturer)).await.unwrap().is_some());
    }
    let (count, rank) = likes_of(t.as_ref(), lecturer).await;
    assert_eq!(count, liked);
    assert_eq!(rank, connection_domain::catalog::popularity(0, liked));
}

fn class_form() -> Value {
    json!({
        "regions": ["온라인"], "lectureType": "dance", "lectureMethod": "원데이", "isGroup": false,
        "startDate": "2030-01-01", "endDate": "2030-01-31", "genres": ["힙합"],
        "images": [format!("{}/lectures/a.png", connection_tests::IMAGE_BASE)], "title": "수업",
        "curriculum": "c", "duration": 60, "difficultyLevel": "하", "reservationDeadline": 1, "price": 1000,
        "schedules": ["2030-01-02T10:00:00Z"]
    })
}

pub async fn twenty_members_like_one_lecture_at_once_and_all_count(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 21).await;
    let lecturer = a_lecturer(&h, 21, &tokens[20]).await;
    let teacher = h.token(connection_http::jwt::Role::Lecturer(lecturer));
    let r = h.invoke(Event::new("POST", "/lectures", "/lectures").bearer(&teacher).json(&class_form())).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let lecture = r.data()["newLecture"]["id"].as_i64().unwrap();
    let path = format!("/lecture-likes/{lecture}");
    let likes = tokens[..20]
        .iter()
        .map(|token| h.invoke(Event::new("POST", &path, "/lecture-likes/{lectureId}").bearer(token)));
    for r in join_all(likes).await {
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let item = t.get(&connection_model::keys::lecture(lecture)).await.unwrap().unwrap();
    assert_eq!(item["likeCount"], 20);
    assert_eq!(item["ranksk"], connection_domain::catalog::popularity(0, 20));
}

pub async fn eight_drafts_started_at_once_leave_five(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 1).await;
    let lecturer = a_lecturer(&h, 1, &tokens[0]).await;
    let teacher = h.token(connection_http::jwt::Role::Lecturer(lecturer));
    let drafts = "/lecture-temporarily-save";
    let starts = (0..8).map(|_| h.invoke(Event::new("POST", drafts, drafts).bearer(&teacher)));
    let replies = join_all(starts).await;
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 5);
    for r in replies.iter().filter(|r| r.status != 201) {
        assert_eq!((r.status, r.code()), (400, "TooManyTemporaryLectures"));
    }
    let stored = t
        .query(Query::partition(format!("LECTURER#{lecturer}")).sk(SkCond::BeginsWith("DRAFT#".into())))
        .await
        .unwrap();
    assert_eq!(stored.items.len(), 5);
}

pub async fn a_deletion_and_a_claim_of_one_upload_never_leave_a_shown_image_missing(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 1).await;
    let lecturer = a_lecturer(&h, 1, &tokens[0]).await;
    let teacher = h.token(connection_http::jwt::Role::Lecturer(lecturer));
    let gif: &[u8] = b"GIF89a\x01\x00\x01\x00";
    let (mut kept, mut deleted) = (0, 0);
    for _ in 0..12 {
        let up = Event::new("POST", "/uploads/lecturers/image", "/uploads/{folder}/image")
            .multipart(&[("image", "a.gif", gif)]);
        let url = h.invoke(up).await.data()["imageUrl"].as_str().unwrap().to_string();
        let delete = Event::new("DELETE", "/uploads", "/uploads").json(&json!({"imageUrl": url}));
        let claim = Event::new("PATCH", "/lecturers/profile", "/lecturers/profile")
            .bearer(&teacher)
            .json(&json!({"newProfileImageUrls": [url]}));
        let (deletion, claiming) = tokio::join!(h.invoke(delete), h.invoke(claim));
        let stored =
            h.images.join(url.strip_prefix(&format!("{}/", connection_tests::IMAGE_BASE)).unwrap()).exists();
        match (deletion.status, claiming.status) {
            (403, 200) => {
                assert!(stored, "a shown image stays");
                kept += 1;
            }
            (200, 400) => {
                assert_eq!(claiming.code(), "ImageDeleted");
                assert!(!stored);
                deleted += 1;
            }
            other => panic!("{other:?}: {:?} / {:?}", deletion.body, claiming.body),
        }
    }
    assert_eq!(kept + deleted, 12);
}

/// A lecturer with a class and a public coupon of ten uses for it: (lecturer token, coupon id,
/// class id).
async fn a_coupon(h: &Harness, owner_token: &str) -> (String, i64, i64) {
    let lecturer = a_lecturer(h, 1, owner_token).await;
    let teacher = h.token(connection_http::jwt::Role::Lecturer(lecturer));
    let r = h.invoke(Event::new("POST", "/lectures", "/lectures").bearer(&teacher).json(&class_form())).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let lecture = r.data()["newLecture"]["id"].as_i64().unwrap();
    let body = json!({
        "title": "선착순", "startAt": "2026-01-01T00:00:00Z", "endAt": "2031-01-01T00:00:00Z",
        "discountPrice": 1000, "maxUsageCount": 10, "isPrivate": false, "isStackable": false, "lectureIds": [lecture]
    });
    let r = h
        .invoke(Event::new("POST", "/coupons/lecture", "/coupons/lecture").bearer(&teacher).json(&body))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    (teacher, r.data()["coupon"]["id"].as_i64().unwrap(), lecture)
}

/// Learners `ids` as sign-up leaves them in the table (faster than signing up hundreds).
async fn learners(t: &dyn Table, ids: std::ops::RangeInclusive<i64>) {
    for id in ids {
        let item = connection_model::keys::user(id).item_with(json!({
            "entity": "User", "id": id, "uuid": format!("u{id}"), "name": "회원", "nickname": format!("n{id}"),
            "email": format!("n{id}@example.com"), "isProfileOpen": true, "phoneNumber": null, "gender": null,
            "createdAt": "2026-12-01T00:00:00.000Z", "updatedAt": "2026-12-01T00:00:00.000Z", "deletedAt": null,
            "auth": {"id": id, "email": format!("n{id}@kakao.com"), "signUpTypeId": 1, "createdAt": "2026-12-01T00:00:00.000Z"}
        }));
        t.put(item, None).await.unwrap();
    }
}

async fn holdings(t: &dyn Table, coupon: i64) -> Vec<Value> {
    let query = Query::partition(connection_model::keys::coupon(coupon).pk)
        .sk(SkCond::BeginsWith(connection_model::keys::HOLDER.into()));
    connection_table::query_all(t, query).await.unwrap().into_iter().map(Value::Object).collect()
}

fn claim(token: &str, coupon: i64) -> Event {
    Event::new("POST", "/coupons/public/user", "/coupons/public/user")
        .bearer(token)
        .json(&json!({"couponIds": [coupon]}))
}

pub async fn one_learner_claiming_a_coupon_twenty_times_at_once_holds_it_once(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 1).await;
    let (_, coupon, _) = a_coupon(&h, &tokens[0]).await;
    learners(t.as_ref(), 500..=500).await;
    let learner = h.token(connection_http::jwt::Role::User(500));
    let replies = join_all((0..20).map(|_| h.invoke(claim(&learner, coupon)))).await;
    let taken = replies.iter().filter(|r| r.status == 201).count();
    assert_eq!(
        taken,
        1,
        "{:?}",
        replies.iter().map(|r| (r.status, r.code().to_string())).collect::<Vec<_>>()
    );
    for r in replies.iter().filter(|r| r.status != 201) {
        assert!(["CouponAlreadyOwned", "CouponClaimConflict"].contains(&r.code()), "{:?}", r.body);
    }
    assert_eq!(holdings(t.as_ref(), coupon).await.len(), 1);
}

pub async fn a_hundred_learners_claim_one_coupon_at_once_and_each_holds_it(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 1).await;
    let (_, coupon, _) = a_coupon(&h, &tokens[0]).await;
    learners(t.as_ref(), 1001..=1100).await;
    let claims = (1001..=1100).map(|id| {
        let h = &h;
        async move { h.invoke(claim(&h.token(connection_http::jwt::Role::User(id)), coupon)).await }
    });
    let replies = join_all(claims).await;
    for r in &replies {
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let held = holdings(t.as_ref(), coupon).await;
    let mut users: Vec<i64> = held.iter().map(|h| h["userId"].as_i64().unwrap()).collect();
    users.sort_unstable();
    users.dedup();
    assert_eq!((held.len(), users.len()), (100, 100));
}

pub async fn a_coupon_deleted_while_being_claimed_leaves_no_unused_holding(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 1).await;
    let (teacher, coupon, _) = a_coupon(&h, &tokens[0]).await;
    learners(t.as_ref(), 2001..=2030).await;
    let claims = (2001..=2030).map(|id| {
        let h = &h;
        async move { h.invoke(claim(&h.token(connection_http::jwt::Role::User(id)), coupon)).await }
    });
    let deletion = async {
        tokio::task::yield_now().await;
        h.invoke(Event::new("DELETE", &format!("/coupons/{coupon}"), "/coupons/{couponId}").bearer(&teacher))
            .await
    };
    let (replies, deleted) = tokio::join!(join_all(claims), deletion);
    assert_eq!(deleted.status, 200, "{:?}", deleted.body);
    for r in &replies {
        assert!(r.status == 201 || r.code() == "CouponNotFound", "{:?}", r.body);
    }
    let coupon_item = t.get(&connection_model::keys::coupon(coupon)).await.unwrap().unwrap();
    assert_eq!(coupon_item["isDisabled"], true);
    assert!(holdings(t.as_ref(), coupon).await.is_empty(), "no holding of the disabled coupon is left");
}

/// A class of `capacity` seats (none: unlimited) with one session, and its id and session id.
async fn a_class(h: &Harness, teacher: &str, capacity: Option<i64>) -> (i64, i64) {
    let mut form = class_form();
    form["maxCapacity"] = json!(capacity);
    let r = h.invoke(Event::new("POST", "/lectures", "/lectures").bearer(teacher).json(&form)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let lecture = r.data()["newLecture"]["id"].as_i64().unwrap();
    let r = h
        .invoke(Event::new(
            "GET",
            &format!("/lectures/{lecture}/schedules"),
            "/lectures/{lectureId}/schedules",
        ))
        .await;
    (lecture, r.data()["schedules"][0]["id"].as_i64().unwrap())
}

fn class_order(
    token: &str,
    lecture: i64,
    session: i64,
    order_id: &str,
    coupon: Option<i64>,
    price: i64,
) -> Event {
    let body = json!({
        "lectureId": lecture, "orderName": "수업", "orderId": order_id,
        "lectureSchedule": {"lectureScheduleId": session, "participants": 1},
        "originalPrice": 1000, "finalPrice": price, "representative": "회원", "phoneNumber": "01012345678",
        "couponId": coupon
    });
    Event::new("POST", "/payments/toss/lecture", "/payments/toss/lecture").bearer(token).json(&body)
}

async fn seats_taken(t: &dyn Table, lecture: i64) -> i64 {
    let items =
        connection_table::query_all(t, Query::partition(connection_model::keys::lecture_partition(lecture)))
            .await
            .unwrap();
    items.iter().filter_map(|i| i.get("numberOfParticipants").and_then(Value::as_i64)).sum()
}

pub async fn two_hundred_orders_race_for_the_last_three_seats_and_three_win(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 1).await;
    let lecturer = a_lecturer(&h, 1, &tokens[0]).await;
    let teacher = h.token(connection_http::jwt::Role::Lecturer(lecturer));
    let (lecture, session) = a_class(&h, &teacher, Some(3)).await;
    learners(t.as_ref(), 3001..=3200).await;
    let orders = (3001..=3200).map(|id| {
        let h = &h;
        async move {
            let token = h.token(connection_http::jwt::Role::User(id));
            h.invoke(class_order(&token, lecture, session, &format!("seat-order-{id}"), None, 1000)).await
        }
    });
    let replies = join_all(orders).await;
    let held = replies.iter().filter(|r| r.status == 201).count();
    assert_eq!(held, 3);
    for r in replies.iter().filter(|r| r.status != 201) {
        assert!(["ExceededCapacity", "TransactionConflict"].contains(&r.code()), "{:?}", r.body);
    }
    assert_eq!(seats_taken(t.as_ref(), lecture).await, 3, "the seat count equals the live reservations");
}

pub async fn a_hundred_holders_spend_a_coupon_of_ten_uses_and_ten_win(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 1).await;
    let (_, coupon, lecture) = a_coupon(&h, &tokens[0]).await;
    let r = h
        .invoke(Event::new(
            "GET",
            &format!("/lectures/{lecture}/schedules"),
            "/lectures/{lectureId}/schedules",
        ))
        .await;
    let session = r.data()["schedules"][0]["id"].as_i64().unwrap();
    learners(t.as_ref(), 4001..=4100).await;
    for id in 4001..=4100 {
        let r = h.invoke(claim(&h.token(connection_http::jwt::Role::User(id)), coupon)).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let orders = (4001..=4100).map(|id| {
        let h = &h;
        async move {
            let token = h.token(connection_http::jwt::Role::User(id));
            h.invoke(class_order(&token, lecture, session, &format!("coupon-order-{id}"), Some(coupon), 0))
                .await
        }
    });
    let replies = join_all(orders).await;
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 10);
    for r in replies.iter().filter(|r| r.status != 201) {
        assert!(["CouponLimit", "TransactionConflict"].contains(&r.code()), "{:?}", r.body);
    }
    let item = t.get(&connection_model::keys::coupon(coupon)).await.unwrap().unwrap();
    assert_eq!((item["usageCount"].as_i64(), item["usesLeft"].as_i64()), (Some(10), Some(0)));
}

pub async fn one_holder_spending_a_coupon_in_twenty_orders_at_once_spends_it_once(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 1).await;
    let lecturer = a_lecturer(&h, 1, &tokens[0]).await;
    let teacher = h.token(connection_http::jwt::Role::Lecturer(lecturer));
    let (lecture, session) = a_class(&h, &teacher, None).await;
    let body = json!({
        "title": "한 번", "startAt": "2026-01-01T00:00:00Z", "endAt": "2031-01-01T00:00:00Z",
        "discountPrice": 1000, "isPrivate": false, "isStackable": false, "lectureIds": [lecture]
    });
    let r = h
        .invoke(Event::new("POST", "/coupons/lecture", "/coupons/lecture").bearer(&teacher).json(&body))
        .await;
    let coupon = r.data()["coupon"]["id"].as_i64().unwrap();
    learners(t.as_ref(), 5000..=5000).await;
    let learner = h.token(connection_http::jwt::Role::User(5000));
    assert_eq!(h.invoke(claim(&learner, coupon)).await.status, 201);
    let orders = (0..20).map(|i| {
        h.invoke(class_order(&learner, lecture, session, &format!("same-holder-{i}"), Some(coupon), 0))
    });
    let replies = join_all(orders).await;
    assert_eq!(replies.iter().filter(|r| r.status == 201).count(), 1);
    for r in replies.iter().filter(|r| r.status != 201) {
        assert!(["NoAvailableCouponsError", "TransactionConflict"].contains(&r.code()), "{:?}", r.body);
    }
    let item = t.get(&connection_model::keys::coupon(coupon)).await.unwrap().unwrap();
    assert_eq!(item["usageCount"], 1);
    assert_eq!(seats_taken(t.as_ref(), lecture).await, 1, "refused orders held no seat");
}

pub async fn twenty_confirms_of_one_order_record_one_payment(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 1).await;
    let lecturer = a_lecturer(&h, 1, &tokens[0]).await;
    let teacher = h.token(connection_http::jwt::Role::Lecturer(lecturer));
    let (lecture, session) = a_class(&h, &teacher, None).await;
    learners(t.as_ref(), 6000..=6000).await;
    let learner = h.token(connection_http::jwt::Role::User(6000));
    let r = h.invoke(class_order(&learner, lecture, session, "confirm-storm", None, 1000)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let confirm = Event::new("PATCH", "/payments/toss/confirm", "/payments/toss/confirm")
        .bearer(&learner)
        .json(&json!({"orderId": "confirm-storm", "paymentKey": "sandbox_storm", "amount": "1000"}));
    let replies = join_all((0..20).map(|_| h.invoke(confirm.clone()))).await;
    assert_eq!(
        replies.iter().filter(|r| r.status == 200).count(),
        1,
        "{:?}",
        replies.iter().map(|r| r.code().to_string()).collect::<Vec<_>>()
    );
    for r in replies.iter().filter(|r| r.status != 200) {
        assert!(["AlreadyApproved", "TransactionConflict"].contains(&r.code()), "{:?}", r.body);
    }
    let order = t.get(&connection_model::keys::order("confirm-storm")).await.unwrap().unwrap();
    assert_eq!(order["status"], "DONE");
    let lecture_item = t.get(&connection_model::keys::lecture(lecture)).await.unwrap().unwrap();
    assert_eq!(lecture_item["bookingCount"], 1, "one booking counted");
    let paid = h.gateway.payment("sandbox_storm").await.unwrap();
    assert_eq!(paid.status, connection_adapters::payments::PspStatus::Done, "approved once and kept");
}

pub async fn expiry_racing_confirms_either_confirms_or_releases_each_order(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 1).await;
    let lecturer = a_lecturer(&h, 1, &tokens[0]).await;
    let teacher = h.token(connection_http::jwt::Role::Lecturer(lecturer));
    let (lecture, session) = a_class(&h, &teacher, None).await;
    learners(t.as_ref(), 7001..=7010).await;
    for id in 7001..=7010 {
        let token = h.token(connection_http::jwt::Role::User(id));
        let r = h.invoke(class_order(&token, lecture, session, &format!("race-{id}"), None, 1000)).await;
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let window = connection_jobs::PAYMENT_WINDOW;
    let later = h.clock.now() + window + time::Duration::minutes(1);
    let confirms = (7001..=7010).map(|id| {
        let h = &h;
        async move {
            let body = json!({"orderId": format!("race-{id}"), "paymentKey": format!("sandbox_race_{id}"), "amount": 1000});
            let token = h.token(connection_http::jwt::Role::User(id));
            h.invoke(Event::new("PATCH", "/payments/toss/confirm", "/payments/toss/confirm").bearer(&token).json(&body)).await
        }
    });
    let expiry = connection_jobs::expire_pending_orders(t.as_ref(), later, window);
    let (replies, expired) = tokio::join!(join_all(confirms), expiry);
    let expired = expired.unwrap();
    let confirmed = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!(
        confirmed + expired,
        10,
        "every order ends one way: {:?}",
        replies.iter().map(|r| r.code().to_string()).collect::<Vec<_>>()
    );
    assert_eq!(
        seats_taken(t.as_ref(), lecture).await,
        confirmed as i64,
        "only confirmed orders keep their seat"
    );
    for id in 7001..=7010 {
        let order = t.get(&connection_model::keys::order(&format!("race-{id}"))).await.unwrap().unwrap();
        let at_gateway = h.gateway.payment(&format!("sandbox_race_{id}")).await;
        match order["status"].as_str() {
            Some("DONE") => {
                assert_eq!(at_gateway.unwrap().status, connection_adapters::payments::PspStatus::Done)
            }
            Some("EXPIRED") => {
                // Approved too late: the approval was taken back.
                if let Ok(p) = at_gateway {
                    assert_eq!(p.status, connection_adapters::payments::PspStatus::Canceled);
                }
            }
            other => panic!("race-{id} ended {other:?}"),
        }
    }
}

pub async fn twenty_bookings_from_one_pass_of_ten_uses_spend_exactly_ten(t: Arc<dyn Table>) {
    let h = Harness::over(t.clone()).await;
    let tokens = members(&h, 1).await;
    let lecturer = a_lecturer(&h, 1, &tokens[0]).await;
    let teacher = h.token(connection_http::jwt::Role::Lecturer(lecturer));
    let (lecture, session) = a_class(&h, &teacher, None).await;
    let form = json!({"title": "10회권", "lectureIds": [lecture], "availableMonths": "3", "maxUsageCount": "10", "price": "100000"});
    let r =
        h.invoke(Event::new("POST", "/passes/lecture", "/passes/lecture").bearer(&teacher).json(&form)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let pass = 1;
    learners(t.as_ref(), 8000..=8000).await;
    let learner = h.token(connection_http::jwt::Role::User(8000));
    let buy = json!({"passId": pass, "orderId": "pass-buy", "orderName": "10회권", "originalPrice": 100000, "finalPrice": 100000});
    assert_eq!(
        h.invoke(
            Event::new("POST", "/payments/toss/pass", "/payments/toss/pass").bearer(&learner).json(&buy)
        )
        .await
        .status,
        201
    );
    let pay = json!({"orderId": "pass-buy", "paymentKey": "sandbox_pass_buy", "amount": 100000});
    assert_eq!(
        h.invoke(
            Event::new("PATCH", "/payments/toss/confirm", "/payments/toss/confirm")
                .bearer(&learner)
                .json(&pay)
        )
        .await
        .status,
        200
    );
    let bookings = (0..20).map(|i| {
        let body = json!({"passId": pass, "lectureId": lecture, "orderName": "수업", "orderId": format!("pass-use-{i}"),
            "lectureSchedule": {"lectureScheduleId": session, "participants": 1}, "representative": "회원",
            "phoneNumber": "01012345678"});
        h.invoke(Event::new("POST", "/payments/pass/lecture", "/payments/pass/lecture").bearer(&learner).json(&body))
    });
    let replies = join_all(bookings).await;
    assert_eq!(
        replies.iter().filter(|r| r.status == 201).count(),
        10,
        "{:?}",
        replies.iter().map(|r| r.code().to_string()).collect::<Vec<_>>()
    );
    for r in replies.iter().filter(|r| r.status != 201) {
        assert!(
            ["ExceededPassUsage", "PassNotFound", "PassChanged", "TransactionConflict"].contains(&r.code()),
            "{:?}",
            r.body
        );
    }
    assert_eq!(seats_taken(t.as_ref(), lecture).await, 10);
    let order = t.get(&connection_model::keys::order("pass-buy")).await.unwrap().unwrap();
    let copy = t
        .get(&connection_model::keys::user_pass(8000, order["id"].as_i64().unwrap()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(copy["remainingUses"], 0);
}
