//! IntOrString arithmetic (`GetScaledValueFromIntOrPercent`).

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// Resolve an int or a percent of `total`, rounding up or down. `None` for a malformed percent.
pub fn scaled_value(v: &IntOrString, total: i32, round_up: bool) -> Option<i32> {
    match v {
        IntOrString::Int(i) => Some(*i),
        IntOrString::String(s) => {
            let digits = s.strip_suffix('%')?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                // A plain number in a string is not a percent; the API server rejects it.
                return None;
            }
            let p: i64 = digits.parse().ok()?;
            let num = p * total as i64;
            Some(if round_up {
                (num + 99) / 100
            } else {
                num / 100
            } as i32)
        }
    }
}

/// `ResolveFenceposts`: (maxSurge rounded up, maxUnavailable rounded down); both zero is
/// turned into unavailable 1 so a rollout can always move.
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> (i32, i32) {
    let zero = IntOrString::Int(0);
    let surge = scaled_value(max_surge.unwrap_or(&zero), desired, true).unwrap_or(0);
    let unavailable = scaled_value(max_unavailable.unwrap_or(&zero), desired, false).unwrap_or(0);
    if surge == 0 && unavailable == 0 {
        (0, 1)
    } else {
        (surge, unavailable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(s: &str) -> IntOrString {
        IntOrString::String(s.into())
    }

    #[test]
    fn fenceposts_from_the_kubernetes_source() {
        // (maxSurge, maxUnavailable, desired) -> (surge, unavailable)
        let cases = [
            (pct("25%"), pct("25%"), 1, (1, 0)),
            (pct("25%"), pct("25%"), 2, (1, 0)),
            (pct("25%"), pct("25%"), 3, (1, 0)),
            (pct("25%"), pct("25%"), 4, (1, 1)),
            (pct("25%"), pct("25%"), 10, (3, 2)),
            (IntOrString::Int(3), IntOrString::Int(2), 10, (3, 2)),
            (pct("0%"), pct("10%"), 5, (0, 1)),
            (IntOrString::Int(0), IntOrString::Int(1), 3, (0, 1)),
            (pct("30%"), pct("0%"), 10, (3, 0)),
            (pct("100%"), pct("0%"), 7, (7, 0)),
        ];
        for (s, u, d, want) in cases {
            assert_eq!(
                resolve_fenceposts(Some(&s), Some(&u), d),
                want,
                "{s:?} {u:?} {d}"
            );
        }
    }

    #[test]
    fn malformed_percent_is_none() {
        assert_eq!(scaled_value(&pct("20Percent"), 10, true), None);
        assert_eq!(scaled_value(&pct("5"), 10, true), None);
    }
}
