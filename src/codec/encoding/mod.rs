//! Text encodings (UTF-8, GB2312/GBK/GB18030, Big5, `Shift_JIS`, UTF-16 …) for
//! sending and for showing received bytes, including streams split mid-character.
//!
//! - `label.rs`: [`TextEncoding`], found by label ([`UnknownEncoding`]), the common list.
//! - `encode.rs`: text to bytes, refusing what the encoding cannot write ([`EncodeError`]).
//! - `stream.rs`: bytes to text in pieces ([`StreamDecoder`], [`decode_all`]).

mod encode;
mod label;
mod stream;

pub use encode::EncodeError;
pub use label::{TextEncoding, UnknownEncoding};
pub use stream::{StreamDecoder, decode_all};

#[cfg(test)]
mod tests;
