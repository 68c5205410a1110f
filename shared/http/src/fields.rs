//! Checks of the fields many bodies share, answered in the error envelope: lengths and list
//! sizes (collected into one validation list), region strings, dance genres and image URLs.

use connection_domain::catalog::{OTHER_GENRE, genre_id, other_genre_id};
use connection_domain::regions::{self, RegionError};
use connection_domain::validate::char_len;
use connection_model::lecturer::GenreLink;

use crate::ApiError;

/// Collects the violated constraints of a body, as the validation envelope lists them.
#[derive(Default)]
pub struct Checks(pub Vec<String>);

impl Checks {
    pub fn fail(&mut self, message: impl Into<String>) {
        self.0.push(message.into());
    }

    /// At most `max` characters.
    pub fn text(&mut self, field: &str, value: Option<&str>, max: usize) {
        if value.is_some_and(|v| char_len(v) > max) {
            self.fail(format!("{field} must be shorter than or equal to {max} characters"));
        }
    }

    /// Present, not blank, and at most `max` characters.
    pub fn required_text(&mut self, field: &str, value: &str, max: usize) {
        self.not_blank(field, value);
        self.text(field, Some(value), max);
    }

    pub fn not_blank(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(format!("{field} should not be empty"));
        }
    }

    /// At most `max_items` entries of at most `max_len` characters each.
    pub fn list(&mut self, field: &str, values: Option<&[String]>, max_items: usize, max_len: usize) {
        if let Some(values) = values {
            if values.len() > max_items {
                self.fail(format!("{field} must contain no more than {max_items} elements"));
            }
            if values.iter().any(|v| char_len(v) > max_len) {
                self.fail(format!(
                    "each value in {field} must be shorter than or equal to {max_len} characters"
                ));
            }
        }
    }

    /// Within `[min, max]`.
    pub fn range(&mut self, field: &str, value: Option<i64>, min: i64, max: i64) {
        if value.is_some_and(|v| v < min || v > max) {
            self.fail(format!("{field} must be between {min} and {max}"));
        }
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() { Ok(()) } else { Err(ApiError::validation(self.0)) }
    }
}

/// The one of `allowed` that `value` names, in any case (`AVAILABLE`, `available`).
pub fn one_of<'a>(field: &str, value: &str, allowed: &[&'a str]) -> Result<&'a str, ApiError> {
    allowed.iter().find(|a| a.eq_ignore_ascii_case(value)).copied().ok_or_else(|| {
        ApiError::validation(vec![format!(
            "{field} must be one of the following values: {}",
            allowed.join(", ")
        )])
    })
}

pub fn region_error(text: &str, error: RegionError) -> ApiError {
    match error {
        RegionError::Format => {
            ApiError::bad_request("InvalidAddressFormat", format!("잘못된 주소 형식입니다: {text}"))
        }
        RegionError::Unknown => {
            ApiError::bad_request("InvalidAddress", format!("존재하지 않는 지역입니다: {text}"))
        }
    }
}

/// Region strings → region ids (without repeats), refusing the malformed and the unknown.
pub fn resolve_regions(texts: &[String]) -> Result<Vec<i64>, ApiError> {
    let mut ids = Vec::with_capacity(texts.len());
    for text in texts {
        let region = regions::parse(text).map_err(|e| region_error(text, e))?;
        if !ids.contains(&region.id) {
            ids.push(region.id);
        }
    }
    Ok(ids)
}

/// Genre names plus free-text genres (stored under `기타`).
pub fn resolve_genres(genres: &[String], etc: &[String]) -> Result<Vec<GenreLink>, ApiError> {
    let mut links = Vec::new();
    for name in genres {
        if name == OTHER_GENRE {
            continue;
        }
        let id = genre_id(name).ok_or_else(|| {
            ApiError::validation(vec![format!("each value in genres must be a dance genre, not {name}")])
        })?;
        if !links.iter().any(|l: &GenreLink| l.dance_category_id == id) {
            links.push(GenreLink { dance_category_id: id, name: None });
        }
    }
    for name in etc.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        links.push(GenreLink { dance_category_id: other_genre_id(), name: Some(name.to_string()) });
    }
    Ok(links)
}

/// An image whose deletion started while an entity was about to show it.
pub fn image_deleted() -> ApiError {
    ApiError::bad_request("ImageDeleted", "삭제된 이미지는 사용할 수 없습니다.")
}

/// The longest image URL we store.
pub const IMAGE_URL_MAX: usize = 500;

/// Only images we serve (under `image_base`) may appear on a profile or a class; answers their
/// object keys.
pub fn check_images<'a>(
    image_base: &str,
    urls: impl IntoIterator<Item = &'a String>,
) -> Result<Vec<String>, ApiError> {
    let prefix = format!("{}/", image_base.trim_end_matches('/'));
    let mut keys = Vec::new();
    for url in urls {
        let key = url.strip_prefix(&prefix).unwrap_or_default();
        if !connection_adapters::blobs::is_plain_key(key) || char_len(url) > IMAGE_URL_MAX {
            return Err(ApiError::bad_request("InvalidImageUrl", "업로드한 이미지만 사용할 수 있습니다."));
        }
        keys.push(key.to_string());
    }
    Ok(keys)
}

/// The object keys of our images that an HTML text shows (`<img src="<image base>/…">` of the
/// curriculum editor), so that the write saving the text can claim them.
pub fn embedded_image_keys(image_base: &str, html: &str) -> Vec<String> {
    let prefix = format!("{}/", image_base.trim_end_matches('/'));
    let mut keys = Vec::new();
    for (at, _) in html.match_indices(&prefix) {
        let rest = &html[at + prefix.len()..];
        let end = rest.find(|c: char| c == '"' || c == '\'' || c == ')' || c == '<' || c.is_whitespace());
        let key = &rest[..end.unwrap_or(rest.len())];
        if connection_adapters::blobs::is_plain_key(key) && !keys.iter().any(|k| k == key) {
            keys.push(key.to_string());
        }
    }
    keys
}

/// Links a profile shows must be web links (no `javascript:` and the like).
pub fn check_link(checks: &mut Checks, field: &str, value: Option<&str>) {
    if value.is_some_and(|v| !(v.is_empty() || v.starts_with("https://") || v.starts_with("http://"))) {
        checks.fail(format!("{field} must be an http(s) URL"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_embedded_in_html_are_found() {
        let html = r#"<p>a</p><img src="https://img.example.com/lectures/a.png"><img src='https://img.example.com/lectures/b.gif'/>
            <img src="https://evil.example.com/lectures/c.png"> https://img.example.com/lectures/a.png"#;
        assert_eq!(
            embedded_image_keys("https://img.example.com", html),
            vec!["lectures/a.png".to_string(), "lectures/b.gif".to_string()]
        );
    }

    #[test]
    fn links_are_web_links() {
        let mut checks = Checks::default();
        check_link(&mut checks, "homepageUrl", Some("https://dance.example.com"));
        check_link(&mut checks, "homepageUrl", Some(""));
        check_link(&mut checks, "youtubeUrl", None);
        assert!(checks.0.is_empty());
        check_link(&mut checks, "instagramUrl", Some("javascript:alert(1)"));
        assert_eq!(checks.0, vec!["instagramUrl must be an http(s) URL"]);
    }
}
