//! The bytes a session sends: one shared buffer for a command, many write queues and the
//! events that report them.

use std::sync::Arc;

/// Bytes shared between a command, the write queues of many peers and the events that report them.
pub type Payload = Arc<[u8]>;
