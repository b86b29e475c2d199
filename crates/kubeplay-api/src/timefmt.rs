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

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in(month: u32, year: i64) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Go's `time` package `quote`: bytes outside printable ASCII as `\xNN`.
fn go_quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        if !(b' '..0x80).contains(&b) {
            out.push_str("\\x");
            out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
        } else {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(char::from(b));
        }
    }
    out.push('"');
    out
}

fn digit(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// Go's `getnum`: one or two digits (`fixed`: exactly two).
fn getnum(s: &[u8], fixed: bool) -> Option<(u32, &[u8])> {
    if !digit(s, 0) {
        return None;
    }
    if !digit(s, 1) {
        return (!fixed).then(|| (u32::from(s[0] - b'0'), &s[1..]));
    }
    Some((
        u32::from(s[0] - b'0') * 10 + u32::from(s[1] - b'0'),
        &s[2..],
    ))
}

/// Go's `parseNanoseconds` for `value` = `.ddd...` of `n` bytes.
fn nanoseconds(value: &[u8], n: usize) -> i32 {
    let n = n.min(10);
    let mut ns = 0;
    for &d in &value[1..n] {
        ns = ns * 10 + i32::from(d - b'0');
    }
    for _ in n..10 {
        ns *= 10;
    }
    ns
}

/// `time.Parse(time.RFC3339, s)` as `metav1.Time` reads a time (`nano`: `time.RFC3339Nano`,
/// as `metav1.MicroTime` does), with Go's error text (`parsing time "x" as
/// "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`). Go's general parser, which
/// accepts what its RFC 3339 fast path accepts and a little more (a one-digit hour, an
/// offset of `+24:00`), with the same results.
pub fn parse_rfc3339(text: &str, nano: bool) -> Result<Timestamp, String> {
    let layout = if nano {
        "2006-01-02T15:04:05.999999999Z07:00"
    } else {
        "2006-01-02T15:04:05Z07:00"
    };
    let cannot = |value: &[u8], elem: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            go_quote(text.as_bytes()),
            go_quote(layout.as_bytes()),
            go_quote(value),
            go_quote(elem.as_bytes())
        )
    };
    let message = |m: &str| format!("parsing time {}{m}", go_quote(text.as_bytes()));
    let out_of_range = |what: &str| message(&format!(": {what} out of range"));
    let mut v = text.as_bytes();
    // The year: four bytes, the first a digit.
    if v.len() < 4 || !digit(v, 0) || !v[1..4].iter().all(u8::is_ascii_digit) {
        return Err(cannot(v, "2006"));
    }
    let year = v[..4]
        .iter()
        .fold(0i64, |y, d| y * 10 + i64::from(d - b'0'));
    v = &v[4..];
    let mut fields = [0u32; 5];
    for (i, (sep, elem)) in [
        ("-", "01"),
        ("-", "02"),
        ("T", "15"),
        (":", "04"),
        (":", "05"),
    ]
    .into_iter()
    .enumerate()
    {
        if v.first() != Some(&sep.as_bytes()[0]) {
            return Err(cannot(v, sep));
        }
        v = &v[1..];
        // Hours may have one digit; the others need two.
        let Some((n, rest)) = getnum(v, elem != "15") else {
            return Err(cannot(v, elem));
        };
        // The day is checked against its month at the end.
        let limit = [12, 99, 23, 59, 59][i];
        if (i == 0 && n == 0) || n > limit {
            let what = ["month", "", "hour", "minute", "second"][i];
            return Err(out_of_range(what));
        }
        fields[i] = n;
        v = rest;
    }
    let [month, day, hour, minute, second] = fields;
    // A fraction after the seconds: Go takes one even when the layout has none.
    let mut nanos = 0;
    if v.len() >= 2 && (v[0] == b'.' || v[0] == b',') && v[1].is_ascii_digit() {
        let n = 1 + v[1..].iter().take_while(|b| b.is_ascii_digit()).count();
        nanos = nanoseconds(v, n);
        v = &v[n..];
    }
    let tz_elem = "Z07:00";
    let mut offset = 0i64;
    if v.first() == Some(&b'Z') {
        v = &v[1..];
    } else {
        if v.len() < 6 || v[3] != b':' {
            return Err(cannot(v, tz_elem));
        }
        let (sign, hh, mm, rest) = (v[0], &v[1..3], &v[4..6], &v[6..]);
        let hr = getnum(hh, true).map(|x| x.0);
        let min = hr.and_then(|_| getnum(mm, true).map(|x| x.0));
        let (h, m) = (hr.unwrap_or(0), min.unwrap_or(0));
        if m > 60 {
            return Err(out_of_range("time zone offset minute"));
        }
        if h > 24 {
            return Err(out_of_range("time zone offset hour"));
        }
        if min.is_none() || (sign != b'+' && sign != b'-') {
            return Err(cannot(v, tz_elem));
        }
        offset = i64::from((h * 60 + m) * 60);
        if sign == b'-' {
            offset = -offset;
        }
        v = rest;
    }
    if !v.is_empty() {
        return Err(message(&format!(": extra text: {}", go_quote(v))));
    }
    if day < 1 || day > days_in(month, year) {
        return Err(out_of_range("day"));
    }
    let secs = days_from_civil(year, month, day) * 86_400
        + i64::from(hour * 3600 + minute * 60 + second)
        - offset;
    // Go's times reach a little past what a Timestamp holds (9999-12-30T22:00:00Z).
    Ok(Timestamp::new(secs, nanos).unwrap_or(if secs > 0 {
        Timestamp::MAX
    } else {
        Timestamp::MIN
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What kubectl 1.32.4 prints for these times (`kubectl auth reconcile -f role.json
    /// --dry-run=client` decodes a Role's `metadata.creationTimestamp` through
    /// `metav1.Time` before it needs a server).
    const GO_ERRORS: &[(&str, &str)] = &[
        ("yesterday", "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\""),
        ("2024-1-01T00:00:00Z", "parsing time \"2024-1-01T00:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"1-01T00:00:00Z\" as \"01\""),
        ("2024-01-1T00:00:00Z", "parsing time \"2024-01-1T00:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"1T00:00:00Z\" as \"02\""),
        ("2024-13-01T00:00:00Z", "parsing time \"2024-13-01T00:00:00Z\": month out of range"),
        ("2024-00-01T00:00:00Z", "parsing time \"2024-00-01T00:00:00Z\": month out of range"),
        ("2024-02-30T00:00:00Z", "parsing time \"2024-02-30T00:00:00Z\": day out of range"),
        ("2023-02-29T00:00:00Z", "parsing time \"2023-02-29T00:00:00Z\": day out of range"),
        ("2024-01-00T00:00:00Z", "parsing time \"2024-01-00T00:00:00Z\": day out of range"),
        ("2024-01-01T24:00:00Z", "parsing time \"2024-01-01T24:00:00Z\": hour out of range"),
        ("2024-01-01T23:60:00Z", "parsing time \"2024-01-01T23:60:00Z\": minute out of range"),
        ("2024-01-01T23:59:60Z", "parsing time \"2024-01-01T23:59:60Z\": second out of range"),
        ("2024-01-01 00:00:00Z", "parsing time \"2024-01-01 00:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \" 00:00:00Z\" as \"T\""),
        ("2024-01-01t00:00:00Z", "parsing time \"2024-01-01t00:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"t00:00:00Z\" as \"T\""),
        ("2024-01-01T00:00:00z", "parsing time \"2024-01-01T00:00:00z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"z\" as \"Z07:00\""),
        ("2024-01-01T00:00:00", "parsing time \"2024-01-01T00:00:00\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"Z07:00\""),
        ("2024-01-01T00:00", "parsing time \"2024-01-01T00:00\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \":\""),
        ("2024-01-01T00:00:00Zjunk", "parsing time \"2024-01-01T00:00:00Zjunk\": extra text: \"junk\""),
        ("2024-01-01T00:00:00+25:00", "parsing time \"2024-01-01T00:00:00+25:00\": time zone offset hour out of range"),
        ("2024-01-01T00:00:00+01:61", "parsing time \"2024-01-01T00:00:00+01:61\": time zone offset minute out of range"),
        ("2024-01-01T00:00:00+99:99", "parsing time \"2024-01-01T00:00:00+99:99\": time zone offset minute out of range"),
        ("2024-01-01T00:00:00+0100", "parsing time \"2024-01-01T00:00:00+0100\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"+0100\" as \"Z07:00\""),
        ("2024-01-01T00:00:00*01:00", "parsing time \"2024-01-01T00:00:00*01:00\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"*01:00\" as \"Z07:00\""),
        ("2024-01-01T00:00:00+0a:00", "parsing time \"2024-01-01T00:00:00+0a:00\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"+0a:00\" as \"Z07:00\""),
        ("2024-01-01T00:00:00+01:0a", "parsing time \"2024-01-01T00:00:00+01:0a\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"+01:0a\" as \"Z07:00\""),
        ("2024-01-01T00:00:00.Z", "parsing time \"2024-01-01T00:00:00.Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \".Z\" as \"Z07:00\""),
        ("2024-01-01T00:00:00.5", "parsing time \"2024-01-01T00:00:00.5\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"Z07:00\""),
        ("2024-01-01T00:00:00+01:00x", "parsing time \"2024-01-01T00:00:00+01:00x\": extra text: \"x\""),
        ("20a4-01-01T00:00:00Z", "parsing time \"20a4-01-01T00:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"20a4-01-01T00:00:00Z\" as \"2006\""),
        ("-2024-01-01T00:00:00Z", "parsing time \"-2024-01-01T00:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"-2024-01-01T00:00:00Z\" as \"2006\""),
        ("2024-01-32T00:00:00Zx", "parsing time \"2024-01-32T00:00:00Zx\": extra text: \"x\""),
        ("é2024", "parsing time \"\\xc3\\xa92024\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\\xc3\\xa92024\" as \"2006\""),
        ("2024-01-01T00:00:00Z\"\\", "parsing time \"2024-01-01T00:00:00Z\\\"\\\\\": extra text: \"\\\"\\\\\""),
        ("2024-01-01T00:00:00+01:00:00", "parsing time \"2024-01-01T00:00:00+01:00:00\": extra text: \":00\""),
    ];

    #[test]
    fn times_fail_with_gos_words() {
        for (input, want) in GO_ERRORS {
            assert_eq!(parse_rfc3339(input, false).unwrap_err(), *want, "{input}");
        }
        // MicroTime's layout differs in the words only.
        assert_eq!(
            parse_rfc3339("x", true).unwrap_err(),
            "parsing time \"x\" as \"2006-01-02T15:04:05.999999999Z07:00\": cannot parse \"x\" as \"2006\""
        );
    }

    #[test]
    fn times_go_accepts_are_the_instants_jiff_reads() {
        // kubectl accepted these (it went on to ask the server).
        let accepted = [
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:00+09:00",
            "2024-01-01T00:00:00.123456789123Z",
            "2024-01-01T00:00:00,5Z",
            "2024-01-01T1:00:00Z",
            "2024-02-29T00:00:00Z",
            "2024-01-01T00:00:00+24:00",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2024-01-01T00:00:00.999999999-23:59",
        ];
        for input in accepted {
            let ours = parse_rfc3339(input, false).unwrap();
            let nano = parse_rfc3339(input, true).unwrap();
            assert_eq!(ours, nano, "{input}");
            // jiff reads strict RFC 3339; Go also takes a one-digit hour, a comma and +24:00.
            if let Ok(j) = input.parse::<Timestamp>() {
                assert_eq!(ours, j, "{input}");
            }
        }
        let t = |s: &str| parse_rfc3339(s, false).unwrap().as_second();
        assert_eq!(t("2024-01-01T1:00:00Z"), t("2024-01-01T01:00:00Z"));
        assert_eq!(t("2024-01-01T00:00:00+24:00"), t("2023-12-31T00:00:00Z"));
        assert_eq!(
            parse_rfc3339("2024-01-01T00:00:00,5Z", false),
            parse_rfc3339("2024-01-01T00:00:00.5Z", false)
        );
        // Beyond what a Timestamp holds: its last instant.
        assert_eq!(
            parse_rfc3339("9999-12-31T23:59:59Z", false),
            Ok(Timestamp::MAX)
        );
        // Every day of four centuries, against jiff.
        let mut s = -62_167_219_200; // 0000-01-01
        while s < 253_402_207_200 {
            let ts = Timestamp::new(s, 0).unwrap();
            assert_eq!(parse_rfc3339(&rfc3339(ts), false), Ok(ts));
            s += 86_400 * 7 + 3_601;
        }
    }

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
