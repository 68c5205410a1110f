//! The passes area (api.md §7): passes on sale, their lists, and the passes learners hold.

use connection_model::offers::{PassTerms, UserPassRecord};
use connection_table::Table;
use connection_tests::{Event, Harness};
use serde_json::{Value, json};

use crate::lecturers::Lecturer;
use crate::lectures::{one_day_body, open, teacher_with_class};
use crate::users::member;

/// The pass form as the client sends it: the numbers as digit strings.
pub fn pass_body(lectures: &[i64]) -> Value {
    json!({"title": "10회권", "lectureIds": lectures, "availableMonths": "3", "maxUsageCount": "10", "price": "250000"})
}

fn post_pass(token: &str, body: &Value) -> Event {
    Event::new("POST", "/passes/lecture", "/passes/lecture").bearer(token).json(body)
}

/// Puts a pass on sale and returns its id (the newest of the lecturer's).
pub async fn sell(h: &Harness, lecturer: &Lecturer, body: &Value) -> i64 {
    let r = h.invoke(post_pass(&lecturer.token, body)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let listed =
        h.invoke(get(&format!("/passes/lecturers/{}", lecturer.id), "/passes/lecturers/{lecturerId}")).await;
    listed.data()["passList"][0]["id"].as_i64().unwrap()
}

fn get(path: &str, route: &str) -> Event {
    Event::new("GET", path, route)
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

fn deactivate(token: &str, id: i64) -> Event {
    Event::new("PATCH", &format!("/passes/{id}/deactivate"), "/passes/{passId}/deactivate").bearer(token)
}

/// What a purchase leaves (the payments area writes it): an enabled pass of `user`.
async fn bought(
    h: &Harness,
    user: i64,
    id: i64,
    pass: i64,
    targets: &[i64],
    end_at: Option<&str>,
    uses: i64,
) {
    let record = UserPassRecord {
        id,
        user_id: user,
        payment_id: id,
        lecture_pass_id: pass,
        remaining_uses: uses,
        is_enabled: true,
        start_at: end_at.map(|_| "2026-11-01T00:00:00.000Z".to_string()),
        end_at: end_at.map(str::to_string),
        pass: PassTerms {
            id: pass,
            title: "10회권".into(),
            price: 250000,
            max_usage_count: 10,
            available_months: 3,
            target_ids: targets.to_vec(),
            ..Default::default()
        },
        created_at: "2026-11-01T00:00:00.000Z".into(),
        updated_at: "2026-11-01T00:00:00.000Z".into(),
    };
    h.table.put(record.item().unwrap(), None).await.unwrap();
}

#[tokio::test]
async fn a_lecturer_sells_a_pass_from_the_form_and_buyers_see_it_with_its_lecturer() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let pass = sell(&h, &teacher, &pass_body(&[class])).await;
    let r = h.invoke(get(&format!("/passes/{pass}"), "/passes/{passId}")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let p = &r.data()["pass"];
    assert_eq!(
        (p["price"].as_i64(), p["maxUsageCount"].as_i64(), p["availableMonths"].as_i64()),
        (Some(250000), Some(10), Some(3))
    );
    assert_eq!(p["lecturer"]["id"], teacher.id);
    assert_eq!(p["lecturer"]["nickname"], "강사1");
    assert_eq!(p["lecturePassTarget"], json!([{"lecture": {"id": class, "title": "힙합 기초"}}]));
    assert_eq!(h.round_trips(), 2, "the pass and its lecturer");
    let r = h.invoke(get(&format!("/passes/lectures/{class}"), "/passes/lectures/{lectureId}")).await;
    assert_eq!(ids(&r.data()["passList"]), [pass]);
    assert_eq!(h.round_trips(), 2, "a Query of the class's offers and a batch read");
    let r = h.invoke(get("/passes/9999", "/passes/{passId}")).await;
    assert_eq!((r.status, r.code()), (404, "PassNotFound"), "an unknown pass is a 404, not a 500 (gap #30)");
}

#[tokio::test]
async fn a_pass_form_is_checked() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let (_, other_class) = teacher_with_class(&h, 2).await;
    let cases: Vec<(Value, &str)> = vec![
        (json!({"title": "  "}), "Bad Request"),
        (json!({"price": "12a"}), "Bad Request"),
        (json!({"maxUsageCount": 0}), "Bad Request"),
        (json!({"availableMonths": -1}), "Bad Request"),
        (json!({"lectureIds": []}), "Bad Request"),
        (json!({"lectureIds": [other_class]}), "InvalidClassIncluded"),
        (json!({"lectureIds": [class, 4040]}), "InvalidClassIncluded"),
    ];
    for (change, code) in cases {
        let mut body = pass_body(&[class]);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = h.invoke(post_pass(&teacher.token, &body)).await;
        assert_eq!((r.status, r.code()), (400, code), "{change}: {:?}", r.body);
    }
}

#[tokio::test]
async fn deactivation_stops_sales_and_only_the_owner_may_do_it() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let (other, _) = teacher_with_class(&h, 2).await;
    let pass = sell(&h, &teacher, &pass_body(&[class])).await;
    let r = h.invoke(deactivate(&other.token, pass)).await;
    assert_eq!((r.status, r.code()), (403, "PermissionDenied"));
    let r = h.invoke(deactivate(&teacher.token, 999)).await;
    assert_eq!((r.status, r.code()), (404, "PassNotFound"));
    assert_eq!(h.invoke(deactivate(&teacher.token, pass)).await.status, 200);
    let r = h.invoke(get(&format!("/passes/lectures/{class}"), "/passes/lectures/{lectureId}")).await;
    assert!(r.data()["passList"].as_array().unwrap().is_empty(), "no longer on sale (gap #42)");
    let r =
        h.invoke(get(&format!("/passes/lecturers/{}", teacher.id), "/passes/lecturers/{lecturerId}")).await;
    assert!(r.data()["passList"].as_array().unwrap().is_empty());
    let r = h.invoke(get(&format!("/passes/{pass}"), "/passes/{passId}")).await;
    assert_eq!(r.data()["pass"]["isDisabled"], true);
    // Bought before: still usable.
    let (user_id, user) = member(&h, 5).await;
    bought(&h, user_id, 1, pass, &[class], None, 10).await;
    let r = h
        .invoke(
            get(&format!("/user-passes/lectures/{class}"), "/user-passes/lectures/{lectureId}").bearer(&user),
        )
        .await;
    assert_eq!(ids(&r.data()["usablePassList"]), [1]);
}

#[tokio::test]
async fn a_lecturer_lists_issued_passes_by_status_and_order_with_a_filtered_total() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let second = open(&h, &teacher, &one_day_body()).await;
    let mut made = Vec::new();
    for (price, target) in [("100000", class), ("300000", second), ("200000", class)] {
        let mut body = pass_body(&[target]);
        body["price"] = json!(price);
        made.push(sell(&h, &teacher, &body).await);
    }
    h.table
        .update(
            &connection_model::keys::pass(made[0]),
            connection_table::Update::new().set("salesCount", 7),
            None,
        )
        .await
        .unwrap();
    assert_eq!(h.invoke(deactivate(&teacher.token, made[2])).await.status, 200);
    let list = |query: &str| get(&format!("/passes/issued?{query}"), "/passes/issued").bearer(&teacher.token);
    let r = h.invoke(list("take=10&passStatusOptions=AVAILABLE&filterOption=LATEST")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(ids(&r.data()["passList"]), [made[1], made[0]]);
    assert_eq!(r.data()["totalItemCount"], 2, "the total counts what the filters keep (gap #33)");
    assert_eq!(h.round_trips(), 2, "the guard and one Query");
    let r = h.invoke(list("take=10&passStatusOptions=available&filterOption=HIGHEST_PRICE")).await;
    assert_eq!(ids(&r.data()["passList"]), [made[1], made[0]]);
    let r = h.invoke(list("take=10&passStatusOptions=AVAILABLE&filterOption=BEST_SELLING")).await;
    assert_eq!(ids(&r.data()["passList"]), [made[0], made[1]]);
    let r = h.invoke(list("take=10&passStatusOptions=DISABLED&filterOption=LATEST")).await;
    assert_eq!(ids(&r.data()["passList"]), [made[2]]);
    let r = h
        .invoke(list(&format!("take=1&passStatusOptions=AVAILABLE&filterOption=LATEST&lectureId={class}")))
        .await;
    assert_eq!(ids(&r.data()["passList"]), [made[0]]);
    let r = h
        .invoke(list(
            "take=1&currentPage=1&targetPage=2&lastItemId=0&passStatusOptions=AVAILABLE&filterOption=LATEST",
        ))
        .await;
    assert_eq!(ids(&r.data()["passList"]), [made[1]], "0 is an absent cursor");
    assert_eq!(h.invoke(list("take=10&passStatusOptions=SOLD&filterOption=LATEST")).await.status, 400);
    assert_eq!(h.invoke(list("passStatusOptions=AVAILABLE&filterOption=LATEST")).await.status, 400);

    let one =
        |token: &str, id: i64| get(&format!("/passes/issued/{id}"), "/passes/issued/{passId}").bearer(token);
    let r = h.invoke(one(&teacher.token, made[1])).await;
    assert_eq!(r.data()["myPass"]["price"], 300000);
    let (other, _) = teacher_with_class(&h, 2).await;
    assert_eq!(h.invoke(one(&other.token, made[1])).await.data()["myPass"], Value::Null);
}

#[tokio::test]
async fn learners_see_their_enabled_passes_and_which_book_a_class_now() {
    let h = Harness::new().await;
    let (teacher, class) = teacher_with_class(&h, 1).await;
    let other_class = open(&h, &teacher, &one_day_body()).await;
    let pass = sell(&h, &teacher, &pass_body(&[class])).await;
    let (user_id, user) = member(&h, 5).await;
    bought(&h, user_id, 1, pass, &[class], None, 10).await;
    bought(&h, user_id, 2, pass, &[class], Some("2026-12-01T00:00:00.000Z"), 4).await;
    bought(&h, user_id, 3, pass, &[class], Some("2031-01-01T00:00:00.000Z"), 0).await;
    bought(&h, user_id, 4, pass, &[other_class], Some("2031-01-01T00:00:00.000Z"), 5).await;
    let (stranger_id, _) = member(&h, 6).await;
    bought(&h, stranger_id, 5, pass, &[class], None, 10).await;

    let r = h.invoke(get("/user-passes?take=2&lastItemId=0", "/user-passes").bearer(&user)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let page = &r.data()["userPassList"];
    assert_eq!(page["totalItemCount"], 4);
    assert_eq!(ids(&page["userPassList"]), [4, 3]);
    assert_eq!(page["userPassList"][0]["lecturePass"]["title"], "10회권");
    assert_eq!(h.round_trips(), 2, "the guard and one Query");
    let r = h.invoke(get("/user-passes?take=2&lastItemId=3", "/user-passes").bearer(&user)).await;
    assert_eq!(ids(&r.data()["userPassList"]["userPassList"]), [2, 1]);

    let r = h
        .invoke(
            get(&format!("/user-passes/lectures/{class}"), "/user-passes/lectures/{lectureId}").bearer(&user),
        )
        .await;
    assert_eq!(
        ids(&r.data()["usablePassList"]),
        [1],
        "ended, used up and other classes' passes are not usable"
    );

    let r = h.invoke(get(&format!("/user-passes/{pass}"), "/user-passes/{passId}").bearer(&user)).await;
    assert_eq!(r.data()["userPassInfo"]["lecturePassId"], pass);
    assert_eq!(r.data()["userPassInfo"]["reservation"], json!([]));
    let r = h.invoke(get("/user-passes/777", "/user-passes/{passId}").bearer(&user)).await;
    assert_eq!(r.data()["userPassInfo"], Value::Null);
}
