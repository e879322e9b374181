//! `ws-client` and `ws-server`: the TCP modes with a WebSocket over them (and TLS under it for
//! `wss://`), so every TCP option works on them unchanged.

use std::path::PathBuf;
use std::time::Duration;

use crate::engine::{
    ServerIdentity, TlsClientOptions, TlsOptions, TlsServerOptions, WsOptions, WsSide, WsUrl,
    parse_header,
};

use super::args::{Mode, WsOpts};
use super::tls_mode::{cert_key, trust};

/// A WebSocket mode as its TCP mode, the TLS under it and the WebSocket options; other modes
/// as they are. `absolute` makes the file paths absolute. A bad URL or header is the error.
pub(super) fn split(
    mode: Mode,
    absolute: impl Fn(PathBuf) -> PathBuf,
) -> Result<(Mode, Option<TlsOptions>, Option<WsOptions>), String> {
    Ok(match mode {
        Mode::WsClient {
            url,
            header,
            subprotocol,
            ca,
            insecure,
            bind,
            ws,
            opts,
        } => {
            let parsed = WsUrl::parse(&url).map_err(|err| err.to_string())?;
            let mut options = WsOptions::client(&url);
            if let WsSide::Client(client) = &mut options.side {
                client.headers = header
                    .iter()
                    .map(|h| parse_header(h))
                    .collect::<Result<_, _>>()
                    .map_err(|err| err.to_string())?;
                client.subprotocols = subprotocol;
            }
            common(&mut options, ws, opts.send_hex);
            let tls = parsed.secure.then(|| {
                TlsOptions::Client(TlsClientOptions {
                    trust: trust(ca, insecure, &absolute),
                    ..TlsClientOptions::default()
                })
            });
            let remote = parsed.remote();
            (Mode::TcpClient { remote, bind, opts }, tls, Some(options))
        }
        Mode::WsServer {
            listen,
            path,
            subprotocol,
            cert,
            key,
            self_signed,
            ws,
            opts,
        } => {
            if let Some(path) = &path
                && !path.starts_with('/')
            {
                return Err(format!("--path {path}: a path starts with / (e.g. /chat)"));
            }
            let mut options = WsOptions::server(path);
            if let WsSide::Server(server) = &mut options.side {
                server.subprotocols = subprotocol;
            }
            common(&mut options, ws, opts.send_hex);
            let identity = match cert_key(cert, key, &absolute) {
                Some(pair) => Some(ServerIdentity::Files(pair)),
                None => self_signed.then_some(ServerIdentity::SelfSigned),
            };
            let tls = identity.map(|identity| {
                TlsOptions::Server(TlsServerOptions {
                    identity,
                    ..TlsServerOptions::default()
                })
            });
            (Mode::TcpServer { listen, opts }, tls, Some(options))
        }
        other => (other, None, None),
    })
}

fn common(options: &mut WsOptions, ws: WsOpts, send_hex: bool) {
    options.auto_pong = !ws.no_auto_pong;
    options.ping_every = (ws.ping_every > 0).then(|| Duration::from_secs(ws.ping_every));
    options.send_binary = send_hex;
}
