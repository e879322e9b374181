//! The engine, codec, log and command-line tests, one binary (each module was its own binary).
//! Real loopback sockets, real files, the built `netassist` binary as a child process.
//! `faults_net_leaks` stays a binary of its own: it counts the process's descriptors and threads.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

#[path = "../cli_support/mod.rs"]
mod cli_support;
#[path = "../prop_support/mod.rs"]
mod prop_support;
#[path = "../tls_support/mod.rs"]
mod tls_support;
// issue 15: serial
#[path = "../serial_support/mod.rs"]
mod serial_support;
#[path = "../util/mod.rs"]
mod util;
// issue 15: websocket
#[path = "../ws_support/mod.rs"]
mod ws_support;

mod cli;
mod cli_send_queue;
mod engine_room;
mod engine_tcp;
mod engine_udp;
mod faults_io;
mod faults_net;
mod faults_net_emfile;
mod framing_gap_cli;
mod log_flood;
mod log_wrap;
mod prop_codec;
mod send_queue;
// issue 15: serial
mod serial;
mod serial_backpressure;
mod serial_cli;
mod tls;
mod tls_cli;
mod udp_drops;
mod version;
// issue 15: websocket
mod websocket;
mod websocket_cli;
