//! Timestamps written as Kubernetes writes them, without jiff's `strftime` machinery (a
//! general formatter the page would carry for three fixed layouts).

use k8s_openapi::jiff::Timestamp;

/// A UTC time broken into calendar fields.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    micros: u32,
    /// 0 = Sunday.
    weekday: u32,
}

fn civil(t: Timestamp) -> Civil {
    let mut secs = t.as_second();
    let mut nanos = t.subsec_nanosecond();
    if nanos < 0 {
        secs -= 1;
        nanos += 1_000_000_000;
    }
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil {
        year,
        month,
        day,
        hour: rem / 3600,
        minute: rem / 60 % 60,
        second: rem % 60,
        micros: nanos as u32 / 1000,
        weekday: (days + 4).rem_euclid(7) as u32,
    }
}

/// `%Y`: at least four characters, the sign included (`-001`).
fn year(y: i64) -> String {
    format!("{y:04}")
}

/// `2006-01-02T15:04:05Z` (`metav1.Time`).
pub fn rfc3339(t: Timestamp) -> String {
    let c = civil(t);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        year(c.year),
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second
    )
}

/// `2006-01-02T15:04:05.000000Z` (`metav1.MicroTime`).
pub fn rfc3339_micro(t: Timestamp) -> String {
    let c = civil(t);
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        year(c.year),
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.micros
    )
}

/// RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`.
pub fn rfc1123z(t: Timestamp) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = civil(t);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} +0000",
        DAYS[c.weekday as usize],
        c.day,
        MONTHS[c.month as usize - 1],
        year(c.year),
        c.hour,
        c.minute,
        c.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_as_jiff_strftime() {
        let mut s: i64 = -62_135_596_800 - 86_400 * 400; // some time in year -1
        let step = 86_400 * 37 + 3_671 * 13 + 7;
        let mut n = 0;
        while s < 253_402_300_799 {
            for nanos in [0, 1_000, 999_999_000, 123_456_789] {
                let Ok(t) = Timestamp::new(s, nanos) else {
                    continue;
                };
                assert_eq!(rfc3339(t), t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
                assert_eq!(
                    rfc3339_micro(t),
                    t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
                );
                assert_eq!(
                    rfc1123z(t),
                    t.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
                );
                n += 1;
            }
            s += step;
        }
        for s in [-1, 0, 1, 951_782_400, 1_767_225_600, -62_135_596_800] {
            let t = Timestamp::new(s, 0).unwrap();
            assert_eq!(
                rfc1123z(t),
                t.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
            );
            let t = Timestamp::new(s, -5_000).unwrap();
            assert_eq!(
                rfc3339_micro(t),
                t.strftime("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
            );
        }
        assert!(n > 10_000);
    }
}
