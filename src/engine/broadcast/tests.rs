//! The parallel broadcast over real loopback connections.

use mio::Token;
use mio::net::TcpStream;

use super::send_in_parallel;
use crate::engine::conn::Conn;
use crate::engine::payload::Payload;
use std::io::Read as _;

/// `conns` real loopback connections (server ends as `Conn`s, client ends returned).
fn pairs(n: usize) -> (Vec<(Token, Conn)>, Vec<std::net::TcpStream>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mut conns = Vec::new();
    let mut clients = Vec::new();
    for i in 0..n {
        let client = std::net::TcpStream::connect(addr).unwrap();
        let (server, peer) = listener.accept().unwrap();
        server.set_nonblocking(true).unwrap();
        conns.push((Token(2 + i), Conn::new(TcpStream::from_std(server), peer)));
        client
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        clients.push(client);
    }
    (conns, clients)
}

#[test]
fn a_broadcast_split_among_threads_reaches_every_client_once_and_names_the_failed() {
    for threads in [2, 3, 4, 7] {
        let (mut owned, mut clients) = pairs(40);
        // Client 5 is gone with a reset: its connection must be reported, not skipped.
        let gone = clients.remove(5);
        socket2::SockRef::from(&gone)
            .set_linger(Some(std::time::Duration::ZERO))
            .unwrap();
        drop(gone);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let gone_token = owned[5].0;

        let payload: Payload = Payload::from(&b"to everyone"[..]);
        let mut conns: Vec<(Token, &mut Conn)> = owned
            .iter_mut()
            .map(|(token, conn)| (*token, conn))
            .collect();
        let mut failed = send_in_parallel(&mut conns, &payload, threads);
        failed.extend(send_in_parallel(&mut conns, &payload, threads));
        assert!(
            failed.iter().all(|(token, _)| *token == gone_token) && !failed.is_empty(),
            "{threads} threads: only the reset client fails, got {:?}",
            failed.iter().map(|(t, _)| t.0).collect::<Vec<_>>()
        );
        for client in &mut clients {
            let mut got = [0u8; 22];
            client.read_exact(&mut got).unwrap();
            assert_eq!(&got, b"to everyoneto everyone", "{threads} threads");
            // And nothing more: no part was written twice.
            client.set_nonblocking(true).unwrap();
            let mut more = [0u8; 1];
            assert_eq!(
                client.read(&mut more).map_err(|e| e.kind()),
                Err(std::io::ErrorKind::WouldBlock),
                "{threads} threads"
            );
        }
    }
}
