//! Label selectors: the `-l` string syntax (equality- and set-based) and `LabelSelector`
//! objects, both compiled to one matcher.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A conjunction of requirements. The empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector(pub Vec<Requirement>);

pub type Labels = BTreeMap<String, String>;

impl Requirement {
    pub fn matches(&self, labels: &Labels) -> bool {
        match self {
            Requirement::Eq(k, v) => labels.get(k) == Some(v),
            Requirement::NotEq(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|x| vs.contains(x)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|x| !vs.contains(x)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        }
    }
}

impl Selector {
    pub fn everything() -> Selector {
        Selector(vec![])
    }
    pub fn matches(&self, labels: Option<&Labels>) -> bool {
        static EMPTY: Labels = BTreeMap::new();
        let labels = labels.unwrap_or(&EMPTY);
        self.0.iter().all(|r| r.matches(labels))
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Compile a `LabelSelector` (matchLabels + matchExpressions).
    pub fn from_label_selector(ls: &LabelSelector) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for (k, v) in ls.match_labels.iter().flatten() {
            reqs.push(Requirement::Eq(k.clone(), v.clone()));
        }
        for e in ls.match_expressions.iter().flatten() {
            let vals = e.values.clone().unwrap_or_default();
            reqs.push(match e.operator.as_str() {
                "In" => Requirement::In(e.key.clone(), vals),
                "NotIn" => Requirement::NotIn(e.key.clone(), vals),
                "Exists" => Requirement::Exists(e.key.clone()),
                "DoesNotExist" => Requirement::DoesNotExist(e.key.clone()),
                op => return Err(format!("{op:?} is not a valid label selector operator")),
            });
        }
        Ok(Selector(reqs))
    }

    /// Parse kubectl's `-l` syntax: `app=web,tier!=db,env in (a,b),!legacy,release`.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for part in split_top_level(s) {
            let p = part.trim();
            if p.is_empty() {
                continue;
            }
            reqs.push(parse_requirement(p)?);
        }
        Ok(Selector(reqs))
    }
}

/// Split at commas that are not inside parentheses.
fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn parse_requirement(p: &str) -> Result<Requirement, String> {
    if let Some(k) = p.strip_prefix('!') {
        return Ok(Requirement::DoesNotExist(check_key(k.trim())?));
    }
    for (op, ctor) in [
        (
            "!=",
            Requirement::NotEq as fn(String, String) -> Requirement,
        ),
        ("==", Requirement::Eq),
        ("=", Requirement::Eq),
    ] {
        if let Some((k, v)) = p.split_once(op) {
            return Ok(ctor(check_key(k.trim())?, v.trim().to_string()));
        }
    }
    let words: Vec<&str> = p.splitn(2, char::is_whitespace).collect();
    if words.len() == 2 {
        let rest = words[1].trim();
        let (neg, list) = if let Some(l) = rest.strip_prefix("notin") {
            (true, l)
        } else if let Some(l) = rest.strip_prefix("in") {
            (false, l)
        } else {
            return Err(format!("unable to parse requirement: found '{rest}', expected: in, notin, =, ==, !=, gt, lt"));
        };
        let list = list.trim();
        let inner = list
            .strip_prefix('(')
            .and_then(|l| l.strip_suffix(')'))
            .ok_or_else(|| format!("unable to parse requirement: found '{list}', expected: '('"))?;
        let vals: Vec<String> = inner.split(',').map(|v| v.trim().to_string()).collect();
        let key = check_key(words[0])?;
        return Ok(if neg {
            Requirement::NotIn(key, vals)
        } else {
            Requirement::In(key, vals)
        });
    }
    Ok(Requirement::Exists(check_key(p)?))
}

fn check_key(k: &str) -> Result<String, String> {
    if k.is_empty() {
        return Err("unable to parse requirement: key is empty".into());
    }
    Ok(k.to_string())
}

impl std::fmt::Display for Selector {
    /// `LabelSelectorAsSelector().String()`: requirements sorted by key, `k=v`, `k in (a,b)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts: Vec<(String, String)> = self
            .0
            .iter()
            .map(|r| match r {
                Requirement::Eq(k, v) => (k.clone(), format!("{k}={v}")),
                Requirement::NotEq(k, v) => (k.clone(), format!("{k}!={v}")),
                Requirement::In(k, vs) => (k.clone(), format!("{k} in ({})", sorted(vs).join(","))),
                Requirement::NotIn(k, vs) => {
                    (k.clone(), format!("{k} notin ({})", sorted(vs).join(",")))
                }
                Requirement::Exists(k) => (k.clone(), k.clone()),
                Requirement::DoesNotExist(k) => (k.clone(), format!("!{k}")),
            })
            .collect();
        kubeplay_sort::sort(&mut parts);
        let s: Vec<String> = parts.into_iter().map(|(_, s)| s).collect();
        f.write_str(&s.join(","))
    }
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    kubeplay_sort::sort(&mut v);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn equality_and_set_based() {
        let l = labels(&[("app", "web"), ("tier", "front")]);
        let yes = [
            "app=web",
            "app==web",
            "app!=db",
            "app in (web,db)",
            "tier notin (back)",
            "app",
            "!legacy",
            "app=web,tier=front",
            "",
        ];
        let no = [
            "app=db",
            "app notin (web)",
            "!app",
            "legacy",
            "app=web,tier=back",
        ];
        for s in yes {
            assert!(Selector::parse(s).unwrap().matches(Some(&l)), "{s}");
        }
        for s in no {
            assert!(!Selector::parse(s).unwrap().matches(Some(&l)), "{s}");
        }
    }

    #[test]
    fn display_sorts_by_key() {
        let s = Selector::parse("tier=front,app=web").unwrap();
        assert_eq!(s.to_string(), "app=web,tier=front");
    }
}
