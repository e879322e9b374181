//! Gap framing over several peers' streams: what a silence has ended by a given time, in the
//! order the messages ended, and when the next one ends (the window and the command line
//! both show them this way).

use std::time::SystemTime;

use super::deframer::Deframer;

/// The messages whose silence had passed by `now`, in the order they ended (then by peer),
/// each with when its first byte arrived. Only gap framing ends messages this way; other
/// deframers give nothing.
pub fn ended_by_silence<'a, K: Copy + Ord + 'a>(
    deframers: impl IntoIterator<Item = (&'a K, &'a mut Deframer)>,
    now: SystemTime,
) -> Vec<(SystemTime, K, Vec<u8>)> {
    // (when it ended, when it began, who, what)
    let mut ended: Vec<(Option<SystemTime>, SystemTime, K, Vec<u8>)> = deframers
        .into_iter()
        .filter_map(|(peer, deframer)| {
            let end = deframer.deadline();
            deframer.due(now).map(|(at, body)| (end, at, *peer, body))
        })
        .collect();
    ended.sort_by_key(|(end, _, peer, _)| (*end, *peer));
    ended
        .into_iter()
        .map(|(_, at, peer, body)| (at, peer, body))
        .collect()
}

/// When the next pending message ends if nothing more arrives (`None`: nothing pending).
pub fn next_silence<'a>(deframers: impl IntoIterator<Item = &'a Deframer>) -> Option<SystemTime> {
    deframers.into_iter().filter_map(Deframer::deadline).min()
}
