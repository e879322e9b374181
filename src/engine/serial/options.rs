//! How a serial port is set up, and where a bridge forwards its bytes.

use std::fmt;

use super::errors::{MAX_BAUD, SerialError, SerialProblem};

/// Parity bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Parity {
    /// No parity bit.
    #[default]
    None,
    /// Odd parity.
    Odd,
    /// Even parity.
    Even,
}

/// Flow control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FlowControl {
    /// None.
    #[default]
    None,
    /// XON/XOFF.
    Software,
    /// RTS/CTS.
    Hardware,
}

/// How a serial port is set up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SerialOptions {
    /// Bits per second.
    pub baud: u32,
    /// Data bits, 5 to 8.
    pub data_bits: u8,
    /// Parity.
    pub parity: Parity,
    /// Stop bits, 1 or 2.
    pub stop_bits: u8,
    /// Flow control.
    pub flow: FlowControl,
    /// The DTR line at open (it can be changed while open).
    pub dtr: bool,
    /// The RTS line at open (it can be changed while open; with hardware flow control the
    /// driver drives it).
    pub rts: bool,
}

impl Default for SerialOptions {
    fn default() -> Self {
        Self {
            baud: 9600,
            data_bits: 8,
            parity: Parity::None,
            stop_bits: 1,
            flow: FlowControl::None,
            dtr: true,
            rts: true,
        }
    }
}

/// The baud rates offered in lists (any other may be typed).
pub const COMMON_BAUDS: [u32; 14] = [
    1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115_200, 230_400, 256_000, 460_800,
    500_000, 921_600,
];

impl SerialOptions {
    /// Checks the values a port cannot take whatever it is: the error names the port.
    pub fn check(&self, port: &str) -> Result<(), SerialError> {
        let bad = |problem| SerialError::Settings {
            port: port.to_owned(),
            problem,
        };
        if self.baud == 0 || self.baud > MAX_BAUD {
            return Err(bad(SerialProblem::Baud(self.baud)));
        }
        if !(5..=8).contains(&self.data_bits) {
            return Err(bad(SerialProblem::DataBits(self.data_bits)));
        }
        if !(1..=2).contains(&self.stop_bits) {
            return Err(bad(SerialProblem::StopBits(self.stop_bits)));
        }
        Ok(())
    }
}

/// `9600 8N1`, as serial settings are usually written (flow control added when on).
impl fmt::Display for SerialOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parity = match self.parity {
            Parity::None => 'N',
            Parity::Odd => 'O',
            Parity::Even => 'E',
        };
        write!(
            f,
            "{} {}{parity}{}",
            self.baud, self.data_bits, self.stop_bits
        )?;
        match self.flow {
            FlowControl::None => Ok(()),
            FlowControl::Software => f.write_str(" XON/XOFF"),
            FlowControl::Hardware => f.write_str(" RTS/CTS"),
        }
    }
}

/// Where a serial session forwards its port's bytes to, and the TCP side's bytes back (what a
/// serial-to-Ethernet converter does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bridge {
    /// Listen for TCP clients here; the port's bytes go to every client.
    Listen(std::net::SocketAddr),
    /// Connect to this TCP server (`host:port`).
    Connect(String),
}
