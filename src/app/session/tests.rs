//! The session's view without a window or a socket: synthetic engine events applied to a
//! `SessionView`, and the options it hands the engine (echo, relay, quit line, auto-replies).
//! Echo, auto-reply, quit-line and relay *decisions* on received data are the engine's
//! (`engine::rules`, the transports); the window only configures them, which is tested here.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use super::applied::{AppliedOptions, commands_for};
use super::{ClientTarget, FileProgress, LinkState, SessionView, UiError};
use crate::app::i18n::{Info, Lang};
use crate::app::room::{RoomSettings, RuleSettings};
use crate::app::settings::{Protocol, SessionSettings};
use crate::engine::{CloseReason, Command, Event, NetError, SendOrigin, SentTo};
use crate::log::Direction;
use crate::log::record::Note as _;

fn addr(text: &str) -> SocketAddr {
    text.parse().expect("a socket address")
}

fn view(protocol: Protocol) -> SessionView {
    let mut view = SessionView::new(SessionSettings {
        protocol,
        ..SessionSettings::default()
    });
    view.log.set_lang(Lang::En);
    view
}

fn received(peer: SocketAddr, bytes: &[u8]) -> Event {
    Event::Received {
        peer,
        at: SystemTime::now(),
        bytes: bytes.to_vec().into(),
    }
}

fn sent(to: SentTo, bytes: &[u8], origin: SendOrigin) -> Event {
    Event::Sent {
        to,
        at: SystemTime::now(),
        bytes: Arc::from(bytes),
        origin,
        kind: None,
    }
}

fn closed(peer: SocketAddr, reason: CloseReason) -> Event {
    Event::PeerClosed {
        peer,
        reason,
        at: SystemTime::now(),
    }
}

/// The notes of the log, in English.
fn notes(view: &SessionView) -> Vec<String> {
    view.log
        .iter()
        .filter_map(|(record, _)| record.as_note().map(|note| note.text(Lang::En)))
        .collect()
}

fn said(info: &Info) -> String {
    info.text(Lang::En)
}

#[test]
fn a_server_counts_what_moves_and_keeps_its_client_list() {
    let mut v = view(Protocol::TcpServer);
    let local = addr("127.0.0.1:7000");
    let (a, b) = (addr("127.0.0.1:50001"), addr("127.0.0.1:50002"));
    v.apply(Event::Opened {
        local,
        remote: None,
    });
    assert_eq!(
        v.state,
        LinkState::Open {
            local,
            remote: None
        }
    );
    assert_eq!(v.local_addr(), Some(local));
    for peer in [a, b] {
        v.apply(Event::PeerConnected {
            peer,
            at: SystemTime::now(),
        });
    }
    v.apply(received(a, b"hello"));
    v.apply(sent(SentTo::All { peers: 2 }, b"abc", SendOrigin::Manual));
    v.apply(sent(SentTo::Peer(b), b"xy", SendOrigin::Manual));

    assert_eq!(v.counters.rx_bytes, 5);
    assert_eq!(v.counters.rx_packets, 1);
    assert_eq!(
        v.counters.tx_bytes,
        3 * 2 + 2,
        "a send to all counts once per client"
    );
    assert_eq!(v.counters.tx_packets, 3);
    let client = |peer| v.clients.iter().find(|c| c.addr == peer).expect("listed");
    assert_eq!((client(a).rx_bytes, client(a).tx_bytes), (5, 3));
    assert_eq!((client(b).rx_bytes, client(b).tx_bytes), (0, 5));
    assert!(client(a).last_heard.is_some() && client(b).last_heard.is_none());
    assert_eq!(v.last_sender, Some(a));

    // Bytes still queued when a connection ends were never written: TX drops them.
    v.apply(Event::Unsent { peer: b, bytes: 2 });
    assert_eq!(v.counters.tx_bytes, 6);

    v.target = ClientTarget::One(b);
    v.selected_client = Some(b);
    v.apply(closed(b, CloseReason::Reset));
    assert_eq!(v.clients.len(), 1);
    assert_eq!(v.target, ClientTarget::All, "the send goes to all again");
    assert_eq!(v.selected_client, None);
    assert_eq!(
        v.open_error, None,
        "a client of a server leaving is no error"
    );

    assert_eq!(
        notes(&v),
        [
            said(&Info::Listening(local)),
            said(&Info::PeerConnected),
            said(&Info::PeerConnected),
            said(&Info::PeerClosed(CloseReason::Reset)),
        ]
    );
    let directions: Vec<_> = v.log.iter().map(|(r, _)| r.direction).collect();
    assert_eq!(
        directions.iter().filter(|d| **d == Direction::Rx).count(),
        1
    );
    assert_eq!(
        directions.iter().filter(|d| **d == Direction::Tx).count(),
        2
    );
}

#[test]
fn a_client_whose_connection_fails_shows_the_error_by_its_open_button() {
    let mut v = view(Protocol::TcpClient);
    let (local, server) = (addr("127.0.0.1:50003"), addr("127.0.0.1:7001"));
    v.apply(Event::Opened {
        local,
        remote: Some(server),
    });
    assert_eq!(notes(&v), [said(&Info::Connected(local, Some(server)))]);
    let err = NetError::Closed;
    v.apply(closed(server, CloseReason::Error(err.clone())));
    assert_eq!(v.open_error, Some(UiError::Net(err.clone())));
    v.apply(Event::Failed(err.clone()));
    assert_eq!(notes(&v).last(), Some(&said(&Info::Error(err))));
    v.apply(Event::Closed);
    assert_eq!(v.state, LinkState::Closed);
    assert!(v.handle.is_none() && v.clients.is_empty());
}

#[test]
fn udp_counts_drops_and_notes_only_when_the_kernel_starts_dropping() {
    let mut v = view(Protocol::Udp);
    let (local, target) = (addr("127.0.0.1:7002"), addr("127.0.0.1:7003"));
    v.apply(Event::Opened {
        local,
        remote: Some(target),
    });
    assert_eq!(v.udp_target, Some(target));
    v.apply(Event::Dropped { total: 12 });
    v.apply(Event::KernelDropped { total: 3 });
    v.apply(Event::KernelDropped { total: 9 });
    assert_eq!((v.dropped, v.kernel_dropped), (12, 9));
    assert_eq!(
        notes(&v),
        [said(&Info::Bound(local)), said(&Info::KernelDrops(3))],
        "one note when drops start, the count in the status bar"
    );
    let other = addr("127.0.0.1:7004");
    v.apply(Event::TargetSet {
        target: Some(other),
    });
    assert_eq!(v.udp_target, Some(other));
    assert_eq!(
        v.state,
        LinkState::Open {
            local,
            remote: Some(other)
        }
    );
}

#[test]
fn a_room_heartbeat_the_engine_consumed_is_hidden_with_the_heartbeats() {
    let mut v = view(Protocol::Udp);
    v.settings.room.heartbeat_on = true;
    "#ping#".clone_into(&mut v.settings.room.heartbeat);
    v.applied = Some(AppliedOptions::at_open(&v.settings));
    let peer = addr("127.0.0.1:50005");
    v.apply(received(peer, b"#ping#"));
    v.apply(received(peer, b"data"));
    v.settings.receive.hide_heartbeat = true;
    v.sync_options();
    let shown: Vec<_> = v.log.iter().map(|(_, text)| text.to_owned()).collect();
    assert_eq!(shown, ["data"]);
    assert_eq!(v.counters.rx_packets, 2, "counted all the same");
}

#[test]
fn the_send_queue_holds_the_send_box_and_lets_it_go_when_the_peer_reads() {
    let mut v = view(Protocol::TcpClient);
    v.apply(Event::SendQueue {
        waiting: true,
        queued: 4096,
    });
    assert_eq!(v.send_queue_waiting, Some(4096));
    v.send_error = Some(UiError::PeerNotReading(4096));
    v.apply(Event::SendQueue {
        waiting: false,
        queued: 10,
    });
    assert_eq!(v.send_queue_waiting, None);
    assert_eq!(v.send_error, None);
    // Closed: nothing is half-sent, the box says why.
    assert!(!v.send_input("hi"));
    assert_eq!(v.send_error, Some(UiError::NotOpen));
}

#[test]
fn a_failed_file_or_save_clears_its_progress_and_repeats_are_counted() {
    let mut v = view(Protocol::TcpClient);
    let path = PathBuf::from("/nonexistent/netassist-test-file");
    v.file_progress = Some(FileProgress {
        path: path.clone(),
        sent: 0,
        total: 10,
    });
    let err = NetError::FileMissing { path: path.clone() };
    v.apply(Event::Error(err.clone()));
    assert_eq!(v.file_progress, None);
    assert_eq!(v.file_error, Some(UiError::Net(err)));
    v.saving = Some(path.clone());
    let err = NetError::SaveFolderMissing {
        folder: PathBuf::from("/nonexistent"),
        path,
    };
    v.apply(Event::Error(err.clone()));
    assert_eq!(v.saving, None);
    assert_eq!(v.save_error, Some(UiError::Net(err)));
    // Repeats are counted as they go and end with the engine's total.
    v.apply(sent(
        SentTo::Peer(addr("127.0.0.1:1")),
        b"x",
        SendOrigin::Repeat,
    ));
    assert_eq!(v.repeat_sent, 1);
    v.repeating = true;
    v.apply(Event::RepeatFinished { sent: 5 });
    assert!(!v.repeating);
    assert_eq!(v.repeat_sent, 5);
}

fn room(echo: bool, relay: bool, quit: bool) -> RoomSettings {
    RoomSettings {
        echo,
        relay,
        quit_on: quit,
        ..RoomSettings::default()
    }
}

#[test]
fn a_server_hands_its_room_to_the_engine_and_a_client_has_none() {
    let mut v = view(Protocol::TcpServer);
    "127.0.0.1".clone_into(&mut v.settings.local_ip);
    "0".clone_into(&mut v.settings.local_port);
    v.settings.room = room(true, true, true);
    let config = v.config().expect("a valid configuration");
    assert!(config.echo);
    assert!(config.relay.is_some());
    assert!(config.quit_line.is_some());

    let mut c = view(Protocol::TcpClient);
    "127.0.0.1".clone_into(&mut c.settings.remote_host);
    "9".clone_into(&mut c.settings.remote_port);
    c.settings.room = room(true, true, true);
    let config = c.config().expect("a valid configuration");
    assert!(!config.echo && config.relay.is_none() && config.quit_line.is_none());
}

#[test]
fn a_rule_that_does_not_parse_keeps_the_session_closed_with_the_reason() {
    let mut v = view(Protocol::TcpServer);
    "0".clone_into(&mut v.settings.local_port);
    v.settings.rules = vec![RuleSettings {
        pattern: String::new(),
        ..RuleSettings::default()
    }];
    assert!(matches!(v.config(), Err(UiError::Option(_))));
    v.settings.rules = vec![RuleSettings::default()];
    assert_eq!(v.config().map(|c| c.auto_replies.len()), Ok(1));
    "70000".clone_into(&mut v.settings.local_port);
    assert_eq!(v.config().err(), Some(UiError::BadPort("70000".to_owned())));
}

#[test]
fn changed_options_become_the_commands_of_the_protocol_only() {
    let mut settings = SessionSettings::default();
    let old = AppliedOptions::of(&settings);
    settings.room = room(true, false, true);
    let new = AppliedOptions::of(&settings);
    let names = |protocol| -> Vec<String> {
        commands_for(protocol, &old, &new)
            .expect("valid options")
            .iter()
            .map(|c| {
                format!("{c:?}")
                    .split(['(', ' '])
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(
        names(Protocol::TcpServer),
        ["SetEcho", "SetRelay", "SetQuitLine"]
    );
    assert_eq!(
        names(Protocol::Udp),
        [
            "SetEcho",
            "SetRelay",
            "SetQuitLine",
            "SetPeerTimeout",
            "SetRoomHeartbeat"
        ]
    );
    assert!(
        names(Protocol::TcpClient).is_empty(),
        "a client has no room"
    );
    let echo = commands_for(Protocol::TcpServer, &old, &new).expect("valid options");
    assert!(matches!(echo.first(), Some(Command::SetEcho(true))));

    // Rules: a change sends the new list; one that does not parse sends nothing.
    settings.rules.push(RuleSettings::default());
    let with_rule = AppliedOptions::of(&settings);
    let commands = commands_for(Protocol::TcpClient, &new, &with_rule).expect("valid");
    assert!(matches!(commands.as_slice(), [Command::SetAutoReplies(r)] if r.len() == 1));
    settings.rules[0].pattern.clear();
    let bad = AppliedOptions::of(&settings);
    assert!(commands_for(Protocol::TcpClient, &new, &bad).is_err());
    assert!(
        commands_for(Protocol::TcpClient, &new, &new)
            .expect("same")
            .is_empty()
    );
}

#[test]
fn closing_a_session_that_was_never_opened_changes_nothing_but_its_state() {
    let mut v = view(Protocol::TcpServer);
    v.close(Lang::En);
    assert!(notes(&v).is_empty(), "nothing was open: no note");
    assert_eq!(v.state, LinkState::Closed);
}
