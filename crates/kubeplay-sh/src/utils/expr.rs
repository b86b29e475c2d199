//! coreutils' `expr`: each operator and operand is its own argument. Status 0 when the result
//! is neither empty nor 0, 1 when it is, 2 for a bad expression, as GNU expr 9 does.

use super::{exit, Cx, Outcome};

#[derive(Clone, Debug, PartialEq)]
enum Val {
    Int(i64),
    Str(String),
}

impl Val {
    fn text(&self) -> String {
        match self {
            Val::Int(n) => n.to_string(),
            Val::Str(s) => s.clone(),
        }
    }
    /// A string that reads as an integer counts as one.
    fn int(&self) -> Option<i64> {
        match self {
            Val::Int(n) => Some(*n),
            Val::Str(s) => parse_int(s),
        }
    }
    fn null(&self) -> bool {
        match self {
            Val::Int(n) => *n == 0,
            Val::Str(s) => s.is_empty() || parse_int(s) == Some(0),
        }
    }
}

/// GNU expr's integers: optional sign, then digits only.
fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

struct P<'a> {
    args: &'a [String],
    i: usize,
}

type R = Result<Val, String>;

impl P<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.i).map(String::as_str)
    }
    fn take(&mut self) -> Option<&str> {
        let a = self.args.get(self.i).map(String::as_str);
        self.i += 1;
        a
    }
    fn operand_after(&mut self, op: &str) -> Result<(), String> {
        if self.peek().is_none() {
            return Err(format!("syntax error: missing argument after ‘{op}’"));
        }
        Ok(())
    }
    /// One level of the grammar: `next` operands joined left to right by any of `ops`, each
    /// pair made one value by `join(left, op, right)`.
    fn level(
        &mut self,
        ops: &[&str],
        next: fn(&mut Self) -> R,
        join: fn(Val, &str, Val) -> R,
    ) -> R {
        let mut l = next(self)?;
        while let Some(op) = self.peek().filter(|o| ops.contains(o)) {
            let op = op.to_string();
            self.take();
            self.operand_after(&op)?;
            let r = next(self)?;
            l = join(l, &op, r)?;
        }
        Ok(l)
    }
    /// `|`: the left value unless it is empty or 0, else the right one (or 0).
    fn or(&mut self) -> R {
        self.level(&["|"], Self::and, |l, _, r| {
            Ok(match (l.null(), r.null()) {
                (false, _) => l,
                (true, false) => r,
                (true, true) => Val::Int(0),
            })
        })
    }
    /// `&`: the left value unless either is empty or 0, else 0.
    fn and(&mut self) -> R {
        self.level(&["&"], Self::cmp, |l, _, r| {
            Ok(if l.null() || r.null() { Val::Int(0) } else { l })
        })
    }
    /// Comparisons: as integers when both read as integers, else as strings; 1 or 0.
    fn cmp(&mut self) -> R {
        self.level(
            &["<", "<=", "=", "==", "!=", ">=", ">"],
            Self::sum,
            |l, op, r| {
                use std::cmp::Ordering::*;
                let ord = match (l.int(), r.int()) {
                    (Some(a), Some(b)) => a.cmp(&b),
                    _ => l.text().cmp(&r.text()),
                };
                let yes = match op {
                    "<" => ord == Less,
                    "<=" => ord != Greater,
                    "=" | "==" => ord == Equal,
                    "!=" => ord != Equal,
                    ">=" => ord != Less,
                    _ => ord == Greater,
                };
                Ok(Val::Int(yes as i64))
            },
        )
    }
    fn sum(&mut self) -> R {
        self.level(&["+", "-"], Self::product, arith)
    }
    fn product(&mut self) -> R {
        self.level(&["*", "/", "%"], Self::matching, arith)
    }
    /// `STRING : REGEX`.
    fn matching(&mut self) -> R {
        self.level(&[":"], Self::primary, |l, _, r| {
            regex_match(&l.text(), &r.text())
        })
    }
    fn primary(&mut self) -> R {
        let Some(a) = self.take().map(str::to_string) else {
            let after = self.i.checked_sub(2).and_then(|j| self.args.get(j));
            return Err(match after {
                Some(t) => format!("syntax error: missing argument after ‘{t}’"),
                None => "syntax error: missing argument".into(),
            });
        };
        let arg = |p: &mut Self| -> Result<String, String> {
            match p.take() {
                Some(s) => Ok(s.to_string()),
                None => Err(format!("syntax error: missing argument after ‘{a}’")),
            }
        };
        match a.as_str() {
            "(" => {
                let v = self.or()?;
                match self.take() {
                    Some(")") => Ok(v),
                    Some(t) => Err(format!("syntax error: expecting ')' instead of ‘{t}’")),
                    None => Err(format!(
                        "syntax error: expecting ')' after ‘{}’",
                        self.args[self.i - 2]
                    )),
                }
            }
            "+" => Ok(Val::Str(arg(self)?)),
            "length" => Ok(Val::Int(arg(self)?.chars().count() as i64)),
            "match" => {
                let s = arg(self)?;
                let r = arg(self)?;
                regex_match(&s, &r)
            }
            "index" => {
                let s = arg(self)?;
                let chars = arg(self)?;
                let at = s
                    .chars()
                    .position(|c| chars.contains(c))
                    .map_or(0, |i| i + 1);
                Ok(Val::Int(at as i64))
            }
            "substr" => {
                let s = arg(self)?;
                let pos = arg(self)?;
                let len = arg(self)?;
                let (pos, len) = match (parse_int(&pos), parse_int(&len)) {
                    (Some(p), Some(l)) => (p, l),
                    _ => return Ok(Val::Str(String::new())),
                };
                if pos < 1 || len < 1 {
                    return Ok(Val::Str(String::new()));
                }
                Ok(Val::Str(
                    s.chars()
                        .skip(pos as usize - 1)
                        .take(len as usize)
                        .collect(),
                ))
            }
            ")" => Err("syntax error: unexpected ')'".into()),
            _ => Ok(Val::Str(a)),
        }
    }
}

/// `+ - * / %` on two integers.
fn arith(l: Val, op: &str, r: Val) -> R {
    let (Some(a), Some(b)) = (l.int(), r.int()) else {
        return Err("non-integer argument".into());
    };
    let v = match op {
        "+" => a.checked_add(b),
        "-" => a.checked_sub(b),
        "*" => a.checked_mul(b),
        _ if b == 0 => return Err("division by zero".into()),
        "/" => a.checked_div(b),
        _ => a.checked_rem(b),
    };
    Ok(Val::Int(v.ok_or("result out of range")?))
}

/// `STRING : REGEX`: a basic regular expression anchored at the start. With a `\(...\)` group,
/// what the group matched (empty when nothing matched); else how many characters matched.
fn regex_match(s: &str, pattern: &str) -> R {
    let ere = super::text::bre_to_ere(pattern);
    let re = super::text::compile(&format!("^(?:{ere})"), true, false, false, false, false)?;
    let grouped = pattern.contains("\\(");
    match re.captures(s) {
        Some(c) if grouped => Ok(Val::Str(
            c.get(1).map_or(String::new(), |m| m.as_str().to_string()),
        )),
        Some(c) => Ok(Val::Int(c[0].chars().count() as i64)),
        None if grouped => Ok(Val::Str(String::new())),
        None => Ok(Val::Int(0)),
    }
}

pub(super) fn expr(cx: &mut Cx) -> Outcome {
    if cx.args.is_empty() {
        cx.io
            .err("expr: missing operand\nTry 'expr --help' for more information.\n");
        return exit(2);
    }
    // `--` before the expression is skipped, as GNU's option parsing does.
    let args = match cx.args.first().map(String::as_str) {
        Some("--") => &cx.args[1..],
        _ => cx.args,
    };
    let mut p = P { args, i: 0 };
    let v = p.or().and_then(|v| match p.peek() {
        None => Ok(v),
        Some(t) => Err(format!("syntax error: unexpected argument ‘{t}’")),
    });
    match v {
        Ok(v) => {
            cx.io.out(format!("{}\n", v.text()));
            exit(if v.null() { 1 } else { 0 })
        }
        Err(e) => {
            cx.io.err(format!("expr: {e}\n"));
            exit(2)
        }
    }
}
