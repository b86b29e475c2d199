//! Object keys. `Key` is (namespace, name); each part a [`Name`]: a string stored inline
//! when short (most names are), so that copying a key allocates nothing and comparing or
//! hashing one reads no memory outside the key itself. Keys are copied into every task,
//! index and table the store and controllers keep, and compared in their ordered indexes:
//! with heap strings, each comparison chased two pointers into memory rarely in cache.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// (namespace, name); the namespace is empty for cluster-scoped kinds.
pub type Key = (Name, Name);

pub fn key(ns: &str, name: &str) -> Key {
    (Name::new(ns), Name::new(name))
}

/// Longest name kept inline (the type is then 32 bytes).
const INLINE: usize = 30;

/// An immutable string, inline up to 30 bytes. Equality and order are those of the `str` it
/// holds, so a `Name` orders exactly as the `String` it replaces. Two inline names are
/// compared and hashed as their fixed-size bytes (unused bytes are zero, and a name is inline
/// exactly when it is short enough), so neither looks at the length of the string first.
#[derive(Clone)]
pub struct Name(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Name {
    pub fn new(s: &str) -> Name {
        if s.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Name(Repr::Inline {
                len: s.len() as u8,
                bytes,
            })
        } else {
            Name(Repr::Heap(s.into()))
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // SAFETY: the bytes were copied whole from a `str` (`Name::new`), so they are
            // UTF-8; validating them again on every comparison would cost more than it checks.
            Repr::Inline { len, bytes } => unsafe {
                std::str::from_utf8_unchecked(&bytes[..*len as usize])
            },
            Repr::Heap(s) => s,
        }
    }
}

impl Default for Name {
    fn default() -> Name {
        Name::new("")
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        match (&self.0, &other.0) {
            (Repr::Inline { len: a, bytes: x }, Repr::Inline { len: b, bytes: y }) => {
                a == b && x == y
            }
            (Repr::Heap(x), Repr::Heap(y)) => x == y,
            _ => false,
        }
    }
}

impl Eq for Name {}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> Ordering {
        match (&self.0, &other.0) {
            // Eight bytes at a time, as big-endian words (which compare as the bytes they
            // hold), the last word overlapping the one before. Unused bytes are zero, so a
            // name that is a prefix of another is less or equal in every word, and then the
            // lengths decide, as for `str`, whose order this is.
            (Repr::Inline { len: a, bytes: x }, Repr::Inline { len: b, bytes: y }) => {
                let word = |bytes: &[u8; INLINE], i: usize| {
                    u64::from_be_bytes(bytes[i..i + 8].try_into().expect("8 bytes"))
                };
                for i in [0, 8, 16, INLINE - 8] {
                    let (p, q) = (word(x, i), word(y, i));
                    if p != q {
                        return p.cmp(&q);
                    }
                }
                a.cmp(b)
            }
            _ => self.as_str().cmp(other.as_str()),
        }
    }
}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.0 {
            Repr::Inline { len, bytes } => {
                // The words that hold the name (the bytes past it are zero), then the length:
                // a short name (a namespace) is one word.
                let n = *len as usize;
                let word =
                    |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
                if n > 0 {
                    state.write_u64(word(0));
                }
                if n > 8 {
                    state.write_u64(word(8));
                }
                if n > 16 {
                    state.write_u64(word(16));
                }
                if n > 24 {
                    // Bytes 24..30: the last eight bytes without the two before 24.
                    state.write_u64(word(INLINE - 8) >> 16);
                }
                state.write_u64(n as u64);
            }
            Repr::Heap(s) => s.hash(state),
        }
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name::new(s)
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Name {
        Name::new(s)
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name::new(&s)
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        n.as_str().to_string()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_order_and_compare_as_their_strings() {
        let long = "a-name-longer-than-thirty-bytes-kept-on-the-heap";
        let words = [
            "",
            "default",
            "web-7d9f8b6c5-abcde",
            long,
            "web",
            "wea",
            "z",
            "web\0",
            "a-name-of-exactly-thirty-bytes",
            "a-name-of-exactly-thirty-byte",
            "a-name-of-exactly-thirty-bytez",
            "a-name-of-exactly-thirty-bytesx",
            "\u{ff}",
        ];
        for a in words {
            assert_eq!(Name::new(a).as_str(), a);
            for b in words {
                assert_eq!(Name::new(a).cmp(&Name::new(b)), a.cmp(b), "{a} vs {b}");
                assert_eq!(Name::new(a) == Name::new(b), a == b);
            }
        }
        let h = |n: Name| {
            let mut s = std::collections::hash_map::DefaultHasher::new();
            n.hash(&mut s);
            s.finish()
        };
        for a in words {
            assert_eq!(h(Name::new(a)), h(Name::from(a.to_string())));
        }
        assert_ne!(h(Name::new("web")), h(Name::new("web\0")));
        assert_eq!(std::mem::size_of::<Name>(), 32);
    }
}
