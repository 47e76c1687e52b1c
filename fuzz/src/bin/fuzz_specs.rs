//! afl.rs target: the spec loader and generator (see `cloudsnap_fuzz::specs`).

fn main() {
    afl::fuzz!(|data: &[u8]| {
        let _ = cloudsnap_fuzz::specs(data);
    });
}
