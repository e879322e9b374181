//! Writing one payload to many TCP clients: by several threads at once when there are many
//! (each write is a system call of several microseconds, and with 15,000 clients one thread
//! alone needs well over 100 ms), each client exactly once, the failed ones named.

use std::sync::{Mutex, OnceLock};

use mio::Token;

use super::conn::{Conn, close_reason};
use super::event::CloseReason;
use super::payload::Payload;

/// Sends `payload` to each of `conns`, by several threads when they are many; the ones that
/// failed, with why.
pub(crate) fn send(
    conns: &mut [(Token, &mut Conn)],
    payload: &Payload,
) -> Vec<(Token, CloseReason)> {
    let threads = broadcast_threads();
    if conns.len() >= PARALLEL_BROADCAST && threads > 1 {
        send_in_parallel(conns, payload, threads)
    } else {
        send_each(conns, payload)
    }
}

/// Clients from which on a broadcast is written by several threads.
const PARALLEL_BROADCAST: usize = 512;
/// At most this many threads write one broadcast.
const MAX_BROADCAST_THREADS: usize = 4;

/// How many threads write a large broadcast: the cores, at most [`MAX_BROADCAST_THREADS`]
/// (asked of the system once).
fn broadcast_threads() -> usize {
    static THREADS: OnceLock<usize> = OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_BROADCAST_THREADS))
    })
}

/// Sends `payload` to one client; why the connection is over when that fails.
pub(crate) fn send_one(conn: &mut Conn, payload: &Payload) -> std::result::Result<(), CloseReason> {
    conn.send(payload.clone())
        .map_err(|err| close_reason(&err, conn.peer))
}

/// Sends `payload` to each of `conns`; the ones that failed, with why.
pub(crate) fn send_each(
    conns: &mut [(Token, &mut Conn)],
    payload: &Payload,
) -> Vec<(Token, CloseReason)> {
    conns
        .iter_mut()
        .filter_map(|(token, conn)| send_one(conn, payload).err().map(|reason| (*token, reason)))
        .collect()
}

/// A part of a broadcast waiting to be written.
type Slot<'a, 'c> = Mutex<Option<&'a mut [(Token, &'c mut Conn)]>>;

/// [`send_each`] with `conns` split among `threads` threads, this one included. Each part
/// waits in a slot that whoever comes first takes, so a part whose thread cannot start (or is
/// slow to) is written here: every client exactly once.
fn send_in_parallel(
    conns: &mut [(Token, &mut Conn)],
    payload: &Payload,
    threads: usize,
) -> Vec<(Token, CloseReason)> {
    let per_thread = conns.len().div_ceil(threads).max(1);
    let mut parts = conns.chunks_mut(per_thread);
    let own = parts.next().unwrap_or_default();
    let slots: Vec<Slot<'_, '_>> = parts.map(|part| Mutex::new(Some(part))).collect();
    let take = |slot: &Slot<'_, '_>| -> Vec<(Token, CloseReason)> {
        let part = match slot.lock() {
            Ok(mut part) => part.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        part.map(|part| send_each(part, payload))
            .unwrap_or_default()
    };
    std::thread::scope(|scope| {
        let spawned: Vec<_> = slots
            .iter()
            .filter_map(|slot| {
                std::thread::Builder::new()
                    .name("netassist-broadcast".into())
                    .spawn_scoped(scope, move || take(slot))
                    .ok()
            })
            .collect();
        let mut failed = send_each(own, payload);
        for slot in &slots {
            failed.extend(take(slot));
        }
        for handle in spawned {
            match handle.join() {
                Ok(part) => failed.extend(part),
                // A writer that panicked must not pass for one that wrote everything.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        failed
    })
}

#[cfg(test)]
mod tests;
