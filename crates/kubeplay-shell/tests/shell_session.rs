//! The shell language at the prompt: what a learner types, end to end through a Session.

use kubeplay_shell::script::transcript;
use kubeplay_shell::{LineState, Session, Stream};

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
";

fn text(s: &mut Session) -> String {
    s.take_output().into_iter().map(|c| c.text).collect()
}

fn run(s: &mut Session, line: &str) -> String {
    assert_eq!(s.feed_line(line), LineState::Done, "{line}");
    s.run_until_idle();
    text(s)
}

#[test]
fn heredoc_apply_then_sleep_and_get() {
    let mut s = Session::new(1);
    assert_eq!(s.feed_line("kubectl apply -f - <<EOF"), LineState::NeedMore);
    for l in DEPLOY.lines() {
        assert_eq!(s.feed_line(l), LineState::NeedMore);
    }
    assert!(
        text(&mut s).is_empty(),
        "nothing runs before the heredoc ends"
    );
    assert_eq!(s.feed_line("EOF"), LineState::Done);
    s.run_until_idle();
    assert_eq!(text(&mut s), "deployment.apps/web created\n");
    let t0 = s.now();
    assert_eq!(
        s.feed_line("sleep 2 && kubectl get deploy web --no-headers | awk '{print $1}'"),
        LineState::Done
    );
    assert!(s.is_busy(), "sleep suspends the line");
    s.run_until_idle();
    assert_eq!(s.now() - t0, 2000);
    assert_eq!(text(&mut s), "web\n");
    assert_eq!(run(&mut s, "k get pods | grep -c web"), "2\n");
    assert_eq!(run(&mut s, "k get pods -o name | wc -l"), "2\n");
}

#[test]
fn files_written_by_the_shell_are_read_by_kubectl() {
    let mut s = Session::new(1);
    let mut t = String::from("cat > web.yaml <<'EOF'\n");
    t.push_str(DEPLOY);
    t.push_str("EOF\nsed -i 's/replicas: 2/replicas: 3/' web.yaml\nkubectl apply -f web.yaml\nsleep 5\nkubectl get deploy web -o jsonpath='{.spec.replicas}'; echo\nls\n");
    let out = transcript(&mut s, &t);
    assert!(out.contains("deployment.apps/web created\n"), "{out}");
    assert!(
        out.contains("\n$ kubectl get deploy web -o jsonpath='{.spec.replicas}'; echo\n3\n"),
        "{out}"
    );
    assert!(out.ends_with("$ ls\nweb.yaml\n"), "{out}");
}

#[test]
fn errors_at_the_prompt() {
    let mut s = Session::new(1);
    assert_eq!(
        run(&mut s, "|"),
        "bash: syntax error near unexpected token `|'\n"
    );
    assert_eq!(s.last_status, 2);
    assert_eq!(run(&mut s, "foo"), "bash: foo: command not found\n");
    assert_eq!(s.last_status, 127);
    assert_eq!(run(&mut s, "echo $?"), "127\n");
    // An unterminated quote waits for more; Ctrl+C drops it.
    assert_eq!(s.feed_line("echo 'open"), LineState::NeedMore);
    assert!(s.is_continuing());
    s.interrupt();
    assert_eq!(text(&mut s), "^C\n");
    assert!(!s.is_continuing());
    assert_eq!(run(&mut s, "echo fine"), "fine\n");
    // An unterminated heredoc too.
    assert_eq!(s.feed_line("cat <<EOF"), LineState::NeedMore);
    assert_eq!(s.feed_line("body"), LineState::NeedMore);
    assert_eq!(s.feed_line("EOF"), LineState::Done);
    assert_eq!(text(&mut s), "body\n");
}

#[test]
fn deep_nesting_and_huge_lines_do_not_hurt() {
    let mut s = Session::new(1);
    let mut line = String::from("echo deep");
    for _ in 0..150 {
        line = format!("echo $({line})");
    }
    let out = run(&mut s, &line);
    assert!(out.starts_with("bash: syntax error"), "{out}");
    let mut line = String::from("echo deep");
    for _ in 0..30 {
        line = format!("echo $({line})");
    }
    assert_eq!(run(&mut s, &line), "deep\n");
    let big = "x".repeat(1 << 20);
    let out = run(&mut s, &format!("echo {big} | wc -c"));
    assert_eq!(out, format!("{}\n", (1 << 20) + 1));
}

#[test]
fn ctrl_c_stops_a_waiting_command() {
    let mut s = Session::new(1);
    assert_eq!(s.feed_line("sleep 100; echo never"), LineState::Done);
    assert!(s.is_busy());
    s.advance_to(s.now() + 1000);
    assert!(s.is_busy());
    s.interrupt();
    assert!(!s.is_busy());
    assert_eq!(text(&mut s), "^C\n");
    assert_eq!(s.last_status, 130);
    assert_eq!(run(&mut s, "echo $?"), "130\n");
}

#[test]
fn a_busy_loop_at_the_prompt_is_stopped() {
    let mut s = Session::new(1);
    let out = run(&mut s, "while true; do :; done");
    assert_eq!(
        out,
        "kubeplay: script stopped after 100000 steps without waiting\n"
    );
    assert_eq!(s.last_status, 124);
    assert_eq!(run(&mut s, "echo still here"), "still here\n");
}

#[test]
fn shell_state_persists_between_lines() {
    let mut s = Session::new(1);
    run(
        &mut s,
        "export NS=kube-system; alias kgp='kubectl get pods'",
    );
    assert_eq!(run(&mut s, "echo $NS"), "kube-system\n");
    assert_eq!(
        run(&mut s, "kgp"),
        "No resources found in default namespace.\n"
    );
    run(&mut s, "mkdir -p work && cd work");
    assert_eq!(run(&mut s, "pwd"), "/root/work\n");
    assert_eq!(run(&mut s, "cd; pwd"), "/root\n");
    let out = run(&mut s, "history | tail -n 2");
    assert_eq!(out, "    6  cd; pwd\n    7  history | tail -n 2\n");
}

#[test]
fn stderr_and_stdout_keep_their_order_and_streams() {
    let mut s = Session::new(1);
    s.feed_line("echo one; kubectl get foo; echo two");
    s.run_until_idle();
    let chunks = s.take_output();
    let streams: Vec<Stream> = chunks.iter().map(|c| c.stream).collect();
    assert_eq!(streams, vec![Stream::Out, Stream::Err, Stream::Out]);
    assert_eq!(run(&mut s, "kubectl get foo 2>&1 | wc -l"), "1\n");
    assert_eq!(run(&mut s, "kubectl get foo 2>/dev/null; echo $?"), "1\n");
}

#[test]
fn base64_secrets_as_in_the_notes() {
    let mut s = Session::new(1);
    assert_eq!(run(&mut s, "echo -n 'mysql' | base64"), "bXlzcWw=\n");
    assert_eq!(run(&mut s, "echo -n 'bXlzcWw=' | base64 --decode"), "mysql");
    assert_eq!(run(&mut s, "echo -n 'paswrd' | base64"), "cGFzd3Jk\n");
}

#[test]
fn odd_input_never_panics_or_hangs() {
    let mut s = Session::new(1);
    for line in [
        "${",
        "$((",
        "echo $((1/0))",
        "echo ${x:?}",
        "echo ${x:?gone}",
        "cat <<",
        "<<EOF",
        ">",
        "2>&",
        "echo >&3",
        "echo {1..100000000}",
        "printf '%'",
        "printf '%d' abc",
        "sort -k0",
        "cut -f0",
        "head -c -5 /dev/null",
        "tr",
        "tr -d",
        "sed 's/a'",
        "sed",
        "awk '{'",
        "awk",
        "jq '.['",
        "echo '{' | jq .",
        "grep -E '('",
        "grep '\\('",
        "grep",
        "base64 -w x",
        "echo $((2**63)) $(( -9223372036854775807 - 1 ))",
        "exit 5",
        "echo after exit",
        "return",
        "break",
        "continue 3",
        "f() { f; }; f",
        "x=$(",
        "`",
        "echo `echo",
        "((",
        "))",
        "case",
        "case x in",
        "for",
        "for x in; do :; done",
        "while :",
        "if",
        "then",
        "fi",
        "{ }",
        "( )",
        "!",
        "! !",
        "&",
        "&&",
        "a=(1 2)",
        "echo ${x/",
        "echo ${#}",
        "echo ${@}",
        "${x:-$(",
        "cd /nonexistent",
        "cd",
        "cd -",
        "mkdir",
        "rm -rf /",
        "ls -z",
        "seq",
        "seq 1 0",
        "seq 1 0.5 2",
        "date +%s",
        "date -d x",
        "sleep x",
        "sleep",
        "echo \u{1F600} | wc -m",
        "printf '\\xff\\xfe' | base64",
        "printf '\\xff' | grep -c .",
        "read x < /dev/null; echo $?",
        "kubectl",
        "k get",
        "kubectl apply -f -",
        "cat /dev/null | kubectl apply -f -",
        "echo 'kind: Nope' | kubectl apply -f -",
        "echo hi > /",
        "echo hi > /tmp/",
        "cat /",
        "xargs -n",
        "yes | head -n 2",
        "yes",
        "history 1",
        "type k",
        "which nosuch",
        "alias",
        "unalias nosuch",
        "export 1x=2",
        "unset PATH; ls",
        "set -euo pipefail",
        "eval 'echo $('",
        "bash -c 'echo $('",
        "source nofile",
        ". /dev/null",
        "wait",
        "jobs",
        "sleep 1 &",
        "echo done",
    ] {
        s.feed_line(line);
        s.run_until_idle();
        if s.is_continuing() {
            s.interrupt();
        }
        let _ = s.take_output();
    }
    assert_eq!(run(&mut s, "echo alive"), "alive\n");
}

#[test]
fn a_heredoc_body_waits_for_its_closing_line_whatever_the_lines_hold() {
    // Body lines that would be unfinished or wrong as commands are text; `<<-` closes on a
    // tab-indented line; a second heredoc on the line is read after the first.
    let mut s = Session::new(1);
    assert_eq!(
        s.feed_line("cat <<-A; cat <<'B' | wc -l"),
        LineState::NeedMore
    );
    for l in ["if then 'open", ")( fi", "  A", "\tA"] {
        assert_eq!(s.feed_line(l), LineState::NeedMore, "{l:?}");
    }
    for l in ["\"", "B "] {
        assert_eq!(s.feed_line(l), LineState::NeedMore, "{l:?}");
    }
    assert_eq!(s.feed_line("B"), LineState::Done);
    s.run_until_idle();
    assert_eq!(text(&mut s), "if then 'open\n)( fi\n  A\n2\n");

    // Ctrl+C drops the half-typed heredoc: its closing word is a command again.
    assert_eq!(s.feed_line("cat <<END"), LineState::NeedMore);
    assert_eq!(s.feed_line("text"), LineState::NeedMore);
    s.interrupt();
    assert_eq!(text(&mut s), "^C\n");
    assert_eq!(s.feed_line("END"), LineState::Done);
    s.run_until_idle();
    assert_eq!(text(&mut s), "bash: END: command not found\n");

    // A long paste: 20,000 body lines (it took minutes when every line parsed all of them).
    assert_eq!(s.feed_line("wc -l <<EOF"), LineState::NeedMore);
    for i in 0..20_000 {
        assert_eq!(s.feed_line(&format!("line {i}")), LineState::NeedMore);
    }
    assert_eq!(run(&mut s, "EOF"), "20000\n");
}

#[test]
fn vi_opens_its_file_in_the_embedders_editor() {
    // Where there is an editor (the page), `vi FILE` opens FILE there and the prompt returns.
    let mut s = Session::new(1);
    s.set_editor(true);
    assert_eq!(
        run(&mut s, "kubectl run x --image=nginx --dry-run=client -o yaml > pod.yaml; vi pod.yaml && echo $?"),
        "0\n"
    );
    assert_eq!(s.take_open_requests(), vec!["pod.yaml".to_string()]);
    assert_eq!(run(&mut s, "vim +3 -n new.yaml; nano"), "");
    assert_eq!(
        s.take_open_requests(),
        vec!["new.yaml".to_string(), String::new()]
    );
    // Without one (this command line), there is no such command, as on a machine without vi.
    let mut s = Session::new(1);
    assert_eq!(run(&mut s, "vi pod.yaml"), "bash: vi: command not found\n");
    assert!(s.take_open_requests().is_empty());
}
