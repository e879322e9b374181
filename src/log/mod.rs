//! The log of a session: bounded storage of what was sent and received, counters, and the
//! lazy line layout a view draws from. No egui here.

pub mod counters;
pub mod record;
pub mod render;
pub mod store;

pub use counters::{Counters, Rates};
pub use record::{Direction, Peer, Record};
pub use render::{Layout, LayoutParams, Line, Span, ViewMode};
pub use store::LogStore;
