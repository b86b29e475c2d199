//! Names as the API server and controllers make them: pod-template-hash, generateName
//! suffixes, uids.

use rand_core::RngCore;

/// `k8s.io/apimachinery/pkg/util/rand`'s alphabet: no vowels, no 0, 1 or 3.
pub const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// `rand.SafeEncodeString`: map each byte into the alphabet.
pub fn safe_encode(s: &str) -> String {
    s.bytes()
        .map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char)
        .collect()
}

/// FNV-1a, 32 bits.
pub fn fnv32a(data: &[u8]) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in data {
        h ^= *b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h
}

/// `ComputeHash`: FNV-32a of a canonical form of the template, plus the collision count,
/// printed in decimal and safe-encoded (so only the characters 4-9, b, c, d, f appear).
pub fn pod_template_hash(canonical_template: &[u8], collision_count: Option<i32>) -> String {
    let mut data = canonical_template.to_vec();
    if let Some(c) = collision_count {
        let mut bytes = [0u8; 8];
        bytes[..4].copy_from_slice(&(c as u32).to_le_bytes());
        data.extend_from_slice(&bytes);
    }
    safe_encode(&fnv32a(&data).to_string())
}

/// `utilrand.String(n)`.
pub fn random_suffix(rng: &mut impl RngCore, n: usize) -> String {
    (0..n)
        .map(|_| ALPHANUMS[(rng.next_u32() % ALPHANUMS.len() as u32) as usize] as char)
        .collect()
}

/// A version-4 UUID from the world's generator.
pub fn uuid(rng: &mut impl RngCore) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    // 8-4-4-4-12 lowercase hex digits.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[(x >> 4) as usize] as char);
        out.push(HEX[(x & 0xf) as usize] as char);
    }
    out
}

/// A version-4 UUID from a generator of its own, seeded with `seed`: for objects the cluster
/// makes for itself, so that making them draws nothing from the world's generator.
pub fn derived_uuid(seed: &[u8]) -> String {
    use rand_core::SeedableRng;
    let h = (u64::from(fnv32a(seed)) << 32) | u64::from(fnv32a(&[seed, b"/uid"].concat()));
    uuid(&mut rand_chacha::ChaCha8Rng::seed_from_u64(h))
}

/// The base of a generated name is cut to leave room for the suffix (63 - 5).
pub fn generate_name(base: &str, rng: &mut impl RngCore) -> String {
    let base = if base.len() > 58 { &base[..58] } else { base };
    let mut name = String::with_capacity(base.len() + 5);
    name.push_str(base);
    name.push_str(&random_suffix(rng, 5));
    name
}

#[cfg(test)]
mod tests {
    #[test]
    fn uuid_is_the_bytes_in_8_4_4_4_12_hex() {
        use rand_chacha::rand_core::{RngCore, SeedableRng};
        let mut a = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut b = a.clone();
        let u = super::uuid(&mut a);
        let mut x = [0u8; 16];
        b.fill_bytes(&mut x);
        x[6] = (x[6] & 0x0f) | 0x40;
        x[8] = (x[8] & 0x3f) | 0x80;
        let h: String = x.iter().map(|x| format!("{x:02x}")).collect();
        let want = format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        );
        assert_eq!(u, want);
    }

    use super::*;

    #[test]
    fn fnv_known_vectors() {
        assert_eq!(fnv32a(b""), 0x811c9dc5);
        assert_eq!(fnv32a(b"a"), 0xe40c292c);
        assert_eq!(fnv32a(b"foobar"), 0xbf9cf968);
    }

    #[test]
    fn hash_uses_the_digit_alphabet() {
        let h = pod_template_hash(b"{\"spec\":{}}", None);
        assert!(h.chars().all(|c| "456789bcdf".contains(c)), "{h}");
        assert_ne!(h, pod_template_hash(b"{\"spec\":{}}", Some(1)));
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
    }
}
