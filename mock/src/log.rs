//! The request log, bounded by count and by bytes: the oldest entries go
//! first, and each entry keeps at most a prefix of its body.

use std::collections::VecDeque;
use std::mem::size_of;

use crate::RecordedRequest;

/// How much of the traffic the request log keeps (see
/// [`MockServer::requests`](crate::MockServer::requests)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLimits {
    /// Keep at most this many requests (the oldest are dropped first).
    pub max_requests: usize,
    /// Keep at most about this many bytes of requests, counting the URI,
    /// headers, decoded parameters, problems and the kept body prefix.
    pub max_bytes: usize,
    /// Keep at most this many bytes of each body
    /// ([`RecordedRequest::body_len`] is the full length).
    pub max_body_bytes: usize,
}

impl Default for LogLimits {
    /// 10,000 requests, 32 MiB, 64 KiB of each body: far more than a test
    /// sends, and the example bodies of every shipped spec are kept whole.
    fn default() -> Self {
        LogLimits {
            max_requests: 10_000,
            max_bytes: 32 * 1024 * 1024,
            max_body_bytes: 64 * 1024,
        }
    }
}

/// The log itself.
#[derive(Debug, Default)]
pub(crate) struct RequestLog {
    entries: VecDeque<(usize, RecordedRequest)>,
    bytes: usize,
    dropped: u64,
}

impl RequestLog {
    /// Append `request`, then drop the oldest entries until both limits
    /// hold. An entry larger than `max_bytes` on its own is not kept.
    pub fn push(&mut self, request: RecordedRequest, limits: &LogLimits) {
        let size = approximate_size(&request);
        self.entries.push_back((size, request));
        self.bytes += size;
        while self.entries.len() > limits.max_requests || self.bytes > limits.max_bytes {
            match self.entries.pop_front() {
                Some((size, _)) => {
                    self.bytes -= size;
                    self.dropped += 1;
                }
                None => break,
            }
        }
    }

    /// The kept entries, oldest first.
    pub fn entries(&self) -> Vec<RecordedRequest> {
        self.entries.iter().map(|(_, r)| r.clone()).collect()
    }

    /// How many entries were dropped to keep the limits.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The kept entries' approximate size in bytes.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Forget every entry (the dropped count stays).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.bytes = 0;
    }
}

/// Heap and inline bytes an entry holds, near enough to bound memory: the
/// struct, every string's length plus a `String`'s own size per string.
fn approximate_size(r: &RecordedRequest) -> usize {
    let string = size_of::<String>();
    let pairs = |v: &[(String, String)]| v.iter().map(|(a, b)| a.len() + b.len() + 2 * string).sum::<usize>();
    size_of::<(usize, RecordedRequest)>()
        + r.operation.as_ref().map_or(0, String::len)
        + r.method.len()
        + r.uri.len()
        + r.path.len()
        + pairs(&r.path_params)
        + pairs(&r.query)
        + pairs(&r.headers)
        + r.body.len()
        + r.auth_scheme.as_ref().map_or(0, String::len)
        + r.problems.iter().map(|p| p.len() + string).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: usize) -> RecordedRequest {
        RecordedRequest {
            operation: None,
            method: "GET".into(),
            uri: "/".into(),
            path: "/".into(),
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: vec![b'x'; body],
            body_len: body,
            auth_scheme: None,
            problems: Vec::new(),
            status: 200,
            scripted: false,
        }
    }

    #[test]
    fn the_oldest_entries_go_first_by_count_and_by_bytes() {
        let limits = LogLimits {
            max_requests: 3,
            max_bytes: usize::MAX,
            max_body_bytes: 16,
        };
        let mut log = RequestLog::default();
        for i in 0..5 {
            log.push(request(i), &limits);
        }
        let kept: Vec<usize> = log.entries().iter().map(|r| r.body_len).collect();
        assert_eq!(kept, [2, 3, 4]);
        assert_eq!(log.dropped(), 2);

        let one = approximate_size(&request(1000));
        let limits = LogLimits {
            max_requests: usize::MAX,
            max_bytes: 2 * one + 10,
            max_body_bytes: 1000,
        };
        let mut log = RequestLog::default();
        for _ in 0..10 {
            log.push(request(1000), &limits);
        }
        assert_eq!(log.entries().len(), 2);
        assert!(log.bytes() <= limits.max_bytes);
        assert_eq!(log.dropped(), 8);
        // Larger than the byte budget on its own: not kept at all.
        log.push(request(10 * one), &limits);
        assert!(log.bytes() <= limits.max_bytes);
        log.clear();
        assert_eq!((log.entries().len(), log.bytes(), log.dropped()), (0, 0, 11));
    }
}
