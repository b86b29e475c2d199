//! Tables as kubectl prints them: Go's text/tabwriter with minwidth 6, padding 3, no
//! trailing padding after the last column.

#[derive(Clone, Debug, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: vec![],
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// `pod/x` style names, for `get` of several kinds.
    pub fn prefix_names(&mut self, prefix: &str) {
        for r in &mut self.rows {
            if let Some(n) = r.first_mut() {
                *n = format!("{prefix}{n}");
            }
        }
    }

    pub fn render(&self) -> String {
        let mut lines: Vec<&Vec<String>> = Vec::with_capacity(self.rows.len() + 1);
        if !self.headers.is_empty() {
            lines.push(&self.headers);
        }
        lines.extend(self.rows.iter());
        tabwrite(&lines, 6, 3)
    }
}

/// Lay out cells in columns: each column as wide as its widest cell plus `padding`, at least
/// `min_width`; the last cell of a line is never padded.
pub fn tabwrite(lines: &[&Vec<String>], min_width: usize, padding: usize) -> String {
    let cols = lines.iter().map(|l| l.len()).max().unwrap_or(0);
    let mut widths = vec![0usize; cols];
    for l in lines {
        for (i, c) in l.iter().enumerate() {
            if i + 1 < l.len() {
                widths[i] = widths[i].max(c.chars().count() + padding).max(min_width);
            }
        }
    }
    let mut out = String::new();
    for l in lines {
        for (i, c) in l.iter().enumerate() {
            out.push_str(c);
            if i + 1 < l.len() {
                let pad = widths[i] - c.chars().count();
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_widest_plus_three_min_six() {
        let mut t = Table::new(&["NAME", "READY", "AGE"]);
        t.push(vec!["a".into(), "1/1".into(), "5s".into()]);
        assert_eq!(t.render(), "NAME   READY   AGE\na      1/1     5s\n");
    }
}
