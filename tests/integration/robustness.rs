//! No input makes the loader panic: mangled copies of a real scenario must
//! each come back as Ok or as rendered problems.

use hallsim::engine::rng::Stream;
use rand::Rng;

#[test]
fn mangled_scenarios_never_panic() {
    let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/municipal.toml")).unwrap();
    let bytes = base.as_bytes();
    let pieces: [&[u8]; 10] = [b"\"", b"]", b"[", b"=", b"-1", b"0", b"\n", b"{", b"1e999", "名".as_bytes()];
    let mut rng = Stream::from_seed_u64(2026);
    for _ in 0..3000 {
        let mut text = bytes.to_vec();
        for _ in 0..1 + rng.next_u32() % 3 {
            let at = rng.next_u32() as usize % text.len();
            match rng.next_u32() % 3 {
                0 => {
                    let n = (rng.next_u32() % 8) as usize;
                    text.drain(at..(at + n).min(text.len()));
                }
                1 => {
                    let p = pieces[rng.next_u32() as usize % pieces.len()];
                    text.splice(at..at, p.iter().copied());
                }
                _ => {
                    let end = (at + 1 + rng.next_u32() as usize % 40).min(text.len());
                    let copy = text[at..end].to_vec();
                    text.splice(at..at, copy);
                }
            }
        }
        let s = String::from_utf8_lossy(&text);
        if let Err(e) = hallsim::scenario::parse(&s, "m.toml", "m") {
            assert!(!e.diagnostics.is_empty());
            let _ = e.to_string();
        }
    }
}
