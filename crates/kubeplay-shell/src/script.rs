//! Running a whole script through a session, as `kubeplay run` and the transcript tests do.

use crate::{LineState, Session, Stream};

/// Feed `text` to `session` line by line, letting virtual time run inside each command that
/// waits. With `echo`, each line is printed first as `$ line` (continuation lines of an
/// unfinished command as `> line`) and both streams are merged in order into one text: the
/// transcript format. Output that does not end a line is ended before the next `$`, so every
/// command stays on a line of its own. Without `echo`, `emit` gets each chunk with its stream.
pub fn run(session: &mut Session, text: &str, echo: bool, emit: &mut dyn FnMut(Stream, &str)) {
    let mut continuing = false;
    let mut at_line_start = true;
    for line in text.lines() {
        if echo {
            let prompt = if continuing { ">" } else { "$" };
            let sep = if at_line_start { "" } else { "\n" };
            emit(Stream::Out, &format!("{sep}{prompt} {line}\n"));
            at_line_start = true;
        }
        continuing = session.feed_line(line) == LineState::NeedMore;
        session.run_until_idle();
        for c in session.take_output() {
            if !c.text.is_empty() {
                at_line_start = c.text.ends_with('\n');
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_without_newline_does_not_swallow_the_next_command() {
        let mut s = Session::new(1);
        let t = transcript(&mut s, "echo -n 'bXlzcWw=' | base64 --decode\necho done\n");
        assert_eq!(
            t,
            "$ echo -n 'bXlzcWw=' | base64 --decode\nmysql\n$ echo done\ndone\n"
        );
        assert_eq!(
            commands_of(&t),
            "echo -n 'bXlzcWw=' | base64 --decode\necho done\n"
        );
    }
}
