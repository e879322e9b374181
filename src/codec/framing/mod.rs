//! Message framing: cutting a TCP byte stream back into the peer's messages ("sticky packets").
//!
//! TCP delivers bytes, not messages: two `send`s can arrive in one `recv`
//! and one `send` can arrive split over several. A [`Framing`] names the rule
//! both sides agreed on to find message boundaries again, a [`Deframer`]
//! applies it to one peer's reads, and [`encode_frame`] builds a message in
//! that framing for sending.
//!
//! - `spec.rs`: [`Framing`], its command-line form and the parser ([`FramingSpecError`]).
//! - `deframer.rs`: [`Deframer`], what it hands out ([`Frame`], [`Cut`]) and its recovery.
//! - `split.rs`: the splitter of each kind (delimiter, fixed length, length prefix, JSON).
//! - `json.rs`: the JSON header, checked once and kept while the body arrives.
//! - `build.rs`: [`encode_frame`], a message to send in a framing.
//! - `error.rs`: [`FrameError`], and [`GaveUp`] / [`OtherOrder`] for a viewer.

mod build;
mod deframer;
mod error;
mod json;
mod spec;
mod split;

pub use build::encode_frame;
pub use deframer::{Cut, DEFAULT_MAX_FRAME, Deframer, Frame};
pub use error::{FrameError, GaveUp, OtherOrder};
pub use spec::{Framing, FramingSpecError};

#[cfg(test)]
mod tests;
