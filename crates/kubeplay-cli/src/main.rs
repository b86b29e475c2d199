//! `kubeplay`: run a script of shell lines against a simulated cluster, or type them at a
//! prompt. The same seed and script always print the same bytes.

use kubeplay_shell::fs::{FileSource, Vfs};
use kubeplay_shell::{LineState, Session, Stream};
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

mod lessons;

mod alloc;

/// Native runs of big clusters spend a quarter of their time in malloc and free; mimalloc
/// halves that (`cargo bench -p kubeplay-core --bench rollout`).
#[global_allocator]
static ALLOC: alloc::Mi = alloc::Mi;

const USAGE: &str = "usage: kubeplay [run [--seed N] [--echo] FILE]
       kubeplay lessons
       kubeplay check [--lang en|ko] [--verbose] SCENARIO
       kubeplay export [--lang en|ko] SCENARIO
       kubeplay share SCENARIO | kubeplay open LINK

  kubeplay                 an interactive prompt
  kubeplay run FILE        run FILE (- for stdin) line by line, as the web terminal would
    --seed N               seed for names and timings (default 1)
    --echo                 print each command as `$ command` before its output
  kubeplay lessons         list the built-in lessons (id and title)
  kubeplay check SCENARIO  run a scenario's setup and solutions, evaluate each step's checks,
                           print one line per check; exit 1 if any fails
                           (SCENARIO: a YAML file, or lesson:<id> for a built-in one)
    --verbose              also print each step's commands and their output
  kubeplay export SCENARIO print a bash script that plays the scenario on a real cluster
  kubeplay share SCENARIO  play the solution and print the share link of the final state
  kubeplay open LINK       replay a share link (URL or fragment) and print its terminal
";

/// The directory kubeplay was started in, read-only.
struct Cwd(PathBuf);

impl FileSource for Cwd {
    fn read(&self, path: &str) -> Option<Vec<u8>> {
        let p = self.0.join(path);
        if p.is_file() {
            std::fs::read(p).ok()
        } else {
            None
        }
    }
    fn list(&self, path: &str) -> Option<Vec<(String, bool)>> {
        let entries = std::fs::read_dir(self.0.join(path)).ok()?;
        let mut out: Vec<(String, bool)> = entries
            .filter_map(|e| {
                let e = e.ok()?;
                Some((
                    e.file_name().to_string_lossy().into_owned(),
                    e.path().is_dir(),
                ))
            })
            .collect();
        out.sort();
        Some(out)
    }
}

fn session(seed: u64) -> Session {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Session::with_fs(seed, Vfs::with_source(Box::new(Cwd(cwd))))
}

fn flush(s: &mut Session, out: &mut impl Write, err: &mut impl Write) {
    for c in s.take_output() {
        let _ = match c.stream {
            Stream::Out => out.write_all(c.text.as_bytes()),
            Stream::Err => err.write_all(c.text.as_bytes()),
        };
    }
    let _ = out.flush();
    let _ = err.flush();
}

fn run(args: &[String]) -> ExitCode {
    let mut seed = 1u64;
    let mut echo = false;
    let mut file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--echo" => echo = true,
            "--seed" => match it.next().and_then(|s| s.parse().ok()) {
                Some(n) => seed = n,
                None => {
                    eprintln!("kubeplay: --seed needs a number");
                    return ExitCode::from(2);
                }
            },
            s if s.starts_with("--seed=") => match s[7..].parse() {
                Ok(n) => seed = n,
                Err(_) => {
                    eprintln!("kubeplay: --seed needs a number");
                    return ExitCode::from(2);
                }
            },
            _ if file.is_none() => file = Some(a.clone()),
            _ => {
                eprint!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = if file == "-" {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            eprintln!("kubeplay: cannot read stdin: {e}");
            return ExitCode::from(1);
        }
        s
    } else {
        match std::fs::read_to_string(&file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("kubeplay: cannot read {file}: {e}");
                return ExitCode::from(1);
            }
        }
    };
    let mut s = session(seed);
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    kubeplay_shell::script::run(&mut s, &text, echo, &mut |stream, text| {
        let _ = match stream {
            Stream::Out => out.write_all(text.as_bytes()).and_then(|_| out.flush()),
            Stream::Err => err.write_all(text.as_bytes()).and_then(|_| err.flush()),
        };
    });
    ExitCode::SUCCESS
}

fn interactive() -> ExitCode {
    let mut s = session(1);
    let stdin = std::io::stdin();
    let tty = stdin.is_terminal();
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    let mut continuing = false;
    loop {
        if tty {
            let prompt = if continuing {
                "> ".to_string()
            } else {
                format!("controlplane ~ ({}) $ ", s.namespace)
            };
            let _ = write!(out, "{prompt}");
            let _ = out.flush();
        }
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let line = line.trim_end_matches(['\n', '\r']);
        if !continuing && (line == "exit" || line == "logout") {
            break;
        }
        continuing = s.feed_line(line) == LineState::NeedMore;
        s.run_until_idle();
        flush(&mut s, &mut out, &mut err);
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    alloc::keep_freed_pages();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => interactive(),
        Some("run") => run(&args[1..]),
        Some("lessons") => lessons::list(&args[1..]),
        Some("check") => lessons::check(&args[1..]),
        Some("export") => lessons::export(&args[1..]),
        Some("share") => lessons::share(&args[1..]),
        Some("open") => lessons::open(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("kubeplay: unknown command {other:?}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
