//! afl.rs target: every operation's response parser (see `cloudsnap_fuzz::responses`).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let _ = cloudsnap_fuzz::responses(data);
    });
}
