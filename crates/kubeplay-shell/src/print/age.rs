//! `HumanDuration` from apimachinery, as the AGE column prints it.

use kubeplay_core::time::Millis;

/// Format a duration the way `kubectl get` prints ages.
pub fn human_duration(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    if secs < -1 {
        return "<invalid>".into();
    }
    if secs < 0 {
        return "0s".into();
    }
    if secs < 120 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        let s = secs % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    let days = hours / 24;
    if days < 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{days}d")
        } else {
            format!("{days}d{h}h")
        };
    }
    if days < 365 * 2 {
        return format!("{days}d");
    }
    let years = days / 365;
    if years < 8 {
        let d = days % 365;
        return if d == 0 {
            format!("{years}y")
        } else {
            format!("{years}y{d}d")
        };
    }
    format!("{years}y")
}

/// The AGE of something created at `created` (virtual ms), seen at `now`.
pub fn age(created: Option<Millis>, now: Millis) -> String {
    match created {
        None => "<unknown>".into(),
        // Timestamps are stored with second precision, so ages are too.
        Some(c) => human_duration(now as i64 - (c / 1000 * 1000) as i64),
    }
}

#[cfg(test)]
mod tests {
    use super::human_duration as h;

    #[test]
    fn matches_apimachinery() {
        let s = |x: i64| x * 1000;
        assert_eq!(h(0), "0s");
        assert_eq!(h(s(119)), "119s");
        assert_eq!(h(s(120)), "2m");
        assert_eq!(h(s(150)), "2m30s");
        assert_eq!(h(s(599)), "9m59s");
        assert_eq!(h(s(3600)), "60m");
        assert_eq!(h(s(179 * 60)), "179m");
        assert_eq!(h(s(3 * 3600)), "3h");
        assert_eq!(h(s(3 * 3600 + 59 * 60)), "3h59m");
        assert_eq!(h(s(47 * 3600)), "47h");
        assert_eq!(h(s(49 * 3600)), "2d1h");
        assert_eq!(h(s(400 * 86400)), "400d");
        assert_eq!(h(-5000), "<invalid>");
    }
}
