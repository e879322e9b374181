//! The JSON-header protocol's header: checked once when it has arrived, and kept while the
//! body is still arriving.

use super::error::FrameError;

/// The JSON header of a message whose body has not fully arrived yet, kept so
/// the header is parsed once rather than on every read of a large body.
#[derive(Debug, Clone)]
pub(super) struct JsonPending {
    /// The header text, for [`Frame::header`](super::Frame::header).
    pub(super) header: String,
    /// Bytes from the message start to the body: the 4-byte length plus the header.
    pub(super) body_offset: usize,
    /// Bytes from the message start to its end; `data_size` was already
    /// checked against the limit.
    pub(super) total: usize,
}

/// Validates a received JSON header; returns its text and `data_size`.
pub(super) fn parse_json_header_text(raw: &[u8]) -> Result<(String, u64), FrameError> {
    let bad = |reason: String| FrameError::BadJsonHeader { reason };
    if raw.is_empty() {
        return Err(bad(
            "the header length is 0, so there is no header".to_owned()
        ));
    }
    let text = std::str::from_utf8(raw)
        .map_err(|_| bad(format!("the {}-byte header is not UTF-8 text", raw.len())))?;
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| bad(format!("the header is not valid JSON ({e})")))?;
    let object = value
        .as_object()
        .ok_or_else(|| bad("the header is JSON but not an object {…}".to_owned()))?;
    let data_size = object
        .get("data_size")
        .ok_or_else(|| bad("the header has no \"data_size\" field".to_owned()))?;
    let data_size = data_size.as_u64().ok_or_else(|| {
        bad(format!(
            "\"data_size\" is {data_size}, not a non-negative whole number"
        ))
    })?;
    Ok((text.to_owned(), data_size))
}
