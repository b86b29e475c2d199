//! A text area for YAML, shared by the manifest editor and `kubectl edit`'s pane: line numbers,
//! highlighting drawn under a transparent textarea (which keeps the browser's own editing,
//! selection, undo and accessibility), lines marked with kubectl's errors, and Tab inserting
//! two spaces (Escape then Tab leaves the textarea, for the keyboard).

use crate::sim::insert_indent;
use kubeplay_shell::marks::Mark;
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// What a piece of a YAML line is, for its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Key,
    /// `:`, `-`, `---`, `|`, `>`, flow brackets.
    Punct,
    /// Quoted strings and block scalars' lines.
    Str,
    /// Numbers, booleans, null.
    Lit,
    Comment,
    /// Anchors, aliases, tags.
    Meta,
    Plain,
}

impl Tok {
    fn class(self) -> &'static str {
        match self {
            Tok::Key => "k",
            Tok::Punct => "p",
            Tok::Str => "s",
            Tok::Lit => "l",
            Tok::Comment => "c",
            Tok::Meta => "m",
            Tok::Plain => "",
        }
    }
}

/// Where a `#` starts a comment in `s` (at the start, or after a space, outside quotes).
fn comment_at(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &c) in b.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == b'"' || c == b'\'') && (i == 0 || b" [{,:".contains(&b[i - 1])) => {
                quote = Some(c)
            }
            None if c == b'#' && (i == 0 || b[i - 1] == b' ') => return Some(i),
            None => {}
        }
    }
    None
}

/// Whether a plain scalar reads as a number, a boolean or null.
fn literal(v: &str) -> bool {
    matches!(
        v,
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "null" | "Null" | "NULL" | "~"
    ) || (!v.is_empty()
        && v.trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && v.chars().any(|c| c.is_ascii_digit()))
}

/// A value after `key:` or `- `, split into tokens.
fn value(v: &str, out: &mut Vec<(Tok, String)>) {
    let t = v.trim_end();
    let tok = if t.starts_with('"') || t.starts_with('\'') {
        Tok::Str
    } else if t.starts_with('&') || t.starts_with('*') || t.starts_with('!') {
        Tok::Meta
    } else if t.starts_with('|') || t.starts_with('>') {
        Tok::Punct
    } else if t.starts_with(['{', '[']) {
        Tok::Punct
    } else if literal(t) {
        Tok::Lit
    } else {
        Tok::Plain
    };
    out.push((tok, v.to_string()));
}

/// One line of YAML as tokens, given whether it is inside a block scalar. Returns the tokens
/// and the indentation under which a block scalar starts on this line, if one does.
fn line_tokens(line: &str) -> (Vec<(Tok, String)>, bool) {
    let mut out = Vec::new();
    let (body, comment) = match comment_at(line) {
        Some(i) => (&line[..i], Some(&line[i..])),
        None => (line, None),
    };
    let mut rest = body;
    let mut block = false;
    if rest.trim() == "---" || rest.trim() == "..." {
        out.push((Tok::Punct, rest.to_string()));
        rest = "";
    }
    // Indentation and list dashes.
    loop {
        let trimmed = rest.trim_start_matches(' ');
        let ws = rest.len() - trimmed.len();
        if ws > 0 {
            out.push((Tok::Plain, rest[..ws].to_string()));
        }
        rest = trimmed;
        if rest == "-" || rest.starts_with("- ") {
            out.push((Tok::Punct, "-".to_string()));
            rest = &rest[1..];
        } else {
            break;
        }
    }
    if !rest.is_empty() {
        if let Some(k) = key_end(rest) {
            out.push((Tok::Key, rest[..k].to_string()));
            out.push((Tok::Punct, ":".to_string()));
            let v = &rest[k + 1..];
            let vt = v.trim_start();
            if !v.is_empty() {
                let ws = v.len() - vt.len();
                if ws > 0 {
                    out.push((Tok::Plain, v[..ws].to_string()));
                }
                if !vt.is_empty() {
                    block = vt.starts_with('|') || vt.starts_with('>');
                    value(vt, &mut out);
                }
            }
        } else {
            block = rest.starts_with('|') || rest.starts_with('>');
            value(rest, &mut out);
        }
    }
    if let Some(c) = comment {
        out.push((Tok::Comment, c.to_string()));
    }
    (out, block)
}

/// Where the key of `key: value` ends (its colon), if `s` starts with one.
fn key_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.first().is_some_and(|c| b"{[|>&*!".contains(c)) {
        return None;
    }
    if let Some(&q) = b.first().filter(|c| **c == b'"' || **c == b'\'') {
        let close = s[1..].find(q as char)? + 2;
        return (b.get(close) == Some(&b':') && (close + 1 == b.len() || b[close + 1] == b' '))
            .then_some(close);
    }
    (0..b.len()).find(|&i| b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' '))
}

/// Every line of `text` as tokens (a block scalar's lines, deeper than the key that starts
/// it, are strings).
pub fn highlight(text: &str) -> Vec<Vec<(Tok, String)>> {
    let mut lines = Vec::new();
    let mut block: Option<usize> = None;
    for line in text.split('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(b) = block {
            if line.trim().is_empty() || indent > b {
                lines.push(vec![(Tok::Str, line.to_string())]);
                continue;
            }
            block = None;
        }
        let (toks, starts_block) = line_tokens(line);
        if starts_block {
            block = Some(indent);
        }
        lines.push(toks);
    }
    lines
}

/// The UTF-16 offset where 1-based `line` starts in `text`.
fn line_start_utf16(text: &str, line: usize) -> u32 {
    let mut n = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line {
            break;
        }
        n += l.encode_utf16().count() as u32 + 1;
    }
    n
}

/// Put the caret at the start of 1-based `line` and bring it into view.
pub fn go_to_line(ta: &HtmlTextAreaElement, line: usize) {
    let at = line_start_utf16(&ta.value(), line);
    let _ = ta.focus();
    let _ = ta.set_selection_range(at, at);
    // 13px text at line-height 1.5; a few lines of context above.
    ta.set_scroll_top(((line.saturating_sub(4)) as f64 * 19.5) as i32);
}

/// Past this size a file is shown without highlighting (its lines would be too many elements
/// to redraw as it is typed in).
pub const HIGHLIGHT_MAX_BYTES: usize = 64 * 1024;

/// The gutter's text for `count` lines: runs of plain numbers, and each marked line on its own.
fn gutter_runs(count: usize, marks: &[Mark]) -> Vec<(Option<&Mark>, String)> {
    let mut out = Vec::new();
    let mut run = String::new();
    for n in 1..=count {
        match marks.iter().find(|m| m.line == n) {
            Some(m) => {
                if !run.is_empty() {
                    out.push((None, std::mem::take(&mut run)));
                }
                out.push((Some(m), format!("{n}\n")));
            }
            None => {
                run.push_str(&n.to_string());
                run.push('\n');
            }
        }
    }
    if !run.is_empty() {
        out.push((None, run));
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct CodeProps {
    pub text: AttrValue,
    pub oninput: Callback<String>,
    /// Keys before the area's own (Tab); a handler that calls `prevent_default` keeps them.
    #[prop_or_default]
    pub onkeydown: Callback<KeyboardEvent>,
    pub textarea: NodeRef,
    #[prop_or_default]
    pub marks: Rc<[Mark]>,
    pub label: AttrValue,
}

#[function_component]
pub fn CodeArea(p: &CodeProps) -> Html {
    let gutter = use_node_ref();
    let layer = use_node_ref();
    // After Escape the next Tab moves focus on instead of indenting.
    let escaped = use_mut_ref(|| false);
    let plain = p.text.len() > HIGHLIGHT_MAX_BYTES;
    let lines = use_memo(p.text.clone(), |t| {
        if t.len() > HIGHLIGHT_MAX_BYTES {
            Vec::new()
        } else {
            highlight(t)
        }
    });
    let count = p.text.split('\n').count();
    let oninput = {
        let cb = p.oninput.clone();
        Callback::from(move |e: InputEvent| {
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            cb.emit(ta.value());
        })
    };
    let onkeydown = {
        let outer = p.onkeydown.clone();
        let cb = p.oninput.clone();
        Callback::from(move |e: KeyboardEvent| {
            let was_escaped = std::mem::replace(&mut *escaped.borrow_mut(), e.key() == "Escape");
            outer.emit(e.clone());
            if e.default_prevented()
                || e.key() != "Tab"
                || e.shift_key()
                || e.ctrl_key()
                || e.alt_key()
                || e.meta_key()
                || was_escaped
            {
                return;
            }
            e.prevent_default();
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            let start = ta.selection_start().ok().flatten().unwrap_or(0);
            let end = ta.selection_end().ok().flatten().unwrap_or(start);
            let (nv, caret) = insert_indent(&ta.value(), start, end);
            ta.set_value(&nv);
            let _ = ta.set_selection_range(caret, caret);
            cb.emit(nv);
        })
    };
    let onscroll = {
        let (gutter, layer) = (gutter.clone(), layer.clone());
        Callback::from(move |e: Event| {
            let ta: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(g) = gutter.cast::<web_sys::Element>() {
                g.set_scroll_top(ta.scroll_top());
            }
            if let Some(l) = layer.cast::<web_sys::Element>() {
                l.set_scroll_top(ta.scroll_top());
                l.set_scroll_left(ta.scroll_left());
            }
        })
    };
    let marked = |n: usize| p.marks.iter().find(|m| m.line == n);
    html! {
        <div class="editor-body">
            <pre class="gutter" ref={gutter} aria-hidden="true">
                { for gutter_runs(count, &p.marks).into_iter().map(|(mark, text)| match mark {
                    Some(m) => html! { <span class="ln err" title={m.message.clone()}>{ text }</span> },
                    None => html! { text },
                }) }
                // Room for the textarea's horizontal scrollbar.
                {"\n"}
            </pre>
            <div class="code-wrap">
                if !plain {
                    <pre class="code hl" ref={layer} aria-hidden="true">
                        { for lines.iter().enumerate().map(|(i, toks)| html! {
                            <span class={classes!("line", marked(i + 1).map(|_| "err"))}>
                                { for toks.iter().map(|(t, s)| match t {
                                    Tok::Plain => html! { s.clone() },
                                    t => html! { <span class={t.class()}>{ s.clone() }</span> },
                                }) }
                            </span>
                        }) }
                        {"\n"}
                    </pre>
                }
                <textarea ref={p.textarea.clone()} class={classes!("code", "input", plain.then_some("plain"))} value={p.text.clone()} {oninput} {onkeydown} {onscroll}
                    spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                    aria-label={p.label.clone()} />
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(Tok, String)> {
        highlight(line).remove(0)
    }

    #[test]
    fn keys_values_lists_and_comments() {
        assert_eq!(
            classes("  - name: web  # the app"),
            [
                (Tok::Plain, "  ".into()),
                (Tok::Punct, "-".into()),
                (Tok::Plain, " ".into()),
                (Tok::Key, "name".into()),
                (Tok::Punct, ":".into()),
                (Tok::Plain, " ".into()),
                (Tok::Plain, "web  ".into()),
                (Tok::Comment, "# the app".into()),
            ]
        );
        assert_eq!(
            classes("replicas: 3")[3],
            (Tok::Lit, "3".into()),
            "numbers are literals"
        );
        assert_eq!(classes("a: \"x # y\"")[3], (Tok::Str, "\"x # y\"".into()));
        assert_eq!(
            classes("image: nginx:1.25")[3],
            (Tok::Plain, "nginx:1.25".into())
        );
        assert_eq!(classes("---"), [(Tok::Punct, "---".into())]);
        assert_eq!(classes("\"a b\": 1")[0], (Tok::Key, "\"a b\"".into()));
    }

    #[test]
    fn block_scalars_are_strings_until_the_indentation_returns() {
        let l = highlight("data:\n  script: |\n    echo a: b\n\n    x\n  next: 1");
        assert_eq!(l.len(), 6);
        assert_eq!(l[2], [(Tok::Str, "    echo a: b".into())]);
        assert_eq!(l[4], [(Tok::Str, "    x".into())]);
        assert_eq!(l[5][1], (Tok::Key, "next".into()));
    }

    #[test]
    fn every_character_is_kept() {
        let text = "apiVersion: v1\nkind: Pod # c\nspec:\n  containers:\n  - - x\n    args: [\"a\", 'b']\n";
        let back: String = highlight(text)
            .iter()
            .map(|l| l.iter().map(|(_, s)| s.as_str()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(back, text);
    }

    #[test]
    fn the_gutter_is_runs_of_numbers_around_marked_lines() {
        let m = |line| Mark {
            line,
            message: "bad".into(),
        };
        let marks = [m(2), m(5)];
        let runs: Vec<(bool, String)> = gutter_runs(5, &marks)
            .into_iter()
            .map(|(m, t)| (m.is_some(), t))
            .collect();
        assert_eq!(
            runs,
            [
                (false, "1\n".to_string()),
                (true, "2\n".to_string()),
                (false, "3\n4\n".to_string()),
                (true, "5\n".to_string()),
            ]
        );
    }

    #[test]
    fn any_text_highlights_without_losing_a_character() {
        const BITS: &[&str] = &[
            "a", ":", ": ", "- ", "-", "\"", "'", "#", " #", " ", "\t", "\n", "|", ">", "{", "&a",
            "---", "é", "😀", "1", "true", "key: \"v", "\n  ",
        ];
        use rand_core::{RngCore, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2);
        let mut next = |n: usize| (rng.next_u64() % n as u64) as usize;
        for _ in 0..3000 {
            let text: String = (0..next(40)).map(|_| BITS[next(BITS.len())]).collect();
            let back: Vec<String> = highlight(&text)
                .iter()
                .map(|l| l.iter().map(|(_, s)| s.as_str()).collect())
                .collect();
            assert_eq!(back.join("\n"), text);
        }
    }

    #[test]
    fn line_starts_count_utf16() {
        assert_eq!(line_start_utf16("a😀\nb\nc", 1), 0);
        assert_eq!(line_start_utf16("a😀\nb\nc", 2), 4);
        assert_eq!(line_start_utf16("a😀\nb\nc", 3), 6);
    }
}
