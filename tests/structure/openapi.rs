use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::Request;
use connection_tests::template_routes;
use tower::ServiceExt;
use utoipa::openapi::OpenApi;

/// `METHOD /path` of every operation of a document.
fn operations(document: &OpenApi) -> BTreeSet<String> {
    let json = serde_json::to_value(document).expect("the document is JSON");
    let mut found = BTreeSet::new();
    for (path, item) in json["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            found.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    found
}

fn template(function: &str) -> BTreeSet<String> {
    template_routes().iter().filter(|(_, f)| f == function).map(|(key, _)| key.clone()).collect()
}

#[test]
fn every_route_a_function_serves_is_documented_and_deployed() {
    for (function, document) in [
        ("Users", connection_users::routes().into_openapi()),
        ("Auth", connection_auth::routes().into_openapi()),
        ("Lecturers", connection_lecturers::routes().into_openapi()),
        ("Lectures", connection_lectures::routes().into_openapi()),
        ("Uploads", connection_uploads::routes().into_openapi()),
        ("Coupons", connection_coupons::routes().into_openapi()),
        ("Passes", connection_passes::routes().into_openapi()),
        ("Payments", connection_payments::routes().into_openapi()),
    ] {
        assert_eq!(
            operations(&document),
            template(function),
            "{function}: the document and template.yaml differ"
        );
    }
}

#[test]
fn the_document_is_openapi_3_1_with_envelopes_and_security() {
    let json = serde_json::to_value(connection_local::stack::openapi()).unwrap();
    assert_eq!(json["openapi"], "3.1.0");
    let schemes = &json["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["refreshCookie"]["in"], "cookie");
    assert_eq!(schemes["refreshCookie"]["name"], "refreshToken");
    let my_page = &json["paths"]["/users/my-pages"]["get"];
    assert_eq!(my_page["security"][0]["bearer"], serde_json::json!([]));
    assert!(my_page["responses"]["default"].is_object(), "errors are documented");
    let ok = serde_json::to_string(&my_page["responses"]["200"]).unwrap();
    assert!(ok.contains("Envelope"), "answers are in the envelope: {ok}");
    let sms = &json["paths"]["/auth/sms"]["get"]["parameters"];
    let names: Vec<_> = sms.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["userPhoneNumber", "verificationCode"]);
}

#[tokio::test]
async fn the_local_stack_serves_the_document_and_a_page_that_needs_no_network() {
    let dir = std::env::temp_dir().join(format!("connection-openapi-{}", std::process::id()));
    let stack =
        connection_local::stack::Stack::open(&dir, "http://127.0.0.1:8080/images".into()).await.unwrap();
    let router = stack.router(&dir);
    let get = |path: &str| Request::get(path).body(Body::empty()).unwrap();
    let r = router.clone().oneshot(get("/openapi.json")).await.unwrap();
    assert_eq!(r.status(), 200);
    let body = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
    let served: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(served, serde_json::to_value(connection_local::stack::openapi()).unwrap());
    let r = router.clone().oneshot(get("/docs/")).await.unwrap();
    assert_eq!(r.status(), 200);
    let page =
        String::from_utf8(axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap();
    assert!(!page.contains("https://") && !page.contains("http://"), "the page loads nothing from elsewhere");
    let r = router.oneshot(get("/docs/swagger-ui-bundle.js")).await.unwrap();
    assert_eq!(r.status(), 200, "the viewer's script is served from the binary");
    let _ = std::fs::remove_dir_all(dir);
}
