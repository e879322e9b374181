//! A session's WebSocket settings (WebSocket client / WebSocket server in the protocol
//! picker) and the engine options made from them. Saved with the session; every field has a
//! default, so settings saved before WebSocket existed still load (as plain TCP).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::app::error::UiError;
use crate::engine::{NetError, WsOptions, WsSide, WsUrl, parse_header};

/// WebSocket over a TCP client or server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WsSettings {
    /// The session speaks WebSocket.
    pub enabled: bool,
    /// Client: the URL (ws:// or wss://).
    pub url: String,
    /// Client: extra handshake headers, one `Name: value` per line.
    pub headers: String,
    /// Subprotocols offered (client) or accepted (server), comma-separated.
    pub subprotocols: String,
    /// Server: the path served (empty: every path).
    pub path: String,
    /// Send a ping every this many seconds (0: never).
    pub ping_secs: u32,
    /// Answer the peer's pings.
    pub auto_pong: bool,
}

impl Default for WsSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            url: "ws://127.0.0.1:8080/".to_owned(),
            headers: String::new(),
            subprotocols: String::new(),
            path: String::new(),
            ping_secs: 0,
            auto_pong: true,
        }
    }
}

impl WsSettings {
    fn list(&self) -> Vec<String> {
        self.subprotocols
            .split([',', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn common(&self, mut options: WsOptions) -> WsOptions {
        options.auto_pong = self.auto_pong;
        options.ping_every =
            (self.ping_secs > 0).then(|| Duration::from_secs(self.ping_secs.into()));
        options
    }

    /// The client's URL taken apart, `None` when WebSocket is off.
    pub fn client_url(&self) -> Result<Option<WsUrl>, UiError> {
        if !self.enabled {
            return Ok(None);
        }
        WsUrl::parse(&self.url)
            .map(Some)
            .map_err(|err| UiError::Net(NetError::Ws(err)))
    }

    /// The engine's options for a client, `None` when WebSocket is off.
    pub fn client(&self) -> Result<Option<WsOptions>, UiError> {
        if !self.enabled {
            return Ok(None);
        }
        let mut options = WsOptions::client(&self.url);
        if let WsSide::Client(client) = &mut options.side {
            client.headers = self
                .headers
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(parse_header)
                .collect::<Result<_, _>>()
                .map_err(|err| UiError::Net(NetError::Ws(err)))?;
            client.subprotocols = self.list();
        }
        Ok(Some(self.common(options)))
    }

    /// The engine's options for a server, `None` when WebSocket is off.
    pub fn server(&self) -> Option<WsOptions> {
        if !self.enabled {
            return None;
        }
        let path = self.path.trim();
        let path = (!path.is_empty()).then(|| {
            if path.starts_with('/') {
                path.to_owned()
            } else {
                format!("/{path}")
            }
        });
        let mut options = WsOptions::server(path);
        if let WsSide::Server(server) = &mut options.side {
            server.subprotocols = self.list();
        }
        Some(self.common(options))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_saved_without_some_fields_takes_their_defaults() {
        let ws: WsSettings = serde_json::from_str(r#"{"enabled":true}"#).unwrap();
        assert_eq!(ws.url, "ws://127.0.0.1:8080/");
        assert!(ws.auto_pong);
    }

    #[test]
    fn a_bad_header_or_url_is_its_sentence() {
        let mut ws = WsSettings {
            enabled: true,
            headers: "X-Ok: 1\nbroken".to_owned(),
            ..WsSettings::default()
        };
        assert!(matches!(ws.client(), Err(UiError::Net(NetError::Ws(_)))));
        ws.headers.clear();
        ws.url = "http://x/".to_owned();
        assert!(ws.client_url().is_err());
    }
}
