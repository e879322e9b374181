use super::errors::open_error;
use super::*;

#[test]
fn port_names_come_back_from_their_stand_in_address() {
    let a = port_addr("/dev/ttyUSB0");
    let b = port_addr("COM3");
    assert_ne!(a, b);
    assert_eq!(port_addr("/dev/ttyUSB0"), a);
    assert_eq!(port_name(a).as_deref(), Some("/dev/ttyUSB0"));
    assert_eq!(peer_label(b), "COM3");
    let real: std::net::SocketAddr = "127.0.0.1:9000".parse().unwrap();
    assert_eq!(port_name(real), None);
    assert_eq!(peer_label(real), "127.0.0.1:9000");
    // DHCP clients send from 0.0.0.0:68: not a stand-in.
    assert_eq!(port_name("0.0.0.0:68".parse().unwrap()), None);
}

#[test]
fn settings_read_as_people_write_them_and_bad_ones_are_refused() {
    assert_eq!(SerialOptions::default().to_string(), "9600 8N1");
    let even = SerialOptions {
        baud: 115_200,
        data_bits: 7,
        parity: Parity::Even,
        stop_bits: 2,
        flow: FlowControl::Hardware,
        ..SerialOptions::default()
    };
    assert_eq!(even.to_string(), "115200 7E2 RTS/CTS");
    for bad in [
        SerialOptions {
            baud: 0,
            ..SerialOptions::default()
        },
        SerialOptions {
            data_bits: 9,
            ..SerialOptions::default()
        },
        SerialOptions {
            stop_bits: 3,
            ..SerialOptions::default()
        },
    ] {
        let err = bad.check("/dev/ttyS0").unwrap_err();
        assert!(matches!(err, SerialError::Settings { .. }), "{err}");
        assert!(err.to_string().contains("give"), "{err}");
    }
}

#[test]
fn open_errors_map_to_their_sentences() {
    use std::io::ErrorKind;
    let err = |kind| serialport::Error::new(kind, "x");
    assert!(matches!(
        open_error("/dev/ttyUSB0", &err(serialport::ErrorKind::NoDevice)),
        SerialError::Busy { .. }
    ));
    assert!(matches!(
        open_error(
            "/dev/ttyUSB0",
            &err(serialport::ErrorKind::Io(ErrorKind::NotFound))
        ),
        SerialError::NotFound { .. }
    ));
    let denied = open_error(
        "/dev/ttyUSB0",
        &err(serialport::ErrorKind::Io(ErrorKind::PermissionDenied)),
    );
    if cfg!(windows) {
        assert!(matches!(denied, SerialError::Busy { .. }));
    } else {
        assert!(matches!(denied, SerialError::Permission { .. }));
        let text = denied.to_string();
        assert!(text.contains("dialout"), "{text}");
        assert!(text.contains("sudo usermod -aG dialout $USER"), "{text}");
    }
    assert!(matches!(
        open_error("/dev/ttyUSB0", &err(serialport::ErrorKind::InvalidInput)),
        SerialError::Settings { .. }
    ));
}
