use connection_http::jwt::{Claims, Role, TokenType};
use connection_tests::{Event, Harness, now_epoch};
use serde_json::json;

use super::{make_lecturer, refresh, signed_in};

fn get(path: &str) -> Event {
    Event::new("GET", path, path)
}

fn logout(cookie: &str) -> Event {
    Event::new("POST", "/auth/token/logout", "/auth/token/logout").cookie(&format!("refreshToken={cookie}"))
}

#[tokio::test]
async fn verify_routes_answer_by_status_and_guard_their_role() {
    let h = Harness::new().await;
    let user = signed_in(&h, 1).await.data()["userAccessToken"].as_str().unwrap().to_string();
    make_lecturer(&h, 1, 7).await;
    let lecturer = h.token(Role::Lecturer(7));
    let user_route = "/auth/token/verify/user-access-token";
    let lecturer_route = "/auth/token/verify/lecturer-access-token";
    assert_eq!(h.invoke(get(user_route).bearer(&user)).await.body, json!({"statusCode": 200}));
    assert_eq!(h.round_trips(), 1, "verify + principal in one round trip");
    assert_eq!(h.invoke(get(lecturer_route).bearer(&lecturer)).await.status, 200);
    assert_eq!(h.invoke(get(user_route)).await.code(), "NoAuthToken");
    assert_eq!(h.invoke(get(user_route).bearer(&lecturer)).await.code(), "InvalidTokenFormat");
    assert_eq!(h.invoke(get(lecturer_route).bearer(&user)).await.code(), "InvalidTokenFormat");
    let refresh_token = h.refresh_token(Role::User(1));
    assert_eq!(h.invoke(get(user_route).bearer(&refresh_token)).await.code(), "InvalidToken");
    let expired = h.token_with(&Claims::new(Role::User(1), TokenType::Access, now_epoch() - 100, 10));
    assert_eq!(h.invoke(get(user_route).bearer(&expired)).await.code(), "JwtExpired");
    let tampered = format!("{}x", &user[..user.len() - 1]);
    assert_eq!(h.invoke(get(user_route).bearer(&tampered)).await.status, 401);
    h.soft_delete(connection_model::keys::lecturer(7)).await;
    let gone = h.invoke(get(lecturer_route).bearer(&lecturer)).await;
    assert_eq!((gone.status, gone.code()), (400, "InvalidLecturerInformation"));
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_family() {
    let h = Harness::new().await;
    let first = signed_in(&h, 1).await.refresh_cookie().unwrap();
    let r = h.invoke(refresh(&first)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let keys: Vec<_> = r.data().as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, vec!["userAccessToken"], "exactly one data key");
    let second = r.refresh_cookie().unwrap();
    assert_ne!(first, second);
    assert!(!second.contains('='));
    // The first token was already used: someone replays it.
    let reuse = h.invoke(refresh(&first)).await;
    assert_eq!((reuse.status, reuse.code()), (401, "InvalidLoginInformation"));
    // The whole sign-in is over, so the legitimate holder must sign in again too.
    let after = h.invoke(refresh(&second)).await;
    assert_eq!((after.status, after.code()), (401, "ExpiredLoginInformation"));
}

#[tokio::test]
async fn two_devices_hold_separate_sessions() {
    let h = Harness::new().await;
    let phone = signed_in(&h, 1).await.refresh_cookie().unwrap();
    let laptop =
        h.invoke(super::sign_in("KAKAO", "sandbox:member1@kakao.com")).await.refresh_cookie().unwrap();
    let phone2 = h.invoke(refresh(&phone)).await.refresh_cookie().unwrap();
    let laptop2 = h.invoke(refresh(&laptop)).await.refresh_cookie().unwrap();
    // A replay on the phone ends only the phone's session.
    assert_eq!(h.invoke(refresh(&phone)).await.code(), "InvalidLoginInformation");
    assert_eq!(h.invoke(refresh(&phone2)).await.code(), "ExpiredLoginInformation");
    assert_eq!(h.invoke(refresh(&laptop2)).await.status, 200);
}

#[tokio::test]
async fn refresh_refuses_missing_confused_and_expired_tokens() {
    let h = Harness::new().await;
    let session = signed_in(&h, 1).await;
    let none = h.invoke(get("/auth/token/refresh")).await;
    assert_eq!((none.status, none.code()), (401, "NoAuthToken"));
    let access = session.data()["userAccessToken"].as_str().unwrap();
    assert_eq!(h.invoke(refresh(access)).await.code(), "InvalidToken");
    let expired = h.token_with(&Claims::new(Role::User(1), TokenType::Refresh, now_epoch() - 100, 10));
    assert_eq!(h.invoke(refresh(&expired)).await.code(), "JwtExpired");
    // A well-signed refresh token of no session (e.g. minted elsewhere) is not a login.
    let orphan = h.refresh_token(Role::User(1));
    assert_eq!(h.invoke(refresh(&orphan)).await.code(), "InvalidTokenFormat");
}

#[tokio::test]
async fn switching_roles_issues_the_other_tokens_and_ends_the_old_session() {
    let h = Harness::new().await;
    let session = signed_in(&h, 1).await;
    let user_token = session.data()["userAccessToken"].as_str().unwrap().to_string();
    let user_cookie = session.refresh_cookie().unwrap();
    let to_lecturer = "/auth/token/switch-user-to-lecturer";
    let refused = h.invoke(get(to_lecturer).bearer(&user_token)).await;
    assert_eq!((refused.status, refused.code()), (400, "InvalidLecturerInformation"));
    make_lecturer(&h, 1, 7).await;
    let r = h.invoke(get(to_lecturer).bearer(&user_token)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let lecturer_token = r.data()["lecturerAccessToken"].as_str().unwrap().to_string();
    let lecturer_cookie = r.refresh_cookie().unwrap();
    assert_eq!(h.invoke(refresh(&user_cookie)).await.code(), "ExpiredLoginInformation");
    let refreshed = h.invoke(refresh(&lecturer_cookie)).await;
    assert!(refreshed.data()["lecturerAccessToken"].is_string());
    let back = h.invoke(get("/auth/token/switch-lecturer-to-user").bearer(&lecturer_token)).await;
    assert_eq!(back.status, 200);
    assert!(back.data()["userAccessToken"].is_string());
    assert!(back.refresh_cookie().is_some());
}

#[tokio::test]
async fn switch_routes_guard_their_role() {
    let h = Harness::new().await;
    let user = signed_in(&h, 1).await.data()["userAccessToken"].as_str().unwrap().to_string();
    make_lecturer(&h, 1, 7).await;
    let lecturer = h.token(Role::Lecturer(7));
    let to_lecturer = "/auth/token/switch-user-to-lecturer";
    let to_user = "/auth/token/switch-lecturer-to-user";
    assert_eq!(h.invoke(get(to_lecturer)).await.code(), "NoAuthToken");
    assert_eq!(h.invoke(get(to_lecturer).bearer(&lecturer)).await.code(), "InvalidTokenFormat");
    assert_eq!(h.invoke(get(to_user)).await.code(), "NoAuthToken");
    assert_eq!(h.invoke(get(to_user).bearer(&user)).await.code(), "InvalidTokenFormat");
    // Another member who is no lecturer cannot use member 1's lecturer profile.
    h.grant_sign_up("member2@kakao.com", "KAKAO").await;
    h.invoke(crate::users::sign_up_event(&crate::users::sign_up_body(2))).await;
    let other = h.token(Role::User(2));
    assert_eq!(h.invoke(get(to_lecturer).bearer(&other)).await.code(), "InvalidLecturerInformation");
}

#[tokio::test]
async fn logout_ends_the_session_and_clears_the_cookie() {
    let h = Harness::new().await;
    let cookie = signed_in(&h, 1).await.refresh_cookie().unwrap();
    let r = h.invoke(logout(&cookie)).await;
    assert_eq!((r.status, r.body.clone()), (201, json!({"statusCode": 201})));
    assert_eq!(r.cookies, vec!["refreshToken=; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=0"]);
    assert_eq!(h.invoke(refresh(&cookie)).await.code(), "ExpiredLoginInformation");
    let none = h.invoke(Event::new("POST", "/auth/token/logout", "/auth/token/logout")).await;
    assert_eq!(none.code(), "NoAuthToken");
}

#[tokio::test]
async fn a_logged_out_session_cannot_switch_roles() {
    let h = Harness::new().await;
    let session = signed_in(&h, 1).await;
    let token = session.data()["userAccessToken"].as_str().unwrap().to_string();
    make_lecturer(&h, 1, 7).await;
    h.invoke(logout(&session.refresh_cookie().unwrap())).await;
    let r = h.invoke(get("/auth/token/switch-user-to-lecturer").bearer(&token)).await;
    assert_eq!((r.status, r.code()), (401, "ExpiredLoginInformation"), "{:?}", r.body);
    assert!(r.refresh_cookie().is_none(), "no new session was minted");
    // An access token of no session at all (minted outside sign-in) cannot switch either.
    let r = h.invoke(get("/auth/token/switch-user-to-lecturer").bearer(&h.token(Role::User(1)))).await;
    assert_eq!((r.status, r.code()), (401, "InvalidTokenFormat"));
}

#[tokio::test]
async fn a_revoked_session_cannot_switch_roles() {
    let h = Harness::new().await;
    let session = signed_in(&h, 1).await;
    let token = session.data()["userAccessToken"].as_str().unwrap().to_string();
    let cookie = session.refresh_cookie().unwrap();
    make_lecturer(&h, 1, 7).await;
    h.invoke(refresh(&cookie)).await;
    // Replaying the rotated cookie is reuse: the family is revoked.
    assert_eq!(h.invoke(refresh(&cookie)).await.code(), "InvalidLoginInformation");
    let r = h.invoke(get("/auth/token/switch-user-to-lecturer").bearer(&token)).await;
    assert_eq!((r.status, r.code()), (401, "ExpiredLoginInformation"));
}

#[tokio::test]
async fn a_session_ends_thirty_days_after_sign_in_however_it_is_refreshed_or_switched() {
    let h = Harness::new().await;
    let session = signed_in(&h, 1).await;
    let user_token = session.data()["userAccessToken"].as_str().unwrap().to_string();
    make_lecturer(&h, 1, 7).await;
    let switched = h.invoke(get("/auth/token/switch-user-to-lecturer").bearer(&user_token)).await;
    assert_eq!(switched.status, 200);
    let mut cookie = switched.refresh_cookie().unwrap();
    let mut token = String::new();
    // Refreshing every 10 days keeps the session alive until its 30th day, not beyond.
    for (day, days_since_last) in [(10, 10), (20, 10), (29, 9)] {
        h.clock.advance(time::Duration::days(days_since_last));
        let r = h.invoke(refresh(&cookie)).await;
        assert_eq!(r.status, 200, "day {day}: {:?}", r.body);
        cookie = r.refresh_cookie().unwrap();
        token = r.data()["lecturerAccessToken"].as_str().unwrap().to_string();
        let max_age: i64 = r.cookies[0].rsplit("Max-Age=").next().unwrap().parse().unwrap();
        assert!(max_age <= (30 - day) * 86_400, "day {day}: the cookie outlives the session ({max_age} s)");
    }
    h.clock.advance(time::Duration::days(1));
    assert_eq!(h.invoke(refresh(&cookie)).await.code(), "ExpiredLoginInformation");
    let r = h.invoke(get("/auth/token/switch-lecturer-to-user").bearer(&token)).await;
    assert_eq!((r.status, r.code()), (401, "ExpiredLoginInformation"));
}
