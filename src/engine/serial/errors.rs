//! A serial port's errors, each a sentence a user can act on (`NetError::Serial` carries
//! them), and the mapping of the port library's errors to them.

/// The fastest baud rate accepted (some USB adapters go to 12 Mbit/s).
pub const MAX_BAUD: u32 = 20_000_000;

/// What went wrong with a serial port.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SerialError {
    /// The port does not exist.
    #[error(
        "the serial port {port} does not exist — check that the device is plugged in, refresh the list, or type its path (e.g. /dev/ttyUSB0, COM3)"
    )]
    NotFound {
        /// The port.
        port: String,
    },
    /// Another program holds the port.
    #[error(
        "the serial port {port} is busy — another program has it open; close that program (or its session) and open it again"
    )]
    Busy {
        /// The port.
        port: String,
    },
    /// The user may not open the port.
    #[error(
        "permission denied for the serial port {port} — on Linux, serial ports belong to the 'dialout' group: run 'sudo usermod -aG dialout $USER', then log out and in again"
    )]
    Permission {
        /// The port.
        port: String,
    },
    /// Settings the port cannot take.
    #[error("the serial port {port} cannot be set up: {problem}")]
    Settings {
        /// The port (may be empty when none was given).
        port: String,
        /// What is wrong.
        problem: SerialProblem,
    },
    /// The port is not open (any more).
    #[error("the serial port {port} is closed — open it again")]
    Closed {
        /// The port.
        port: String,
    },
    /// The port went away while open.
    #[error(
        "the serial port {port} was closed while open — the device was unplugged, or the other side of a virtual port closed ({reason}); plug it in and open it again"
    )]
    Lost {
        /// The port.
        port: String,
        /// What the system said.
        reason: String,
    },
    /// DTR or RTS could not be set.
    #[error(
        "cannot set DTR/RTS on the serial port {port}: {reason} — virtual ports and some adapters have no such lines"
    )]
    Lines {
        /// The port.
        port: String,
        /// What the system said.
        reason: String,
    },
    /// Any other failure of the port.
    #[error("the serial port {port} failed: {reason}")]
    Failed {
        /// The port.
        port: String,
        /// What the system said.
        reason: String,
    },
    /// DTR/RTS asked of a session that is not a serial port.
    #[error("DTR and RTS are lines of a serial port — this session is not one")]
    NotSerial,
}

/// What is wrong with a serial port's settings ([`SerialError::Settings`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SerialProblem {
    /// No port was named.
    #[error(
        "no port is given — choose one from the list or type its path, e.g. /dev/ttyUSB0 or COM3"
    )]
    NoPort,
    /// A baud rate out of range.
    #[error(
        "the baud rate {0} is out of range — give a number from 1 to {MAX_BAUD}, e.g. 9600 or 115200"
    )]
    Baud(u32),
    /// Data bits other than 5 to 8.
    #[error("{0} data bits cannot be — give 5, 6, 7 or 8")]
    DataBits(u8),
    /// Stop bits other than 1 or 2.
    #[error("{0} stop bits cannot be — give 1 or 2")]
    StopBits(u8),
    /// The port refused the settings (what the system said).
    #[error(
        "the port refused these settings ({0}) — try another baud rate or the defaults 9600 8N1"
    )]
    Refused(String),
}

/// Maps an error of opening `port` to its sentence.
pub(crate) fn open_error(port: &str, err: &serialport::Error) -> SerialError {
    let port = port.to_owned();
    match err.kind() {
        serialport::ErrorKind::NoDevice => SerialError::Busy { port },
        serialport::ErrorKind::InvalidInput => SerialError::Settings {
            port,
            problem: SerialProblem::Refused(err.description.clone()),
        },
        serialport::ErrorKind::Io(kind) => io_open_error(port, kind, &err.description),
        serialport::ErrorKind::Unknown => SerialError::Failed {
            port,
            reason: err.description.clone(),
        },
    }
}

/// Maps the kind of an I/O error of opening `port` to its sentence.
pub(crate) fn io_open_error(port: String, kind: std::io::ErrorKind, reason: &str) -> SerialError {
    match kind {
        std::io::ErrorKind::NotFound => SerialError::NotFound { port },
        // Windows answers "access denied" for a COM port another program holds.
        std::io::ErrorKind::PermissionDenied if cfg!(windows) => SerialError::Busy { port },
        std::io::ErrorKind::PermissionDenied => SerialError::Permission { port },
        std::io::ErrorKind::ResourceBusy => SerialError::Busy { port },
        _ => SerialError::Failed {
            port,
            reason: reason.to_owned(),
        },
    }
}
