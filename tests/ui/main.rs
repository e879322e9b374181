//! The window's tests, one binary (each module was its own binary; linking eframe into each
//! took most of the test build). They drive the real app headlessly with `egui_kittest`, over
//! real loopback sockets; `ui_support` has the harness.
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

#[path = "../tls_support/mod.rs"]
mod tls_support;
mod ui_support;
// issue 15: serial
#[path = "../serial_support/mod.rs"]
mod serial_support;

mod counters_readable;
mod faults;
mod faults_io;
mod file_dialog;
mod first_size;
mod framing;
mod framing_gap;
mod framing_raw;
mod language;
mod language_errors;
mod layout;
mod layout_clients;
mod layout_confirm;
mod layout_send;
mod layout_split;
// issue 15: serial
mod layout_serial;
mod layout_tls;
mod log_cap;
mod log_export;
mod log_flood_tail;
mod log_search;
mod log_view;
mod quit_signal;
mod repaint_cap;
mod room_heartbeat;
mod room_multicast;
mod room_presets;
mod room_rules;
mod room_tcp_chat;
mod room_udp;
mod send_queue;
mod sessions;
// issue 15: serial
mod serial;
mod tcp_client;
mod tcp_server;
mod tls;
mod udp;
mod udp_drops;
// issue 15: websocket
mod websocket;
