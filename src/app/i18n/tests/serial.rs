//! Serial ports' errors and notes in both languages (issue 15: serial).

use super::*;

/// The serial errors and notes read as Chinese in Chinese and as English in English (port
/// names, the `dialout` command, DTR/RTS and what the system said stay as they are).
#[test]
fn serial_errors_and_notes_are_worded_in_each_language_alone() {
    use crate::engine::{NetError, SerialError, SerialProblem};

    const KEPT: [&str; 8] = [
        "Linux",
        "/dev/ttyUSB0",
        "COM3",
        "sudo usermod -aG dialout $USER",
        "dialout",
        "DTR/RTS",
        "DTR",
        "RTS",
    ];
    let reason = "Input/output error";
    let port = || "/dev/ttyUSB0".to_owned();
    let errors = [
        SerialError::NotFound { port: port() },
        SerialError::Busy { port: port() },
        SerialError::Permission { port: port() },
        SerialError::Settings {
            port: port(),
            problem: SerialProblem::NoPort,
        },
        SerialError::Settings {
            port: port(),
            problem: SerialProblem::Baud(0),
        },
        SerialError::Settings {
            port: port(),
            problem: SerialProblem::DataBits(9),
        },
        SerialError::Settings {
            port: port(),
            problem: SerialProblem::StopBits(3),
        },
        SerialError::Settings {
            port: port(),
            problem: SerialProblem::Refused(reason.to_owned()),
        },
        SerialError::Closed { port: port() },
        SerialError::Lost {
            port: port(),
            reason: reason.to_owned(),
        },
        SerialError::Lines {
            port: port(),
            reason: reason.to_owned(),
        },
        SerialError::Failed {
            port: port(),
            reason: reason.to_owned(),
        },
        SerialError::NotSerial,
    ];
    let mut infos: Vec<Info> = errors
        .into_iter()
        .map(|err| Info::Error(NetError::Serial(err)))
        .collect();
    infos.push(Info::SerialOpened(port(), "9600 8N1".to_owned()));
    infos.push(Info::BridgeListening(
        "0.0.0.0:4001".parse().expect("an address"),
    ));
    infos.push(Info::BridgeConnected(
        "127.0.0.1:4001".parse().expect("an address"),
    ));
    let mut texts: Vec<(String, String)> = infos
        .iter()
        .map(|info| (lang_text(Lang::Zh, info), lang_text(Lang::En, info)))
        .collect();
    for err in [UiError::NoSerialPort, UiError::BadBaud("fast".to_owned())] {
        texts.push((error_text(Lang::Zh, &err), error_text(Lang::En, &err)));
    }
    for (zh, en) in texts {
        let mut bare = zh
            .replace(reason, "")
            .replace("8N1", "")
            .replace("fast", "");
        for name in KEPT {
            bare = bare.replace(name, "");
        }
        assert!(english_words(&bare).is_empty(), "{zh}");
        assert!(has_cjk(&zh), "{zh}");
        assert!(!has_cjk(&en), "{en}");
        assert!(!english_words(&en).is_empty(), "{en}");
    }
    let permission = lang_text(
        Lang::Zh,
        &Info::Error(NetError::Serial(SerialError::Permission { port: port() })),
    );
    assert!(
        permission.contains("sudo usermod -aG dialout $USER"),
        "{permission}"
    );
}
