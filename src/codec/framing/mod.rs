//! Message framing: cutting a TCP byte stream back into the peer's messages ("sticky packets").
//!
//! TCP delivers bytes, not messages: two `send`s can arrive in one `recv`
//! and one `send` can arrive split over several. A [`Framing`] names the rule
//! both sides agreed on to find message boundaries again, a [`Deframer`]
//! applies it to one peer's reads, and [`encode_frame`] builds a message in
//! that framing for sending.
//!
//! - `spec.rs`: [`Framing`], its command-line form and the parser ([`FramingSpecError`]).
//! - `deframer.rs`: [`Deframer`], one peer's stream, and what it hands out ([`Cut`]).
//! - `split.rs`: the bytes received ([`Frame`]s cut from them) and the splitter of each kind
//!   (delimiter, fixed length, length prefix, JSON header).
//! - `json.rs`: the JSON header, checked once and kept while the body arrives.
//! - `uint.rs`: the 1- to 8-byte length field in either byte order.
//! - `build.rs`: [`encode_frame`], a message to send in a framing.
//! - `error.rs`: [`FrameError`].
//! - `gap.rs`: gap framing over several peers: what a silence ended, when the next one ends.
//! - `gave_up.rs`: [`GaveUp`] / [`OtherOrder`], what a viewer reports when the framing fails.

mod build;
mod deframer;
mod error;
mod gap;
mod gave_up;
mod json;
mod spec;
mod split;
mod uint;

pub use build::encode_frame;
pub use deframer::{Cut, DEFAULT_MAX_FRAME, Deframer};
pub use error::FrameError;
pub use gap::{ended_by_silence, next_silence};
pub use gave_up::{GaveUp, OtherOrder};
pub use spec::{Framing, FramingSpecError, MAX_GAP_MS};
pub use split::Frame;

#[cfg(test)]
mod tests;
