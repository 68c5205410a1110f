use connection_tests::{Event, Harness};
use serde_json::json;

#[tokio::test]
async fn the_health_check_says_hello() {
    let h = Harness::new().await;
    let r = h.invoke(Event::new("GET", "/", "/")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, json!({"statusCode": 200, "data": "Hello World!"}));
    assert_eq!(r.headers["content-type"], "application/json");
}

#[tokio::test]
async fn an_unknown_path_is_a_404_in_the_error_envelope() {
    let h = Harness::new().await;
    let r = h.invoke_function(&h.users, Event::new("GET", "/nowhere", "/nowhere")).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body, json!({"statusCode": 404, "message": "Cannot GET /nowhere", "error": "Not Found"}));
}

#[tokio::test]
async fn a_wrong_method_is_a_404_too() {
    let h = Harness::new().await;
    let r = h.invoke_function(&h.users, Event::new("DELETE", "/users/my-pages", "/users/my-pages")).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "Not Found");
}

#[test]
fn the_template_routes_every_tested_area() {
    let routes = connection_tests::template_routes();
    assert!(routes.len() >= 16, "{routes:?}");
    assert!(routes.iter().any(|(key, f)| key == "GET /auth/sms" && f == "Auth"));
    assert!(routes.iter().any(|(key, f)| key == "GET /users/{userId}" && f == "Users"));
}
