//! Streaming a file to a peer, a chunk at a time, never more than [`FILE_AHEAD`] ahead of the
//! socket.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::command::Target;
use super::error::{NetError, Result};
use super::event::{Event, SendOrigin};
use super::payload::Payload;
use super::session_state::SessionState;
use super::transport::Transport;

/// Keep at most this much of a file queued ahead of the socket.
pub(crate) const FILE_AHEAD: usize = 256 * 1024;

/// A file being streamed to a peer.
pub(crate) struct FileSend {
    path: PathBuf,
    file: File,
    to: Target,
    sent: u64,
    total: u64,
}

/// How much of a file may wait ahead of the socket: [`FILE_AHEAD`], less if the send queue's
/// limit is smaller.
pub(crate) fn ahead(core: &SessionState) -> usize {
    FILE_AHEAD.min(core.send_queue.limit)
}

impl FileSend {
    /// Opens `path` to be sent to `to` (the sentence a user needs when it cannot be).
    pub(crate) fn start(path: PathBuf, to: Target) -> Result<Self> {
        let (file, total) = open_file_to_send(&path)?;
        Ok(Self {
            path,
            file,
            to,
            sent: 0,
            total,
        })
    }
}

/// Opens a file to send and tells its size; the sentence a user needs when it cannot be sent
/// (missing, a folder, not readable).
fn open_file_to_send(path: &Path) -> Result<(File, u64)> {
    let read_error = |err: &std::io::Error| match err.kind() {
        std::io::ErrorKind::NotFound => NetError::FileMissing {
            path: path.to_owned(),
        },
        std::io::ErrorKind::IsADirectory => NetError::FileIsFolder {
            path: path.to_owned(),
        },
        _ => NetError::FileRead {
            path: path.to_owned(),
            reason: err.to_string(),
        },
    };
    let file = File::open(path).map_err(|err| read_error(&err))?;
    let meta = file.metadata().map_err(|err| read_error(&err))?;
    if meta.is_dir() {
        return Err(NetError::FileIsFolder {
            path: path.to_owned(),
        });
    }
    Ok((file, meta.len()))
}

/// Checks that `path` can be sent as a file, as [`Command::SendFile`](super::Command::SendFile) would, and returns its
/// size: front ends say what is wrong before anything starts.
pub fn check_file_to_send(path: &Path) -> Result<u64> {
    open_file_to_send(path).map(|(_, size)| size)
}

/// Queues the next chunk of a file being sent, keeping at most `FILE_AHEAD` ahead of the socket.
pub(crate) fn feed(
    transport: &mut dyn Transport,
    core: &mut SessionState,
    sending: &mut Option<FileSend>,
) {
    let Some(mut file) = sending.take() else {
        return;
    };
    let chunk = transport.file_chunk();
    let mut budget = 16;
    let ahead = ahead(core);
    while budget > 0 && transport.backlog() < ahead {
        budget -= 1;
        let mut buf = vec![0u8; chunk];
        match file.file.read(&mut buf) {
            Ok(0) => {
                // A file truncated while it was being sent ends early: everything read went
                // out whole, and the shortfall is reported instead of a finished send.
                let event = if file.sent < file.total {
                    Event::Error(NetError::FileShrank {
                        path: file.path,
                        sent: file.sent,
                        total: file.total,
                    })
                } else {
                    Event::FileProgress {
                        path: file.path,
                        sent: file.sent,
                        total: file.sent,
                    }
                };
                core.sink.push(event);
                return;
            }
            Ok(n) => {
                buf.truncate(n);
                if let Err(err) =
                    transport.send(core, Payload::from(buf), file.to, SendOrigin::File)
                {
                    core.sink.push(Event::Error(err));
                    return;
                }
                file.sent += n as u64;
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => {
                core.sink.push(Event::Error(NetError::FileStopped {
                    path: file.path,
                    sent: file.sent,
                    total: file.total,
                    reason: err.to_string(),
                }));
                return;
            }
        }
    }
    core.sink.push(Event::FileProgress {
        path: file.path.clone(),
        sent: file.sent,
        total: file.total.max(file.sent),
    });
    *sending = Some(file);
}
