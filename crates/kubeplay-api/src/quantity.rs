//! Resource quantities as apimachinery's `resource.Quantity` reads, compares and prints them:
//! `500m`, `1.5Gi`, `1e3`. The API server stores a quantity in its canonical form, so what a
//! learner writes as `cpu: 0.5` or `memory: 1024Mi` reads back as `500m` and `1Gi`.

use std::cmp::Ordering;

/// How a quantity was written, and so how it prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `Ki`, `Mi`... (powers of 1024).
    BinarySI,
    /// `m`, `k`, `M`... or no suffix (powers of 1000).
    DecimalSI,
    /// `e3`, `E-2`.
    DecimalExponent,
}

/// A quantity: `mantissa × 10^scale`, exact.
#[derive(Clone, Copy, Debug)]
pub struct Quantity {
    mantissa: i128,
    scale: i32,
    pub format: Format,
}

/// `ErrFormatWrong`'s text.
pub const FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/// `ErrSuffix`'s text.
pub const SUFFIX_WRONG: &str = "unable to parse quantity's suffix";

const DECIMAL: [(&str, i32); 10] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("", 0),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];
const BINARY: [(&str, u32); 6] = [
    ("Ki", 1),
    ("Mi", 2),
    ("Gi", 3),
    ("Ti", 4),
    ("Pi", 5),
    ("Ei", 6),
];

impl Quantity {
    /// `resource.ParseQuantity`, values finer than a nano rounded up to one, as Go does.
    pub fn parse(s: &str) -> Result<Quantity, &'static str> {
        let (negative, rest) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            Some(_) => (false, s),
            None => return Err(FORMAT_WRONG),
        };
        let number_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let (number, suffix) = rest.split_at(number_len);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
            return Err(FORMAT_WRONG);
        }
        let digits = format!("{whole}{fraction}");
        let digits = digits.trim_start_matches('0');
        // More digits than an i128 holds are beyond any quantity kubeplay meets.
        let mut mantissa: i128 = if digits.is_empty() {
            0
        } else {
            digits
                .get(..36)
                .unwrap_or(digits)
                .parse()
                .map_err(|_| FORMAT_WRONG)?
        };
        let mut scale = -(fraction.len() as i32) + digits.len().saturating_sub(36) as i32;
        // Go's scanner: suffix letters, then an optional sign and digits, to the end.
        let letters = suffix
            .bytes()
            .take_while(|b| b"eEinumkKMGTP".contains(b))
            .count();
        let tail = suffix[letters..]
            .strip_prefix(['+', '-'])
            .unwrap_or(&suffix[letters..]);
        if !tail.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FORMAT_WRONG);
        }
        let format = if let Some((_, k)) = BINARY.iter().find(|(x, _)| *x == suffix) {
            mantissa = mantissa.saturating_mul(1024i128.pow(*k));
            Format::BinarySI
        } else if let Some((_, e)) = DECIMAL.iter().find(|(x, _)| *x == suffix) {
            scale += e;
            Format::DecimalSI
        } else {
            let exp = suffix
                .strip_prefix(['e', 'E'])
                .filter(|e| !e.is_empty())
                .and_then(|e| e.parse::<i32>().ok())
                .ok_or(SUFFIX_WRONG)?;
            scale += exp;
            Format::DecimalExponent
        };
        if negative {
            mantissa = -mantissa;
        }
        let mut q = Quantity {
            mantissa,
            scale,
            format,
        };
        q.round_up_to_nano();
        Ok(q)
    }

    fn round_up_to_nano(&mut self) {
        while self.scale < -9 {
            let (d, r) = (self.mantissa / 10, self.mantissa % 10);
            self.mantissa = d + r.signum();
            self.scale += 1;
        }
    }

    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// The value at `scale` (`self` at a scale no finer), exactly.
    fn at_scale(&self, scale: i32) -> i128 {
        let up = (self.scale - scale).max(0) as u32;
        self.mantissa.saturating_mul(10i128.saturating_pow(up))
    }

    /// `Quantity.Add`.
    pub fn add(&self, other: &Quantity) -> Quantity {
        let scale = self.scale.min(other.scale);
        Quantity {
            mantissa: self.at_scale(scale).saturating_add(other.at_scale(scale)),
            scale,
            format: self.format,
        }
    }

    /// Whether the value is a whole number; if so, the number.
    fn whole(&self) -> Option<i128> {
        if self.scale >= 0 {
            return Some(self.at_scale(0));
        }
        let div = 10i128.checked_pow((-self.scale) as u32)?;
        (self.mantissa % div == 0).then(|| self.mantissa / div)
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Quantity) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Quantity) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Quantity) -> Ordering {
        let scale = self.scale.min(other.scale);
        self.at_scale(scale).cmp(&other.at_scale(scale))
    }
}

/// `Quantity.String()`: `CanonicalizeBytes`. A binary quantity prints in the largest power of
/// 1024 that keeps it whole (decimal when it is under 1024, or not a whole number); a
/// decimal one with its mantissa whole and its exponent a multiple of three.
impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        let mut format = self.format;
        let whole = self.whole();
        if format == Format::BinarySI
            && (self.mantissa.abs() < 1024
                && self.scale <= 0
                && whole.is_some_and(|w| w.abs() < 1024)
                || whole.is_none())
        {
            format = Format::DecimalSI;
        }
        if format == Format::BinarySI {
            let (mut n, mut k) = (whole.unwrap_or_default(), 0usize);
            while k < BINARY.len() && n % 1024 == 0 {
                n /= 1024;
                k += 1;
            }
            let suffix = if k == 0 { "" } else { BINARY[k - 1].0 };
            return write!(f, "{n}{suffix}");
        }
        let (mut n, mut e) = (self.mantissa, self.scale);
        while n % 10 == 0 {
            n /= 10;
            e += 1;
        }
        match e.rem_euclid(3) {
            1 => {
                n *= 10;
                e -= 1;
            }
            2 => {
                n *= 100;
                e -= 2;
            }
            _ => {}
        }
        let si = DECIMAL.iter().find(|(_, x)| *x == e).map(|(s, _)| *s);
        match (format, si) {
            (_, _) if e == 0 => write!(f, "{n}"),
            (Format::DecimalSI, Some(s)) => write!(f, "{n}{s}"),
            _ => write!(f, "{n}e{e}"),
        }
    }
}

/// `qos.GetPodQOS`: BestEffort without a cpu or memory request or limit above zero in any
/// container; Guaranteed when every container limits both and the requests (summed over the
/// containers, init containers included) equal the limits; Burstable otherwise.
pub fn pod_qos(spec: &k8s_openapi::api::core::v1::PodSpec) -> &'static str {
    use std::collections::BTreeMap;
    let mut requests: BTreeMap<&str, Quantity> = BTreeMap::new();
    let mut limits: BTreeMap<&str, Quantity> = BTreeMap::new();
    let mut guaranteed = true;
    let containers = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten());
    for c in containers {
        let r = c.resources.as_ref();
        let sum = |list: Option<
            &BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
        >,
                   into: &mut BTreeMap<&'static str, Quantity>| {
            let mut found = Vec::new();
            for name in ["cpu", "memory"] {
                let Some(q) = list
                    .and_then(|l| l.get(name))
                    .and_then(|q| Quantity::parse(&q.0).ok())
                else {
                    continue;
                };
                if q.mantissa > 0 {
                    found.push(name);
                    let total = into.get(name).map_or(q, |t| t.add(&q));
                    into.insert(name, total);
                }
            }
            found
        };
        sum(r.and_then(|r| r.requests.as_ref()), &mut requests);
        if sum(r.and_then(|r| r.limits.as_ref()), &mut limits).len() < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed
        && requests.iter().all(|(k, v)| limits.get(k) == Some(v))
        && requests.len() == limits.len()
    {
        return "Guaranteed";
    }
    "Burstable"
}

/// The canonical text of a quantity's text, or Go's error.
pub fn canonical(s: &str) -> Result<String, &'static str> {
    Quantity::parse(s).map(|q| q.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_are_gos() {
        for (input, want) in [
            ("0.5", "500m"),
            ("1000m", "1"),
            ("1500m", "1500m"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("512Ki", "512Ki"),
            ("100", "100"),
            ("1000", "1k"),
            ("1500", "1500"),
            ("128974848", "128974848"),
            ("129e6", "129e6"),
            ("123Mi", "123Mi"),
            ("1e3", "1e3"),
            ("1E3", "1e3"),
            ("0.1", "100m"),
            ("2", "2"),
            ("1Ki", "1Ki"),
            ("1023", "1023"),
            ("0.5Ki", "512"),
            ("0", "0"),
            ("0Mi", "0"),
            ("-1", "-1"),
            ("+1.5", "1500m"),
            ("1.", "1"),
            (".5", "500m"),
            ("1n", "1n"),
            ("0.0000000001", "1n"),
            ("64M", "64M"),
            ("10G", "10G"),
            ("1.5k", "1500"),
            ("250m", "250m"),
            ("2000m", "2"),
        ] {
            assert_eq!(canonical(input), Ok(want.to_string()), "{input}");
        }
    }

    #[test]
    fn bad_quantities_get_gos_errors() {
        for (input, want) in [
            ("", FORMAT_WRONG),
            ("abc", FORMAT_WRONG),
            ("1 Gi", FORMAT_WRONG),
            ("1GB", FORMAT_WRONG),
            ("1e3e", FORMAT_WRONG),
            ("1Ki5", SUFFIX_WRONG),
            ("1mi", SUFFIX_WRONG),
            ("1e", SUFFIX_WRONG),
            ("..1", FORMAT_WRONG),
            ("1.2.3", FORMAT_WRONG),
        ] {
            assert_eq!(canonical(input), Err(want), "{input}");
        }
    }

    #[test]
    fn compare_and_add() {
        let q = |s| Quantity::parse(s).unwrap();
        assert_eq!(q("1"), q("1000m"));
        assert!(q("500m") < q("1"));
        assert!(q("1Gi") > q("1G"));
        assert_eq!(q("250m").add(&q("0.25")).to_string(), "500m");
    }

    #[test]
    fn qos_classes() {
        use k8s_openapi::api::core::v1::{Container, PodSpec, ResourceRequirements};
        use k8s_openapi::apimachinery::pkg::api::resource::Quantity as Q;
        let c = |req: &[(&str, &str)], lim: &[(&str, &str)]| {
            let list = |l: &[(&str, &str)]| {
                (!l.is_empty()).then(|| {
                    l.iter()
                        .map(|(k, v)| (k.to_string(), Q(v.to_string())))
                        .collect()
                })
            };
            Container {
                resources: Some(ResourceRequirements {
                    requests: list(req),
                    limits: list(lim),
                    ..Default::default()
                }),
                ..Default::default()
            }
        };
        let spec = |cs: Vec<Container>| PodSpec {
            containers: cs,
            ..Default::default()
        };
        let both = [("cpu", "1"), ("memory", "1Gi")];
        assert_eq!(pod_qos(&spec(vec![c(&[], &[])])), "BestEffort");
        assert_eq!(pod_qos(&spec(vec![c(&[("cpu", "0")], &[])])), "BestEffort");
        assert_eq!(
            pod_qos(&spec(vec![c(&[("cpu", "100m")], &[])])),
            "Burstable"
        );
        assert_eq!(pod_qos(&spec(vec![c(&both, &both)])), "Guaranteed");
        assert_eq!(
            pod_qos(&spec(vec![c(
                &[("cpu", "1000m"), ("memory", "1024Mi")],
                &both
            )])),
            "Guaranteed"
        );
        assert_eq!(
            pod_qos(&spec(vec![c(&both, &both), c(&[], &[])])),
            "Burstable"
        );
        assert_eq!(
            pod_qos(&spec(vec![c(&[("cpu", "1")], &[("cpu", "1")])])),
            "Burstable"
        );
    }
}
