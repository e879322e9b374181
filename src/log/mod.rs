//! The log of a session: bounded storage of what was sent and received, counters, the lazy
//! line layout a view draws from, search and export. No window code here.

pub mod blocks;
pub mod counters;
pub mod export;
pub mod feed;
pub mod memory;
pub mod record;
pub mod render;
pub mod search;
pub mod store;

pub use counters::{Counters, RateHistory, RatePoint, Rates};
pub use export::{Export, ExportError, ExportFormat, ExportSummary, TextStyle};
pub use feed::{FeedNote, LogFeed};
pub use record::{Direction, Peer, Record, RecordBytes, RecordFilter};
pub use render::{Layout, LayoutParams, Line, Span, ViewMode};
pub use search::{Match, PatternKind, Query, Search, SearchError};
pub use store::LogStore;
