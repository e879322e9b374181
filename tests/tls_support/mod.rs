//! Certificates for the TLS tests, made with rcgen in a fresh folder per test: a CA, leaf
//! certificates it signs (for chosen names and dates), and their PEM files.
#![allow(dead_code)] // each test binary uses its own subset
#![allow(clippy::unwrap_used)] // a test that cannot set up should fail loudly

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use netassist::engine::CertKey;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

/// A folder of its own under the system's temp folder, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("netassist-tls-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A certificate authority that signs leaf certificates.
pub struct Ca {
    params: CertificateParams,
    key: KeyPair,
    /// The CA certificate, PEM.
    pub pem: String,
}

impl Ca {
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let key = KeyPair::generate().unwrap();
        let pem = params.self_signed(&key).unwrap().pem();
        Self { params, key, pem }
    }

    /// A leaf for `names`, valid from `days_from` to `days_until` days from today.
    pub fn leaf(&self, names: &[&str], days_from: i64, days_until: i64) -> Leaf {
        let mut params =
            CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
                .unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, names.first().copied().unwrap_or("leaf"));
        let (y, m, d) = date(days_from);
        params.not_before = rcgen::date_time_ymd(y, m, d);
        let (y, m, d) = date(days_until);
        params.not_after = rcgen::date_time_ymd(y, m, d);
        let key = KeyPair::generate().unwrap();
        let issuer = Issuer::from_params(&self.params, &self.key);
        let cert = params.signed_by(&key, &issuer).unwrap();
        Leaf {
            cert: cert.pem(),
            key: key.serialize_pem(),
            der: cert.der().to_vec(),
        }
    }
}

/// Year, month and day `days` from today (UTC).
fn date(days: i64) -> (i32, u8, u8) {
    use chrono::Datelike as _;
    let at = (chrono::Utc::now() + chrono::Duration::days(days)).date_naive();
    (at.year(), at.month() as u8, at.day() as u8)
}

/// A leaf certificate and its key, PEM, and the certificate's DER.
pub struct Leaf {
    pub cert: String,
    pub key: String,
    pub der: Vec<u8>,
}

impl Leaf {
    /// Writes the pair into `dir` as `<tag>.crt` / `<tag>.key`.
    pub fn files(&self, dir: &TempDir, tag: &str) -> CertKey {
        CertKey {
            cert: dir.file(&format!("{tag}.crt"), &self.cert),
            key: dir.file(&format!("{tag}.key"), &self.key),
        }
    }
}

/// `path` as a `&str` for a command line.
pub fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}
