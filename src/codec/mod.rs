//! Byte/text conversion for netassist: hex, escapes, text encodings, checksums, framing and
//! payload building.

pub mod checksum;
pub mod encoding;
pub mod escape;
pub mod framing;
pub mod hex;
pub mod payload;

pub use checksum::{Checksum, UnknownChecksum};
pub use encoding::{EncodeError, StreamDecoder, TextEncoding, UnknownEncoding, decode_all};
pub use escape::{EscapeError, Segment, parse_escapes};
pub use framing::{
    Cut, Deframer, Frame, FrameError, Framing, FramingSpecError, GaveUp, OtherOrder, encode_frame,
    ended_by_silence, next_silence,
};
pub use hex::{HexError, parse_hex, to_hex, write_hex};
pub use payload::{Eol, InputMode, PayloadError, PayloadOptions, UnknownEol, build_payload};
