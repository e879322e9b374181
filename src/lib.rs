//! netassist: a network debugging assistant — TCP client, TCP server and UDP with text and hex,
//! Chinese encodings, a window and a command line on one event-driven engine.

pub mod app;
pub mod cli;
pub mod codec;
pub mod engine;
pub mod lang;
pub mod log;
