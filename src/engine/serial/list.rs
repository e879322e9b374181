//! The serial ports this machine has.

/// A port this machine has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortInfo {
    /// What to open, e.g. `/dev/ttyUSB0` or `COM3`.
    pub name: String,
    /// What kind of port it is (USB adapters: maker and product), may be empty.
    pub description: String,
}

/// The serial ports the system lists, sorted by name (empty when it cannot tell). Pseudo
/// terminals (`/dev/pts/N`) are not listed: type their path.
pub fn list_ports() -> Vec<PortInfo> {
    let mut ports: Vec<PortInfo> = serialport::available_ports()
        .unwrap_or_default()
        .into_iter()
        .map(|port| {
            let description = match port.port_type {
                serialport::SerialPortType::UsbPort(usb) => {
                    let words: Vec<String> = [usb.manufacturer, usb.product]
                        .into_iter()
                        .flatten()
                        .collect();
                    if words.is_empty() {
                        format!("USB {:04x}:{:04x}", usb.vid, usb.pid)
                    } else {
                        words.join(" ")
                    }
                }
                serialport::SerialPortType::BluetoothPort => "Bluetooth".to_owned(),
                serialport::SerialPortType::PciPort => "PCI".to_owned(),
                serialport::SerialPortType::Unknown => String::new(),
            };
            PortInfo {
                name: port.port_name,
                description,
            }
        })
        .collect();
    ports.sort_by(|a, b| a.name.cmp(&b.name));
    ports.dedup_by(|a, b| a.name == b.name);
    ports
}
