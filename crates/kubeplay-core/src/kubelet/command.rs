//! The process a container runs: the image's ENTRYPOINT/CMD combined with the container's
//! `command`/`args` by the four rules, and `$(VAR)` references expanded against the
//! container's environment.

/// `[ENTRYPOINT..., CMD...]` after the container's overrides:
/// 1. neither set: the image's entrypoint and cmd;
/// 2. `command` only: just the command (the image's CMD is ignored too);
/// 3. `args` only: the image's entrypoint with the args;
/// 4. both: the command with the args.
pub fn effective(
    image_entrypoint: &[String],
    image_cmd: &[String],
    command: Option<&[String]>,
    args: Option<&[String]>,
) -> Vec<String> {
    // An empty list in the spec counts as unset, as the kubelet's `len(...) != 0` checks do.
    let command = command.filter(|c| !c.is_empty());
    let args = args.filter(|a| !a.is_empty());
    let mut out: Vec<String> = match command {
        Some(c) => c.to_vec(),
        None => image_entrypoint.to_vec(),
    };
    match (command, args) {
        (_, Some(a)) => out.extend(a.iter().cloned()),
        (None, None) => out.extend(image_cmd.iter().cloned()),
        (Some(_), None) => {}
    }
    out
}

/// Kubernetes' `expansion.Expand`: `$(NAME)` becomes the value of NAME when it is defined,
/// stays as written otherwise; `$$` becomes `$`; any other `$` is kept.
pub fn expand(input: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let b = input.as_bytes();
    let mut out = String::with_capacity(input.len());
    let mut i = 0;
    let mut lit_start = 0;
    while i < b.len() {
        if b[i] == b'$' && i + 1 < b.len() {
            out.push_str(&input[lit_start..i]);
            match b[i + 1] {
                b'$' => {
                    out.push('$');
                    i += 2;
                }
                b'(' => match input[i + 2..].find(')') {
                    Some(close) => {
                        let name = &input[i + 2..i + 2 + close];
                        match lookup(name) {
                            Some(v) if !name.is_empty() => out.push_str(&v),
                            _ => out.push_str(&input[i..i + 3 + close]),
                        }
                        i += 3 + close;
                    }
                    None => {
                        out.push_str(&input[i..]);
                        i = b.len();
                    }
                },
                _ => {
                    out.push('$');
                    i += 1;
                }
            }
            lit_start = i;
        } else {
            i += 1;
        }
    }
    if lit_start < b.len() {
        out.push_str(&input[lit_start..]);
    }
    out
}

/// Expand every word against an ordered environment (later entries win).
pub fn expand_all(words: &[String], env: &[super::process::EnvPair]) -> Vec<String> {
    expand_words(words.to_vec(), env)
}

/// [`expand_all`], in place: a word without `$` is kept as it is (it expands to itself).
pub fn expand_words(mut words: Vec<String>, env: &[super::process::EnvPair]) -> Vec<String> {
    let lookup = |n: &str| {
        env.iter()
            .rev()
            .find(|(k, _)| &**k == n)
            .map(|(_, v)| v.to_string())
    };
    for w in words.iter_mut().filter(|w| w.contains('$')) {
        *w = expand(w, &lookup);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn the_four_rules() {
        let ep = v(&["/ep-1"]);
        let cmd = v(&["foo", "bar"]);
        let c2 = v(&["/ep-2"]);
        let a2 = v(&["zoo", "boo"]);
        assert_eq!(
            effective(&ep, &cmd, None, None),
            v(&["/ep-1", "foo", "bar"])
        );
        assert_eq!(effective(&ep, &cmd, Some(&c2), None), v(&["/ep-2"]));
        assert_eq!(
            effective(&ep, &cmd, None, Some(&a2)),
            v(&["/ep-1", "zoo", "boo"])
        );
        assert_eq!(
            effective(&ep, &cmd, Some(&c2), Some(&a2)),
            v(&["/ep-2", "zoo", "boo"])
        );
    }

    #[test]
    fn expansion() {
        let env: Vec<super::super::process::EnvPair> = vec![
            ("GREETING".into(), "Warm greetings to".into()),
            ("NAME".into(), "Kubernetes".into()),
        ];
        assert_eq!(
            expand_all(&v(&["$(GREETING) $(NAME)"]), &env),
            v(&["Warm greetings to Kubernetes"])
        );
        assert_eq!(expand_all(&v(&["$(MISSING)"]), &env), v(&["$(MISSING)"]));
        assert_eq!(expand_all(&v(&["$$(NAME)"]), &env), v(&["$(NAME)"]));
        assert_eq!(expand_all(&v(&["$NAME $"]), &env), v(&["$NAME $"]));
        assert_eq!(expand_all(&v(&["$(NAME"]), &env), v(&["$(NAME"]));
        assert_eq!(expand_all(&v(&["a$$b"]), &env), v(&["a$b"]));
    }
}
