//! Decoding received bytes into the log's text: netassist's stream decoder (which shows
//! every byte that is not a character as `\xNN`) against `encoding_rs`'s own one-shot decode
//! with U+FFFD replacement, measured in the same run, on 64 KiB records (the engine's read
//! size) of plain ASCII, Chinese GBK text, UTF-8 text, and random bytes (binary data shown
//! in the text view: most of it is escapes).
//!
//! `cargo bench --bench decode` prints MB/s per case and the ratio to `encoding_rs`.

#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly

use std::hint::black_box;
use std::time::{Duration, Instant};

use netassist::codec::{StreamDecoder, TextEncoding};

const RECORD: usize = 64 * 1024;
const RECORDS: usize = 256; // 16 MiB per pass
const PASSES: usize = 5;

fn random_bytes(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn repeat_to(text: &[u8], len: usize) -> Vec<u8> {
    text.iter().copied().cycle().take(len).collect()
}

/// Seconds per pass over `data` in records, median of `PASSES`.
fn time(mut pass: impl FnMut() -> usize) -> Duration {
    let mut times: Vec<Duration> = (0..PASSES)
        .map(|_| {
            let start = Instant::now();
            black_box(pass());
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[PASSES / 2]
}

fn main() {
    let len = RECORD * RECORDS;
    let gbk = TextEncoding::for_label("gbk").unwrap();
    let gbk_text = gbk
        .encode("温度=23.5℃ 湿度=45% 第00000001行 网络调试助手\n")
        .unwrap();
    let cases: [(&str, TextEncoding, Vec<u8>); 4] = [
        (
            "ASCII in UTF-8",
            TextEncoding::UTF_8,
            repeat_to(b"temperature=23.5 humidity=45\n", len),
        ),
        (
            "Chinese in UTF-8",
            TextEncoding::UTF_8,
            repeat_to("温度=23.5℃ 湿度=45% 网络调试助手\n".as_bytes(), len),
        ),
        ("Chinese in GBK", gbk, repeat_to(&gbk_text, len)),
        (
            "random bytes in UTF-8",
            TextEncoding::UTF_8,
            random_bytes(len),
        ),
    ];
    println!("Decoding {RECORDS} records of 64 KiB, median of {PASSES} passes");
    for (name, encoding, data) in &cases {
        let ours = time(|| {
            let mut decoder = StreamDecoder::new(*encoding);
            let mut total = 0;
            for record in data.chunks(RECORD) {
                let mut out = String::new();
                decoder.decode(record, &mut out);
                total += out.len();
            }
            total
        });
        let reference = time(|| {
            let mut decoder = encoding.encoding_rs().new_decoder_without_bom_handling();
            let mut total = 0;
            for record in data.chunks(RECORD) {
                let mut out = String::with_capacity(
                    decoder
                        .max_utf8_buffer_length(record.len())
                        .unwrap_or(record.len()),
                );
                let _ = decoder.decode_to_string(record, &mut out, false);
                total += out.len();
            }
            total
        });
        let mb = |d: Duration| len as f64 / d.as_secs_f64() / 1e6;
        println!(
            "  {name:24} ours {:7.0} MB/s   encoding_rs (U+FFFD) {:7.0} MB/s   ratio {:4.2}",
            mb(ours),
            mb(reference),
            reference.as_secs_f64() / ours.as_secs_f64()
        );
    }
}
