//! Interpreter tests: scripts run against a test host with a virtual clock.

use crate::*;

/// A host with a clock, and one command of its own: `wait-until T` finishes at virtual time T
/// (ms), printing `waited` then.
pub(crate) struct TestHost {
    pub now: Millis,
    pub fs: Vfs,
    pub waits: std::collections::BTreeMap<u64, Millis>,
    pub next: u64,
    pub ran: Vec<Vec<String>>,
    pub stdin_seen: Vec<Option<String>>,
}

impl TestHost {
    pub fn new() -> TestHost {
        TestHost {
            now: 0,
            fs: Vfs::default(),
            waits: Default::default(),
            next: 1,
            ran: vec![],
            stdin_seen: vec![],
        }
    }
}

impl Host for TestHost {
    fn fs(&mut self) -> &mut Vfs {
        &mut self.fs
    }
    fn now(&self) -> Millis {
        self.now
    }
    fn has_command(&self, name: &str) -> bool {
        matches!(name, "wait-until" | "kubectl" | "showenv")
    }
    fn run(&mut self, argv: &[String], io: &mut Io) -> Step {
        self.ran.push(argv.to_vec());
        self.stdin_seen.push(
            io.stdin
                .as_ref()
                .map(|d| String::from_utf8_lossy(d).into_owned()),
        );
        match argv[0].as_str() {
            "wait-until" => {
                let t: Millis = argv[1].parse().unwrap_or(0);
                let h = self.next;
                self.next += 1;
                self.waits.insert(h, t);
                Step::Wait(Handle(h))
            }
            "showenv" => {
                io.out(format!(
                    "{}\n",
                    io.env.get(&argv[1]).cloned().unwrap_or_default()
                ));
                Step::Exit(0)
            }
            "kubectl" => {
                io.out(format!("kubectl {}\n", argv[1..].join(" ")));
                io.err("kubectl-err\n");
                Step::Exit(3)
            }
            _ => Step::NotFound,
        }
    }
    fn poll(&mut self, h: Handle, io: &mut Io) -> Option<i32> {
        let t = *self.waits.get(&h.0)?;
        if self.now >= t {
            self.waits.remove(&h.0);
            io.out("waited\n");
            Some(0)
        } else {
            None
        }
    }
    fn wake_at(&self, h: Handle) -> Option<Millis> {
        self.waits.get(&h.0).copied()
    }
    fn cancel(&mut self, h: Handle) {
        self.waits.remove(&h.0);
    }
}

/// Run a script to the end, jumping the clock to each wake time. Returns (terminal text, status).
pub(crate) fn run_with(host: &mut TestHost, src: &str) -> (String, i32) {
    let mut p = Proc::parse(src, Shell::new("bash")).unwrap_or_else(|e| panic!("{src}: {e:?}"));
    let mut out = Out::default();
    for _ in 0..10_000 {
        match p.step(host, &mut out) {
            Status::Exited(c) => return (out.all_text(), c),
            Status::Blocked => {
                let t = p.wake_at(host).expect("blocked with no wake time");
                host.now = host.now.max(t);
            }
        }
    }
    panic!("{src}: did not finish");
}

fn run(src: &str) -> (String, i32) {
    run_with(&mut TestHost::new(), src)
}

#[test]
fn scripts() {
    let cases: &[(&str, &str, i32)] = &[
        ("echo hi", "hi\n", 0),
        ("echo a; echo b", "a\nb\n", 0),
        ("true && echo yes || echo no", "yes\n", 0),
        ("false && echo yes || echo no", "no\n", 0),
        ("false; echo $?", "1\n", 0),
        ("! true; echo $?", "1\n", 0),
        (
            "nosuch; echo $?",
            "bash: nosuch: command not found\n127\n",
            0,
        ),
        ("x=5; echo $x ${x}y", "5 5y\n", 0),
        ("echo $(echo a $(echo b))", "a b\n", 0),
        ("echo `echo tick`", "tick\n", 0),
        ("x=$(echo hi); echo \"[$x]\"", "[hi]\n", 0),
        (
            "if false; then echo a; elif true; then echo b; else echo c; fi",
            "b\n",
            0,
        ),
        ("for i in 1 2 3; do echo $i; done", "1\n2\n3\n", 0),
        ("for i in {1..3}; do echo -n $i; done; echo", "123\n", 0),
        (
            "i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done",
            "0\n1\n2\n",
            0,
        ),
        (
            "i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i",
            "2\n",
            0,
        ),
        (
            "for i in 1 2 3 4; do if [ $i = 3 ]; then break; fi; echo $i; done",
            "1\n2\n",
            0,
        ),
        (
            "for i in 1 2 3; do if [ $i = 2 ]; then continue; fi; echo $i; done",
            "1\n3\n",
            0,
        ),
        (
            "f() { echo \"f:$1:$#\"; return 4; }; f a b; echo $?",
            "f:a:2\n4\n",
            0,
        ),
        ("case abc in a*) echo A;; *) echo other;; esac", "A\n", 0),
        ("case x in a|b) echo AB;; esac; echo $?", "0\n", 0),
        ("{ echo a; echo b; } | cat", "a\nb\n", 0),
        ("(x=1; echo in $x); echo out $x", "in 1\nout\n", 0),
        ("echo hi | cat | cat", "hi\n", 0),
        ("exit 3; echo no", "", 3),
        ("echo a >/dev/null; echo b", "b\n", 0),
        ("nosuch 2>/dev/null; echo $?", "127\n", 0),
        ("kubectl get 2>&1 >/dev/null", "kubectl-err\n", 3),
        ("kubectl get >/dev/null 2>&1; echo $?", "3\n", 0),
        ("echo one > f; echo two >> f; cat f", "one\ntwo\n", 0),
        ("cat <<EOF\nhello $HOME\nEOF", "hello /root\n", 0),
        ("cat <<'EOF'\nhello $HOME\nEOF", "hello $HOME\n", 0),
        ("cat <<-EOF\n\t\tindented\n\tEOF", "indented\n", 0),
        (
            "cat < nofile",
            "bash: nofile: No such file or directory\n",
            1,
        ),
        (
            "echo x > /nodir/f",
            "bash: /nodir/f: No such file or directory\n",
            1,
        ),
        ("alias hi='echo hello'; hi there", "hello there\n", 0),
        (
            "export A=1; showenv A; B=2 showenv B; showenv B",
            "1\n2\n\n",
            0,
        ),
        (
            "printf 'a\\nb\\n' | while read l; do echo \"<$l>\"; done",
            "<a>\n<b>\n",
            0,
        ),
        ("sleep 2 && echo slept", "slept\n", 0),
        ("wait-until 500 && echo after", "waited\nafter\n", 0),
        ("x=$(wait-until 100; echo val); echo $x", "waited val\n", 0),
        ("echo a | wait-until 50 | cat", "waited\n", 0),
        ("set -- a b c; echo $# $2", "3 b\n", 0),
        ("echo ${U:-default} ${#HOME}", "default 5\n", 0),
        (
            "{ echo out; nosuch; } > f 2>&1; cat f",
            "out\nbash: nosuch: command not found\n",
            0,
        ),
        ("eval 'echo ev'", "ev\n", 0),
        ("bash -c 'echo $0 $1' x y", "x y\n", 0),
        ("sh -c 'exit 7'; echo $?", "7\n", 0),
        (
            "cd /tmp && pwd; cd nosuch",
            "/tmp\nbash: cd: nosuch: No such file or directory\n",
            1,
        ),
        (
            "type cd; which kubectl",
            "cd is a shell builtin\n/usr/local/bin/kubectl\n",
            0,
        ),
    ];
    for (src, want, code) in cases {
        let (got, c) = run(src);
        assert_eq!((got.as_str(), c), (*want, *code), "script: {src}");
    }
}

#[test]
fn sleeping_loop_suspends_and_resumes() {
    let mut host = TestHost::new();
    let mut p = Proc::parse(
        "while true; do echo hello; sleep 10; done",
        Shell::new("sh"),
    )
    .unwrap();
    let mut out = Out::default();
    assert_eq!(p.step(&mut host, &mut out), Status::Blocked);
    assert_eq!(out.take(), vec![(1, b"hello\n".to_vec())]);
    assert_eq!(p.wake_at(&host), Some(10_000));
    // Stepping early does nothing.
    host.now = 5_000;
    assert_eq!(p.step(&mut host, &mut out), Status::Blocked);
    assert!(out.is_empty());
    host.now = 30_000;
    assert_eq!(p.step(&mut host, &mut out), Status::Blocked);
    assert_eq!(out.stdout_text(), "hello\n");
}

#[test]
fn busy_loop_hits_the_step_budget() {
    let (text, code) = run("while true; do :; done; echo never");
    assert_eq!(
        text,
        format!("kubeplay: script stopped after {STEP_BUDGET} steps without waiting\n")
    );
    assert_eq!(code, 124);
    let (_, code) = run("f() { f; }; f");
    assert_ne!(code, 0);
    let (text, _) = run("f() { echo x | f; }; f");
    assert!(text.contains("maximum nesting level exceeded"), "{text}");
}

#[test]
fn interrupt_cancels_the_host_command() {
    let mut host = TestHost::new();
    let mut p = Proc::parse("wait-until 1000; echo next", Shell::new("bash")).unwrap();
    let mut out = Out::default();
    assert_eq!(p.step(&mut host, &mut out), Status::Blocked);
    assert_eq!(host.waits.len(), 1);
    p.interrupt(&mut host);
    assert!(host.waits.is_empty());
    assert_eq!(p.step(&mut host, &mut out), Status::Exited(130));
    assert!(out.is_empty());
}

#[test]
fn stdin_reaches_host_commands() {
    let mut host = TestHost::new();
    run_with(
        &mut host,
        "kubectl apply -f - <<EOF\nkind: Pod\nEOF\necho x | kubectl apply -f -\nkubectl get",
    );
    assert_eq!(
        host.stdin_seen,
        vec![Some("kind: Pod\n".into()), Some("x\n".into()), None]
    );
}

#[test]
fn order_of_stdout_and_stderr_is_kept() {
    let mut host = TestHost::new();
    let mut p = Proc::parse("echo 1; nosuch; echo 2 >&2; echo 3", Shell::new("bash")).unwrap();
    let mut out = Out::default();
    p.step(&mut host, &mut out);
    let fds: Vec<u32> = out.chunks.iter().map(|c| c.0).collect();
    assert_eq!(fds, vec![1, 2, 1]);
    assert_eq!(out.all_text(), "1\nbash: nosuch: command not found\n2\n3\n");
}

#[test]
fn ls_long_and_columns() {
    let mut host = TestHost::new();
    host.now = 90_000; // 00:01:30 on the epoch day
    let (out, code) = run_with(
        &mut host,
        "mkdir -p d/sub; printf 'hello\\n' > d/f.yaml; ls -l d",
    );
    assert_eq!(code, 0);
    assert_eq!(out, "total 8\n-rw-r--r-- 1 root root    6 Jan  1 00:01 f.yaml\ndrwxr-xr-x 2 root root 4096 Jan  1 00:01 sub\n");
    // At a terminal, ls lays names out in columns like GNU's for 80 columns.
    let names: Vec<String> = (1..=30).map(|i| format!("file-{i:02}.yaml")).collect();
    let cols = crate::utils::columns_for_test(&names);
    let first = cols.lines().next().unwrap();
    // (checked against `ls -C --width=80` of GNU coreutils 9.1, tabs and all)
    assert_eq!(
        first,
        "file-01.yaml  file-07.yaml  file-13.yaml  file-19.yaml\tfile-25.yaml"
    );
    assert_eq!(cols.lines().count(), 6);
}

/// busybox's `ls -l` columns, as `busybox ls -l` and `-lh` print them (checked against
/// BusyBox v1.35.0): fixed widths, and `total` without a fraction, padded.
#[test]
fn busybox_ls_long() {
    let mut host = TestHost::new();
    host.now = 90_000;
    let src = "mkdir -p d/sub; printf 'mysql' > d/DB_HOST; ls -l d; ls -lh d";
    let mut p = Proc::parse(src, Shell::with_sh("sh", crate::Flavour::Ash)).unwrap();
    let mut out = Out::default();
    p.step(&mut host, &mut out);
    assert_eq!(
        out.all_text(),
        "total 8\n\
         -rw-r--r--    1 root     root             5 Jan  1 00:01 DB_HOST\n\
         drwxr-xr-x    2 root     root          4096 Jan  1 00:01 sub\n\
         total 8K     \n\
         -rw-r--r--    1 root     root           5 Jan  1 00:01 DB_HOST\n\
         drwxr-xr-x    2 root     root        4.0K Jan  1 00:01 sub\n"
    );
}

#[test]
fn tail_f_follows_a_growing_file() {
    let mut host = TestHost::new();
    host.fs.write("/var/log/app.log", b"one\n".to_vec());
    let mut p = Proc::parse("tail -f /var/log/app.log", Shell::new("sh")).unwrap();
    let mut out = Out::default();
    assert_eq!(p.step(&mut host, &mut out), Status::Blocked);
    assert_eq!(out.stdout_text(), "one\n");
    host.fs.append("/var/log/app.log", b"two\n").unwrap();
    let mut out = Out::default();
    assert_eq!(p.step(&mut host, &mut out), Status::Blocked);
    assert_eq!(out.stdout_text(), "two\n");
    p.interrupt(&mut host);
    assert_eq!(p.step(&mut host, &mut out), Status::Exited(130));
}

#[test]
fn background_jobs_run_alongside() {
    let mut host = TestHost::new();
    let mut p = Proc::parse(
        "(sleep 5; echo bg) & echo fg; wait; echo after",
        Shell::new("sh"),
    )
    .unwrap();
    let mut out = Out::default();
    assert_eq!(p.step(&mut host, &mut out), Status::Blocked);
    assert_eq!(out.stdout_text(), "fg\n");
    host.now = p.wake_at(&host).unwrap();
    assert_eq!(p.step(&mut host, &mut out), Status::Exited(0));
    assert_eq!(out.stdout_text(), "fg\nbg\nafter\n");
}

#[test]
fn printf_complains_about_numbers_as_bash_does() {
    // Checked against bash 5.2: the valid prefix is printed, the complaint goes to stderr,
    // and the status is 1.
    let cases: &[(&str, &str, i32)] = &[
        (
            "printf '%d|\\n' abc",
            "bash: printf: abc: invalid number\n0|\n",
            1,
        ),
        (
            "printf '%d|\\n' 12abc",
            "bash: printf: 12abc: invalid number\n12|\n",
            1,
        ),
        (
            "printf '%x|\\n' 0x1G",
            "bash: printf: 0x1G: invalid hex number\n1|\n",
            1,
        ),
        (
            "printf '%d|\\n' 089",
            "bash: printf: 089: invalid octal number\n0|\n",
            1,
        ),
        (
            "printf '%f|\\n' xyz",
            "bash: printf: xyz: invalid number\n0.000000|\n",
            1,
        ),
        ("printf '%d %d|\\n' 0x1f ' 010'", "31 8|\n", 0),
        ("printf '%5.3d|\\n' -7", " -007|\n", 0),
    ];
    for (src, want, code) in cases {
        assert_eq!(run(src), (want.to_string(), *code), "{src}");
    }
}

#[test]
fn strings_past_16_mib_fail_as_bash_does_out_of_memory() {
    // Doubling a variable forty times is a terabyte: the shell stops at 16 MiB with bash's
    // out-of-memory complaint, and the page keeps its memory.
    let (out, code) = run("x=a; for i in $(seq 1 40); do x=$x$x; done; echo ${#x}");
    assert_eq!(
        (out.as_str(), code),
        ("bash: xrealloc: cannot allocate 33554433 bytes\n", 2)
    );
    let (out, code) = run("printf '%1000000000s' x | wc -c");
    assert_eq!(
        (out.as_str(), code),
        (
            "bash: printf: xrealloc: cannot allocate 1000000001 bytes\n0\n",
            0
        )
    );
    let (out, code) = run("seq 1 10000000 | wc -l; seq 1 10000000 > f; echo $?");
    assert_eq!(
        (out.as_str(), code),
        ("seq: write error: No space left on device\n2236041\nseq: write error: No space left on device\n1\n", 0)
    );
    let (out, code) = run("printf '%.100000000d' 1");
    assert_eq!(
        (out.as_str(), code),
        (
            "bash: printf: xrealloc: cannot allocate 100000001 bytes\n",
            1
        )
    );
}

#[test]
fn complete_registers_prints_and_removes_as_bash_does() {
    // Checked against bash 5.2.
    let cases: &[(&str, &str, i32)] = &[
        (
            "complete -F __start_kubectl -o default k; complete -p k",
            "complete -o default -F __start_kubectl k\n",
            0,
        ),
        (
            "complete -W 'a b' x y; complete -p",
            "complete -W 'a b' x\ncomplete -W 'a b' y\n",
            0,
        ),
        (
            "complete -p nosuch",
            "bash: complete: nosuch: no completion specification\n",
            1,
        ),
        (
            "complete -F f -o default k; complete -r k; complete -p k",
            "bash: complete: k: no completion specification\n",
            1,
        ),
        ("complete -F f; echo $?", "complete: usage: complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]\n2\n", 0),
    ];
    for (src, want, code) in cases {
        assert_eq!(run(src), (want.to_string(), *code), "{src}");
    }
}

/// busybox's ash (the `sh` of busybox and Alpine images) says `not found`, with the line only
/// in a script file; as busybox 1.35 prints it.
#[test]
fn busybox_sh_messages() {
    let mut host = TestHost::new();
    let sh = crate::Shell::with_sh("sh", crate::Flavour::Ash);
    let src = "slep 1; ./missing; echo $?; touch nx; ./nx; echo $?; printf 'echo a\\nslep 2\\n' > s.sh; sh s.sh";
    let mut p = Proc::parse(src, sh).unwrap();
    let mut out = Out::default();
    assert_eq!(p.step(&mut host, &mut out), Status::Exited(127));
    assert_eq!(
        out.all_text(),
        "sh: slep: not found\nsh: ./missing: not found\n127\nsh: ./nx: Permission denied\n126\na\ns.sh: line 2: slep: not found\n"
    );
    // Its syntax errors, as busybox 1.35 prints them.
    let src = "sh -c 'if true'; sh -c 'echo a; fi'; printf 'echo a\\necho >\\n' > n.sh; sh n.sh; printf \"echo 'abc\\n\" > q.sh; sh q.sh";
    let mut p = Proc::parse(src, crate::Shell::with_sh("sh", crate::Flavour::Ash)).unwrap();
    let mut out = Out::default();
    assert_eq!(p.step(&mut host, &mut out), Status::Exited(2));
    assert_eq!(
        out.all_text(),
        "sh: syntax error: unexpected end of file (expecting \"then\")\nsh: syntax error: unexpected \"fi\"\na\nn.sh: line 3: syntax error: unexpected newline\nq.sh: line 2: syntax error: unterminated quoted string\n"
    );
    // At its prompt (`kubectl exec -it ... -- sh`), a builtin's error names no line, and the
    // shell goes on after a special builtin's.
    let mut sh = crate::Shell::with_sh("sh", crate::Flavour::Ash);
    sh.interactive = true;
    let mut p = Proc::parse("cd /nope; export 1x=2; echo after", sh).unwrap();
    let mut out = Out::default();
    p.step(&mut host, &mut out);
    assert_eq!(
        out.all_text(),
        "sh: cd: can't cd to /nope: No such file or directory\nsh: export: 1x: bad variable name\nafter\n"
    );
}
