//! The session state's decisions about received data, without sockets: echo, auto-replies,
//! the quit line, relaying and the room heartbeat.

use std::net::SocketAddr;
use std::sync::Arc;

use crossbeam_channel::Receiver;
use mio::{Poll, Token, Waker};

use super::{Forward, SessionState};
use crate::engine::chunk::Chunk;
use crate::engine::config::{Relay, SessionConfig};
use crate::engine::event::{CloseReason, Event, SendOrigin};
use crate::engine::payload::Payload;
use crate::engine::rules::{Action, AutoReply, Match};
use crate::engine::sink::Sink;

/// A session state made from `config`, with the receiving end of its events (the poller is
/// kept alive with it: the waker belongs to it).
fn state(config: &SessionConfig) -> (SessionState, Receiver<Event>, Poll) {
    let poll = Poll::new().unwrap();
    let waker = Arc::new(Waker::new(poll.registry(), Token(0)).unwrap());
    let (tx, rx) = crossbeam_channel::bounded(64);
    let sink = Sink::new(tx, None, Arc::default(), 1 << 20);
    (SessionState::new(config, sink, waker), rx, poll)
}

fn config() -> SessionConfig {
    SessionConfig::tcp_server("127.0.0.1:0".parse().unwrap())
}

fn peer() -> SocketAddr {
    "192.0.2.7:4000".parse().unwrap()
}

fn take(state: &mut SessionState, bytes: &[u8], datagram: bool) -> Forward {
    state.take_in(peer(), Chunk::new(bytes.to_vec()), datagram)
}

fn replies(forward: &Forward) -> Vec<(&[u8], SendOrigin)> {
    forward
        .replies
        .iter()
        .map(|(payload, origin)| (payload.as_ref(), *origin))
        .collect()
}

fn relayed(forward: &Forward) -> Option<(&[u8], bool)> {
    forward
        .relay
        .as_ref()
        .map(|(payload, sender)| (payload.as_ref(), *sender))
}

#[test]
fn plain_data_is_shown_and_nothing_else_happens() {
    let (mut state, events, _poll) = state(&config());
    assert!(!state.answers_sender() && !state.relays());
    let forward = take(&mut state, b"hello", false);
    assert!(forward.replies.is_empty() && forward.relay.is_none());
    assert_eq!(forward.disconnect, None);
    match events.try_recv() {
        Ok(Event::Received {
            peer: from, bytes, ..
        }) => {
            assert_eq!(from, peer());
            assert_eq!(bytes.as_slice(), b"hello");
        }
        other => panic!("expected the data as Received, got {other:?}"),
    }
}

#[test]
fn echo_sends_the_data_back_before_the_rules_answer() {
    let mut config = config();
    config.echo = true;
    config.auto_replies = vec![AutoReply {
        when: Match::Contains(b"ping".to_vec()),
        then: Action::Reply(Payload::from(&b"pong"[..])),
    }];
    let (mut state, _events, _poll) = state(&config);
    assert!(state.answers_sender());
    let forward = take(&mut state, b"a ping", false);
    assert_eq!(
        replies(&forward),
        [
            (&b"a ping"[..], SendOrigin::Echo),
            (&b"pong"[..], SendOrigin::AutoReply)
        ]
    );
    // Without a match only the echo answers.
    let forward = take(&mut state, b"hello", false);
    assert_eq!(replies(&forward), [(&b"hello"[..], SendOrigin::Echo)]);
}

#[test]
fn auto_reply_rules_reply_echo_or_disconnect() {
    let mut config = config();
    config.auto_replies = vec![
        AutoReply {
            when: Match::Equals(vec![0x01, 0x02]),
            then: Action::Reply(Payload::from(&[0xAA][..])),
        },
        AutoReply {
            when: Match::Regex(regex::bytes::Regex::new("^GET ").unwrap()),
            then: Action::Echo,
        },
        AutoReply {
            when: Match::Contains(b"bye".to_vec()),
            then: Action::Disconnect,
        },
    ];
    let (mut state, _events, _poll) = state(&config);
    let forward = take(&mut state, &[0x01, 0x02], false);
    assert_eq!(replies(&forward), [(&[0xAA][..], SendOrigin::AutoReply)]);
    assert_eq!(forward.disconnect, None);

    let forward = take(&mut state, b"GET /", false);
    assert_eq!(replies(&forward), [(&b"GET /"[..], SendOrigin::AutoReply)]);

    let forward = take(&mut state, b"ok bye", false);
    assert!(forward.replies.is_empty());
    assert_eq!(forward.disconnect, Some(CloseReason::Rule));
}

#[test]
fn relay_forwards_with_or_without_the_sender_and_its_address() {
    let mut config = config();
    config.relay = Some(Relay {
        include_sender: false,
        prefix_peer: true,
    });
    let (mut state, _events, _poll) = state(&config);
    assert!(state.relays());
    let forward = take(&mut state, b"hi all", false);
    assert_eq!(
        relayed(&forward),
        Some((&b"192.0.2.7:4000\nhi all"[..], false))
    );

    state.relay = Some(Relay {
        include_sender: true,
        prefix_peer: false,
    });
    let forward = take(&mut state, b"hi all", false);
    assert_eq!(relayed(&forward), Some((&b"hi all"[..], true)));
}

#[test]
fn the_quit_line_disconnects_and_is_not_relayed() {
    let mut config = config();
    config.relay = Some(Relay::default());
    config.quit_line = Some(b"/quit".to_vec());
    let (mut state, _events, _poll) = state(&config);
    let forward = take(&mut state, b"last words\n/quit\r\n", false);
    assert_eq!(forward.disconnect, Some(CloseReason::Quit));
    assert_eq!(relayed(&forward), None);
    // A line that only contains it is ordinary data.
    let forward = take(&mut state, b"type /quit to leave\n", false);
    assert_eq!(forward.disconnect, None);
    assert!(forward.relay.is_some());
}

#[test]
fn a_room_heartbeat_datagram_is_shown_but_not_relayed() {
    let mut config = config();
    config.relay = Some(Relay::default());
    config.room_heartbeat = Some(b"#ping#".to_vec());
    let (mut state, events, _poll) = state(&config);
    let forward = take(&mut state, b"#ping#\r\n", true);
    assert_eq!(relayed(&forward), None);
    assert!(matches!(events.try_recv(), Ok(Event::Received { .. })));
    // The same bytes over TCP are a message like any other.
    let forward = take(&mut state, b"#ping#\r\n", false);
    assert_eq!(relayed(&forward), Some((&b"#ping#\r\n"[..], false)));
}
