//! What a function call answers: its value as JSON text, or how it fails: a malformed call (HTTP 400, plain text) or a refusal by the
//! function itself (HTTP 560 with `errorMessage` and `errorData.code`).

use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Forbidden,
    NotFound,
    InvalidArgument,
    Conflict,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Forbidden => "FORBIDDEN",
            Code::NotFound => "NOT_FOUND",
            Code::InvalidArgument => "INVALID_ARGUMENT",
            Code::Conflict => "CONFLICT",
        }
    }
}

/// A 560 answer: the function ran and refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub code: Code,
    pub message: String,
    /// Extra `errorData` fields beside `code`.
    pub data: Map<String, Value>,
}

impl Refusal {
    pub fn new(code: Code, message: impl Into<String>) -> Refusal {
        Refusal { code, message: message.into(), data: Map::new() }
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Refusal {
        self.data.insert(key.to_string(), value.into());
        self
    }

    pub fn body(&self) -> Value {
        let mut data = self.data.clone();
        data.insert("code".into(), json!(self.code.as_str()));
        json!({"status": "error", "errorMessage": self.message, "errorData": data})
    }
}

/// A function's value as JSON text (pages are assembled from pre-rendered records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Json(pub String);

impl From<Value> for Json {
    fn from(v: Value) -> Json {
        Json(v.to_string())
    }
}

/// Why a call did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum Fail {
    /// HTTP 400: the call itself is wrong (arguments that fail the function's validator).
    BadCall(String),
    /// HTTP 560.
    Refused(Refusal),
}

impl From<Refusal> for Fail {
    fn from(r: Refusal) -> Fail {
        Fail::Refused(r)
    }
}
