//! A container's log. Most containers of a big Deployment are servers that never say more
//! than what they print when they start (nginx's entrypoint lines and two lines with the
//! time: about 900 bytes), and nobody reads most of them: that text is kept as the server and
//! the time it started until someone reads the log or something is added to it.

use super::process::ServerKind;
use crate::time::Millis;
use std::cell::OnceCell;
use std::ops::Deref;

/// The text of a log, read as a `str` (and printed as one: `Debug` shows the text, written
/// out or not).
#[derive(Clone, Default)]
pub struct Log {
    /// The server whose start the log begins with, and when, while the text is not written
    /// out (`text` holds it once someone read it).
    start: Option<(Quiet, Millis)>,
    text: OnceCell<String>,
}

/// A server whose startup log depends on nothing but the time (the others' are written out
/// at once): small, so that a container's two logs take little room.
#[derive(Clone, Copy, Debug)]
enum Quiet {
    Nginx { entrypoint: bool },
    Httpd,
    Redis,
}

impl Quiet {
    fn of(s: &ServerKind) -> Option<Quiet> {
        match s {
            ServerKind::Nginx { entrypoint } => Some(Quiet::Nginx {
                entrypoint: *entrypoint,
            }),
            ServerKind::Httpd => Some(Quiet::Httpd),
            ServerKind::Redis => Some(Quiet::Redis),
            _ => None,
        }
    }
    fn startup_log(self, at: Millis) -> String {
        match self {
            Quiet::Nginx { entrypoint } => ServerKind::Nginx { entrypoint },
            Quiet::Httpd => ServerKind::Httpd,
            Quiet::Redis => ServerKind::Redis,
        }
        .startup_log(at)
    }
}

impl Log {
    /// The log as text.
    pub fn as_str(&self) -> &str {
        match &self.start {
            Some((server, at)) => self.text.get_or_init(|| server.startup_log(*at)),
            None => self.text.get().map_or("", String::as_str),
        }
    }

    /// A server started: it logs what it logs then (its text written out only when read).
    pub(crate) fn server_started(&mut self, server: &ServerKind, at: Millis) {
        let quiet = Quiet::of(server);
        if let Some(q) = quiet.filter(|_| self.is_blank()) {
            self.start = Some((q, at));
            self.text = OnceCell::new();
        } else {
            self.push_str(&server.startup_log(at));
        }
    }

    /// Nothing logged yet, written out or not.
    fn is_blank(&self) -> bool {
        self.start.is_none() && self.text.get().is_none_or(String::is_empty)
    }

    pub fn push_str(&mut self, s: &str) {
        self.string_mut().push_str(s);
    }

    /// The text, written out, to add to.
    pub(crate) fn string_mut(&mut self) -> &mut String {
        if let Some((server, at)) = self.start.take() {
            if self.text.get().is_none() {
                let _ = self.text.set(server.startup_log(at));
            }
        }
        if self.text.get().is_none() {
            let _ = self.text.set(String::new());
        }
        self.text.get_mut().expect("set above")
    }
}

impl Deref for Log {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_start_reads_as_its_startup_log_however_it_is_reached() {
        let s = ServerKind::Nginx { entrypoint: true };
        let at = 61_000;
        let mut log = Log::default();
        assert_eq!(log.as_str(), "");
        log.server_started(&s, at);
        assert!(
            log.text.get().is_none(),
            "written out before anyone read it"
        );
        assert_eq!(&*log, s.startup_log(at));
        // Read first, then added to.
        let mut read = log.clone();
        read.push_str("GET /\n");
        assert_eq!(read.as_str(), s.startup_log(at) + "GET /\n");
        // Added to without a read.
        let mut log2 = Log::default();
        log2.server_started(&s, at);
        log2.push_str("x\n");
        assert_eq!(log2.to_string(), s.startup_log(at) + "x\n");
        // A second start after text: appended, not replacing.
        log2.server_started(&ServerKind::Redis, at);
        assert_eq!(
            log2.as_str(),
            s.startup_log(at) + "x\n" + &ServerKind::Redis.startup_log(at)
        );
        // A start after an empty text written out (as `string_mut` leaves it) is lazy again.
        let mut log3 = Log::default();
        log3.string_mut();
        log3.server_started(&s, at);
        assert!(log3.text.get().is_none());
        assert_eq!(log3.as_str(), s.startup_log(at));
        // A server whose log says more than the time is written out at once.
        let hello = ServerKind::HelloApp {
            version: "1.0".into(),
        };
        let mut log4 = Log::default();
        log4.server_started(&hello, at);
        assert!(log4.start.is_none());
        assert_eq!(log4.as_str(), hello.startup_log(at));
        // Each quiet kind reads as its own log.
        for k in [ServerKind::Httpd, ServerKind::Redis] {
            let mut l = Log::default();
            l.server_started(&k, at);
            assert!(l.text.get().is_none());
            assert_eq!(l.as_str(), k.startup_log(at));
        }
        assert!(std::mem::size_of::<Log>() <= 48);
        // Printed as its text, whether written out yet or not.
        let mut unread = Log::default();
        unread.server_started(&s, at);
        assert_eq!(format!("{unread:?}"), format!("{:?}", s.startup_log(at)));
    }
}
