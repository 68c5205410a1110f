use connection_http::jwt::{Claims, Role, TokenType};
use connection_tests::{Harness, now_epoch};
use serde_json::json;

use super::{member, my_page};

#[tokio::test]
async fn a_member_reads_their_own_page_in_one_round_trip() {
    let h = Harness::new().await;
    let (id, token) = member(&h, 1).await;
    let r = h.invoke(my_page().bearer(&token)).await;
    assert_eq!(r.status, 200);
    assert_eq!(h.round_trips(), 1);
    assert_eq!(
        r.body,
        json!({"statusCode": 200, "data": {"myProfile": {
            "id": id, "name": "김댄서", "nickname": "dancer1", "email": "member1@example.com",
            "phoneNumber": "01000000001", "userProfileImage": null,
            "auth": {"email": "member1@kakao.com", "type": "KAKAO"}
        }}})
    );
}

#[tokio::test]
async fn another_member_sees_only_their_own_page() {
    let h = Harness::new().await;
    member(&h, 1).await;
    let (_, other) = member(&h, 2).await;
    let r = h.invoke(my_page().bearer(&other)).await;
    assert_eq!(r.data()["myProfile"]["nickname"], "dancer2");
}

#[tokio::test]
async fn a_guest_has_no_page() {
    let h = Harness::new().await;
    let r = h.invoke(my_page()).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body, json!({"statusCode": 401, "message": "No auth token", "error": "NoAuthToken"}));
}

#[tokio::test]
async fn a_lecturer_or_admin_token_is_the_wrong_format() {
    let h = Harness::new().await;
    member(&h, 1).await;
    for role in [Role::Lecturer(1), Role::Admin(1)] {
        let r = h.invoke(my_page().bearer(&h.token(role))).await;
        assert_eq!(r.status, 401);
        assert_eq!(r.code(), "InvalidTokenFormat");
        assert_eq!(r.body["message"], "잘못된 토큰 형식입니다.");
    }
}

#[tokio::test]
async fn expired_forged_malformed_and_refresh_tokens_are_refused() {
    let h = Harness::new().await;
    member(&h, 1).await;
    let expired = h.token_with(&Claims::new(Role::User(1), TokenType::Access, now_epoch() - 7200, 3600));
    let forged = connection_http::jwt::Tokens::new(&[b'x'; 32], 60, 60)
        .unwrap()
        .access_token(Role::User(1), now_epoch())
        .unwrap();
    let cases = [
        (expired, "JwtExpired"),
        (forged, "InvalidToken"),
        ("not.a.jwt".to_string(), "Unauthorized"),
        (h.refresh_token(Role::User(1)), "InvalidToken"),
    ];
    for (token, code) in cases {
        let r = h.invoke(my_page().bearer(&token)).await;
        assert_eq!((r.status, r.code()), (401, code));
    }
}

#[tokio::test]
async fn a_deleted_or_unknown_member_is_invalid_user_information() {
    let h = Harness::new().await;
    let (id, token) = member(&h, 1).await;
    let unknown = h.invoke(my_page().bearer(&h.token(Role::User(99)))).await;
    assert_eq!((unknown.status, unknown.code()), (400, "InvalidUserInformation"));
    h.soft_delete(connection_model::keys::user(id)).await;
    let deleted = h.invoke(my_page().bearer(&token)).await;
    assert_eq!((deleted.status, deleted.code()), (400, "InvalidUserInformation"));
    assert_eq!(deleted.body["message"], "유효하지 않은 유저 정보 요청입니다.");
}
