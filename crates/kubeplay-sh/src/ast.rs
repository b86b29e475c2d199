//! The syntax tree of a parsed script. Lists and commands sit behind `Rc` so that the
//! interpreter's frames can hold on to the part they are running without borrowing the tree.

use std::rc::Rc;

/// A list of and-or lists, separated by `;`, `&` or newlines.
pub type List = Rc<Vec<AndOr>>;

#[derive(Debug, Clone, PartialEq)]
pub struct AndOr {
    pub first: Pipeline,
    /// `&&` (true) or `||` (false), each followed by a pipeline.
    pub rest: Vec<(bool, Pipeline)>,
    /// Ended by `&`.
    pub background: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub bang: bool,
    pub cmds: Vec<Rc<Command>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Simple(Simple),
    Compound(Compound, Vec<Redir>),
    /// `name() { ...; }`
    Function(String, Rc<Command>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Simple {
    pub assigns: Vec<Assign>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    /// The line it starts on, from 1 (`$LINENO`, and `script: line N:` in a script's errors).
    pub line: u32,
}

/// `name=value`, `name+=value`, `name[i]=value`, `name=(a b c)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assign {
    pub name: String,
    pub index: Option<Word>,
    /// `+=`
    pub append: bool,
    /// An array assignment of a declaration command (`declare -A m=([k]=v)`, `local a=(x
    /// y)`): made once the command has run, on the variable it declared.
    pub after: bool,
    pub value: AssignValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AssignValue {
    Scalar(Word),
    /// `(a b [k]=v)`: each word is expanded as a command's arguments are, except `[k]=v`.
    Array(Vec<Word>),
}

impl Assign {
    /// Every word in it, in the order they are expanded.
    pub fn words(&self) -> impl Iterator<Item = &Word> {
        let value: &[Word] = match &self.value {
            AssignValue::Scalar(w) => std::slice::from_ref(w),
            AssignValue::Array(ws) => ws,
        };
        self.index.iter().chain(value)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Compound {
    Brace(List),
    Subshell(List),
    If {
        clauses: Vec<(List, List)>,
        otherwise: Option<List>,
    },
    Loop {
        until: bool,
        cond: List,
        body: List,
    },
    For {
        var: String,
        words: Option<Vec<Word>>,
        body: List,
    },
    Case {
        word: Word,
        arms: Vec<(Vec<Word>, List)>,
    },
    /// `[[ expression ]]`
    Cond(Rc<Cond>),
    /// `(( expression ))`: true when the value is not 0.
    Arith(Word),
    /// `for (( init; cond; step )); do ...; done` (an empty `cond` is true).
    ArithFor(Box<ArithFor>),
}

/// `for (( init; cond; step )); do body; done`. (Boxed in [`Compound`]: commands sit on
/// the parser's stack at every level of nesting.)
#[derive(Debug, Clone, PartialEq)]
pub struct ArithFor {
    pub init: Word,
    pub cond: Word,
    pub step: Word,
    pub body: List,
}

/// The expression of `[[ ... ]]`. Its words are expanded without splitting or globbing.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// A word alone: true when not empty.
    Word(Word),
    /// `-f file`, `-n word`, `-v name`...
    Unary(String, Word),
    /// `a == pattern`, `a =~ regex`, `a -lt b`, `a < b`...
    Binary(Word, String, Word),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redir {
    pub fd: u32,
    pub op: RedirOp,
    pub target: Word,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RedirOp {
    /// `>` (also `>|`)
    Out,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `n>&m` or `n<&m`; the target word is the fd number or `-`
    Dup,
    /// `&>` and `&>>`: stdout and stderr to a file
    Both { append: bool },
    /// A heredoc; the body is in `target` (literal when the delimiter was quoted).
    Heredoc,
    /// `<<< word`
    HereString,
}

/// A word: parts concatenated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Word(pub Vec<Part>);

#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Unquoted text: subject to brace expansion, tilde expansion and globbing.
    Lit(String),
    /// Text quoted by `'...'`, `\x` or `$'...'`: taken as is.
    Quoted(String),
    /// `"..."`
    Double(Vec<Part>),
    /// `$name`, `${name}`, `${name:-word}` and friends.
    Param(Param),
    /// `$(...)` or backticks.
    CmdSub(List),
    /// `<(...)`: the command's output as a file to read (`/dev/fd/63`).
    ProcSub(List),
    /// `$((...))`, kept as text and evaluated after expanding parameters inside it.
    Arith(Word),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    /// `${a[i]}`, `${a[@]}`, `${a[*]}` (boxed: a `Param` is in every word's parts, on the
    /// parser's stack at each level of nesting).
    pub sub: Option<Box<Subscript>>,
    pub op: ParamOp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Subscript {
    /// `[@]`
    All,
    /// `[*]`
    Star,
    Index(Word),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ParamOp {
    Plain,
    /// `${#name}`
    Length,
    /// `${name:-w}` (colon: true) or `${name-w}`
    Default(bool, Word),
    /// `${name:=w}`
    Assign(bool, Word),
    /// `${name:+w}`
    Alt(bool, Word),
    /// `${name:?w}`
    Error(bool, Word),
    /// `${name#p}` / `${name##p}` (longest: true)
    TrimPrefix(bool, Word),
    /// `${name%p}` / `${name%%p}`
    TrimSuffix(bool, Word),
    /// `${name/p/r}` / `${name//p/r}` (all: true)
    Replace(bool, Word, Word),
    /// `${name^^}` (upper, all), `${name^}`, `${name,,}`, `${name,}`
    Case {
        upper: bool,
        all: bool,
    },
    /// `${name:offset}` / `${name:offset:length}` (arithmetic)
    Substr(Word, Option<Word>),
    /// `${!a[@]}`: an array's indices or keys.
    Keys,
    /// `${!name}`: the variable named by name's value.
    Indirect,
}

impl Word {
    pub fn lit(s: &str) -> Word {
        Word(vec![Part::Lit(s.to_string())])
    }
    /// The word's text when it is a plain literal (no quotes, no expansions).
    pub fn as_literal(&self) -> Option<&str> {
        match self.0.as_slice() {
            [Part::Lit(s)] => Some(s),
            _ => None,
        }
    }
    /// Whether any part of the word was quoted (which, for instance, stops alias expansion
    /// and makes a heredoc delimiter literal).
    pub fn has_quotes(&self) -> bool {
        self.0
            .iter()
            .any(|p| matches!(p, Part::Quoted(_) | Part::Double(_)))
    }
}
