//! TLS notes in the session's log: the server's own certificate when it opens, and what each
//! finished handshake agreed and showed.

use std::time::SystemTime;

use crate::app::i18n::Info;
use crate::engine::{SessionId, TlsNote};
use crate::log::{Peer, Record};

use super::SessionView;

impl SessionView {
    /// Logs `note` as one line per fact (so each stays readable on a projector).
    pub(super) fn note_tls(&mut self, id: SessionId, note: TlsNote) {
        let now = SystemTime::now();
        let (peer, infos) = match note {
            TlsNote::Identity { cert, self_signed } => {
                let sha = cert.sha256.clone();
                (
                    Peer::None,
                    vec![
                        Info::TlsCert(cert, true, self_signed),
                        Info::TlsFingerprint(sha, true),
                    ],
                )
            }
            TlsNote::Secured { peer, info } => {
                let mut infos = Vec::with_capacity(3);
                let cert = info.peer_cert.clone();
                infos.push(Info::TlsSecured(info));
                if let Some(cert) = cert {
                    let sha = cert.sha256.clone();
                    infos.push(Info::TlsCert(cert, false, false));
                    infos.push(Info::TlsFingerprint(sha, false));
                }
                (Peer::One(peer), infos)
            }
        };
        for info in infos {
            let record = Record::note(id, now, peer, info);
            self.feed.push(&mut self.log, record);
        }
    }
}
