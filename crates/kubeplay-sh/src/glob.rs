//! Shell patterns (`*`, `?`, `[...]`, `\x`) and pathname expansion over the virtual files.

use crate::vfs::Vfs;

/// Escape the pattern characters of `s` so it matches itself.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            o.push('\\');
        }
        o.push(c);
    }
    o
}

/// Remove the escapes of a pattern.
pub fn unescape(p: &str) -> String {
    let mut o = String::new();
    let mut it = p.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            o.extend(it.next());
        } else {
            o.push(c);
        }
    }
    o
}

/// Whether the whole of `s` matches `pat`.
pub fn matches(pat: &str, s: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let s: Vec<char> = s.chars().collect();
    // Iterative matcher with one backtrack point for `*` (linear for practical patterns).
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, si));
                    pi += 1;
                    continue;
                }
                '?' => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                '[' => {
                    if let Some((ok, next)) = class(&p, pi, s[si]) {
                        if ok {
                            pi = next;
                            si += 1;
                            continue;
                        }
                    } else if s[si] == '[' {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
                '\\' if pi + 1 < p.len() => {
                    if p[pi + 1] == s[si] {
                        pi += 2;
                        si += 1;
                        continue;
                    }
                }
                c => {
                    if c == s[si] {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((sp, ss)) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// A bracket expression at `p[i]`: whether `c` is in it, and where it ends.
fn class(p: &[char], i: usize, c: char) -> Option<(bool, usize)> {
    let mut j = i + 1;
    let negate = matches!(p.get(j), Some('!' | '^'));
    if negate {
        j += 1;
    }
    let mut found = false;
    let mut first = true;
    loop {
        let a = *p.get(j)?;
        if a == ']' && !first {
            return Some((found != negate, j + 1));
        }
        first = false;
        if a == '[' && p.get(j + 1) == Some(&':') {
            let rest: String = p[j + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let name = &rest[..end];
                found |= match name {
                    "alpha" => c.is_alphabetic(),
                    "digit" => c.is_ascii_digit(),
                    "alnum" => c.is_alphanumeric(),
                    "upper" => c.is_uppercase(),
                    "lower" => c.is_lowercase(),
                    "space" => c.is_whitespace(),
                    "punct" => c.is_ascii_punctuation(),
                    _ => false,
                };
                j += 2 + name.chars().count() + 2;
                continue;
            }
        }
        let a = if a == '\\' {
            j += 1;
            *p.get(j)?
        } else {
            a
        };
        if p.get(j + 1) == Some(&'-') && p.get(j + 2).is_some_and(|&b| b != ']') {
            let b = p[j + 2];
            found |= a <= c && c <= b;
            j += 3;
        } else {
            found |= a == c;
            j += 1;
        }
    }
}

fn has_magic(s: &str) -> bool {
    let mut esc = false;
    for c in s.chars() {
        if esc {
            esc = false;
            continue;
        }
        match c {
            '\\' => esc = true,
            '*' | '?' | '[' => return true,
            _ => {}
        }
    }
    false
}

/// Pathnames matching `pat`, sorted; empty when nothing matches.
pub fn expand(fs: &Vfs, pat: &str) -> Vec<String> {
    let absolute = pat.starts_with('/');
    let comps: Vec<&str> = pat.split('/').filter(|c| !c.is_empty()).collect();
    // (display prefix, absolute dir)
    let mut cur: Vec<(String, String)> = vec![if absolute {
        ("/".to_string(), "/".to_string())
    } else {
        (String::new(), fs.cwd.clone())
    }];
    for (i, comp) in comps.iter().enumerate() {
        let last = i + 1 == comps.len();
        let mut next = Vec::new();
        for (shown, dir) in &cur {
            if !has_magic(comp) {
                let name = unescape(comp);
                let abs = crate::vfs::resolve(dir, &name);
                if fs.exists(&abs) && (last || fs.is_dir(&abs)) {
                    next.push((format!("{shown}{name}{}", if last { "" } else { "/" }), abs));
                }
                continue;
            }
            let Ok(entries) = fs.list(dir) else { continue };
            for (name, is_dir) in entries {
                if name.starts_with('.') && !comp.starts_with('.') && !comp.starts_with("\\.") {
                    continue;
                }
                if !last && !is_dir {
                    continue;
                }
                if matches(comp, &name) {
                    let abs = crate::vfs::resolve(dir, &name);
                    next.push((format!("{shown}{name}{}", if last { "" } else { "/" }), abs));
                }
            }
        }
        cur = next;
        if cur.is_empty() {
            break;
        }
    }
    if pat.ends_with('/') {
        return cur
            .into_iter()
            .filter(|(_, a)| fs.is_dir(a))
            .map(|(s, _)| format!("{s}/"))
            .collect();
    }
    let mut v: Vec<String> = cur.into_iter().map(|(s, _)| s).collect();
    kubeplay_sort::sort(&mut v);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        for (p, s, want) in [
            ("*", "abc", true),
            ("a*c", "abbbc", true),
            ("a*c", "abbbd", false),
            ("?b", "ab", true),
            ("[a-c]x", "bx", true),
            ("[!a-c]x", "bx", false),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("*.yaml", "deploy.yaml", true),
            ("*.yaml", "deploy.yml", false),
            ("[[:digit:]]*", "1abc", true),
        ] {
            assert_eq!(matches(p, s), want, "{p} {s}");
        }
    }

    #[test]
    fn globbing_files() {
        let mut fs = Vfs::default();
        for f in ["a.yaml", "b.yaml", "c.txt", ".hidden.yaml", "d/e.yaml"] {
            fs.write(f, vec![]);
        }
        assert_eq!(expand(&fs, "*.yaml"), vec!["a.yaml", "b.yaml"]);
        assert_eq!(expand(&fs, "*/*.yaml"), vec!["d/e.yaml"]);
        assert_eq!(expand(&fs, "/root/?.txt"), vec!["/root/c.txt"]);
        assert!(expand(&fs, "*.json").is_empty());
    }
}
