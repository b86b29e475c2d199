//! The small markdown lessons use, rendered to Yew nodes: paragraphs, fenced code blocks,
//! `inline code`, **bold**, *emphasis*, and `- ` lists. Text always becomes text nodes, never
//! HTML, so a scenario from a link or a message cannot inject markup.

use yew::prelude::*;

/// A block of lesson markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Para(String),
    Code(String),
    List(Vec<String>),
}

pub fn blocks(md: &str) -> Vec<Block> {
    let mut out = vec![];
    let mut para: Vec<&str> = vec![];
    let mut list: Vec<String> = vec![];
    let mut code: Option<Vec<&str>> = None;
    let flush = |para: &mut Vec<&str>, list: &mut Vec<String>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Para(para.join(" ")));
            para.clear();
        }
        if !list.is_empty() {
            out.push(Block::List(std::mem::take(list)));
        }
    };
    for line in md.lines() {
        if let Some(c) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                out.push(Block::Code(c.join("\n")));
                code = None;
            } else {
                c.push(line);
            }
            continue;
        }
        let l = line.trim();
        if l.starts_with("```") {
            flush(&mut para, &mut list, &mut out);
            code = Some(vec![]);
        } else if l.is_empty() {
            flush(&mut para, &mut list, &mut out);
        } else if let Some(item) = l.strip_prefix("- ").or_else(|| l.strip_prefix("* ")) {
            if !para.is_empty() {
                out.push(Block::Para(para.join(" ")));
                para.clear();
            }
            list.push(item.to_string());
        } else if !list.is_empty() && line.starts_with("  ") {
            if let Some(last) = list.last_mut() {
                last.push(' ');
                last.push_str(l);
            }
        } else {
            if !list.is_empty() {
                out.push(Block::List(std::mem::take(&mut list)));
            }
            para.push(l);
        }
    }
    if let Some(c) = code {
        out.push(Block::Code(c.join("\n")));
    }
    flush(&mut para, &mut list, &mut out);
    out
}

/// Inline spans: (kind, text) with kind 'c' code, 'b' bold, 'i' emphasis, 't' text.
pub fn spans(s: &str) -> Vec<(char, String)> {
    let mut out: Vec<(char, String)> = vec![];
    let mut rest = s;
    while !rest.is_empty() {
        let next = ["`", "**", "*"]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| (i, *m)))
            .min_by_key(|(i, m)| (*i, std::cmp::Reverse(m.len())));
        let Some((i, m)) = next else {
            out.push(('t', rest.to_string()));
            break;
        };
        let after = &rest[i + m.len()..];
        match after.find(m) {
            Some(j) if j > 0 => {
                if i > 0 {
                    out.push(('t', rest[..i].to_string()));
                }
                let kind = match m {
                    "`" => 'c',
                    "**" => 'b',
                    _ => 'i',
                };
                out.push((kind, after[..j].to_string()));
                rest = &after[j + m.len()..];
            }
            _ => {
                out.push(('t', rest[..i + m.len()].to_string()));
                rest = after;
            }
        }
    }
    out
}

fn inline(s: &str) -> Html {
    spans(s)
        .into_iter()
        .map(|(k, t)| match k {
            'c' => html! { <code>{t}</code> },
            'b' => html! { <strong>{t}</strong> },
            'i' => html! { <em>{t}</em> },
            _ => html! { {t} },
        })
        .collect()
}

/// Render lesson markdown.
pub fn render(md: &str) -> Html {
    blocks(md)
        .into_iter()
        .map(|b| match b {
            Block::Para(p) => html! { <p>{inline(&p)}</p> },
            Block::Code(c) => html! { <pre class="md-code"><code>{c}</code></pre> },
            Block::List(items) => html! {
                <ul>{ for items.iter().map(|i| html! { <li>{inline(i)}</li> }) }</ul>
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_spans() {
        let md = "Run this:\n\n```\nkubectl get pods\n```\n\n- one `a`\n- two\n\nA **b** and *c* <script>";
        assert_eq!(
            blocks(md),
            [
                Block::Para("Run this:".into()),
                Block::Code("kubectl get pods".into()),
                Block::List(vec!["one `a`".into(), "two".into()]),
                Block::Para("A **b** and *c* <script>".into()),
            ]
        );
        assert_eq!(
            spans("A **b** and *c* `x*y` <script>"),
            [
                ('t', "A ".into()),
                ('b', "b".into()),
                ('t', " and ".into()),
                ('i', "c".into()),
                ('t', " ".into()),
                ('c', "x*y".into()),
                ('t', " <script>".into()),
            ]
        );
        assert_eq!(spans("a * b"), [('t', "a *".into()), ('t', " b".into())]);
    }
}
