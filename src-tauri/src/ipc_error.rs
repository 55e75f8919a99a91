//! How errors cross IPC: always `{code, message}`; the UI branches on `code`.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct IpcError {
    pub code: &'static str,
    pub message: String,
}

impl From<fanbase_core::Error> for IpcError {
    fn from(e: fanbase_core::Error) -> Self {
        IpcError { code: e.code(), message: e.to_string() }
    }
}

impl From<fanbase_import::Error> for IpcError {
    fn from(e: fanbase_import::Error) -> Self {
        IpcError { code: e.code(), message: e.to_string() }
    }
}

impl From<fanbase_admin::Error> for IpcError {
    fn from(e: fanbase_admin::Error) -> Self {
        IpcError { code: e.code(), message: e.to_string() }
    }
}

impl From<fanbase_campaign::Error> for IpcError {
    fn from(e: fanbase_campaign::Error) -> Self {
        IpcError { code: e.code(), message: e.to_string() }
    }
}

impl From<fanbase_segments::Error> for IpcError {
    fn from(e: fanbase_segments::Error) -> Self {
        IpcError { code: e.code(), message: e.to_string() }
    }
}

impl From<fanbase_sync::Error> for IpcError {
    fn from(e: fanbase_sync::Error) -> Self {
        IpcError { code: e.code(), message: e.to_string() }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
