//! Argument validation like Convex's validators: arguments that do not match a function's
//! declared shape (missing, extra or mistyped fields) make the call malformed (HTTP 400).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::refusal::Fail;

/// Parses `args` into the function's argument type, or a 400 naming the function and the field.
pub fn parse<T: DeserializeOwned>(path: &str, args: Value) -> Result<T, Fail> {
    serde_json::from_value(args).map_err(|e| {
        Fail::BadCall(format!("ArgumentValidationError: arguments of `{path}` do not match its validator: {e}"))
    })
}

/// A `T | null` field that must be present (serde would otherwise take a missing one as null).
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d)
}

/// Arguments of a function that takes none: `{}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}
