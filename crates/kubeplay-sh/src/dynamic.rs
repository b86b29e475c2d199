//! bash's variables whose value is made each time one is read: `$RANDOM`, `$SECONDS`,
//! `$EPOCHSECONDS` and `$LINENO`. They keep their special meaning until `unset`.
//!
//! `$RANDOM` is bash 5.2's generator (Park and Miller's "minimal standard", folded to 15
//! bits), so `RANDOM=42` gives bash's own numbers after it. bash seeds it from the time and its
//! process id; kubeplay from the session's seed, so a share link replays the same numbers. A
//! subshell is reseeded, as in bash, so `(echo $RANDOM); echo $RANDOM` prints two numbers.
//! The clock is virtual: `$SECONDS` counts the seconds of virtual time since the shell
//! started (or since the value assigned to it).

use crate::Millis;
use std::cell::Cell;

/// The state behind the dynamic variables. Reading one advances it, through a shared
/// reference (expansion reads variables through one), hence the cells.
#[derive(Clone, Debug)]
pub struct Dynamic {
    /// bash's `rseed`, and the last value given: never the same value twice in a row.
    seed: Cell<u32>,
    last: Cell<u32>,
    /// How many subshells were started: each gets its own seed.
    forks: Cell<u32>,
    /// The virtual clock as the process last saw it (ms), and in Unix milliseconds.
    now: Cell<Millis>,
    unix_ms: Cell<i64>,
    /// The virtual time at which `$SECONDS` was 0; unset until the shell first runs.
    zero: Cell<Option<i64>>,
    /// The line of the command running (`$LINENO`).
    line: Cell<u32>,
    random: bool,
    seconds: bool,
    epoch: bool,
    lineno: bool,
}

/// bash 5.2's `intrand32`: x ↦ 16807·x mod (2³¹−1), by Schrage's method.
fn intrand32(last: u32) -> u32 {
    let last = if last == 0 { 123_459_876 } else { last as i64 };
    let (h, l) = (last / 127_773, last % 127_773);
    let t = 16_807 * l - 2_836 * h;
    (if t < 0 { t + 0x7fff_ffff } else { t }) as u32
}

impl Dynamic {
    pub fn new(seed: u32) -> Dynamic {
        Dynamic {
            seed: Cell::new(seed),
            last: Cell::new(0),
            forks: Cell::new(0),
            now: Cell::new(0),
            unix_ms: Cell::new(0),
            zero: Cell::new(None),
            line: Cell::new(0),
            random: true,
            seconds: true,
            epoch: true,
            lineno: true,
        }
    }

    /// The value of `name` if it is one of the dynamic variables (and not unset).
    pub fn get(&self, name: &str) -> Option<String> {
        match name {
            "RANDOM" if self.random => Some(self.next_random().to_string()),
            "SECONDS" if self.seconds => {
                let zero = self.zero.get().unwrap_or(self.now.get() as i64);
                Some(((self.now.get() as i64 - zero).div_euclid(1000)).to_string())
            }
            "EPOCHSECONDS" if self.epoch => Some(self.unix_ms.get().div_euclid(1000).to_string()),
            "LINENO" if self.lineno => Some(self.line.get().to_string()),
            _ => None,
        }
    }

    fn next_random(&self) -> u32 {
        loop {
            let s = intrand32(self.seed.get());
            self.seed.set(s);
            let v = ((s >> 16) ^ (s & 0xffff)) & 0x7fff;
            if v != self.last.get() {
                self.last.set(v);
                return v;
            }
        }
    }

    /// `name=value` on a dynamic variable: `RANDOM=n` seeds the generator, `SECONDS=n`
    /// counts from `n` now.
    pub fn assign(&self, name: &str, value: &str) {
        let n = leading_number(value);
        match name {
            "RANDOM" if self.random => {
                self.seed.set(n as u32);
                self.last.set(0);
            }
            "SECONDS" if self.seconds => {
                self.zero.set(Some(self.now.get() as i64 - n * 1000));
            }
            _ => {}
        }
    }

    /// `unset name`: an ordinary name from now on.
    pub fn unset(&mut self, name: &str) {
        match name {
            "RANDOM" => self.random = false,
            "SECONDS" => self.seconds = false,
            "EPOCHSECONDS" => self.epoch = false,
            "LINENO" => self.lineno = false,
            _ => {}
        }
    }

    /// The clock, as the process sees it when it runs; `$SECONDS` counts from the first.
    pub fn tick(&self, now: Millis, unix_ms: i64) {
        self.now.set(now);
        self.unix_ms.set(unix_ms);
        if self.zero.get().is_none() {
            self.zero.set(Some(now as i64));
        }
    }

    /// The line of the command about to run.
    pub fn set_line(&self, line: u32) {
        self.line.set(line);
    }

    pub fn line(&self) -> u32 {
        self.line.get()
    }

    /// A subshell's copy: its own seed, so that it does not repeat its parent's numbers.
    pub fn fork(&self) -> Dynamic {
        let n = self.forks.get().wrapping_add(1);
        self.forks.set(n);
        let child = self.clone();
        child
            .seed
            .set(intrand32(self.seed.get() ^ n.wrapping_mul(0x9e37_79b9)));
        child.forks.set(0);
        child
    }
}

/// The number at the start of `s`, as C's `strtol` reads it (0 when there is none).
fn leading_number(s: &str) -> i64 {
    let s = s.trim_start();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let n = digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0i64, |n, d| {
            n.wrapping_mul(10).wrapping_add((d - b'0') as i64)
        });
    if neg {
        -n
    } else {
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_after_a_seed_is_bashs() {
        // What bash 5.2 prints for `RANDOM=42; echo $RANDOM $RANDOM $RANDOM`, and so on.
        let d = Dynamic::new(1);
        let after = |seed: &str, n: usize| {
            d.assign("RANDOM", seed);
            (0..n)
                .map(|_| d.get("RANDOM").unwrap())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(after("42", 3), "17772 26794 1435");
        assert_eq!(after("0", 2), "20814 24386");
        assert_eq!(after("abc", 1), "20814");
        assert_eq!(after("-5", 1), "17653");
        assert_eq!(after("4294967297", 1), "16807");
    }

    #[test]
    fn seconds_count_virtual_time_from_the_start_or_an_assignment() {
        let mut d = Dynamic::new(1);
        d.tick(5_000, 0);
        d.tick(12_500, 0);
        assert_eq!(d.get("SECONDS").as_deref(), Some("7"));
        d.assign("SECONDS", "100");
        d.tick(14_000, 0);
        assert_eq!(d.get("SECONDS").as_deref(), Some("101"));
        d.unset("SECONDS");
        assert_eq!(d.get("SECONDS"), None);
    }

    #[test]
    fn a_subshell_does_not_repeat_its_parent() {
        let d = Dynamic::new(7);
        let a = d.fork();
        let b = d.fork();
        let (x, y, z) = (a.get("RANDOM"), b.get("RANDOM"), d.get("RANDOM"));
        assert!(x != y && y != z && x != z);
    }
}
