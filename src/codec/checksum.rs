//! Checksums appended to outgoing frames (sum, XOR, CRC-8/16/32 from the `crc` catalogue).

use std::fmt;
use std::str::FromStr;

use crc::Crc;
use thiserror::Error;

static CRC8_SMBUS: Crc<u8> = Crc::<u8>::new(&crc::CRC_8_SMBUS);
static CRC16_MODBUS: Crc<u16> = Crc::<u16>::new(&crc::CRC_16_MODBUS);
static CRC16_IBM_3740: Crc<u16> = Crc::<u16>::new(&crc::CRC_16_IBM_3740);
static CRC32_ISO_HDLC: Crc<u32> = Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

/// A checksum that can be appended to a payload.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Checksum {
    /// Wrapping 8-bit sum of all bytes.
    Sum8,
    /// XOR of all bytes.
    Xor8,
    /// CRC-8/SMBUS (poly 0x07).
    Crc8,
    /// CRC-16/MODBUS, appended low byte first as Modbus RTU sends it.
    Crc16Modbus,
    /// CRC-16/CCITT-FALSE (catalogue name CRC-16/IBM-3740), big-endian.
    Crc16CcittFalse,
    /// CRC-32 (ISO-HDLC, as in zip and Ethernet), big-endian.
    Crc32,
}

/// The name given to [`Checksum::for_name`] is not a known checksum.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "unknown checksum '{name}' — use one of sum8, xor8, crc8, crc16-modbus, crc16-ccitt-false, crc32"
)]
pub struct UnknownChecksum {
    /// The name as given, trimmed.
    pub name: String,
}

impl Checksum {
    /// Every checksum, in the order a UI should list them.
    pub const ALL: [Checksum; 6] = [
        Checksum::Sum8,
        Checksum::Xor8,
        Checksum::Crc8,
        Checksum::Crc16Modbus,
        Checksum::Crc16CcittFalse,
        Checksum::Crc32,
    ];

    /// Short stable name, e.g. `crc16-modbus`; accepted back by [`Checksum::for_name`].
    pub fn name(&self) -> &'static str {
        match self {
            Checksum::Sum8 => "sum8",
            Checksum::Xor8 => "xor8",
            Checksum::Crc8 => "crc8",
            Checksum::Crc16Modbus => "crc16-modbus",
            Checksum::Crc16CcittFalse => "crc16-ccitt-false",
            Checksum::Crc32 => "crc32",
        }
    }

    /// Looks a checksum up by its [`name`](Checksum::name) or its CRC catalogue
    /// name (`CRC-16/MODBUS`, `CRC-16/IBM-3740`, `CRC-32/ISO-HDLC`, …),
    /// ignoring case and `-`, `_`, `/`, space.
    pub fn for_name(name: &str) -> Result<Checksum, UnknownChecksum> {
        let key: String = name
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | '/' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        let found = match key.trim() {
            "sum8" => Checksum::Sum8,
            "xor8" => Checksum::Xor8,
            "crc8" | "crc8smbus" => Checksum::Crc8,
            "crc16modbus" => Checksum::Crc16Modbus,
            "crc16ccittfalse" | "crc16ibm3740" | "crc16autosar" => Checksum::Crc16CcittFalse,
            "crc32" | "crc32isohdlc" => Checksum::Crc32,
            _ => {
                return Err(UnknownChecksum {
                    name: name.trim().to_owned(),
                });
            }
        };
        Ok(found)
    }

    /// Number of bytes [`compute`](Checksum::compute) returns.
    pub fn byte_len(&self) -> usize {
        match self {
            Checksum::Sum8 | Checksum::Xor8 | Checksum::Crc8 => 1,
            Checksum::Crc16Modbus | Checksum::Crc16CcittFalse => 2,
            Checksum::Crc32 => 4,
        }
    }

    /// The checksum bytes to append after `data`, in wire order.
    pub fn compute(&self, data: &[u8]) -> Vec<u8> {
        match self {
            Checksum::Sum8 => vec![data.iter().fold(0u8, |acc, &b| acc.wrapping_add(b))],
            Checksum::Xor8 => vec![data.iter().fold(0u8, |acc, &b| acc ^ b)],
            Checksum::Crc8 => vec![CRC8_SMBUS.checksum(data)],
            Checksum::Crc16Modbus => CRC16_MODBUS.checksum(data).to_le_bytes().to_vec(),
            Checksum::Crc16CcittFalse => CRC16_IBM_3740.checksum(data).to_be_bytes().to_vec(),
            Checksum::Crc32 => CRC32_ISO_HDLC.checksum(data).to_be_bytes().to_vec(),
        }
    }

    /// Appends the checksum of everything currently in `data`.
    pub fn append(&self, data: &mut Vec<u8>) {
        let sum = self.compute(data);
        data.extend_from_slice(&sum);
    }
}

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Checksum {
    type Err = UnknownChecksum;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::for_name(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECK: &[u8] = b"123456789";

    #[test]
    fn catalogue_check_values() {
        assert_eq!(Checksum::Sum8.compute(CHECK), [0xDD]);
        assert_eq!(Checksum::Xor8.compute(CHECK), [0x31]);
        assert_eq!(Checksum::Crc8.compute(CHECK), [0xF4]);
        assert_eq!(Checksum::Crc16Modbus.compute(CHECK), [0x37, 0x4B]);
        assert_eq!(Checksum::Crc16CcittFalse.compute(CHECK), [0x29, 0xB1]);
        assert_eq!(Checksum::Crc32.compute(CHECK), [0xCB, 0xF4, 0x39, 0x26]);
    }

    #[test]
    fn lengths_match_output() {
        for c in Checksum::ALL {
            assert_eq!(c.compute(CHECK).len(), c.byte_len(), "{c}");
        }
    }

    #[test]
    fn empty_input() {
        assert_eq!(Checksum::Sum8.compute(&[]), [0x00]);
        assert_eq!(Checksum::Crc16Modbus.compute(&[]), [0xFF, 0xFF]);
        assert_eq!(Checksum::Crc32.compute(&[]), [0, 0, 0, 0]);
    }

    #[test]
    fn sum8_wraps() {
        assert_eq!(Checksum::Sum8.compute(&[0xFF, 0x02]), [0x01]);
    }

    #[test]
    fn modbus_read_holding_register_frame() {
        let mut frame = vec![0x01, 0x03, 0x00, 0x00, 0x00, 0x01];
        Checksum::Crc16Modbus.append(&mut frame);
        assert_eq!(frame, [0x01, 0x03, 0x00, 0x00, 0x00, 0x01, 0x84, 0x0A]);
    }

    #[test]
    fn names_round_trip() {
        for c in Checksum::ALL {
            assert_eq!(Checksum::for_name(c.name()), Ok(c));
            assert_eq!(c.to_string().parse::<Checksum>(), Ok(c));
        }
    }

    #[test]
    fn catalogue_names_are_accepted() {
        assert_eq!(
            Checksum::for_name("CRC-16/MODBUS"),
            Ok(Checksum::Crc16Modbus)
        );
        assert_eq!(
            Checksum::for_name("crc-16/ibm-3740"),
            Ok(Checksum::Crc16CcittFalse)
        );
        assert_eq!(
            Checksum::for_name("CRC-16/CCITT-FALSE"),
            Ok(Checksum::Crc16CcittFalse)
        );
        assert_eq!(Checksum::for_name("CRC-32/ISO-HDLC"), Ok(Checksum::Crc32));
        assert_eq!(Checksum::for_name("CRC-32"), Ok(Checksum::Crc32));
        assert_eq!(Checksum::for_name("crc-8/smbus"), Ok(Checksum::Crc8));
        assert_eq!(Checksum::for_name(" XOR8 "), Ok(Checksum::Xor8));
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let err = Checksum::for_name("md5").expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "unknown checksum 'md5' — use one of sum8, xor8, crc8, crc16-modbus, crc16-ccitt-false, crc32"
        );
        // Ambiguous shorthands are refused rather than guessed.
        assert!(Checksum::for_name("crc16").is_err());
        assert!(Checksum::for_name("modbus").is_err());
    }
}
