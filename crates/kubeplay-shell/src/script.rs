//! Running a whole script through a session, as `kubeplay run` and the transcript tests do.

use crate::{LineState, Session, Stream};

/// Feed `text` to `session` line by line, letting virtual time run inside each command that
/// waits. With `echo`, each line is printed first as `$ line` (continuation lines of an
/// unfinished command as `> line`) and both streams are merged in order into one text: the
/// transcript format. Without it, `emit` gets each chunk with its stream.
pub fn run(session: &mut Session, text: &str, echo: bool, emit: &mut dyn FnMut(Stream, &str)) {
    let mut continuing = false;
    for line in text.lines() {
        if echo {
            emit(
                Stream::Out,
                &format!("{} {line}\n", if continuing { ">" } else { "$" }),
            );
        }
        continuing = session.feed_line(line) == LineState::NeedMore;
        session.run_until_idle();
        for c in session.take_output() {
            emit(if echo { Stream::Out } else { c.stream }, &c.text);
        }
    }
}

/// The transcript of `text`: what `kubeplay run --echo` prints.
pub fn transcript(session: &mut Session, text: &str) -> String {
    let mut out = String::new();
    run(session, text, true, &mut |_, s| out.push_str(s));
    out
}

/// The commands of a transcript: its `$ ` and `> ` lines without the prompt.
pub fn commands_of(transcript: &str) -> String {
    let mut s = String::new();
    for line in transcript.lines() {
        if let Some(c) = line.strip_prefix("$ ").or_else(|| line.strip_prefix("> ")) {
            s.push_str(c);
            s.push('\n');
        } else if line == "$" || line == ">" {
            s.push('\n');
        }
    }
    s
}
