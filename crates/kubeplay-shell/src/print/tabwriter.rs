//! Go's `text/tabwriter`, as `kubectl describe` uses it (`NewWriter(out, 0, 8, 2, ' ', 0)`):
//! a cell is text terminated by a tab; a column block is a run of consecutive lines that all
//! have a tab-terminated cell in that column; a block's width is its widest cell plus the
//! padding. Text after a line's last tab is not part of any column and is never padded.

/// Lay out `text` (lines separated by `\n`) as Go's tabwriter does on `Flush`.
pub fn format(text: &str, min_width: usize, padding: usize) -> String {
    let mut lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    // `split` yields one empty line after a trailing newline; it is not a line.
    let trailing_newline = text.ends_with('\n');
    if trailing_newline {
        lines.pop();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut widths: Vec<usize> = Vec::new();
    let w = Writer {
        lines: &lines,
        min_width,
        padding,
    };
    w.format(&mut out, &mut widths, 0, lines.len());
    if !trailing_newline && out.ends_with('\n') {
        out.pop();
    }
    out
}

struct Writer<'a> {
    lines: &'a [Vec<&'a str>],
    min_width: usize,
    padding: usize,
}

fn width(s: &str) -> usize {
    s.chars().count()
}

impl Writer<'_> {
    fn format(&self, out: &mut String, widths: &mut Vec<usize>, line0: usize, line1: usize) {
        let column = widths.len();
        let mut line0 = line0;
        let mut this = line0;
        while this < line1 {
            let line = &self.lines[this];
            if column + 1 >= line.len() {
                this += 1;
                continue;
            }
            // A cell exists in this column: lines before it are printed as they are.
            self.write_lines(out, widths, line0, this);
            line0 = this;
            let mut w = self.min_width;
            while this < line1 {
                let line = &self.lines[this];
                if column + 1 >= line.len() {
                    break;
                }
                w = w.max(width(line[column]) + self.padding);
                this += 1;
            }
            widths.push(w);
            self.format(out, widths, line0, this);
            widths.pop();
            line0 = this;
        }
        self.write_lines(out, widths, line0, line1);
    }

    fn write_lines(&self, out: &mut String, widths: &[usize], line0: usize, line1: usize) {
        for line in &self.lines[line0..line1] {
            for (j, cell) in line.iter().enumerate() {
                out.push_str(cell);
                if j < widths.len() && j + 1 < line.len() {
                    let pad = widths[j].saturating_sub(width(cell));
                    out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn blocks_end_at_lines_without_tabs() {
        let t = "Name:\tx\nNamespace:\tdefault\nContainers:\n  a:\n    Image:\tnginx\n    Port:\t80/TCP\n";
        assert_eq!(
            format(t, 0, 2),
            "Name:       x\nNamespace:  default\nContainers:\n  a:\n    Image:  nginx\n    Port:   80/TCP\n"
        );
    }

    #[test]
    fn nested_columns() {
        let t = "Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n  Available \tTrue\tMinimumReplicasAvailable\nOld:\tx\n";
        assert_eq!(
            format(t, 0, 2),
            "Conditions:\n  Type        Status  Reason\n  ----        ------  ------\n  Available   True    MinimumReplicasAvailable\nOld:          x\n"
        );
    }
}
