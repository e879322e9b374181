//! A session's serial-port settings (串口 in the protocol picker) and the engine configuration
//! made from them. A serial session is a TCP client in everything else (one peer: the port),
//! so it is `Protocol::TcpClient` with `serial.enabled`, as TLS is TCP with `tls.enabled`.
//! Saved with the session; every field has a default, so settings saved before serial ports
//! existed still load (as TCP).

use serde::{Deserialize, Serialize};

use crate::app::error::UiError;
use crate::engine::{
    Bridge, FlowControl, Parity, SerialOptions, SessionConfig, SessionKind, check_remote,
    parse_socket_addr,
};

/// Parity, as saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ParityChoice {
    /// No parity bit.
    #[default]
    None,
    /// Odd.
    Odd,
    /// Even.
    Even,
}

/// Flow control, as saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FlowChoice {
    /// None.
    #[default]
    None,
    /// XON/XOFF.
    Software,
    /// RTS/CTS.
    Hardware,
}

/// Whether, and how, the port is bridged to TCP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum BridgeChoice {
    /// No bridge.
    #[default]
    Off,
    /// Listen for TCP clients.
    Listen,
    /// Connect to a TCP server.
    Connect,
}

/// A serial session's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SerialSettings {
    /// The session is a serial port (the picker's "Serial port").
    pub enabled: bool,
    /// The port: chosen from the list or typed (e.g. /dev/pts/7, which is not listed).
    pub port: String,
    /// Baud rate, as typed.
    pub baud: String,
    /// Data bits, 5 to 8.
    pub data_bits: u8,
    /// Parity.
    pub parity: ParityChoice,
    /// Stop bits, 1 or 2.
    pub stop_bits: u8,
    /// Flow control.
    pub flow: FlowChoice,
    /// DTR (changeable while open).
    pub dtr: bool,
    /// RTS (changeable while open).
    pub rts: bool,
    /// The bridge to TCP.
    pub bridge: BridgeChoice,
    /// Listen: `[ADDR:]PORT`; connect: `HOST:PORT`.
    pub bridge_addr: String,
}

impl Default for SerialSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            port: String::new(),
            baud: "9600".to_owned(),
            data_bits: 8,
            parity: ParityChoice::None,
            stop_bits: 1,
            flow: FlowChoice::None,
            dtr: true,
            rts: true,
            bridge: BridgeChoice::Off,
            bridge_addr: "0.0.0.0:8080".to_owned(),
        }
    }
}

impl SerialSettings {
    /// The port's options, or what is wrong with them.
    pub fn options(&self) -> Result<SerialOptions, UiError> {
        let typed = self.baud.trim();
        let baud = typed
            .parse::<u32>()
            .ok()
            .filter(|baud| (1..=crate::engine::MAX_BAUD).contains(baud))
            .ok_or_else(|| UiError::BadBaud(typed.to_owned()))?;
        let options = SerialOptions {
            baud,
            data_bits: self.data_bits,
            parity: match self.parity {
                ParityChoice::None => Parity::None,
                ParityChoice::Odd => Parity::Odd,
                ParityChoice::Even => Parity::Even,
            },
            stop_bits: self.stop_bits,
            flow: match self.flow {
                FlowChoice::None => FlowControl::None,
                FlowChoice::Software => FlowControl::Software,
                FlowChoice::Hardware => FlowControl::Hardware,
            },
            dtr: self.dtr,
            rts: self.rts,
        };
        options
            .check(self.port.trim())
            .map_err(|err| UiError::Net(err.into()))?;
        Ok(options)
    }

    /// The bridge asked for, or what is wrong with its address.
    pub fn bridge(&self) -> Result<Option<Bridge>, UiError> {
        let addr = self.bridge_addr.trim();
        match self.bridge {
            BridgeChoice::Off => Ok(None),
            BridgeChoice::Listen => {
                let bind = match addr.parse::<u16>() {
                    Ok(port) => std::net::SocketAddr::from(([0, 0, 0, 0], port)),
                    Err(_) => parse_socket_addr(addr).map_err(UiError::Net)?,
                };
                Ok(Some(Bridge::Listen(bind)))
            }
            BridgeChoice::Connect => {
                check_remote(addr).map_err(UiError::Net)?;
                Ok(Some(Bridge::Connect(addr.to_owned())))
            }
        }
    }

    /// The engine configuration of the port (the session adds its common options).
    pub fn config(&self) -> Result<SessionConfig, UiError> {
        let port = self.port.trim();
        if port.is_empty() {
            return Err(UiError::NoSerialPort);
        }
        let mut config = SessionConfig::serial(port, self.options()?);
        if let SessionKind::Serial { bridge, .. } = &mut config.kind {
            *bridge = self.bridge()?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_become_the_engine_config_or_say_what_is_wrong() {
        let mut settings = SerialSettings {
            enabled: true,
            port: " /dev/pts/7 ".to_owned(),
            baud: "115200".to_owned(),
            parity: ParityChoice::Even,
            bridge: BridgeChoice::Listen,
            bridge_addr: "9000".to_owned(),
            ..SerialSettings::default()
        };
        let config = settings.config().unwrap();
        let SessionKind::Serial {
            port,
            options,
            bridge,
        } = config.kind
        else {
            panic!("not a serial session");
        };
        assert_eq!(port, "/dev/pts/7");
        assert_eq!(options.to_string(), "115200 8E1");
        assert_eq!(
            bridge,
            Some(Bridge::Listen("0.0.0.0:9000".parse().unwrap()))
        );
        settings.baud = "fast".to_owned();
        assert_eq!(
            settings.config().unwrap_err(),
            UiError::BadBaud("fast".to_owned())
        );
        settings.baud = "9600".to_owned();
        settings.port = String::new();
        assert_eq!(settings.config().unwrap_err(), UiError::NoSerialPort);
        settings.port = "COM3".to_owned();
        settings.bridge = BridgeChoice::Connect;
        settings.bridge_addr = "nowhere".to_owned();
        assert!(matches!(settings.config().unwrap_err(), UiError::Net(_)));
    }
}
