//! `$(( ... ))`: integer arithmetic with bash's operators and variables.

use crate::Shell;

pub fn eval(src: &str, sh: &mut Shell) -> Result<i64, String> {
    // bash shows the expression from its first non-blank character in its complaints.
    let src = src.trim_start();
    let (t, at) = lex(src)?.into_iter().unzip();
    let mut p = P {
        t,
        at,
        i: 0,
        sh,
        src,
        depth: 0,
    };
    if p.t.is_empty() {
        return Ok(0);
    }
    let v = p.assign()?;
    if p.i < p.t.len() {
        return Err(format!(
            "{src}: syntax error in expression (error token is \"{}\")",
            p.tail(p.i)
        ));
    }
    Ok(v)
}

#[derive(Clone, Debug, PartialEq)]
enum T {
    Num(i64),
    Name(String),
    Op(&'static str),
}

/// The tokens, each with the byte offset where it starts.
fn lex(src: &str) -> Result<Vec<(T, usize)>, String> {
    const OPS: &[&str] = &[
        "**=", "<<=", ">>=", "**", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=",
        "*=", "/=", "%=", "++", "--", "+", "-", "*", "/", "%", "<", ">", "!", "~", "&", "|", "^",
        "(", ")", "?", ":", "=",
    ];
    let c: Vec<char> = src.chars().collect();
    let offsets: Vec<usize> = src.char_indices().map(|(b, _)| b).collect();
    let mut i = 0;
    let mut out = Vec::new();
    'outer: while i < c.len() {
        if c[i].is_whitespace() {
            i += 1;
            continue;
        }
        if c[i].is_ascii_digit() {
            let s = i;
            while i < c.len() && c[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let t: String = c[s..i].iter().collect();
            let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                i64::from_str_radix(h, 16).ok()
            } else if t.len() > 1 && t.starts_with('0') {
                i64::from_str_radix(&t[1..], 8).ok()
            } else {
                t.parse().ok()
            };
            match v {
                Some(v) => out.push((T::Num(v), offsets[s])),
                None => {
                    return Err(format!(
                        "{t}: value too great for base (error token is \"{t}\")"
                    ))
                }
            }
            continue;
        }
        if c[i].is_ascii_alphabetic() || c[i] == '_' {
            let s = i;
            while i < c.len() && (c[i].is_ascii_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push((T::Name(c[s..i].iter().collect()), offsets[s]));
            continue;
        }
        for op in OPS {
            if op
                .chars()
                .enumerate()
                .all(|(k, oc)| c.get(i + k) == Some(&oc))
            {
                out.push((T::Op(op), offsets[i]));
                i += op.len();
                continue 'outer;
            }
        }
        let rest: String = c[i..].iter().collect();
        return Err(format!(
            "{src}: syntax error: invalid arithmetic operator (error token is \"{rest}\")"
        ));
    }
    Ok(out)
}

struct P<'a> {
    t: Vec<T>,
    /// Where each token starts in `src`.
    at: Vec<usize>,
    i: usize,
    sh: &'a mut Shell,
    src: &'a str,
    depth: usize,
}

impl P<'_> {
    /// The expression from token `k` on: what bash quotes as the error token.
    fn tail(&self, k: usize) -> &str {
        &self.src[self.at.get(k).copied().unwrap_or(self.src.len())..]
    }
    fn peek_op(&self) -> Option<&'static str> {
        match self.t.get(self.i) {
            Some(T::Op(o)) => Some(o),
            _ => None,
        }
    }
    /// An operand was expected at token `i`: bash quotes the expression from that token, or
    /// at the end, from the last one it read.
    fn err(&self) -> String {
        let k = if self.i >= self.t.len() {
            self.t.len().saturating_sub(1)
        } else {
            self.i
        };
        format!(
            "{}: syntax error: operand expected (error token is \"{}\")",
            self.src,
            self.tail(k)
        )
    }
    fn var(&self, name: &str) -> i64 {
        let v = self.sh.value(name).unwrap_or_default();
        let v = v.trim();
        v.parse().unwrap_or(0)
    }
    fn assign(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err(format!("{}: expression recursion level exceeded", self.src));
        }
        if let (Some(T::Name(n)), Some(T::Op(op))) =
            (self.t.get(self.i).cloned(), self.t.get(self.i + 1).cloned())
        {
            if matches!(op, "=" | "+=" | "-=" | "*=" | "/=" | "%=") {
                self.i += 2;
                let r = self.assign()?;
                let cur = self.var(&n);
                let v = match op {
                    "=" => r,
                    "+=" => cur.wrapping_add(r),
                    "-=" => cur.wrapping_sub(r),
                    "*=" => cur.wrapping_mul(r),
                    "/=" | "%=" => {
                        if r == 0 {
                            return Err(self.division_by_zero("0".into()));
                        }
                        if op == "/=" {
                            cur.wrapping_div(r)
                        } else {
                            cur.wrapping_rem(r)
                        }
                    }
                    _ => r,
                };
                self.sh.set(&n, &v.to_string());
                self.depth -= 1;
                return Ok(v);
            }
        }
        let v = self.ternary();
        self.depth -= 1;
        v
    }
    fn ternary(&mut self) -> Result<i64, String> {
        let c = self.binary(0)?;
        if self.peek_op() == Some("?") {
            self.i += 1;
            let a = self.assign()?;
            if self.peek_op() != Some(":") {
                return Err(self.err());
            }
            self.i += 1;
            let b = self.assign()?;
            return Ok(if c != 0 { a } else { b });
        }
        Ok(c)
    }
    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let mut l = self.unary()?;
        loop {
            let Some(op) = self.peek_op() else { break };
            let prec = match op {
                "||" => 1,
                "&&" => 2,
                "|" => 3,
                "^" => 4,
                "&" => 5,
                "==" | "!=" => 6,
                "<" | ">" | "<=" | ">=" => 7,
                "<<" | ">>" => 8,
                "+" | "-" => 9,
                "*" | "/" | "%" => 10,
                "**" => 11,
                _ => break,
            };
            if prec < min {
                break;
            }
            self.i += 1;
            let r = if op == "**" {
                self.binary(prec)?
            } else {
                self.binary(prec + 1)?
            };
            l = match op {
                "||" => (l != 0 || r != 0) as i64,
                "&&" => (l != 0 && r != 0) as i64,
                "|" => l | r,
                "^" => l ^ r,
                "&" => l & r,
                "==" => (l == r) as i64,
                "!=" => (l != r) as i64,
                "<" => (l < r) as i64,
                ">" => (l > r) as i64,
                "<=" => (l <= r) as i64,
                ">=" => (l >= r) as i64,
                "<<" => l.wrapping_shl(r as u32),
                ">>" => l.wrapping_shr(r as u32),
                "+" => l.wrapping_add(r),
                "-" => l.wrapping_sub(r),
                "*" => l.wrapping_mul(r),
                "/" | "%" => {
                    if r == 0 {
                        return Err(self.division_by_zero(self.rest_after_zero()));
                    }
                    if op == "/" {
                        l.wrapping_div(r)
                    } else {
                        l.wrapping_rem(r)
                    }
                }
                "**" => {
                    if r < 0 {
                        return Err(format!(
                            "{}: exponent less than 0 (error token is \"{r}\")",
                            self.src
                        ));
                    }
                    l.wrapping_pow(r.min(u32::MAX as i64) as u32)
                }
                _ => l,
            };
        }
        Ok(l)
    }
    /// Each shell's words for it: bash names the token it stopped at.
    fn division_by_zero(&self, token: String) -> String {
        match self.sh.flavour {
            crate::Flavour::Bash => {
                format!("{}: division by 0 (error token is \"{token}\")", self.src)
            }
            crate::Flavour::Dash => {
                format!("arithmetic expression: division by zero: \"{}\"", self.src)
            }
            crate::Flavour::Ash => "divide by zero".into(),
        }
    }

    fn rest_after_zero(&self) -> String {
        // bash quotes the divisor and what follows it; approximate with the last operand.
        match self.t.get(self.i.saturating_sub(1)) {
            Some(T::Num(n)) => n.to_string(),
            Some(T::Name(n)) => n.clone(),
            _ => "0".into(),
        }
    }
    fn unary(&mut self) -> Result<i64, String> {
        match self.t.get(self.i).cloned() {
            Some(T::Op("-")) => {
                self.i += 1;
                Ok(self.unary()?.wrapping_neg())
            }
            Some(T::Op("+")) => {
                self.i += 1;
                self.unary()
            }
            Some(T::Op("!")) => {
                self.i += 1;
                Ok((self.unary()? == 0) as i64)
            }
            Some(T::Op("~")) => {
                self.i += 1;
                Ok(!self.unary()?)
            }
            Some(T::Op(op @ ("++" | "--"))) => {
                self.i += 1;
                let Some(T::Name(n)) = self.t.get(self.i).cloned() else {
                    return Err(self.err());
                };
                self.i += 1;
                let v = self.var(&n) + if op == "++" { 1 } else { -1 };
                self.sh.set(&n, &v.to_string());
                Ok(v)
            }
            Some(T::Op("(")) => {
                self.i += 1;
                let v = self.assign()?;
                if self.peek_op() != Some(")") {
                    return Err(self.err());
                }
                self.i += 1;
                Ok(v)
            }
            Some(T::Num(n)) => {
                self.i += 1;
                Ok(n)
            }
            Some(T::Name(n)) => {
                self.i += 1;
                let v = self.var(&n);
                if let Some(op @ ("++" | "--")) = self.peek_op() {
                    self.i += 1;
                    self.sh
                        .set(&n, &(v + if op == "++" { 1 } else { -1 }).to_string());
                }
                Ok(v)
            }
            _ => Err(self.err()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic() {
        let mut sh = Shell::new("bash");
        sh.set("i", "4");
        for (e, want) in [
            ("1+2*3", 7),
            ("(1+2)*3", 9),
            ("i+1", 5),
            ("i*i", 16),
            ("10/3", 3),
            ("10%3", 1),
            ("2**10", 1024),
            ("i>3 && i<5", 1),
            ("-i", -4),
            ("i==4 ? 10 : 20", 10),
            ("", 0),
        ] {
            assert_eq!(eval(e, &mut sh), Ok(want), "{e}");
        }
        assert_eq!(eval("i+=1", &mut sh), Ok(5));
        assert_eq!(sh.get("i"), Some("5"));
        assert!(eval("1/0", &mut sh).unwrap_err().contains("division by 0"));
    }
}
