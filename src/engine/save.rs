//! Saving received bytes to a file. A thread of its own writes the file, so reading the socket
//! and writing the disk overlap instead of taking turns on the session's I/O thread.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};
use mio::Waker;

use super::error::NetError;
use super::limits::READ_SIZE;

/// Bytes gathered before they go to the writer (small reads and datagrams are written
/// together; a full read goes on its own).
const GATHER: usize = READ_SIZE;
/// Buffers that may wait for the writer: at 64 KiB each, 2 MiB ahead of the disk. When they
/// are all waiting the session stops reading until the disk catches up: nothing is dropped.
const AHEAD: usize = 32;

/// A file that received bytes are appended to.
pub(crate) struct Saver {
    path: PathBuf,
    pending: Vec<u8>,
    to_writer: Option<Sender<Vec<u8>>>,
    spare: Receiver<Vec<u8>>,
    failure: Arc<Mutex<Option<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl Saver {
    /// Opens `path` for appending (creating it) and starts its writer thread; the reason when
    /// that fails. The writer wakes `waker` when the file fails, so that a session waiting
    /// for the network reports it at once (at its next [`Saver::flush`]).
    pub(crate) fn open(path: PathBuf, waker: Option<Arc<Waker>>) -> Result<Self, NetError> {
        check_save_path(&path)?;
        let file = File::options()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|err| NetError::FileWrite {
                path: path.clone(),
                reason: err.to_string(),
            })?;
        let (to_writer, from_saver) = crossbeam_channel::bounded(AHEAD);
        let (give_back, spare) = crossbeam_channel::bounded(AHEAD + 2);
        let failure = Arc::new(Mutex::new(None));
        let report = Arc::clone(&failure);
        let thread = std::thread::Builder::new()
            .name("netassist-save".into())
            .spawn(move || {
                if !write_out(file, &from_saver, &give_back, &report)
                    && let Some(waker) = waker
                {
                    let _ = waker.wake();
                }
            })
            .map_err(|err| NetError::FileWrite {
                path: path.clone(),
                reason: format!("cannot start the thread that writes the file: {err}"),
            })?;
        Ok(Self {
            path,
            pending: Vec::new(),
            to_writer: Some(to_writer),
            spare,
            failure,
            thread: Some(thread),
        })
    }

    /// The file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `bytes`; the reason when the file cannot be written (the saver then takes
    /// nothing more).
    pub(crate) fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        if !self.pending.is_empty() && self.pending.len() + bytes.len() > GATHER {
            self.hand_over()?;
        }
        if self.pending.capacity() == 0 {
            self.pending = self.spare.try_recv().unwrap_or_default();
            self.pending.clear();
            self.pending.reserve(GATHER);
        }
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= GATHER {
            self.hand_over()?;
        }
        Ok(())
    }

    /// Hands what is gathered to the writer (the session is about to wait for the network, so
    /// the file catches up meanwhile); the reason when the file failed.
    pub(crate) fn flush(&mut self) -> Result<(), String> {
        if !self.pending.is_empty() {
            self.hand_over()?;
        }
        self.failed()
    }

    /// Writes everything out, closes the file and waits for that; the reason when the file
    /// failed at any point.
    pub(crate) fn finish(mut self) -> Result<(), String> {
        let handed = if self.pending.is_empty() {
            Ok(())
        } else {
            self.hand_over()
        };
        self.stop_writer();
        handed.and_then(|()| self.failed())
    }

    fn hand_over(&mut self) -> Result<(), String> {
        let bytes = std::mem::take(&mut self.pending);
        let sent = match &self.to_writer {
            Some(to_writer) => to_writer.send(bytes).is_ok(),
            None => false,
        };
        if sent {
            Ok(())
        } else {
            // The writer stopped: it failed, and says why.
            self.stop_writer();
            self.failed().and(Err("the file writer stopped".to_owned()))
        }
    }

    fn failed(&self) -> Result<(), String> {
        let failure = match self.failure.lock() {
            Ok(failure) => failure.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        failure.map_or(Ok(()), Err)
    }

    fn stop_writer(&mut self) {
        self.to_writer = None;
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            let mut failure = match self.failure.lock() {
                Ok(failure) => failure,
                Err(poisoned) => poisoned.into_inner(),
            };
            failure.get_or_insert_with(|| "the file writer failed".to_owned());
        }
    }
}

impl Drop for Saver {
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            let _ = self.hand_over();
        }
        self.stop_writer();
    }
}

/// Checks that the folder a save file goes in exists (the file itself is created when saving
/// starts): [`NetError::SaveFolderMissing`] names the folder, [`NetError::SaveIsFolder`] says
/// the path is a folder.
pub fn check_save_path(path: &Path) -> Result<(), NetError> {
    if path.is_dir() {
        return Err(NetError::SaveIsFolder {
            path: path.to_owned(),
        });
    }
    let folder = match path.parent() {
        // A bare file name goes in the working folder.
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => return Ok(()),
    };
    if folder.is_dir() {
        Ok(())
    } else {
        Err(NetError::SaveFolderMissing {
            path: path.to_owned(),
            folder: folder.to_owned(),
        })
    }
}

/// The writer thread: appends each buffer to the file and gives it back for reuse; on an
/// error it notes why and stops, returning false (the session learns of it at its next
/// hand-over or flush).
fn write_out(
    mut file: File,
    buffers: &Receiver<Vec<u8>>,
    give_back: &Sender<Vec<u8>>,
    failure: &Mutex<Option<String>>,
) -> bool {
    for buffer in buffers {
        if let Err(err) = file.write_all(&buffer) {
            let mut failure = match failure.lock() {
                Ok(failure) => failure,
                Err(poisoned) => poisoned.into_inner(),
            };
            *failure = Some(err.to_string());
            return false;
        }
        let _ = give_back.try_send(buffer);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("netassist-save-{}-{name}", std::process::id()))
    }

    #[test]
    fn small_and_large_writes_arrive_in_order_and_whole() {
        let path = temp("order");
        let _ = std::fs::remove_file(&path);
        let mut saver = Saver::open(path.clone(), None).unwrap();
        let mut expected = Vec::new();
        for i in 0..2000u32 {
            // Datagram-sized pieces, full reads and everything between.
            let len = [1, 7, 64, 1400, READ_SIZE, READ_SIZE - 1, 30_000][i as usize % 7];
            let piece: Vec<u8> = (0..len).map(|j| (i as usize + j) as u8).collect();
            saver.write(&piece).unwrap();
            expected.extend_from_slice(&piece);
            if i % 300 == 0 {
                saver.flush().unwrap();
            }
        }
        saver.finish().unwrap();
        assert!(
            std::fs::read(&path).unwrap() == expected,
            "the file differs"
        );
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn flushing_makes_the_bytes_reach_the_file_soon() {
        let path = temp("flush");
        let _ = std::fs::remove_file(&path);
        let mut saver = Saver::open(path.clone(), None).unwrap();
        saver.write(b"hello").unwrap();
        saver.flush().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::fs::read(&path).unwrap() != b"hello" {
            assert!(
                std::time::Instant::now() < deadline,
                "not written after a flush"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        drop(saver);
        std::fs::remove_file(&path).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_that_cannot_be_written_says_why() {
        // /dev/full takes the open but fails every write with "no space left".
        let Ok(mut saver) = Saver::open(PathBuf::from("/dev/full"), None) else {
            panic!("/dev/full should open for appending");
        };
        let mut outcome = Ok(());
        let zeros = vec![0u8; READ_SIZE];
        for _ in 0..(AHEAD + 4) {
            outcome = saver.write(&zeros);
            if outcome.is_err() {
                break;
            }
        }
        let reason = outcome.and_then(|()| saver.finish()).unwrap_err();
        assert!(reason.contains("space"), "{reason}");
    }

    #[cfg(unix)]
    #[test]
    fn a_path_in_a_missing_folder_fails_to_open_with_the_reason() {
        let reason = Saver::open(PathBuf::from("/nonexistent-netassist/dir/file.bin"), None)
            .err()
            .unwrap()
            .to_string();
        assert!(
            reason.contains("the folder /nonexistent-netassist/dir does not exist"),
            "{reason}"
        );
    }
}
