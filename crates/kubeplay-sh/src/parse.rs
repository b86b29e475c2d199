//! Lexer and recursive-descent parser for the bash subset people type.
//!
//! Input that could go on (an open quote, an unfinished heredoc, a trailing `|`, `&&` or `\`,
//! an `if` without `fi`) is [`ParseError::Incomplete`], so a terminal can ask for another line;
//! anything else wrong is a syntax error in bash's words.

use crate::ast::*;
use std::rc::Rc;

/// How deeply constructs may nest (`$( $( ... ) )`, subshells, braces, loops).
pub const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone, PartialEq)]
pub enum ParseError {
    /// The input stops in the middle of something: more lines would complete it.
    Incomplete,
    /// `syntax error near unexpected token `X'`; holds X.
    Unexpected(String),
    /// Nesting beyond [`MAX_DEPTH`].
    TooDeep,
}

impl ParseError {
    /// The message bash prints, without the `bash: ` prefix.
    pub fn message(&self) -> String {
        match self {
            ParseError::Incomplete => "syntax error: unexpected end of file".into(),
            ParseError::Unexpected(t) => format!("syntax error near unexpected token `{t}'"),
            ParseError::TooDeep => format!("syntax error: nesting deeper than {MAX_DEPTH} levels"),
        }
    }
}

type R<T> = Result<T, ParseError>;

/// Parse a whole script.
pub fn parse(src: &str) -> R<List> {
    parse_or_wait(src).0
}

/// The line that closes the heredoc an incomplete input stops in.
#[derive(Debug, Clone, PartialEq)]
pub struct HeredocEnd {
    delim: String,
    /// `<<-`: the closing line may start with tabs.
    strip: bool,
}

impl HeredocEnd {
    pub fn closed_by(&self, line: &str) -> bool {
        let line = if self.strip {
            line.trim_start_matches('\t')
        } else {
            line
        };
        line == self.delim
    }
}

/// [`parse`], and when the input is incomplete because a heredoc is open, the line that
/// closes it: lines before that one are body text and cannot change how the input parses, so
/// a terminal fed a long heredoc line by line need not parse it all again for each line.
pub fn parse_or_wait(src: &str) -> (R<List>, Option<HeredocEnd>) {
    let mut p = Parser::new(src);
    let parsed = p.list(Stop::Eof).and_then(|list| match p.peek()? {
        Tok::Eof => Ok(list),
        t => Err(ParseError::Unexpected(t.text())),
    });
    let wait = match parsed {
        Err(ParseError::Incomplete) => p.open_heredoc.take(),
        _ => None,
    };
    (parsed, wait)
}

/// A script bash cannot parse to its end. bash reads a script a line at a time and runs each
/// complete command before it reads on: the commands before the broken one run, then the
/// error ends the script.
#[derive(Debug)]
pub struct ScriptError {
    /// The complete commands of the lines before the one the error is on (or the one its
    /// command starts on).
    pub ran: List,
    pub error: ParseError,
    /// The line the error was found on, from 1.
    pub line: u32,
    /// For an input that ends too soon: what it ended in (dash and ash say so).
    pub open: Option<Open>,
    /// That line's text (bash quotes it after a syntax error at a token).
    pub text: String,
}

/// What an input that ends too soon was in the middle of: a construct waiting for its next
/// word (`if true` waits for `then`), or a quoted string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    Word(&'static str),
    Quote,
}

/// Parse a script as bash runs one ([`ScriptError`]).
pub fn parse_script(src: &str) -> Result<List, Box<ScriptError>> {
    let mut p = Parser::new(src);
    let error = match p.list(Stop::Eof).and_then(|list| match p.peek()? {
        Tok::Eof => Ok(list),
        t => Err(ParseError::Unexpected(t.text())),
    }) {
        Ok(list) => return Ok(list),
        Err(e) => e,
    };
    let mut line = p.line_here();
    // An unexpected newline is on the line it ends.
    if error == ParseError::Unexpected("newline".into())
        && p.pos > 0
        && p.src.get(p.pos - 1) == Some(&'\n')
    {
        line -= 1;
    }
    let done: String = p.src[..p.complete_end.min(p.src.len())].iter().collect();
    Err(Box::new(ScriptError {
        ran: parse(&done).unwrap_or_default(),
        open: p.open.filter(|_| error == ParseError::Incomplete),
        error,
        line,
        text: src.lines().nth(line as usize - 1).unwrap_or("").to_string(),
    }))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(Word),
    Op(&'static str),
    /// Digits right before a redirection operator (`2>`).
    IoNumber(u32),
    Newline,
    Eof,
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Word(w) => word_text(w),
            Tok::Op(o) => o.to_string(),
            Tok::IoNumber(n) => n.to_string(),
            Tok::Newline => "newline".into(),
            Tok::Eof => "end of file".into(),
        }
    }
    fn reserved(&self) -> Option<&str> {
        match self {
            Tok::Word(w) => w.as_literal().filter(|s| RESERVED.contains(s)),
            _ => None,
        }
    }
}

const RESERVED: &[&str] = &[
    "if", "then", "elif", "else", "fi", "while", "until", "for", "do", "done", "case", "esac",
    "in", "{", "}", "!",
];

/// A word's text with quotes removed and expansions shown as typed (roughly), for error
/// messages and alias values.
pub fn parse_word_text(w: &Word) -> String {
    word_text(w)
}

fn word_text(w: &Word) -> String {
    let mut s = String::new();
    for p in &w.0 {
        match p {
            Part::Lit(t) | Part::Quoted(t) => s.push_str(t),
            Part::Double(inner) => s.push_str(&word_text(&Word(inner.clone()))),
            Part::Param(p) => {
                s.push('$');
                s.push_str(&p.name)
            }
            Part::CmdSub(_) => s.push_str("$(...)"),
            Part::ProcSub(_) => s.push_str("<(...)"),
            Part::Arith(_) => s.push_str("$((...))"),
        }
    }
    s
}

/// A token inside `[[ ... ]]`.
#[derive(Debug, Clone, PartialEq)]
enum CondTok {
    Word(Word),
    And,
    Or,
    Not,
    Open,
    Close,
    /// `]]`
    End,
    Eof,
}

impl CondTok {
    fn text(&self) -> String {
        match self {
            CondTok::Word(w) => word_text(w),
            CondTok::And => "&&".into(),
            CondTok::Or => "||".into(),
            CondTok::Not => "!".into(),
            CondTok::Open => "(".into(),
            CondTok::Close => ")".into(),
            CondTok::End => "]]".into(),
            CondTok::Eof => "end of file".into(),
        }
    }
}

/// The unary operators of `[[ ]]` (and `test`).
const COND_UNARY: &[&str] = &[
    "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w", "-x",
    "-G", "-L", "-N", "-O", "-S", "-z", "-n", "-o", "-v", "-R",
];

/// The binary operators of `[[ ]]`.
const COND_BINARY: &[&str] = &[
    "==", "=", "!=", "<", ">", "=~", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef",
];

#[derive(Clone, Copy, PartialEq)]
enum Stop {
    Eof,
    /// `)` ends the list (subshell, command substitution).
    Paren,
    /// One of these reserved words ends the list.
    Words(&'static [&'static str]),
    /// `;;` or `esac` ends it.
    CaseArm,
}

struct Parser {
    src: Vec<char>,
    pos: usize,
    /// After the current line's heredoc bodies: where the next line really starts.
    resume: Option<usize>,
    peeked: Option<(Tok, usize, Option<usize>)>,
    /// A token looked at inside `[[ ... ]]`, and where it ends.
    cond_peeked: Option<(CondTok, usize)>,
    depth: usize,
    /// Set when the input ends inside a heredoc body ([`parse_or_wait`]).
    open_heredoc: Option<HeredocEnd>,
    /// A position and its line, from which [`Parser::line_here`] counts on.
    line_at: (usize, u32),
    /// At the top level, where the last line of complete commands ended ([`parse_script`]).
    complete_end: usize,
    /// The innermost construct the input ended in, when it ended too soon.
    open: Option<Open>,
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')'
    )
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Parser {
    fn new(src: &str) -> Parser {
        Parser {
            src: src.chars().collect(),
            pos: 0,
            resume: None,
            peeked: None,
            cond_peeked: None,
            depth: 0,
            open_heredoc: None,
            line_at: (0, 1),
            complete_end: 0,
            open: None,
        }
    }

    /// The input ended inside `what`: the innermost such place is the one to tell.
    #[inline(never)]
    fn ended_in(&mut self, what: Open) -> ParseError {
        self.open.get_or_insert(what);
        ParseError::Incomplete
    }

    /// The top level's newlines: each one ends a line of complete commands.
    #[inline(never)]
    fn top_newlines(&mut self) -> R<()> {
        while self.peek()? == Tok::Newline {
            self.next()?;
            self.complete_end = self.pos;
        }
        Ok(())
    }

    /// The line of the current position. Parsing moves forward, so counting the newlines
    /// from the last position asked about keeps this linear.
    #[inline(never)]
    fn line_here(&mut self) -> u32 {
        let (from, line) = if self.pos >= self.line_at.0 {
            self.line_at
        } else {
            (0, 1)
        };
        let end = self.pos.min(self.src.len());
        let more = self.src[from.min(end)..end]
            .iter()
            .filter(|&&c| c == '\n')
            .count();
        self.line_at = (end, line + more as u32);
        self.line_at.1
    }

    fn at(&self, i: usize) -> Option<char> {
        self.src.get(i).copied()
    }
    fn cur(&self) -> Option<char> {
        self.at(self.pos)
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::TooDeep);
        }
        Ok(())
    }
    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ---------------------------------------------------------------- tokens

    fn peek(&mut self) -> R<Tok> {
        if let Some((t, _, _)) = &self.peeked {
            return Ok(t.clone());
        }
        let (save_pos, save_resume) = (self.pos, self.resume);
        let t = self.lex()?;
        self.peeked = Some((t.clone(), self.pos, self.resume));
        self.pos = save_pos;
        self.resume = save_resume;
        Ok(t)
    }

    fn next(&mut self) -> R<Tok> {
        if let Some((t, pos, resume)) = self.peeked.take() {
            self.pos = pos;
            self.resume = resume;
            return Ok(t);
        }
        self.lex()
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.cur() {
                Some(' ' | '\t' | '\r') => self.pos += 1,
                Some('\\')
                    if self.at(self.pos + 1) == Some('\n') && self.pos + 2 < self.src.len() =>
                {
                    self.pos += 2
                }
                Some('#') => {
                    while !matches!(self.cur(), None | Some('\n')) {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    fn lex(&mut self) -> R<Tok> {
        self.skip_blanks();
        let Some(c) = self.cur() else {
            if self.src.last() == Some(&'\\') && self.pos == self.src.len() {
                // handled in word lexing; a lone trailing backslash-newline lands here
            }
            return Ok(Tok::Eof);
        };
        if c == '\n' {
            self.pos += 1;
            if let Some(r) = self.resume.take() {
                self.pos = r;
            }
            return Ok(Tok::Newline);
        }
        if self.starts_with("<(") {
            return Ok(Tok::Word(self.proc_sub_word()?));
        }
        const OPS: &[&str] = &[
            "&>>", "<<<", "<<-", ";;", "&&", "||", ">>", "<<", ">&", "<&", "&>", ">|", "|&", ";",
            "&", "|", "<", ">", "(", ")",
        ];
        for op in OPS {
            if self.starts_with(op) {
                self.pos += op.chars().count();
                return Ok(Tok::Op(op));
            }
        }
        if c.is_ascii_digit() {
            let mut i = self.pos;
            while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            if matches!(self.at(i), Some('<' | '>')) && i - self.pos < 9 {
                let n: String = self.src[self.pos..i].iter().collect();
                self.pos = i;
                return Ok(Tok::IoNumber(n.parse().unwrap_or(0)));
            }
        }
        Ok(Tok::Word(self.word()?))
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.at(self.pos + i) == Some(c))
    }

    // ----------------------------------------------------------------- words

    /// At `$(` or `<(`: the list up to the matching `)`.
    fn subst_body(&mut self) -> R<List> {
        self.pos += 2;
        self.enter()?;
        self.peeked = None;
        let list = self.list(Stop::Paren)?;
        match self.next()? {
            Tok::Op(")") => {}
            Tok::Eof => return Err(self.ended_in(Open::Word(")"))),
            t => return Err(ParseError::Unexpected(t.text())),
        }
        self.leave();
        Ok(list)
    }

    /// At `<(`: a process substitution, and the rest of the word it starts.
    fn proc_sub_word(&mut self) -> R<Word> {
        let list = self.subst_body()?;
        let mut parts = vec![Part::ProcSub(list)];
        if self.cur().is_some_and(|c| !is_meta(c)) {
            parts.extend(self.word()?.0);
        }
        Ok(Word(parts))
    }

    /// An unquoted word, up to the next metacharacter.
    fn word(&mut self) -> R<Word> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.cur() {
            if c == '<'
                && self.at(self.pos + 1) == Some('(')
                && !(parts.is_empty() && lit.is_empty())
            {
                // `x=<(cmd)`: a process substitution inside a word.
                flush(&mut lit, &mut parts);
                parts.extend(self.proc_sub_word()?.0);
                continue;
            }
            if is_meta(c) {
                break;
            }
            match c {
                '\'' => {
                    flush(&mut lit, &mut parts);
                    self.pos += 1;
                    let s = self.until_quote('\'')?;
                    parts.push(Part::Quoted(s));
                }
                '"' => {
                    flush(&mut lit, &mut parts);
                    self.pos += 1;
                    let inner = self.double_quoted()?;
                    parts.push(Part::Double(inner));
                }
                '\\' => match self.at(self.pos + 1) {
                    None => return Err(ParseError::Incomplete),
                    Some('\n') if self.pos + 2 >= self.src.len() => {
                        return Err(ParseError::Incomplete)
                    }
                    Some('\n') => self.pos += 2,
                    Some(n) => {
                        flush(&mut lit, &mut parts);
                        self.pos += 2;
                        parts.push(Part::Quoted(n.to_string()));
                    }
                },
                '$' => {
                    if let Some(p) = self.dollar(false)? {
                        flush(&mut lit, &mut parts);
                        parts.push(p);
                    } else {
                        lit.push('$');
                        self.pos += 1;
                    }
                }
                '`' => {
                    flush(&mut lit, &mut parts);
                    parts.push(self.backtick()?);
                }
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(Word(parts))
    }

    fn until_quote(&mut self, q: char) -> R<String> {
        let start = self.pos;
        while let Some(c) = self.cur() {
            if c == q {
                let s = self.src[start..self.pos].iter().collect();
                self.pos += 1;
                return Ok(s);
            }
            self.pos += 1;
        }
        Err(self.ended_in(Open::Quote))
    }

    /// The inside of `"..."`, after the opening quote; consumes the closing one.
    fn double_quoted(&mut self) -> R<Vec<Part>> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(c) = self.cur() else {
                return Err(self.ended_in(Open::Quote));
            };
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\\' => match self.at(self.pos + 1) {
                    None => return Err(ParseError::Incomplete),
                    Some('\n') => self.pos += 2,
                    Some(n @ ('$' | '`' | '"' | '\\')) => {
                        lit.push(n);
                        self.pos += 2;
                    }
                    Some(_) => {
                        lit.push('\\');
                        self.pos += 1;
                    }
                },
                '$' => {
                    if let Some(p) = self.dollar(true)? {
                        flush_q(&mut lit, &mut parts);
                        parts.push(p);
                    } else {
                        lit.push('$');
                        self.pos += 1;
                    }
                }
                '`' => {
                    flush_q(&mut lit, &mut parts);
                    parts.push(self.backtick()?);
                }
                c => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush_q(&mut lit, &mut parts);
        Ok(parts)
    }

    /// At a `$`: an expansion, or `None` when the `$` is literal.
    fn dollar(&mut self, in_double: bool) -> R<Option<Part>> {
        let next = self.at(self.pos + 1);
        match next {
            Some('(') if self.at(self.pos + 2) == Some('(') => {
                self.pos += 3;
                self.enter()?;
                let w = self.arith_body()?;
                self.leave();
                Ok(Some(Part::Arith(w)))
            }
            Some('(') => Ok(Some(Part::CmdSub(self.subst_body()?))),
            Some('{') => {
                self.pos += 2;
                self.enter()?;
                let p = self.brace_param()?;
                self.leave();
                Ok(Some(Part::Param(p)))
            }
            Some('\'') if !in_double => {
                self.pos += 2;
                let s = self.ansi_c()?;
                Ok(Some(Part::Quoted(s)))
            }
            Some(c) if is_name_start(c) => {
                let start = self.pos + 1;
                let mut i = start;
                while self.at(i).is_some_and(is_name_char) {
                    i += 1;
                }
                let name: String = self.src[start..i].iter().collect();
                self.pos = i;
                Ok(Some(Part::Param(Param {
                    name,
                    sub: None,
                    op: ParamOp::Plain,
                })))
            }
            Some(c) if c.is_ascii_digit() || "?#@*$!-".contains(c) => {
                self.pos += 2;
                Ok(Some(Part::Param(Param {
                    name: c.to_string(),
                    sub: None,
                    op: ParamOp::Plain,
                })))
            }
            _ => Ok(None),
        }
    }

    /// `$'...'` after the quote.
    fn ansi_c(&mut self) -> R<String> {
        let mut s = String::new();
        loop {
            let Some(c) = self.cur() else {
                return Err(ParseError::Incomplete);
            };
            self.pos += 1;
            match c {
                '\'' => return Ok(s),
                '\\' => {
                    let Some(e) = self.cur() else {
                        return Err(ParseError::Incomplete);
                    };
                    self.pos += 1;
                    match e {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        'r' => s.push('\r'),
                        'a' => s.push('\x07'),
                        'b' => s.push('\x08'),
                        'e' | 'E' => s.push('\x1b'),
                        'f' => s.push('\x0c'),
                        'v' => s.push('\x0b'),
                        '0' => s.push('\0'),
                        '\\' | '\'' | '"' | '?' => s.push(e),
                        other => {
                            s.push('\\');
                            s.push(other)
                        }
                    }
                }
                c => s.push(c),
            }
        }
    }

    /// `${...}` after the `${`.
    fn brace_param(&mut self) -> R<Param> {
        let length = self.cur() == Some('#')
            && self
                .at(self.pos + 1)
                .is_some_and(|c| is_name_start(c) || c.is_ascii_digit() || c == '@');
        if length {
            self.pos += 1;
        }
        // `${!a[@]}` (the keys) and `${!name}` (indirection).
        if !length && self.cur() == Some('!') && self.at(self.pos + 1).is_some_and(is_name_start) {
            self.pos += 1;
            let start = self.pos;
            while self.cur().is_some_and(is_name_char) {
                self.pos += 1;
            }
            let name: String = self.src[start..self.pos].iter().collect();
            let sub = self.subscript()?;
            let op = match sub.as_deref() {
                Some(Subscript::All | Subscript::Star) => ParamOp::Keys,
                Some(Subscript::Index(_)) => return self.bad_substitution(),
                None => ParamOp::Indirect,
            };
            return match self.cur() {
                Some('}') => {
                    self.pos += 1;
                    Ok(Param { name, sub, op })
                }
                None => Err(ParseError::Incomplete),
                _ => self.bad_substitution(),
            };
        }
        let start = self.pos;
        match self.cur() {
            Some(c) if is_name_start(c) => {
                while self.cur().is_some_and(is_name_char) {
                    self.pos += 1;
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while self.cur().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
            }
            Some(c) if "?#@*$!-".contains(c) => self.pos += 1,
            None => return Err(ParseError::Incomplete),
            Some(_) => return self.bad_substitution(),
        }
        let name: String = self.src[start..self.pos].iter().collect();
        let sub = if name.chars().next().is_some_and(is_name_start) {
            self.subscript()?
        } else {
            None
        };
        if length {
            return match self.cur() {
                Some('}') => {
                    self.pos += 1;
                    Ok(Param {
                        name,
                        sub,
                        op: ParamOp::Length,
                    })
                }
                None => Err(ParseError::Incomplete),
                _ => self.bad_substitution(),
            };
        }
        let colon = self.cur() == Some(':');
        if colon {
            self.pos += 1;
        }
        let op = match self.cur() {
            None => return Err(ParseError::Incomplete),
            Some('}') if !colon => {
                self.pos += 1;
                return Ok(Param {
                    name,
                    sub,
                    op: ParamOp::Plain,
                });
            }
            Some(c @ ('^' | ',')) if !colon => {
                self.pos += 1;
                let all = self.cur() == Some(c);
                if all {
                    self.pos += 1;
                }
                if self.cur() != Some('}') {
                    return self.bad_substitution();
                }
                self.pos += 1;
                ParamOp::Case {
                    upper: c == '^',
                    all,
                }
            }
            Some(c) if colon && !"-=+?".contains(c) => {
                let off = self.param_word(&[':', '}'])?;
                let len = if self.cur() == Some(':') {
                    self.pos += 1;
                    Some(self.param_word(&['}'])?)
                } else {
                    None
                };
                self.pos += 1;
                ParamOp::Substr(off, len)
            }
            Some(c @ ('-' | '=' | '+' | '?')) => {
                self.pos += 1;
                let w = self.param_word(&['}'])?;
                self.pos += 1;
                match c {
                    '-' => ParamOp::Default(colon, w),
                    '=' => ParamOp::Assign(colon, w),
                    '+' => ParamOp::Alt(colon, w),
                    _ => ParamOp::Error(colon, w),
                }
            }
            Some(c @ ('#' | '%')) if !colon => {
                self.pos += 1;
                let longest = self.cur() == Some(c);
                if longest {
                    self.pos += 1;
                }
                let w = self.param_word(&['}'])?;
                self.pos += 1;
                if c == '#' {
                    ParamOp::TrimPrefix(longest, w)
                } else {
                    ParamOp::TrimSuffix(longest, w)
                }
            }
            Some('/') if !colon => {
                self.pos += 1;
                let all = self.cur() == Some('/');
                if all {
                    self.pos += 1;
                }
                let pat = self.param_word(&['/', '}'])?;
                let rep = if self.cur() == Some('/') {
                    self.pos += 1;
                    self.param_word(&['}'])?
                } else {
                    Word::default()
                };
                self.pos += 1;
                ParamOp::Replace(all, pat, rep)
            }
            Some(_) => return self.bad_substitution(),
        };
        Ok(Param { name, sub, op })
    }

    /// At the `(` of `a=(...)`: its words, to the `)` (newlines and comments allowed).
    fn array_literal(&mut self) -> R<Vec<Word>> {
        self.peeked = None;
        self.pos += 1;
        self.enter()?;
        let mut words = Vec::new();
        loop {
            match self.next()? {
                Tok::Newline => {}
                Tok::Op(")") => break,
                Tok::Word(w) => words.push(w),
                Tok::Eof => return Err(ParseError::Incomplete),
                t => return Err(ParseError::Unexpected(t.text())),
            }
        }
        self.leave();
        Ok(words)
    }

    /// `[@]`, `[*]` or `[expression]` after a name in `${...}`, if there is one.
    fn subscript(&mut self) -> R<Option<Box<Subscript>>> {
        if self.cur() != Some('[') {
            return Ok(None);
        }
        self.pos += 1;
        for (c, sub) in [('@', Subscript::All), ('*', Subscript::Star)] {
            if self.cur() == Some(c) && self.at(self.pos + 1) == Some(']') {
                self.pos += 2;
                return Ok(Some(Box::new(sub)));
            }
        }
        let w = self.param_word(&[']'])?;
        match self.cur() {
            Some(']') => {
                self.pos += 1;
                Ok(Some(Box::new(Subscript::Index(w))))
            }
            None => Err(ParseError::Incomplete),
            _ => self.bad_substitution(),
        }
    }

    fn bad_substitution<T>(&mut self) -> R<T> {
        // Find the closing brace so the message can quote the whole thing, as bash does.
        let mut i = self.pos;
        while self.at(i).is_some_and(|c| c != '}') {
            i += 1;
        }
        if self.at(i).is_none() {
            return Err(ParseError::Incomplete);
        }
        let mut start = self.pos;
        while start > 0 && !(self.src[start] == '$' && self.at(start + 1) == Some('{')) {
            start -= 1;
        }
        let text: String = self.src[start..=i].iter().collect();
        Err(ParseError::Unexpected(format!("{text}: bad substitution")))
    }

    /// The word inside `${name:-word}`, up to one of `ends` (not consumed).
    fn param_word(&mut self, ends: &[char]) -> R<Word> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(c) = self.cur() else {
                return Err(ParseError::Incomplete);
            };
            if ends.contains(&c) {
                break;
            }
            match c {
                '\'' => {
                    flush(&mut lit, &mut parts);
                    self.pos += 1;
                    parts.push(Part::Quoted(self.until_quote('\'')?));
                }
                '"' => {
                    flush(&mut lit, &mut parts);
                    self.pos += 1;
                    parts.push(Part::Double(self.double_quoted()?));
                }
                '\\' => match self.at(self.pos + 1) {
                    None => return Err(ParseError::Incomplete),
                    Some(n) => {
                        flush(&mut lit, &mut parts);
                        self.pos += 2;
                        parts.push(Part::Quoted(n.to_string()));
                    }
                },
                '$' => {
                    if let Some(p) = self.dollar(false)? {
                        flush(&mut lit, &mut parts);
                        parts.push(p);
                    } else {
                        lit.push('$');
                        self.pos += 1;
                    }
                }
                '`' => {
                    flush(&mut lit, &mut parts);
                    parts.push(self.backtick()?);
                }
                c => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush(&mut lit, &mut parts);
        Ok(Word(parts))
    }

    /// `$((...))` after the `$((`: the text up to the matching `))`, with expansions.
    fn arith_body(&mut self) -> R<Word> {
        self.arith_until(false)
    }

    /// [`Parser::arith_body`], or with `semi`, the text up to a `;` outside parentheses (the
    /// first two parts of `for (( init; cond; step ))`).
    fn arith_until(&mut self, semi: bool) -> R<Word> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut depth = 0usize;
        loop {
            let Some(c) = self.cur() else {
                return Err(ParseError::Incomplete);
            };
            match c {
                ';' if semi && depth == 0 => {
                    self.pos += 1;
                    break;
                }
                ')' if depth == 0 => {
                    if self.at(self.pos + 1) == Some(')') {
                        self.pos += 2;
                        break;
                    }
                    return Err(ParseError::Unexpected(")".into()));
                }
                '(' => {
                    depth += 1;
                    lit.push(c);
                    self.pos += 1;
                }
                ')' => {
                    depth -= 1;
                    lit.push(c);
                    self.pos += 1;
                }
                '$' => {
                    if let Some(p) = self.dollar(true)? {
                        flush_q(&mut lit, &mut parts);
                        parts.push(p);
                    } else {
                        lit.push('$');
                        self.pos += 1;
                    }
                }
                '`' => {
                    flush_q(&mut lit, &mut parts);
                    parts.push(self.backtick()?);
                }
                c => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush_q(&mut lit, &mut parts);
        Ok(Word(parts))
    }

    /// `` `...` ``: the text to the closing backtick, parsed as a script.
    fn backtick(&mut self) -> R<Part> {
        self.pos += 1;
        let mut text = String::new();
        loop {
            let Some(c) = self.cur() else {
                return Err(ParseError::Incomplete);
            };
            self.pos += 1;
            match c {
                '`' => break,
                '\\' => match self.cur() {
                    Some(n @ ('$' | '`' | '\\')) => {
                        text.push(n);
                        self.pos += 1;
                    }
                    _ => text.push('\\'),
                },
                c => text.push(c),
            }
        }
        self.enter()?;
        let mut inner = Parser::new(&text);
        inner.depth = self.depth;
        let list = inner.list(Stop::Eof)?;
        match inner.peek()? {
            Tok::Eof => {}
            t => return Err(ParseError::Unexpected(t.text())),
        }
        self.leave();
        Ok(Part::CmdSub(list))
    }

    // -------------------------------------------------------------- grammar

    fn skip_newlines(&mut self) -> R<()> {
        while self.peek()? == Tok::Newline {
            self.next()?;
        }
        Ok(())
    }

    fn at_stop(&mut self, stop: Stop) -> R<bool> {
        let t = self.peek()?;
        Ok(match (&t, stop) {
            (Tok::Eof, _) => true,
            (Tok::Op(")"), Stop::Paren | Stop::CaseArm) => true,
            (Tok::Op(";;"), Stop::CaseArm) => true,
            (_, Stop::Words(ws)) => t.reserved().is_some_and(|r| ws.contains(&r)),
            (_, Stop::CaseArm) => t.reserved() == Some("esac"),
            _ => false,
        })
    }

    /// A list of and-or lists, up to `stop` (not consumed).
    fn list(&mut self, stop: Stop) -> R<List> {
        let mut items = Vec::new();
        loop {
            if stop == Stop::Eof {
                self.top_newlines()?;
            } else {
                self.skip_newlines()?;
            }
            if self.at_stop(stop)? {
                break;
            }
            let mut item = self.and_or()?;
            match self.peek()? {
                Tok::Op(";") => {
                    self.next()?;
                }
                Tok::Op("&") => {
                    self.next()?;
                    item.background = true;
                }
                Tok::Newline if stop == Stop::Eof => self.top_newlines()?,
                Tok::Newline => {
                    self.next()?;
                }
                _ => {
                    items.push(item);
                    if self.at_stop(stop)? {
                        break;
                    }
                    let t = self.peek()?;
                    return Err(ParseError::Unexpected(t.text()));
                }
            }
            items.push(item);
        }
        if stop == Stop::Eof && self.peek()? != Tok::Eof {
            let t = self.peek()?;
            return Err(ParseError::Unexpected(t.text()));
        }
        Ok(Rc::new(items))
    }

    /// A non-empty list for a compound command's body.
    fn body(&mut self, stop: Stop) -> R<List> {
        let l = self.list(stop)?;
        if l.is_empty() {
            let t = self.peek()?;
            return Err(match (t, stop) {
                (Tok::Eof, Stop::Words(ws)) => self.ended_in(Open::Word(ws[ws.len() - 1])),
                (Tok::Eof, Stop::Paren) => self.ended_in(Open::Word(")")),
                (Tok::Eof, _) => ParseError::Incomplete,
                (t, _) => ParseError::Unexpected(t.text()),
            });
        }
        Ok(l)
    }

    fn and_or(&mut self) -> R<AndOr> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let and = match self.peek()? {
                Tok::Op("&&") => true,
                Tok::Op("||") => false,
                _ => break,
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((and, self.pipeline()?));
        }
        Ok(AndOr {
            first,
            rest,
            background: false,
        })
    }

    fn pipeline(&mut self) -> R<Pipeline> {
        let mut bang = false;
        while self.peek()?.reserved() == Some("!") {
            self.next()?;
            bang = !bang;
        }
        let mut cmds = vec![Rc::new(self.command()?)];
        loop {
            match self.peek()? {
                Tok::Op("|") | Tok::Op("|&") => {}
                _ => break,
            }
            let t = self.next()?;
            if t == Tok::Op("|&") {
                // `a |& b` is `a 2>&1 | b`
                if let Some(Command::Simple(s)) = cmds.last_mut().and_then(Rc::get_mut) {
                    s.redirs.push(Redir {
                        fd: 2,
                        op: RedirOp::Dup,
                        target: Word::lit("1"),
                    });
                }
            }
            self.skip_newlines()?;
            cmds.push(Rc::new(self.command()?));
        }
        Ok(Pipeline { bang, cmds })
    }

    fn unexpected<T>(&mut self) -> R<T> {
        match self.peek()? {
            Tok::Eof => Err(ParseError::Incomplete),
            t => Err(ParseError::Unexpected(t.text())),
        }
    }

    /// `(( ))`, `[[ ]]` or `function name`, if one comes next. (Apart from
    /// [`Parser::command`], whose stack frame every nested `$(...)` repeats.)
    #[inline(never)]
    fn bash_command(&mut self) -> R<Option<Command>> {
        if self.ahead("((") {
            if let Some(w) = self.try_arith_command()? {
                let redirs = self.redirs()?;
                return Ok(Some(Command::Compound(Compound::Arith(w), redirs)));
            }
        }
        let Tok::Word(w) = self.peek()? else {
            return Ok(None);
        };
        match w.as_literal() {
            Some("[[") => {
                self.next()?;
                self.enter()?;
                let c = self.cond_or()?;
                match self.cond_tok()? {
                    CondTok::End => {}
                    CondTok::Eof => return Err(ParseError::Incomplete),
                    t => return Err(ParseError::Unexpected(t.text())),
                }
                self.leave();
                let redirs = self.redirs()?;
                Ok(Some(Command::Compound(Compound::Cond(Rc::new(c)), redirs)))
            }
            Some("function") => {
                self.next()?;
                self.function_keyword().map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Whether the next token (after blanks) starts with `s`, looking at the raw text.
    fn ahead(&mut self, s: &str) -> bool {
        let (pos, peeked) = (self.pos, self.peeked.clone());
        self.skip_blanks();
        let yes = self.starts_with(s);
        self.pos = pos;
        self.peeked = peeked;
        yes
    }

    /// At `((`: the arithmetic command, or `None` (and nothing consumed) when the text is a
    /// subshell in a subshell after all, as bash decides: `((echo a); echo b)`.
    fn try_arith_command(&mut self) -> R<Option<Word>> {
        let (pos, peeked, resume) = (self.pos, self.peeked.clone(), self.resume);
        self.peeked = None;
        self.skip_blanks();
        self.pos += 2;
        match self.arith_body() {
            Ok(w) => Ok(Some(w)),
            Err(ParseError::Incomplete) => Err(ParseError::Incomplete),
            Err(_) => {
                self.pos = pos;
                self.peeked = peeked;
                self.resume = resume;
                Ok(None)
            }
        }
    }

    /// `function name [()] compound-command`, after `function`.
    fn function_keyword(&mut self) -> R<Command> {
        let name = match self.next()? {
            Tok::Word(w) => match w.as_literal() {
                Some(n) => n.to_string(),
                None => return Err(ParseError::Unexpected(word_text(&w))),
            },
            Tok::Eof => return Err(ParseError::Incomplete),
            t => return Err(ParseError::Unexpected(t.text())),
        };
        if self.peek()? == Tok::Op("(") {
            self.next()?;
            return self.function_body(name);
        }
        self.function_body_after_parens(name)
    }

    /// After a function's name and `(`: the `)`, then its body (a compound command).
    fn function_body(&mut self, name: String) -> R<Command> {
        match self.next()? {
            Tok::Op(")") => {}
            Tok::Eof => return Err(ParseError::Incomplete),
            t => return Err(ParseError::Unexpected(t.text())),
        }
        self.function_body_after_parens(name)
    }

    fn function_body_after_parens(&mut self, name: String) -> R<Command> {
        self.skip_newlines()?;
        self.enter()?;
        let body = self.command()?;
        self.leave();
        if !matches!(body, Command::Compound(..)) {
            return self.unexpected();
        }
        Ok(Command::Function(name, Rc::new(body)))
    }

    // ------------------------------------------------------------ [[ ... ]]

    /// The next token inside `[[ ... ]]`, where `<`, `>`, `(`, `)` are not redirections or
    /// subshells and newlines are blanks.
    fn cond_tok(&mut self) -> R<CondTok> {
        if let Some((t, pos)) = self.cond_peeked.take() {
            self.pos = pos;
            return Ok(t);
        }
        self.peeked = None;
        loop {
            self.skip_blanks();
            if self.cur() == Some('\n') {
                self.pos += 1;
                if let Some(r) = self.resume.take() {
                    self.pos = r;
                }
                continue;
            }
            break;
        }
        let Some(c) = self.cur() else {
            return Ok(CondTok::Eof);
        };
        let word_ends = |p: &Parser, at: usize| p.at(at).is_none_or(is_meta);
        if self.starts_with("]]") && word_ends(self, self.pos + 2) {
            self.pos += 2;
            return Ok(CondTok::End);
        }
        for (op, t) in [("&&", CondTok::And), ("||", CondTok::Or)] {
            if self.starts_with(op) {
                self.pos += 2;
                return Ok(t);
            }
        }
        match c {
            '(' => {
                self.pos += 1;
                Ok(CondTok::Open)
            }
            ')' => {
                self.pos += 1;
                Ok(CondTok::Close)
            }
            '<' | '>' => {
                self.pos += 1;
                Ok(CondTok::Word(Word::lit(&c.to_string())))
            }
            '!' if word_ends(self, self.pos + 1) => {
                self.pos += 1;
                Ok(CondTok::Not)
            }
            ';' | '&' | '|' => Err(ParseError::Unexpected(c.to_string())),
            _ => Ok(CondTok::Word(self.word()?)),
        }
    }

    fn cond_peek(&mut self) -> R<CondTok> {
        let pos = self.pos;
        let t = self.cond_tok()?;
        self.cond_peeked = Some((t.clone(), self.pos));
        self.pos = pos;
        Ok(t)
    }

    fn cond_or(&mut self) -> R<Cond> {
        self.cond_chain(CondTok::Or, Self::cond_and, Cond::Or)
    }

    fn cond_and(&mut self) -> R<Cond> {
        self.cond_chain(CondTok::And, Self::cond_not, Cond::And)
    }

    /// `operand (op operand)*`, grouped from the left.
    fn cond_chain(
        &mut self,
        op: CondTok,
        operand: fn(&mut Self) -> R<Cond>,
        join: fn(Box<Cond>, Box<Cond>) -> Cond,
    ) -> R<Cond> {
        let mut c = operand(self)?;
        while self.cond_peek()? == op {
            self.cond_tok()?;
            c = join(Box::new(c), Box::new(operand(self)?));
        }
        Ok(c)
    }

    fn cond_not(&mut self) -> R<Cond> {
        if self.cond_peek()? == CondTok::Not {
            self.cond_tok()?;
            return Ok(Cond::Not(Box::new(self.cond_not()?)));
        }
        self.cond_primary()
    }

    fn cond_primary(&mut self) -> R<Cond> {
        self.enter()?;
        let c = match self.cond_tok()? {
            CondTok::Open => {
                let c = self.cond_or()?;
                match self.cond_tok()? {
                    CondTok::Close => c,
                    CondTok::Eof => return Err(ParseError::Incomplete),
                    t => return Err(ParseError::Unexpected(t.text())),
                }
            }
            CondTok::Word(w) => {
                let text = w.as_literal().unwrap_or("").to_string();
                let next = self.cond_peek()?;
                if COND_UNARY.contains(&text.as_str()) && matches!(next, CondTok::Word(_)) {
                    let CondTok::Word(arg) = self.cond_tok()? else {
                        unreachable!("peeked a word")
                    };
                    Cond::Unary(text, arg)
                } else if let CondTok::Word(op) = &next {
                    let op = op.as_literal().unwrap_or("").to_string();
                    if !COND_BINARY.contains(&op.as_str()) {
                        return Err(ParseError::Unexpected(word_text(&w.clone())));
                    }
                    self.cond_tok()?;
                    let rhs = if op == "=~" {
                        self.regex_word()?
                    } else {
                        match self.cond_tok()? {
                            CondTok::Word(r) => r,
                            CondTok::Eof => return Err(ParseError::Incomplete),
                            t => return Err(ParseError::Unexpected(t.text())),
                        }
                    };
                    Cond::Binary(w, op, rhs)
                } else {
                    Cond::Word(w)
                }
            }
            CondTok::Eof => return Err(ParseError::Incomplete),
            t => return Err(ParseError::Unexpected(t.text())),
        };
        self.leave();
        Ok(c)
    }

    /// The right side of `=~`: a word in which `(`, `)`, `|`, `<` and `>` are part of the
    /// regular expression (a `)` closes a group of it, or else ends the word).
    fn regex_word(&mut self) -> R<Word> {
        self.skip_blanks();
        let mut parts = Vec::new();
        let mut depth = 0usize;
        loop {
            parts.extend(self.word()?.0);
            let c = match self.cur() {
                Some(c @ ('(' | '|' | '<' | '>')) => c,
                Some(')') if depth > 0 => ')',
                _ => break,
            };
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            self.pos += 1;
            parts.push(Part::Lit(c.to_string()));
        }
        if parts.is_empty() {
            return match self.cond_tok()? {
                CondTok::Eof => Err(ParseError::Incomplete),
                t => Err(ParseError::Unexpected(t.text())),
            };
        }
        Ok(Word(parts))
    }

    fn expect_word(&mut self, w: &'static str) -> R<()> {
        match self.peek()? {
            t if t.reserved() == Some(w) => {
                self.next()?;
                Ok(())
            }
            Tok::Eof => Err(self.ended_in(Open::Word(w))),
            t => Err(ParseError::Unexpected(t.text())),
        }
    }

    fn command(&mut self) -> R<Command> {
        if let Some(c) = self.bash_command()? {
            return Ok(c);
        }
        let t = self.peek()?;
        let compound = match t.reserved() {
            Some("if") => Some(self.if_clause()?),
            Some("while") | Some("until") => Some(self.loop_clause()?),
            Some("for") => Some(self.for_clause()?),
            Some("case") => Some(self.case_clause()?),
            Some("{") => {
                self.next()?;
                self.enter()?;
                let body = self.body(Stop::Words(&["}"]))?;
                self.expect_word("}")?;
                self.leave();
                Some(Compound::Brace(body))
            }
            Some(w @ ("then" | "elif" | "else" | "fi" | "do" | "done" | "esac" | "}" | "in")) => {
                return Err(ParseError::Unexpected(w.to_string()))
            }
            _ => None,
        };
        if let Some(c) = compound {
            let redirs = self.redirs()?;
            return Ok(Command::Compound(c, redirs));
        }
        if t == Tok::Op("(") {
            self.next()?;
            self.enter()?;
            let body = self.body(Stop::Paren)?;
            match self.next()? {
                Tok::Op(")") => {}
                Tok::Eof => return Err(self.ended_in(Open::Word(")"))),
                t => return Err(ParseError::Unexpected(t.text())),
            }
            self.leave();
            let redirs = self.redirs()?;
            return Ok(Command::Compound(Compound::Subshell(body), redirs));
        }
        self.simple()
    }

    fn redirs(&mut self) -> R<Vec<Redir>> {
        let mut v = Vec::new();
        while let Some(r) = self.redir()? {
            v.push(r);
        }
        Ok(v)
    }

    /// A redirection, if one comes next.
    fn redir(&mut self) -> R<Option<Redir>> {
        let t = self.peek()?;
        let (fd, op) = match t {
            Tok::IoNumber(n) => {
                self.next()?;
                match self.next()? {
                    Tok::Op(op) => (Some(n), op),
                    t => return Err(ParseError::Unexpected(t.text())),
                }
            }
            Tok::Op(
                op @ (">" | ">>" | "<" | "<<" | "<<-" | "<<<" | ">&" | "<&" | "&>" | "&>>" | ">|"),
            ) => {
                self.next()?;
                (None, op)
            }
            _ => return Ok(None),
        };
        let target = match self.next()? {
            Tok::Word(w) => w,
            Tok::Eof => return Err(ParseError::Incomplete),
            t => return Err(ParseError::Unexpected(t.text())),
        };
        let r = match op {
            ">" | ">|" => Redir {
                fd: fd.unwrap_or(1),
                op: RedirOp::Out,
                target,
            },
            ">>" => Redir {
                fd: fd.unwrap_or(1),
                op: RedirOp::Append,
                target,
            },
            "<" => Redir {
                fd: fd.unwrap_or(0),
                op: RedirOp::In,
                target,
            },
            "<<<" => Redir {
                fd: fd.unwrap_or(0),
                op: RedirOp::HereString,
                target,
            },
            ">&" | "<&" => {
                let default = if op == ">&" { 1 } else { 0 };
                match target.as_literal() {
                    Some(s) if s == "-" || s.chars().all(|c| c.is_ascii_digit()) => Redir {
                        fd: fd.unwrap_or(default),
                        op: RedirOp::Dup,
                        target,
                    },
                    // `>&file` is `&>file`
                    _ if fd.is_none() && op == ">&" => Redir {
                        fd: 1,
                        op: RedirOp::Both { append: false },
                        target,
                    },
                    _ => Redir {
                        fd: fd.unwrap_or(default),
                        op: RedirOp::Dup,
                        target,
                    },
                }
            }
            "&>" | "&>>" => Redir {
                fd: 1,
                op: RedirOp::Both {
                    append: op == "&>>",
                },
                target,
            },
            _ => {
                // heredoc
                let strip = op == "<<-";
                let quoted = target.has_quotes();
                let delim = unquoted_text(&target);
                let body = self.heredoc_body(&delim, strip)?;
                let word = if quoted {
                    Word(vec![Part::Quoted(body)])
                } else {
                    let mut p = Parser::new(&body);
                    p.depth = self.depth;
                    Word(vec![Part::Double(p.heredoc_parts()?)])
                };
                Redir {
                    fd: fd.unwrap_or(0),
                    op: RedirOp::Heredoc,
                    target: word,
                }
            }
        };
        Ok(Some(r))
    }

    /// Read a heredoc body from the line after the current one (or after the previous heredoc
    /// of this line).
    fn heredoc_body(&mut self, delim: &str, strip: bool) -> R<String> {
        let body = self.heredoc_lines(delim, strip);
        if body == Err(ParseError::Incomplete) {
            self.open_heredoc = Some(HeredocEnd {
                delim: delim.to_string(),
                strip,
            });
        }
        body
    }

    fn heredoc_lines(&mut self, delim: &str, strip: bool) -> R<String> {
        let mut i = match self.resume {
            Some(r) => r,
            None => {
                let mut i = self.pos;
                while self.at(i).is_some_and(|c| c != '\n') {
                    i += 1;
                }
                if self.at(i).is_none() {
                    return Err(ParseError::Incomplete);
                }
                i + 1
            }
        };
        let mut body = String::new();
        loop {
            if i >= self.src.len() {
                return Err(ParseError::Incomplete);
            }
            let start = i;
            while self.at(i).is_some_and(|c| c != '\n') {
                i += 1;
            }
            let line: String = self.src[start..i].iter().collect();
            let has_nl = self.at(i).is_some();
            let line = if strip {
                line.trim_start_matches('\t').to_string()
            } else {
                line
            };
            if line == delim {
                self.resume = Some(if has_nl { i + 1 } else { i });
                return Ok(body);
            }
            if !has_nl {
                return Err(ParseError::Incomplete);
            }
            body.push_str(&line);
            body.push('\n');
            i += 1;
        }
    }

    /// A heredoc body's expansions: `$`, backticks, and `\` before `$`, `` ` ``, `\` or newline.
    fn heredoc_parts(&mut self) -> R<Vec<Part>> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.cur() {
            match c {
                '\\' => match self.at(self.pos + 1) {
                    Some('\n') => self.pos += 2,
                    Some(n @ ('$' | '`' | '\\')) => {
                        lit.push(n);
                        self.pos += 2;
                    }
                    _ => {
                        lit.push('\\');
                        self.pos += 1;
                    }
                },
                '$' => {
                    if let Some(p) = self.dollar(true)? {
                        flush_q(&mut lit, &mut parts);
                        parts.push(p);
                    } else {
                        lit.push('$');
                        self.pos += 1;
                    }
                }
                '`' => {
                    flush_q(&mut lit, &mut parts);
                    parts.push(self.backtick()?);
                }
                c => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        flush_q(&mut lit, &mut parts);
        Ok(parts)
    }

    fn simple(&mut self) -> R<Command> {
        let mut s = Simple {
            line: self.line_here(),
            ..Simple::default()
        };
        loop {
            if let Some(r) = self.redir()? {
                s.redirs.push(r);
                continue;
            }
            match self.peek()? {
                Tok::Word(w) => {
                    self.next()?;
                    if let Some(f) = self.simple_word(&mut s, w)? {
                        return Ok(f);
                    }
                }
                Tok::Op("(") if !s.words.is_empty() => {
                    return Err(ParseError::Unexpected("(".into()));
                }
                _ => break,
            }
        }
        if s.words.is_empty() && s.assigns.is_empty() && s.redirs.is_empty() {
            return self.unexpected();
        }
        Ok(Command::Simple(s))
    }

    /// A word of a simple command: an assignment (`a=(...)` read here), the start of a
    /// function definition (returned whole), or an argument. (Apart from
    /// [`Parser::simple`], whose stack frame every nested `$(...)` repeats.)
    #[inline(never)]
    fn simple_word(&mut self, s: &mut Simple, w: Word) -> R<Option<Command>> {
        // `a=(x y)` (also after `declare`, `local`...: made once it has run).
        let declaring =
            s.words.first().and_then(Word::as_literal).is_some_and(|c| {
                matches!(c, "declare" | "typeset" | "local" | "readonly" | "export")
            });
        if s.words.is_empty() || declaring {
            if let Some(mut a) = split_assignment(&w) {
                let empty = matches!(&a.value, AssignValue::Scalar(v) if v.0.is_empty());
                if empty && a.index.is_none() && self.cur() == Some('(') {
                    a.value = AssignValue::Array(self.array_literal()?);
                } else if declaring {
                    s.words.push(w);
                    return Ok(None);
                }
                if declaring {
                    s.words.push(Word::lit(&a.name));
                    a.after = true;
                }
                s.assigns.push(a);
                return Ok(None);
            }
        }
        if s.words.is_empty() {
            // `name() { ...; }`
            if s.assigns.is_empty() && self.peek()? == Tok::Op("(") {
                if let Some(name) = w.as_literal().map(str::to_string) {
                    self.next()?;
                    return self.function_body(name).map(Some);
                }
            }
        }
        s.words.push(w);
        Ok(None)
    }

    fn if_clause(&mut self) -> R<Compound> {
        self.next()?; // if
        self.enter()?;
        let mut clauses = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.body(Stop::Words(&["then"]))?;
            self.expect_word("then")?;
            let then = self.body(Stop::Words(&["elif", "else", "fi"]))?;
            clauses.push((cond, then));
            let t = self.next()?;
            match t.reserved() {
                Some("elif") => continue,
                Some("else") => {
                    otherwise = Some(self.body(Stop::Words(&["fi"]))?);
                    self.expect_word("fi")?;
                    break;
                }
                Some("fi") => break,
                _ if t == Tok::Eof => return Err(self.ended_in(Open::Word("fi"))),
                _ => return Err(ParseError::Unexpected(t.text())),
            }
        }
        self.leave();
        Ok(Compound::If { clauses, otherwise })
    }

    fn loop_clause(&mut self) -> R<Compound> {
        let until = self.next()?.reserved() == Some("until");
        self.enter()?;
        let cond = self.body(Stop::Words(&["do"]))?;
        let body = self.do_group()?;
        self.leave();
        Ok(Compound::Loop { until, cond, body })
    }

    fn for_clause(&mut self) -> R<Compound> {
        self.next()?; // for
        self.enter()?;
        if self.ahead("((") {
            self.peeked = None;
            self.skip_blanks();
            self.pos += 2;
            let init = self.arith_until(true)?;
            let cond = self.arith_until(true)?;
            let step = self.arith_body()?;
            if self.peek()? == Tok::Op(";") {
                self.next()?;
            }
            self.skip_newlines()?;
            let body = self.do_group()?;
            self.leave();
            return Ok(Compound::ArithFor(Box::new(ArithFor {
                init,
                cond,
                step,
                body,
            })));
        }
        let var = match self.next()? {
            Tok::Word(w) => match w.as_literal() {
                Some(s)
                    if s.chars().next().is_some_and(is_name_start)
                        && s.chars().all(is_name_char) =>
                {
                    s.to_string()
                }
                _ => {
                    return Err(ParseError::Unexpected(format!(
                        "`{}': not a valid identifier",
                        word_text(&w)
                    )))
                }
            },
            Tok::Eof => return Err(ParseError::Incomplete),
            t => return Err(ParseError::Unexpected(t.text())),
        };
        let mut words = None;
        // optional newlines, then `in words` or `do`
        self.skip_newlines()?;
        if self.peek()?.reserved() == Some("in") {
            self.next()?;
            let mut ws = Vec::new();
            while let Tok::Word(w) = self.peek()? {
                self.next()?;
                ws.push(w);
            }
            words = Some(ws);
            match self.peek()? {
                Tok::Op(";") | Tok::Newline => {
                    self.next()?;
                }
                Tok::Eof => return Err(ParseError::Incomplete),
                t => return Err(ParseError::Unexpected(t.text())),
            }
        } else if self.peek()? == Tok::Op(";") {
            self.next()?;
        }
        self.skip_newlines()?;
        let body = self.do_group()?;
        self.leave();
        Ok(Compound::For { var, words, body })
    }

    /// `do list done`, a loop's body.
    fn do_group(&mut self) -> R<List> {
        self.expect_word("do")?;
        let body = self.body(Stop::Words(&["done"]))?;
        self.expect_word("done")?;
        Ok(body)
    }

    fn case_clause(&mut self) -> R<Compound> {
        self.next()?; // case
        self.enter()?;
        let word = match self.next()? {
            Tok::Word(w) => w,
            Tok::Eof => return Err(ParseError::Incomplete),
            t => return Err(ParseError::Unexpected(t.text())),
        };
        self.skip_newlines()?;
        self.expect_word("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek()?.reserved() == Some("esac") {
                self.next()?;
                break;
            }
            if self.peek()? == Tok::Op("(") {
                self.next()?;
            }
            let mut pats = Vec::new();
            loop {
                match self.next()? {
                    Tok::Word(w) => pats.push(w),
                    Tok::Eof => return Err(self.ended_in(Open::Word(")"))),
                    t => return Err(ParseError::Unexpected(t.text())),
                }
                match self.next()? {
                    Tok::Op("|") => continue,
                    Tok::Op(")") => break,
                    Tok::Eof => return Err(self.ended_in(Open::Word(")"))),
                    t => return Err(ParseError::Unexpected(t.text())),
                }
            }
            let body = self.list(Stop::CaseArm)?;
            arms.push((pats, body));
            match self.peek()? {
                Tok::Op(";;") => {
                    self.next()?;
                }
                Tok::Eof => return Err(self.ended_in(Open::Word(";;"))),
                t if t.reserved() == Some("esac") => {}
                t => return Err(ParseError::Unexpected(t.text())),
            }
        }
        self.leave();
        Ok(Compound::Case { word, arms })
    }
}

fn flush(lit: &mut String, parts: &mut Vec<Part>) {
    if !lit.is_empty() {
        parts.push(Part::Lit(std::mem::take(lit)));
    }
}

/// Inside double quotes, text is quoted.
fn flush_q(lit: &mut String, parts: &mut Vec<Part>) {
    if !lit.is_empty() {
        parts.push(Part::Quoted(std::mem::take(lit)));
    }
}

/// The text of a word with its quotes removed (for heredoc delimiters).
fn unquoted_text(w: &Word) -> String {
    word_text(w)
}

/// `NAME=value` at the start of a simple command.
/// `[key]=value` inside `a=( ... )`: the key and the value.
pub(crate) fn split_element(w: &Word) -> Option<(Word, Word)> {
    let Some(Part::Lit(first)) = w.0.first() else {
        return None;
    };
    if !first.starts_with('[') {
        return None;
    }
    let mut parts = vec![Part::Lit(format!("x{first}"))];
    parts.extend(w.0[1..].iter().cloned());
    let a = split_assignment(&Word(parts))?;
    match (a.index, a.value, a.append) {
        (Some(k), AssignValue::Scalar(v), false) => Some((k, v)),
        _ => None,
    }
}

/// `name=value`, `name+=value`, `name[index]=value` or `name[index]+=value` (the index may
/// hold expansions: `a[$i]=x`). The value of `a=(...)` comes after, from the parser.
fn split_assignment(w: &Word) -> Option<Assign> {
    let Some(Part::Lit(first)) = w.0.first() else {
        return None;
    };
    let name_len = first
        .char_indices()
        .find(|&(i, c)| {
            !(if i == 0 {
                is_name_start(c)
            } else {
                is_name_char(c)
            })
        })
        .map_or(first.len(), |(i, _)| i);
    if name_len == 0 {
        return None;
    }
    let name = first[..name_len].to_string();
    // The rest of the word after the name: its first part's remaining text, then the others.
    let mut rest: Vec<Part> = vec![Part::Lit(first[name_len..].to_string())];
    rest.extend(w.0[1..].iter().cloned());
    let mut index = None;
    if first[name_len..].starts_with('[') {
        // The subscript runs to the matching `]`, which `=` or `+=` must follow.
        let mut sub = Vec::new();
        let mut depth = 0usize;
        let mut after = None;
        'parts: for (k, p) in rest.iter().enumerate() {
            let Part::Lit(t) = p else {
                sub.push(p.clone());
                continue;
            };
            let t = if k == 0 { &t[1..] } else { t.as_str() };
            let mut lit = String::new();
            for (i, c) in t.char_indices() {
                match c {
                    '[' => depth += 1,
                    ']' if depth == 0 => {
                        if !lit.is_empty() {
                            sub.push(Part::Lit(std::mem::take(&mut lit)));
                        }
                        let mut tail = vec![Part::Lit(t[i + 1..].to_string())];
                        tail.extend(rest[k + 1..].iter().cloned());
                        after = Some(tail);
                        break 'parts;
                    }
                    ']' => depth -= 1,
                    _ => {}
                }
                lit.push(c);
            }
            if !lit.is_empty() {
                sub.push(Part::Lit(lit));
            }
        }
        rest = after?;
        index = Some(Word(sub));
    }
    let Some(Part::Lit(op_text)) = rest.first() else {
        return None;
    };
    let (append, skip) = if op_text.starts_with("+=") {
        (true, 2)
    } else if op_text.starts_with('=') {
        (false, 1)
    } else {
        return None;
    };
    let mut parts = Vec::new();
    if op_text.len() > skip {
        parts.push(Part::Lit(op_text[skip..].to_string()));
    }
    parts.extend(rest[1..].iter().cloned());
    Some(Assign {
        name,
        index,
        append,
        after: false,
        value: AssignValue::Scalar(Word(parts)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As a terminal feeds it: the typed text and the newline of the Enter key.
    fn err(src: &str) -> ParseError {
        parse(&format!("{src}\n")).expect_err(src)
    }

    #[test]
    fn incomplete_inputs() {
        for src in [
            "echo 'abc",
            "echo \"abc",
            "echo abc |",
            "echo a &&",
            "echo a ||",
            "if true; then echo",
            "if true; then echo x; fi; while true",
            "for i in 1 2; do echo $i",
            "cat <<EOF\nhello",
            "cat <<EOF",
            "echo $(echo a",
            "echo `echo a",
            "echo \\",
            "{ echo a",
            "( echo a",
            "case x in a) echo",
            "echo ${x",
            "f() {",
        ] {
            assert_eq!(err(src), ParseError::Incomplete, "{src:?}");
        }
    }

    #[test]
    fn syntax_errors_name_the_token() {
        for (src, tok) in [
            ("|", "|"),
            ("| grep x", "|"),
            ("echo a ;; echo", ";;"),
            ("&& echo", "&&"),
            (";", ";"),
            ("echo >", "newline"),
            ("echo a )", ")"),
            ("fi", "fi"),
            ("then", "then"),
            ("if true; fi", "fi"),
            ("echo a | | b", "|"),
            ("done", "done"),
            ("()", ")"),
        ] {
            assert_eq!(
                err(src).message(),
                format!("syntax error near unexpected token `{tok}'"),
                "{src:?}"
            );
        }
    }

    #[test]
    fn echo_gt_at_eof_is_newline_error() {
        // bash: `echo >` then Enter says "near unexpected token `newline'".
        assert_eq!(err("echo >\n"), ParseError::Unexpected("newline".into()));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut s = String::from("echo x");
        for _ in 0..200 {
            s = format!("echo $({s})");
        }
        assert_eq!(err(&s), ParseError::TooDeep);
        let mut s = String::from("echo x");
        for _ in 0..50 {
            s = format!("echo $({s})");
        }
        assert!(parse(&s).is_ok());
    }

    #[test]
    fn heredocs() {
        let l = parse("cat <<EOF\nhello $USER\nEOF\necho after").unwrap();
        assert_eq!(l.len(), 2);
        let l = parse("cat <<-'EOF' >out\n\tx $y\n\tEOF\n").unwrap();
        let Command::Simple(s) = &*l[0].first.cmds[0] else {
            panic!()
        };
        assert_eq!(
            s.redirs[0].target,
            Word(vec![Part::Quoted("x $y\n".into())])
        );
        assert_eq!(s.redirs[1].op, RedirOp::Out);
        // two heredocs on one line
        let l = parse("cat <<A; cat <<B\na\nA\nb\nB\necho done").unwrap();
        assert_eq!(l.len(), 3);
    }

    #[test]
    fn words_and_quotes() {
        let l = parse(r#"echo 'a b' "c $d" e\ f # comment"#).unwrap();
        let Command::Simple(s) = &*l[0].first.cmds[0] else {
            panic!()
        };
        assert_eq!(s.words.len(), 4);
        let l = parse("A=1 B=2 env").unwrap();
        let Command::Simple(s) = &*l[0].first.cmds[0] else {
            panic!()
        };
        assert_eq!(s.assigns.len(), 2);
        assert_eq!(s.words.len(), 1);
    }

    #[test]
    fn a_megabyte_line_parses() {
        let s = format!("echo {}", "x".repeat(1 << 20));
        assert!(parse(&s).is_ok());
    }
}
