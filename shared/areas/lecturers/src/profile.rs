//! `POST /lecturers`, `PATCH /lecturers/profile`, `GET /lecturers/profile/{lecturerId}` and
//! `GET /lecturers/my-basic-profile`.

use axum::extract::State;
use connection_adapters::iso8601;
use connection_domain::catalog::{mask_email, mask_phone};
use connection_domain::lookups::sign_up_type_name;
use connection_domain::validate::{EMAIL_MESSAGE, PHONE_MESSAGE, char_len, is_email, is_phone_number};
use connection_http::extract::{JsonBody, PathId};
use connection_http::fields::{
    Checks, IMAGE_URL_MAX as URL_MAX, check_images, check_link, embedded_image_keys, image_deleted,
    resolve_genres, resolve_regions,
};
use connection_http::guards::{GuestOrUserToken, LecturerSession, UserGuard, active_user, invalid_lecturer};
use connection_http::openapi::{Envelope, ErrorBody, StatusOnly};
use connection_http::{ApiError, Data, Empty};
use connection_model::lecturer::LecturerRecord;
use connection_model::{claim_failed, claim_images, decode, keys, user};
use connection_table::{Cond, TableError, TxOp, Update, next_id};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use connection_http::views::{RegionView, UrlView, regions, urls};

use crate::views::{self, GenreView};
use crate::{LecturersState, nickname_taken, not_found_lecturer};

pub(crate) const NICKNAME_MAX: usize = 11;
const SHORT_TEXT_MAX: usize = 100;
const LONG_TEXT_MAX: usize = 20_000;
const IMAGES_MAX: usize = 10;
const POSTS_MAX: usize = 10;
const REGIONS_MAX: usize = 50;
const GENRES_MAX: usize = 20;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateBody {
    /// The gallery, in order (first = main); images uploaded through `/uploads`.
    profile_image_urls: Vec<String>,
    /// At most 11 characters, unique among lecturers.
    nickname: String,
    email: String,
    /// `010` and eight digits.
    phone_number: String,
    profile_card_image_url: Option<String>,
    youtube_url: Option<String>,
    instagram_url: Option<String>,
    homepage_url: Option<String>,
    affiliation: Option<String>,
    introduction: Option<String>,
    experience: Option<String>,
    /// `"서울특별시 강남구"`, `"경기도 전 지역"`, `"세종특별자치시"` or `"온라인"`.
    regions: Vec<String>,
    /// Seeded genre names (`힙합`, …).
    genres: Vec<String>,
    etc_genres: Option<Vec<String>>,
    instagram_post_urls: Option<Vec<String>>,
}

/// The fields a new profile and a profile update share, as sent.
struct ProfileFields<'a> {
    profile_card_image_url: Option<&'a str>,
    youtube_url: Option<&'a str>,
    instagram_url: Option<&'a str>,
    homepage_url: Option<&'a str>,
    affiliation: Option<&'a str>,
    introduction: Option<&'a str>,
    experience: Option<&'a str>,
    /// The gallery's field name and value.
    images: (&'static str, Option<&'a [String]>),
    instagram_post_urls: Option<&'a [String]>,
    regions: Option<&'a [String]>,
    genres: Option<&'a [String]>,
    etc_genres: Option<&'a [String]>,
}

/// Lengths, list sizes and link schemes of the shared profile fields.
fn check_fields(checks: &mut Checks, f: ProfileFields) {
    let links =
        [("youtubeUrl", f.youtube_url), ("instagramUrl", f.instagram_url), ("homepageUrl", f.homepage_url)];
    for (field, value) in links.into_iter().chain([("profileCardImageUrl", f.profile_card_image_url)]) {
        checks.text(field, value, URL_MAX);
    }
    for (field, value) in links {
        check_link(checks, field, value);
    }
    for post in f.instagram_post_urls.into_iter().flatten() {
        check_link(checks, "instagramPostUrls", Some(post));
    }
    checks.text("affiliation", f.affiliation, SHORT_TEXT_MAX);
    checks.text("introduction", f.introduction, LONG_TEXT_MAX);
    checks.text("experience", f.experience, LONG_TEXT_MAX);
    checks.list(f.images.0, f.images.1, IMAGES_MAX, URL_MAX);
    checks.list("instagramPostUrls", f.instagram_post_urls, POSTS_MAX, URL_MAX);
    checks.list("regions", f.regions, REGIONS_MAX, SHORT_TEXT_MAX);
    checks.list("genres", f.genres, GENRES_MAX, SHORT_TEXT_MAX);
    checks.list("etcGenres", f.etc_genres, GENRES_MAX, SHORT_TEXT_MAX);
}

/// Our images that HTML fields of the profile show.
fn embedded(image_base: &str, texts: [&Option<String>; 2]) -> Vec<String> {
    texts.into_iter().flatten().flat_map(|t| embedded_image_keys(image_base, t)).collect()
}

/// 1 to 11 characters, not blank, without surrounding spaces.
pub(crate) fn check_nickname(checks: &mut Checks, nickname: &str) {
    // Surrounding spaces would let "dance " pass for "dance".
    if nickname.trim().is_empty() || nickname.trim() != nickname || char_len(nickname) > NICKNAME_MAX {
        checks.fail(format!("nickname must be 1 to {NICKNAME_MAX} characters"));
    }
}

/// Instagram posts as the client sends them: three slots, the empty ones unused.
fn posts(urls: &[String]) -> Vec<String> {
    urls.iter().map(|u| u.trim()).filter(|u| !u.is_empty()).map(str::to_owned).collect()
}

/// Become a lecturer: the profile, its nickname guard and the user's `lecturerId`, in one
/// transaction. The client then switches to lecturer tokens.
#[utoipa::path(post, path = "/lecturers", tag = "lecturers", security(("bearer" = [])), request_body = CreateBody,
    responses((status = 201, description = "The member is now a lecturer", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid input or already a lecturer or nickname taken, 401 refused", body = ErrorBody)))]
pub async fn become_lecturer(
    State(state): State<LecturersState>,
    UserGuard(user): UserGuard,
    JsonBody(body): JsonBody<CreateBody>,
) -> Result<Empty, ApiError> {
    let mut checks = Checks::default();
    check_nickname(&mut checks, &body.nickname);
    if !is_email(&body.email) {
        checks.fail(EMAIL_MESSAGE);
    }
    if !is_phone_number(&body.phone_number) {
        checks.fail(PHONE_MESSAGE);
    }
    check_fields(
        &mut checks,
        ProfileFields {
            profile_card_image_url: body.profile_card_image_url.as_deref(),
            youtube_url: body.youtube_url.as_deref(),
            instagram_url: body.instagram_url.as_deref(),
            homepage_url: body.homepage_url.as_deref(),
            affiliation: body.affiliation.as_deref(),
            introduction: body.introduction.as_deref(),
            experience: body.experience.as_deref(),
            images: ("profileImageUrls", Some(&body.profile_image_urls)),
            instagram_post_urls: body.instagram_post_urls.as_deref(),
            regions: Some(&body.regions),
            genres: Some(&body.genres),
            etc_genres: body.etc_genres.as_deref(),
        },
    );
    checks.finish()?;
    let regions = resolve_regions(&body.regions)?;
    let genres = resolve_genres(&body.genres, body.etc_genres.as_deref().unwrap_or_default())?;
    let images = check_images(
        &state.settings.image_base,
        body.profile_image_urls.iter().chain(&body.profile_card_image_url),
    )?;
    if user.lecturer_id.is_some() {
        return Err(already_lecturer());
    }
    let table = state.core.table.as_ref();
    if state.settings.phone_verification_required
        && table.get(&keys::phone_verified(user.id, &body.phone_number)).await?.is_none()
    {
        return Err(ApiError::bad_request("PhoneNotVerified", "인증되지 않은 전화번호입니다."));
    }
    let id = next_id(table, "lecturer").await?;
    let now = iso8601(state.core.clock.now());
    let lecturer = LecturerRecord {
        id,
        user_id: user.id,
        nickname: body.nickname,
        email: body.email,
        phone_number: body.phone_number,
        profile_card_image_url: body.profile_card_image_url,
        youtube_url: body.youtube_url,
        instagram_url: body.instagram_url,
        homepage_url: body.homepage_url,
        affiliation: body.affiliation,
        introduction: body.introduction,
        experience: body.experience,
        regions,
        genres,
        profile_images: body.profile_image_urls,
        instagram_posts: posts(body.instagram_post_urls.as_deref().unwrap_or_default()),
        created_at: now.clone(),
        updated_at: now.clone(),
        ..Default::default()
    };
    let guard =
        keys::lecturer_nickname_guard(&lecturer.nickname).item_with(serde_json::json!({"lecturerId": id}));
    let mut ops = vec![
        TxOp::Put { item: lecturer.item()?, cond: Some(Cond::NotExists) },
        TxOp::Put { item: guard, cond: Some(Cond::NotExists) },
        TxOp::Update {
            key: keys::user(user.id),
            update: Update::new().set("lecturerId", id).set("updatedAt", now),
            cond: Some(Cond::And(vec![Cond::Exists, Cond::AttrNotExists("lecturerId".into())])),
        },
    ];
    let first_claim = ops.len();
    ops.extend(claim_images(&images));
    match table.transact(ops).await {
        Ok(()) => Ok(Empty),
        Err(e) if claim_failed(&e, first_claim) => Err(image_deleted()),
        Err(e) if e.failed_at(2) => Err(already_lecturer()),
        Err(e) if e.failed_at(1) => Err(nickname_taken()),
        Err(e) => Err(e.into()),
    }
}

fn already_lecturer() -> ApiError {
    ApiError::bad_request("lecturerAlreadyExists", "이미 강사정보가 생성 되었습니다.")
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateBody {
    /// Replaces the gallery.
    new_profile_image_urls: Option<Vec<String>>,
    profile_card_image_url: Option<String>,
    /// Replaces the genres (with `etcGenres`, which counts only beside `genres`).
    genres: Option<Vec<String>>,
    etc_genres: Option<Vec<String>>,
    /// Replaces the regions.
    regions: Option<Vec<String>>,
    youtube_url: Option<String>,
    instagram_url: Option<String>,
    homepage_url: Option<String>,
    /// Replaces the Instagram posts.
    instagram_post_urls: Option<Vec<String>>,
    affiliation: Option<String>,
    introduction: Option<String>,
    experience: Option<String>,
}

/// Update my profile: each field present replaces what was there, in one write.
#[utoipa::path(patch, path = "/lecturers/profile", tag = "lecturers", security(("bearer" = [])), request_body = UpdateBody,
    responses((status = 200, description = "Updated", body = StatusOnly), (status = "default", description = "The error envelope: 400 invalid input, 401 refused", body = ErrorBody)))]
pub async fn update_profile(
    State(state): State<LecturersState>,
    LecturerSession(lecturer, _): LecturerSession,
    JsonBody(body): JsonBody<UpdateBody>,
) -> Result<Empty, ApiError> {
    let mut checks = Checks::default();
    check_fields(
        &mut checks,
        ProfileFields {
            profile_card_image_url: body.profile_card_image_url.as_deref(),
            youtube_url: body.youtube_url.as_deref(),
            instagram_url: body.instagram_url.as_deref(),
            homepage_url: body.homepage_url.as_deref(),
            affiliation: body.affiliation.as_deref(),
            introduction: body.introduction.as_deref(),
            experience: body.experience.as_deref(),
            images: ("newProfileImageUrls", body.new_profile_image_urls.as_deref()),
            instagram_post_urls: body.instagram_post_urls.as_deref(),
            regions: body.regions.as_deref(),
            genres: body.genres.as_deref(),
            etc_genres: body.etc_genres.as_deref(),
        },
    );
    checks.finish()?;
    let mut update = Update::new().set("updatedAt", iso8601(state.core.clock.now()));
    if let Some(texts) = &body.regions {
        update =
            update.set("regions", serde_json::to_value(resolve_regions(texts)?).map_err(ApiError::internal)?);
    }
    if let Some(genres) = &body.genres {
        let links = resolve_genres(genres, body.etc_genres.as_deref().unwrap_or_default())?;
        update = update.set("genres", serde_json::to_value(links).map_err(ApiError::internal)?);
    }
    let images = body.new_profile_image_urls.iter().flatten().chain(&body.profile_card_image_url);
    let mut images = check_images(&state.settings.image_base, images)?;
    images.extend(embedded(&state.settings.image_base, [&body.introduction, &body.experience]));
    if let Some(images) = body.new_profile_image_urls {
        update = update.set("profileImages", images);
    }
    if let Some(urls) = body.instagram_post_urls {
        update = update.set("instagramPosts", posts(&urls));
    }
    for (attr, value) in [
        ("profileCardImageUrl", body.profile_card_image_url),
        ("youtubeUrl", body.youtube_url),
        ("instagramUrl", body.instagram_url),
        ("homepageUrl", body.homepage_url),
        ("affiliation", body.affiliation),
        ("introduction", body.introduction),
        ("experience", body.experience),
    ] {
        if let Some(value) = value {
            update = update.set(attr, value);
        }
    }
    let active = connection_model::live();
    let key = keys::lecturer(lecturer.id);
    let table = state.core.table.as_ref();
    if images.is_empty() {
        return match table.update(&key, update, Some(active)).await {
            Ok(_) => Ok(Empty),
            Err(TableError::ConditionFailed) => Err(invalid_lecturer()),
            Err(e) => Err(e.into()),
        };
    }
    let mut ops = vec![TxOp::Update { key, update, cond: Some(active) }];
    ops.extend(claim_images(&images));
    match table.transact(ops).await {
        Ok(()) => Ok(Empty),
        Err(e) if e.failed_at(0) => Err(invalid_lecturer()),
        Err(e) if claim_failed(&e, 1) => Err(image_deleted()),
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublicProfile {
    id: i64,
    nickname: String,
    /// Masked (`k***@gmail.com`) for anyone but the lecturer's own account.
    email: String,
    /// Masked (`010-****-5678`) for anyone but the lecturer's own account.
    phone_number: String,
    profile_card_image_url: Option<String>,
    youtube_url: Option<String>,
    instagram_url: Option<String>,
    homepage_url: Option<String>,
    affiliation: Option<String>,
    introduction: Option<String>,
    experience: Option<String>,
    stars: f64,
    review_count: i64,
    created_at: String,
    updated_at: String,
    /// Whether the caller likes this lecturer.
    is_liked: bool,
    lecturer_dance_genre: Vec<GenreView>,
    lecturer_region: Vec<RegionView>,
    lecturer_profile_image_url: Vec<UrlView>,
    lecturer_instagram_post_url: Vec<UrlView>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublicProfileData {
    lecturer_profile: PublicProfile,
}

/// A lecturer's public profile. Contacts are masked unless the caller is the lecturer's own
/// user account; the profile, the caller's own profile and like are one batch read.
#[utoipa::path(get, path = "/lecturers/profile/{lecturerId}", tag = "lecturers", security((), ("bearer" = [])),
    params(("lecturerId" = i64, Path, description = "The lecturer")),
    responses((status = 200, description = "The profile", body = Envelope<PublicProfileData>), (status = "default", description = "The error envelope: 400 invalid id, 401 refused, 404 no such lecturer", body = ErrorBody)))]
pub async fn public_profile(
    State(state): State<LecturersState>,
    GuestOrUserToken(caller): GuestOrUserToken,
    PathId(id): PathId,
) -> Result<Data<PublicProfileData>, ApiError> {
    let mut wanted = vec![keys::lecturer(id)];
    if let Some(user) = caller {
        wanted.extend([keys::user(user), keys::lecturer_like(user, id)]);
    }
    let mut found = state.core.table.batch_get(&wanted).await?.into_iter();
    let lecturer = found.next().flatten();
    let is_liked = match caller {
        Some(_) => {
            active_user(found.next().flatten())?;
            found.next().flatten().is_some()
        }
        None => false,
    };
    let lecturer: LecturerRecord = lecturer.map(decode).transpose()?.ok_or_else(not_found_lecturer)?;
    if lecturer.deleted_at.is_some() {
        return Err(not_found_lecturer());
    }
    let owner = caller.is_some_and(|u| u == lecturer.user_id);
    let (email, phone_number) = if owner {
        (lecturer.email.clone(), lecturer.phone_number.clone())
    } else {
        (mask_email(&lecturer.email), mask_phone(&lecturer.phone_number))
    };
    Ok(Data(PublicProfileData {
        lecturer_profile: PublicProfile {
            id: lecturer.id,
            email,
            phone_number,
            stars: lecturer.stars(),
            review_count: lecturer.review_count,
            is_liked,
            lecturer_dance_genre: views::genres(&lecturer),
            lecturer_region: regions(&lecturer.regions),
            lecturer_profile_image_url: urls(&lecturer.profile_images),
            lecturer_instagram_post_url: urls(&lecturer.instagram_posts),
            nickname: lecturer.nickname,
            profile_card_image_url: lecturer.profile_card_image_url,
            youtube_url: lecturer.youtube_url,
            instagram_url: lecturer.instagram_url,
            homepage_url: lecturer.homepage_url,
            affiliation: lecturer.affiliation,
            introduction: lecturer.introduction,
            experience: lecturer.experience,
            created_at: lecturer.created_at,
            updated_at: lecturer.updated_at,
        },
    }))
}

#[derive(Serialize, ToSchema)]
pub struct AuthView {
    email: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct UserView {
    name: String,
    auth: AuthView,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BasicProfile {
    id: i64,
    email: String,
    nickname: String,
    profile_card_image_url: Option<String>,
    phone_number: String,
    users: Option<UserView>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BasicProfileData {
    lecturer_basic_profile: BasicProfile,
}

/// The signed-in lecturer's own card, with the account behind it (read on every page).
#[utoipa::path(get, path = "/lecturers/my-basic-profile", tag = "lecturers", security(("bearer" = [])),
    responses((status = 200, description = "My card", body = Envelope<BasicProfileData>), (status = "default", description = "The error envelope: 401 refused", body = ErrorBody)))]
pub async fn my_basic_profile(
    State(state): State<LecturersState>,
    LecturerSession(lecturer, _): LecturerSession,
) -> Result<Data<BasicProfileData>, ApiError> {
    let account = user::find(state.core.table.as_ref(), lecturer.user_id).await?;
    Ok(Data(BasicProfileData {
        lecturer_basic_profile: BasicProfile {
            id: lecturer.id,
            email: lecturer.email,
            nickname: lecturer.nickname,
            profile_card_image_url: lecturer.profile_card_image_url,
            phone_number: lecturer.phone_number,
            users: account.map(|u| UserView {
                name: u.name,
                auth: AuthView {
                    email: u.auth.email,
                    kind: sign_up_type_name(u.auth.sign_up_type_id).unwrap_or_default(),
                },
            }),
        },
    }))
}
