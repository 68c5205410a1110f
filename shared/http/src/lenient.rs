//! Fields the web client sends as strings (client.md §3): numbers as digit strings and
//! booleans as `"true"`/`"false"`, in queries and in some bodies. These deserializers take both
//! forms (`#[serde(deserialize_with = "lenient::int")]`) and refuse anything else with the
//! usual validation message.

use serde::de::{Error, Unexpected};
use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum Raw {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
}

fn to_int<E: Error>(raw: Raw) -> Result<i64, E> {
    match raw {
        Raw::Int(n) => Ok(n),
        Raw::Text(s) if !s.is_empty() && s.len() <= 18 && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().map_err(|_| E::invalid_value(Unexpected::Str(&s), &"an integer"))
        }
        Raw::Text(s) => Err(E::invalid_type(Unexpected::Str(&s), &"an integer")),
        Raw::Float(f) => Err(E::invalid_type(Unexpected::Float(f), &"an integer")),
        Raw::Bool(b) => Err(E::invalid_type(Unexpected::Bool(b), &"an integer")),
    }
}

fn to_bool<E: Error>(raw: Raw) -> Result<bool, E> {
    match raw {
        Raw::Bool(b) => Ok(b),
        Raw::Text(s) if s == "true" => Ok(true),
        Raw::Text(s) if s == "false" => Ok(false),
        Raw::Text(s) => Err(E::invalid_type(Unexpected::Str(&s), &"a boolean")),
        Raw::Int(n) => Err(E::invalid_type(Unexpected::Signed(n), &"a boolean")),
        Raw::Float(f) => Err(E::invalid_type(Unexpected::Float(f), &"a boolean")),
    }
}

/// An integer, or a string of digits.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    to_int(Raw::deserialize(d)?)
}

/// [`int`], where null or absence is `None` (use with `#[serde(default)]`).
pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Option::<Raw>::deserialize(d)?.map(to_int).transpose()
}

/// A boolean, or `"true"`/`"false"`.
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    to_bool(Raw::deserialize(d)?)
}

/// [`bool`], where null or absence is `None` (use with `#[serde(default)]`).
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Option::<Raw>::deserialize(d)?.map(to_bool).transpose()
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<Raw>),
    One(Raw),
}

/// A list of [`int`]s, or a single one.
pub fn ints<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    match OneOrMany::deserialize(d)? {
        OneOrMany::One(raw) => Ok(vec![to_int(raw)?]),
        OneOrMany::Many(raw) => raw.into_iter().map(to_int).collect(),
    }
}

/// A list of [`int`]s, or a single one (a query's lone `a=1`); null or absence is `None` (use
/// with `#[serde(default)]`).
pub fn opt_ints<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<i64>>, D::Error> {
    match Option::<OneOrMany>::deserialize(d)? {
        None => Ok(None),
        Some(OneOrMany::One(raw)) => Ok(Some(vec![to_int(raw)?])),
        Some(OneOrMany::Many(raw)) => raw.into_iter().map(to_int).collect::<Result<_, _>>().map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize, Debug)]
    struct Body {
        #[serde(deserialize_with = "int")]
        n: i64,
        #[serde(default, deserialize_with = "opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "opt_ints")]
        list: Option<Vec<i64>>,
    }

    #[test]
    fn numbers_and_booleans_arrive_as_themselves_or_as_strings() {
        let body: Body = serde_json::from_value(json!({"n": "42", "b": "true", "list": [1, "2"]})).unwrap();
        assert_eq!((body.n, body.b, body.list), (42, Some(true), Some(vec![1, 2])));
        let body: Body = serde_json::from_value(json!({"n": 7, "b": false})).unwrap();
        assert_eq!((body.n, body.b, body.list), (7, Some(false), None));
        let body: Body = serde_json::from_value(json!({"n": 7, "b": null})).unwrap();
        assert_eq!(body.b, None);
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            json!({"n": "4x"}),
            json!({"n": "-1"}),
            json!({"n": 1.5}),
            json!({"n": 1, "b": "yes"}),
            json!({"n": ""}),
        ] {
            assert!(serde_json::from_value::<Body>(bad.clone()).is_err(), "{bad}");
        }
    }
}
