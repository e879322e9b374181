//! Lazy display of the log: records become lines only for the rows on screen.
//!
//! [`Layout`] keeps, for every record, where its lines end (a running sum), so a scroll view
//! with fixed-height rows can ask for row *n* and get exactly one line, found by binary search.
//! Line counts depend on the view (text, hex or both; wrap width; hidden records), so changing
//! any of those lays everything out again — one pass over the text, no allocation per line.

//!
//! - `params.rs`: [`LayoutParams`] and [`ViewMode`], what about the view changes row counts.
//! - `line.rs`: what a row is: a [`Span`] of one record and the [`Line`] built from it.
//! - `layout.rs`: [`Layout`], the rows of every record, and the [`Line`] of one row.
//! - `wrap.rs`: cutting a record into [`Span`]s (rows) at the wrap width, and counting them.
//! - `text.rs`: the characters of a line: content, header, prefix, clock, control escapes.

mod layout;
mod line;
mod params;
mod text;
mod wrap;

pub use layout::Layout;
pub use line::{Line, Span};
pub use params::{LayoutParams, ViewMode};
pub use text::{
    arrow, escape_controls, header, line_prefix, plain_line, push_escaped_controls, span_content,
    time_of_day,
};
pub use wrap::{TAB_COLUMNS, char_columns, spans};

#[cfg(test)]
mod tests;
