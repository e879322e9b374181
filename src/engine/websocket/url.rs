//! Reading what a user types: a `ws://` / `wss://` URL and a `Name: value` header.

use super::error::WsError;

/// A WebSocket URL taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WsUrl {
    /// `wss://`: TLS under the WebSocket.
    pub secure: bool,
    /// The host as typed (an IPv6 address without its brackets).
    pub host: String,
    /// The port (80 for `ws://`, 443 for `wss://` when none is given).
    pub port: u16,
    /// The path and query (`/` when none is given).
    pub path: String,
}

impl WsUrl {
    /// Reads `text` (surrounding spaces are ignored).
    pub fn parse(text: &str) -> Result<Self, WsError> {
        let text = text.trim();
        let bad = |reason: &str| WsError::Url {
            url: text.to_owned(),
            reason: reason.to_owned(),
        };
        let lower = text.to_ascii_lowercase();
        let (secure, rest) = if lower.starts_with("ws://") {
            (false, &text[5..])
        } else if lower.starts_with("wss://") {
            (true, &text[6..])
        } else {
            return Err(bad("it must start with ws:// or wss://"));
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(at) => (&rest[..at], &rest[at..]),
            None => (rest, "/"),
        };
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_owned()
        };
        if path.contains('#') || path.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("the path has a space, a control character or a #"));
        }
        if authority.contains('@') {
            return Err(bad("user names in the URL are not supported"));
        }
        let default_port = if secure { 443 } else { 80 };
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let Some((host, after)) = v6.split_once(']') else {
                return Err(bad("the IPv6 address has no closing ]"));
            };
            let port = match after.strip_prefix(':') {
                Some(port) => Some(port),
                None if after.is_empty() => None,
                None => return Err(bad("something follows the IPv6 address")),
            };
            (host, port)
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(bad("the host is missing"));
        }
        let port = match port {
            None => default_port,
            Some(port) => match port.parse::<u16>() {
                Ok(port) if port > 0 => port,
                _ => return Err(bad("the port must be a number from 1 to 65535")),
            },
        };
        // What the handshake will need of it.
        if let Err(err) = text.parse::<tungstenite::http::Uri>() {
            return Err(bad(&err.to_string()));
        }
        Ok(Self {
            secure,
            host: host.to_owned(),
            port,
            path,
        })
    }

    /// `host:port` (`[v6]:port`) to connect to.
    pub fn remote(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Reads `Name: value`.
pub fn parse_header(text: &str) -> Result<(String, String), WsError> {
    let bad = || WsError::Header {
        header: text.to_owned(),
    };
    let (name, value) = text.split_once(':').ok_or_else(bad)?;
    let name = name.trim();
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    let value = value.trim();
    if !valid_name || value.chars().any(char::is_control) {
        return Err(bad());
    }
    Ok((name.to_owned(), value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_taken_apart_and_bad_ones_say_why() {
        let url = WsUrl::parse("ws://127.0.0.1:9000/chat?room=1").unwrap();
        assert!(!url.secure);
        assert_eq!(url.remote(), "127.0.0.1:9000");
        assert_eq!(url.path, "/chat?room=1");
        let url = WsUrl::parse("WSS://[::1]/").unwrap();
        assert!(url.secure);
        assert_eq!(url.remote(), "[::1]:443");
        let url = WsUrl::parse("ws://example.com?x").unwrap();
        assert_eq!((url.port, url.path.as_str()), (80, "/?x"));
        for bad in [
            "http://x/",
            "ws://",
            "ws://host:0/",
            "ws://host:99999/",
            "ws://[::1/",
            "ws://h/a b",
        ] {
            let err = WsUrl::parse(bad).unwrap_err();
            assert!(err.to_string().contains("ws://host:port/path"), "{err}");
        }
    }

    #[test]
    fn headers_are_name_colon_value() {
        assert_eq!(
            parse_header("Authorization: Bearer abc").unwrap(),
            ("Authorization".to_owned(), "Bearer abc".to_owned())
        );
        assert!(parse_header("no colon").is_err());
        assert!(parse_header(": empty name").is_err());
        assert!(parse_header("bad name: v").is_err());
    }
}
