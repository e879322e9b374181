//! What a row of the view is: a [`Span`] of one record (its header, a piece of its text or of
//! its bytes) and the [`Line`] built from it.

use super::super::record::Record;

/// A piece of a record that makes one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The record's header line (log mode).
    Header,
    /// Bytes `start..end` of the decoded text.
    Text(usize, usize),
    /// Bytes `start..end` of the raw data, as hex.
    Hex(usize, usize),
}

/// One line on screen.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// The sequence number of the record the line starts in.
    pub seq: u64,
    /// That record.
    pub record: &'a Record,
    /// True when the line starts a record (the header goes there).
    pub first: bool,
    /// What the line holds of that record.
    pub span: Span,
    /// The line's characters, ready to show (with merged continuations appended).
    pub content: String,
    /// The line goes on from the row above: the view wrapped it there, the data has no line
    /// break (text export and copy join such rows again).
    pub soft: bool,
}
