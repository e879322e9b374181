//! Byte counts and rates as every panel shows them: binary units (B, KiB, MiB, GiB …), one
//! decimal, the same as the settings' sizes (log cap, send queue, receive buffer in MiB) and
//! the log's notes, so a counter compares directly with a cap. The exact count goes in a
//! tooltip and in the CSV export; a narrow column (the client list) writes the same units by
//! their letter (`1.4M`).

/// The units above bytes, each 1024 times the one before.
const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/// A byte count to read at a glance: `999 B`, `1.5 KiB`, `16.9 GiB`.
pub fn bytes(count: u64) -> String {
    if count < 1024 {
        return format!("{count} B");
    }
    scaled(count as f64)
}

/// A byte count for a narrow column (the client list): the same binary units with their
/// letter only, `ls -h` style: `1023`, `1.0K`, `20K`, `1.4M` (one decimal below 10).
pub fn bytes_compact(count: u64) -> String {
    let mut short = count.to_string();
    let mut value = count as f64;
    for unit in UNITS {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        let letter = &unit[..1];
        short = if value < 10.0 {
            format!("{value:.1}{letter}")
        } else {
            format!("{value:.0}{letter}")
        };
    }
    short
}

/// A rate in bytes per second: `0 B/s`, `2.0 MiB/s` (negative or not a number reads as 0).
pub fn rate(per_sec: f64) -> String {
    format!("{}/s", amount(per_sec))
}

/// A byte amount that need not be whole (a rate, a plot's axis), as [`bytes`] shows counts.
pub fn amount(value: f64) -> String {
    let value = if value.is_finite() {
        value.max(0.0)
    } else {
        0.0
    };
    if value.round() < 1024.0 {
        format!("{value:.0} B")
    } else {
        scaled(value)
    }
}

/// The exact count for a tooltip, in groups of three: `18 173 722 624 B`.
pub fn exact_bytes(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 2);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out.push_str(" B");
    out
}

/// `value` (at least 1024) in the largest unit that keeps it under 1024 after rounding.
fn scaled(value: f64) -> String {
    let mut value = value / 1024.0;
    let mut unit = 0;
    // Up a unit before rounding could show "1024.0 KiB".
    while value >= 1023.95 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_in_binary_units_with_one_decimal() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1024), "1.0 KiB");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(20_480), "20.0 KiB");
        assert_eq!(bytes(1_048_524), "1023.9 KiB");
        assert_eq!(bytes(1_048_575), "1.0 MiB", "never 1024.0 KiB");
        assert_eq!(bytes(1_500_000), "1.4 MiB");
        assert_eq!(bytes(5 << 30), "5.0 GiB");
        assert_eq!(bytes(18_173_722_624), "16.9 GiB");
        assert_eq!(bytes(u64::MAX), "16.0 EiB");
    }

    #[test]
    fn compact_counts_use_the_same_units_with_their_letter() {
        assert_eq!(bytes_compact(0), "0");
        assert_eq!(bytes_compact(1023), "1023");
        assert_eq!(bytes_compact(1024), "1.0K");
        assert_eq!(bytes_compact(20_480), "20K");
        assert_eq!(bytes_compact(1_500_000), "1.4M");
        assert_eq!(bytes(1_500_000), "1.4 MiB", "the same figure in full");
        assert_eq!(bytes_compact(5 << 30), "5.0G");
        assert_eq!(bytes_compact(u64::MAX), "16E");
    }

    #[test]
    fn rates_use_the_same_units_per_second() {
        assert_eq!(rate(0.0), "0 B/s");
        assert_eq!(rate(512.4), "512 B/s");
        assert_eq!(rate(1023.6), "1.0 KiB/s", "never 1024 B/s");
        assert_eq!(rate(1536.0), "1.5 KiB/s");
        assert_eq!(rate(2.0 * 1024.0 * 1024.0), "2.0 MiB/s");
        assert_eq!(rate(-3.0), "0 B/s");
        assert_eq!(rate(f64::NAN), "0 B/s");
        assert_eq!(rate(f64::INFINITY), "0 B/s");
        // A count and a rate of the same bytes read alike.
        assert_eq!(amount(1_500_000.0), bytes(1_500_000));
    }

    #[test]
    fn the_exact_count_is_grouped_by_three() {
        assert_eq!(exact_bytes(18_173_722_624), "18 173 722 624 B");
        assert_eq!(exact_bytes(999), "999 B");
        assert_eq!(exact_bytes(1000), "1 000 B");
        assert_eq!(exact_bytes(0), "0 B");
    }
}
