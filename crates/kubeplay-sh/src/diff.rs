//! Line diffs as GNU diffutils prints them: the shortest edit script (Myers' O((N+M)·D)
//! algorithm), then the normal (`3c3`) or unified (`@@ -3 +3 @@`) format. Used by the `diff`
//! utility and by `kubectl diff`.

/// What happens to one line on the way from the old text to the new.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    Keep,
    Delete,
    Insert,
}

/// Past this many differences the middle of two texts is not searched for the shortest
/// script: it is all deleted, then all inserted (a valid diff, not the shortest). The
/// search keeps one row of `2d + 1` offsets per difference `d`, so this bounds its memory.
const MAX_D: usize = 1024;

/// The edit script from `a` to `b`, as few deletions and insertions as can be (up to
/// [`MAX_D`] of them), its runs of changes slid as GNU diff slides them.
pub fn edits<T: Eq + std::hash::Hash>(a: &[T], b: &[T]) -> Vec<Edit> {
    let script = shortest(a, b);
    // Which lines of each side the script changes, with an unchanged line before and after.
    let (mut ca, mut cb) = (vec![false; a.len() + 2], vec![false; b.len() + 2]);
    let (mut i, mut j) = (0, 0);
    for e in &script {
        match e {
            Edit::Keep => {
                i += 1;
                j += 1;
            }
            Edit::Delete => {
                ca[i + 1] = true;
                i += 1;
            }
            Edit::Insert => {
                cb[j + 1] = true;
                j += 1;
            }
        }
    }
    let ea = equivalence(a, b, true);
    let eb = equivalence(a, b, false);
    shift_boundaries(&mut ca, &cb, &ea);
    shift_boundaries(&mut cb, &ca, &eb);
    let (n, m) = (a.len(), b.len());
    let mut out = Vec::with_capacity(script.len());
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if (i < n && ca[i + 1]) || (j < m && cb[j + 1]) {
            while i < n && ca[i + 1] {
                out.push(Edit::Delete);
                i += 1;
            }
            while j < m && cb[j + 1] {
                out.push(Edit::Insert);
                j += 1;
            }
        } else {
            out.push(Edit::Keep);
            i += 1;
            j += 1;
        }
    }
    out
}

/// Class numbers for the lines of `a` (or of `b`): equal lines get equal numbers.
fn equivalence<T: Eq + std::hash::Hash>(a: &[T], b: &[T], of_a: bool) -> Vec<usize> {
    let mut numbers: std::collections::HashMap<&T, usize> = Default::default();
    let mut out = Vec::new();
    for (side, x) in a
        .iter()
        .map(|x| (true, x))
        .chain(b.iter().map(|x| (false, x)))
    {
        let next = numbers.len();
        let n = *numbers.entry(x).or_insert(next);
        if side == of_a {
            out.push(n);
        }
    }
    out
}

/// GNU diff's `shift_boundaries`, for one side: each run of changed lines slides back over
/// equal lines to join the runs before it, then forward as far as it goes (joining the runs
/// after it), then back again to end where a run of the other side does, if one does.
/// `changed` and `other` have an unchanged line at both ends (index 0 and len - 1); `equivs`
/// are the line classes, without those ends.
fn shift_boundaries(changed: &mut [bool], other: &[bool], equivs: &[usize]) {
    // Positions are 1-based into `changed` (line k is changed[k + 1]); `eq(k)` is line k's class.
    let end = equivs.len() + 1;
    let eq = |k: usize| equivs[k - 1];
    let other = |j: usize| other.get(j).copied().unwrap_or(false);
    let (mut i, mut j) = (1usize, 1usize);
    loop {
        // The next run of changes, and the matching point of the other side.
        while i < end && !changed[i] {
            while other(j) {
                j += 1;
            }
            j += 1;
            i += 1;
        }
        if i == end {
            break;
        }
        let mut start = i;
        while changed[i] {
            i += 1;
        }
        while other(j) {
            j += 1;
        }
        let mut corresponding;
        loop {
            let runlength = i - start;
            // Back, while the line before the run equals its last line.
            while start > 1 && eq(start - 1) == eq(i - 1) {
                start -= 1;
                changed[start] = true;
                i -= 1;
                changed[i] = false;
                while changed[start - 1] {
                    start -= 1;
                }
                j = j.saturating_sub(1);
                while other(j) {
                    j = j.saturating_sub(1);
                }
            }
            corresponding = if other(j - 1) { i } else { end };
            // Forward, while the run's first line equals the line after it.
            while i != end && eq(start) == eq(i) {
                changed[start] = false;
                start += 1;
                changed[i] = true;
                i += 1;
                while changed[i] {
                    i += 1;
                }
                j += 1;
                while other(j) {
                    j += 1;
                    corresponding = i;
                }
            }
            if runlength == i - start {
                break;
            }
        }
        // Back to where the other side's run ends, if it does.
        while corresponding < i {
            start -= 1;
            changed[start] = true;
            i -= 1;
            changed[i] = false;
            j = j.saturating_sub(1);
            while other(j) {
                j = j.saturating_sub(1);
            }
        }
    }
}

/// The shortest edit script: common ends stripped, then Myers' search on the rest.
fn shortest<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Edit> {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a_rest, b_rest) = (&a[pre..], &b[pre..]);
    let suf = a_rest
        .iter()
        .rev()
        .zip(b_rest.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (am, bm) = (&a_rest[..a_rest.len() - suf], &b_rest[..b_rest.len() - suf]);
    let mut out = vec![Edit::Keep; pre];
    out.extend(middle(am, bm));
    out.extend(std::iter::repeat_n(Edit::Keep, suf));
    out
}

/// Myers' greedy forward search, keeping each round's furthest reaching offsets to walk
/// back along.
fn middle<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Edit> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let give_up = || {
        let mut v = vec![Edit::Delete; a.len()];
        v.extend(std::iter::repeat_n(Edit::Insert, b.len()));
        v
    };
    if n == 0 || m == 0 {
        return give_up();
    }
    let max = (a.len() + b.len()).min(MAX_D) as isize;
    let off = max + 1;
    // v[k + off]: the furthest x on diagonal k = x - y.
    let mut v = vec![0isize; 2 * off as usize + 1];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = None;
    'search: for d in 0..=max {
        let mut k = -d;
        while k <= d {
            let i = (k + off) as usize;
            let mut x = if k == -d || (k != d && v[i - 1] < v[i + 1]) {
                v[i + 1]
            } else {
                v[i - 1] + 1
            };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[i] = x;
            if x >= n && y >= m {
                found = Some(d);
                trace.push(v[(off - d) as usize..=(off + d) as usize].to_vec());
                break 'search;
            }
            k += 2;
        }
        trace.push(v[(off - d) as usize..=(off + d) as usize].to_vec());
    }
    let Some(dmax) = found else {
        return give_up();
    };
    // Walk back from (n, m), one difference at a time.
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut x, mut y) = (n, m);
    for d in (1..=dmax).rev() {
        let prev = &trace[d as usize - 1];
        let at = |k: isize| prev[(k + d - 1) as usize];
        let k = x - y;
        let down = k == -d || (k != d && at(k - 1) < at(k + 1));
        let pk = if down { k + 1 } else { k - 1 };
        let px = at(pk);
        let py = px - pk;
        while x > px + isize::from(!down) && y > py + isize::from(down) {
            out.push(Edit::Keep);
            x -= 1;
            y -= 1;
        }
        out.push(if down { Edit::Insert } else { Edit::Delete });
        (x, y) = (px, py);
    }
    out.extend(std::iter::repeat_n(Edit::Keep, x as usize));
    out.reverse();
    out
}

/// A file's modification time as a unified diff's header shows it
/// (`2026-01-01 00:00:05.250000000 +0000`), from Unix milliseconds.
pub fn file_time(unix_ms: i64) -> String {
    let ns = unix_ms.rem_euclid(1000) * 1_000_000;
    crate::utils::strftime(
        &format!("%Y-%m-%d %H:%M:%S.{ns:09} %z"),
        unix_ms.div_euclid(1000),
        0,
    )
}

/// A text cut into lines, each with its newline (the last may have none).
pub fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// One change: `a` lines `a.0..a.1` replaced by `b` lines `b.0..b.1` (0-based, end
/// exclusive; an empty range sits before the line it starts at).
struct Change {
    a: (usize, usize),
    b: (usize, usize),
}

/// The runs of deletions and insertions between kept lines.
fn changes(script: &[Edit]) -> Vec<Change> {
    let (mut i, mut j) = (0, 0);
    let mut out: Vec<Change> = Vec::new();
    let mut open = false;
    for e in script {
        match e {
            Edit::Keep => {
                i += 1;
                j += 1;
                open = false;
            }
            Edit::Delete | Edit::Insert => {
                if !open {
                    out.push(Change {
                        a: (i, i),
                        b: (j, j),
                    });
                    open = true;
                }
                let c = out.last_mut().expect("just pushed");
                if *e == Edit::Delete {
                    i += 1;
                    c.a.1 = i;
                } else {
                    j += 1;
                    c.b.1 = j;
                }
            }
        }
    }
    out
}

/// `line`, with GNU's marker after a last line that has no newline.
fn push_line(out: &mut String, prefix: &str, line: &str) {
    out.push_str(prefix);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

/// diff's normal format: `2,3c2`, the old lines after `< `, `---`, the new after `> `.
pub fn normal(a: &str, b: &str) -> String {
    let (al, bl) = (lines(a), lines(b));
    let range = |(s, e): (usize, usize)| {
        if e - s == 1 {
            (s + 1).to_string()
        } else {
            format!("{},{}", s + 1, e)
        }
    };
    let mut out = String::new();
    for c in changes(&edits(&al, &bl)) {
        let (del, ins) = (c.a.1 > c.a.0, c.b.1 > c.b.0);
        match (del, ins) {
            (true, true) => out.push_str(&format!("{}c{}\n", range(c.a), range(c.b))),
            (true, false) => out.push_str(&format!("{}d{}\n", range(c.a), c.b.0)),
            _ => out.push_str(&format!("{}a{}\n", c.a.0, range(c.b))),
        }
        for l in &al[c.a.0..c.a.1] {
            push_line(&mut out, "< ", l);
        }
        if del && ins {
            out.push_str("---\n");
        }
        for l in &bl[c.b.0..c.b.1] {
            push_line(&mut out, "> ", l);
        }
    }
    out
}

/// The hunks of diff's unified format with `context` lines around each change (after the
/// `---`/`+++` header, which the caller writes). Empty when the texts are the same.
pub fn unified(a: &str, b: &str, context: usize) -> String {
    let (al, bl) = (lines(a), lines(b));
    let all = changes(&edits(&al, &bl));
    let mut out = String::new();
    let mut rest = &all[..];
    while let Some(first) = rest.first() {
        // Changes whose kept lines in between fit in the two contexts share a hunk.
        let mut n = 1;
        while n < rest.len() && rest[n].a.0 - rest[n - 1].a.1 <= 2 * context {
            n += 1;
        }
        let last = &rest[n - 1];
        let a0 = first.a.0.saturating_sub(context);
        let a1 = (last.a.1 + context).min(al.len());
        let b0 = first.b.0 - (first.a.0 - a0);
        let b1 = last.b.1 + (a1 - last.a.1);
        let head = |s: usize, e: usize| match e - s {
            0 => format!("{s},0"),
            1 => (s + 1).to_string(),
            len => format!("{},{len}", s + 1),
        };
        out.push_str(&format!("@@ -{} +{} @@\n", head(a0, a1), head(b0, b1)));
        let mut i = a0;
        for c in &rest[..n] {
            for l in &al[i..c.a.0] {
                push_line(&mut out, " ", l);
            }
            for l in &al[c.a.0..c.a.1] {
                push_line(&mut out, "-", l);
            }
            for l in &bl[c.b.0..c.b.1] {
                push_line(&mut out, "+", l);
            }
            i = c.a.1;
        }
        for l in &al[i..a1] {
            push_line(&mut out, " ", l);
        }
        rest = &rest[n..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(a: &[&str], b: &[&str], script: &[Edit]) -> Vec<String> {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        for e in script {
            match e {
                Edit::Keep => {
                    assert_eq!(a[i], b[j]);
                    out.push(a[i].to_string());
                    i += 1;
                    j += 1;
                }
                Edit::Delete => i += 1,
                Edit::Insert => {
                    out.push(b[j].to_string());
                    j += 1;
                }
            }
        }
        assert_eq!((i, j), (a.len(), b.len()));
        out
    }

    #[test]
    fn scripts_turn_a_into_b_with_the_fewest_edits() {
        let cases: &[(&str, &str, usize)] = &[
            ("", "", 0),
            ("abc", "abc", 0),
            ("", "abc", 3),
            ("abc", "", 3),
            ("abcabba", "cbabac", 5),
            ("xaxbx", "abx", 2),
            ("abcdef", "azcdxf", 4),
        ];
        for (a, b, d) in cases {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let (sa, sb): (Vec<String>, Vec<String>) = (
                a.iter().map(|c| c.to_string()).collect(),
                b.iter().map(|c| c.to_string()).collect(),
            );
            let (ra, rb): (Vec<&str>, Vec<&str>) = (
                sa.iter().map(String::as_str).collect(),
                sb.iter().map(String::as_str).collect(),
            );
            let s = edits(&ra, &rb);
            assert_eq!(apply(&ra, &rb, &s), sb, "{a:?} -> {b:?}");
            let n = s.iter().filter(|e| **e != Edit::Keep).count();
            assert_eq!(n, *d, "{a:?} -> {b:?}");
        }
    }

    #[test]
    fn beyond_the_search_limit_a_diff_is_still_right() {
        let a: Vec<String> = (0..6000).map(|i| format!("a{i}\n")).collect();
        let b: Vec<String> = (0..6000).map(|i| format!("b{i}\n")).collect();
        let (ra, rb): (Vec<&str>, Vec<&str>) = (
            a.iter().map(String::as_str).collect(),
            b.iter().map(String::as_str).collect(),
        );
        let s = edits(&ra, &rb);
        assert_eq!(apply(&ra, &rb, &s), b);
    }

    #[test]
    fn formats_as_gnu_diff_does() {
        assert_eq!(normal("a\nb\nc\n", "a\nx\nc\n"), "2c2\n< b\n---\n> x\n");
        assert_eq!(normal("a\nb\n", "a\n"), "2d1\n< b\n");
        assert_eq!(normal("a\n", "a\nb\nc\n"), "1a2,3\n> b\n> c\n");
        assert_eq!(
            normal("a", "b"),
            "1c1\n< a\n\\ No newline at end of file\n---\n> b\n\\ No newline at end of file\n"
        );
        assert_eq!(unified("", "x\ny\n", 3), "@@ -0,0 +1,2 @@\n+x\n+y\n");
        let a: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let b: String = (1..=20)
            .filter(|i| *i != 18)
            .map(|i| {
                if i == 5 {
                    "five\n".into()
                } else {
                    format!("{i}\n")
                }
            })
            .collect();
        assert_eq!(
            unified(&a, &b, 3),
            "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n@@ -15,6 +15,5 @@\n 15\n 16\n 17\n-18\n 19\n 20\n"
        );
        assert_eq!(unified("a\n", "a\n", 3), "");
    }
}
