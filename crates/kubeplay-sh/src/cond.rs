//! `[[ expression ]]`: bash's conditional command. Its words are expanded without word
//! splitting or globbing; the right side of `==` and `!=` is a pattern and that of `=~` an
//! extended regular expression, each with its quoted parts taken literally; the operands of
//! `-eq` and the like are arithmetic expressions.

use crate::ast::{Cond, Part, Word};
use crate::expand::Ex;
use crate::{glob, Shell, Vfs};

/// The exit status of `[[ expression ]]`: 0 true, 1 false, 2 for a regular expression that
/// does not compile (which bash does not explain); or an error to print (status 1).
pub fn eval(c: &Cond, sh: &mut Shell, fs: &Vfs, subs: &[String]) -> Result<i32, String> {
    // Every word is expanded first, in order: the command substitutions ran in that order.
    let mut vals = Vec::new();
    {
        let mut ex = Ex {
            sh,
            fs,
            subs,
            next_sub: 0,
        };
        expand(c, &mut ex, &mut vals)?;
    }
    let mut i = 0;
    test(c, &vals, &mut i, sh, fs)
}

fn expand(c: &Cond, ex: &mut Ex, out: &mut Vec<String>) -> Result<(), String> {
    match c {
        Cond::Word(w) | Cond::Unary(_, w) => out.push(ex.string(w)?),
        Cond::Binary(a, op, b) => {
            out.push(ex.string(a)?);
            out.push(match op.as_str() {
                "==" | "=" | "!=" => ex.pattern(b)?,
                "=~" => regex_source(ex, b)?,
                _ => ex.string(b)?,
            });
        }
        Cond::Not(c) => expand(c, ex, out)?,
        Cond::And(a, b) | Cond::Or(a, b) => {
            expand(a, ex, out)?;
            expand(b, ex, out)?;
        }
    }
    Ok(())
}

/// The right side of `=~` as a regular expression: quoted parts match themselves.
fn regex_source(ex: &mut Ex, w: &Word) -> Result<String, String> {
    let mut s = String::new();
    for p in &w.0 {
        match p {
            Part::Lit(t) => s.push_str(t),
            Part::Quoted(t) => s.push_str(&regex_lite::escape(t)),
            Part::Double(_) => s.push_str(&regex_lite::escape(&ex.string(&Word(vec![p.clone()]))?)),
            _ => s.push_str(&ex.string(&Word(vec![p.clone()]))?),
        }
    }
    Ok(s)
}

/// How many words `c` holds (to step over the side not evaluated of `&&` or `||`).
fn count(c: &Cond) -> usize {
    match c {
        Cond::Word(_) | Cond::Unary(..) => 1,
        Cond::Binary(..) => 2,
        Cond::Not(c) => count(c),
        Cond::And(a, b) | Cond::Or(a, b) => count(a) + count(b),
    }
}

fn test(c: &Cond, vals: &[String], i: &mut usize, sh: &mut Shell, fs: &Vfs) -> Result<i32, String> {
    let status = |b: bool| if b { 0 } else { 1 };
    let mut take = || {
        let v = vals.get(*i).cloned().unwrap_or_default();
        *i += 1;
        v
    };
    Ok(match c {
        Cond::Word(_) => status(!take().is_empty()),
        Cond::Unary(op, _) => {
            let v = take();
            status(match op.as_str() {
                "-z" => v.is_empty(),
                "-n" => !v.is_empty(),
                "-v" => sh.is_set(&v),
                "-o" => false,
                _ => crate::utils::basic::file_test(op, &v, fs, &sh.cwd).unwrap_or(false),
            })
        }
        Cond::Binary(_, op, _) => {
            let (l, r) = (take(), take());
            match op.as_str() {
                "==" | "=" => status(glob::matches(&r, &l)),
                "!=" => status(!glob::matches(&r, &l)),
                "<" => status(l < r),
                ">" => status(l > r),
                "=~" => match regex_lite::Regex::new(&r) {
                    Err(_) => 2,
                    Ok(re) => {
                        // BASH_REMATCH: the match, then each group's (empty if it took no part).
                        let caps: Vec<(Option<crate::Elem>, String)> = re
                            .captures(&l)
                            .map(|c| {
                                c.iter()
                                    .map(|m| (None, m.map_or("", |m| m.as_str()).to_string()))
                                    .collect()
                            })
                            .unwrap_or_default();
                        let matched = !caps.is_empty();
                        sh.set_array("BASH_REMATCH", caps, false);
                        status(matched)
                    }
                },
                "-ef" => {
                    let (a, b) = (
                        crate::vfs::resolve(&sh.cwd, &l),
                        crate::vfs::resolve(&sh.cwd, &r),
                    );
                    status(a == b && fs.stat(&a).is_some())
                }
                "-nt" | "-ot" => 1,
                _ => {
                    let a = crate::arith::eval(&l, sh)?;
                    let b = crate::arith::eval(&r, sh)?;
                    status(match op.as_str() {
                        "-eq" => a == b,
                        "-ne" => a != b,
                        "-lt" => a < b,
                        "-le" => a <= b,
                        "-gt" => a > b,
                        _ => a >= b,
                    })
                }
            }
        }
        Cond::Not(c) => match test(c, vals, i, sh, fs)? {
            0 => 1,
            1 => 0,
            s => s,
        },
        Cond::And(a, b) => match test(a, vals, i, sh, fs)? {
            0 => test(b, vals, i, sh, fs)?,
            s => {
                *i += count(b);
                s
            }
        },
        Cond::Or(a, b) => match test(a, vals, i, sh, fs)? {
            0 => {
                *i += count(b);
                0
            }
            _ => test(b, vals, i, sh, fs)?,
        },
    })
}
