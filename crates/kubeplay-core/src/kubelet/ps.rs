//! `ps` inside a container: its process 1 (the container's command line, ENTRYPOINT/CMD with
//! command/args), the process `kubectl exec` started, and `ps` itself, as busybox's applet or
//! procps (Ubuntu images) prints them. This is how a learner sees which command a container
//! really runs. The numbers a real kernel would show (pids of execs, memory) are fixed so that
//! a session replays to the same bytes.

use crate::images::Userland;
use crate::time::{Millis, EPOCH_SECONDS};

/// A process in the container's pid namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PsProc {
    pub pid: u32,
    /// 0 for process 1 and for a process `kubectl exec` started (its parent is outside).
    pub ppid: u32,
    pub argv: Vec<String>,
    /// On the exec's terminal (`kubectl exec -it`).
    pub tty: bool,
    /// procps' state letters: `Ss` for a session leader that sleeps, `R` running...
    pub stat: &'static str,
    pub start: Millis,
}

/// The pid of a container's `n`th exec (from 0): containerd's runc starts each exec in the
/// container's pid namespace after a few processes of its own.
pub fn exec_pid(n: u32) -> u32 {
    7 + 6 * n
}

/// What `ps ARGS` prints, `procs` in pid order, `me` the index of `ps` itself in them.
pub fn ps(userland: Userland, args: &[String], procs: &[PsProc], me: usize) -> String {
    let mut o = String::new();
    if userland != Userland::Ubuntu {
        // busybox's applet: one format whatever the arguments (`ps aux` included).
        o.push_str("PID   USER     TIME  COMMAND\n");
        for p in procs {
            o.push_str(&format!(
                "{:>5} {:<8} {:>5} {}\n",
                p.pid,
                "root",
                "0:00",
                p.argv.join(" ")
            ));
        }
        return o;
    }
    // procps: BSD options (`aux`, `ax`) or UNIX ones (`-ef`, `-e`).
    let bsd: String = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .flat_map(|a| a.chars())
        .collect();
    let unix: String = args
        .iter()
        .filter_map(|a| a.strip_prefix('-'))
        .flat_map(|a| a.chars())
        .collect();
    let all = bsd.contains('x') || unix.contains('e') || unix.contains('A');
    // Without -e or x, ps shows the processes on its own terminal (none: `?`).
    let mine = procs[me].tty;
    let shown = procs.iter().filter(|p| all || p.tty == mine);
    let tty = |p: &PsProc| if p.tty { "pts/0" } else { "?" };
    if bsd.contains('u') {
        o.push_str("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n");
        for p in shown {
            let (vsz, rss) = memory(&p.argv);
            o.push_str(&format!(
                "{:<8} {:>7} {:>4} {:>4} {:>6} {:>5} {:<8} {:<4} {:>5} {:>6} {}\n",
                "root",
                p.pid,
                "0.0",
                "0.0",
                vsz,
                rss,
                tty(p),
                p.stat,
                clock(p.start),
                "0:00",
                p.argv.join(" ")
            ));
        }
    } else if unix.contains('f') {
        o.push_str("UID          PID    PPID  C STIME TTY          TIME CMD\n");
        for p in shown {
            o.push_str(&format!(
                "{:<8} {:>7} {:>7} {:>2} {:<5} {:<8} {:>8} {}\n",
                "root",
                p.pid,
                p.ppid,
                0,
                clock(p.start),
                tty(p),
                "00:00:00",
                p.argv.join(" ")
            ));
        }
    } else if !bsd.is_empty() {
        o.push_str("    PID TTY      STAT   TIME COMMAND\n");
        for p in shown {
            o.push_str(&format!(
                "{:>7} {:<8} {:<4} {:>6} {}\n",
                p.pid,
                tty(p),
                p.stat,
                "0:00",
                p.argv.join(" ")
            ));
        }
    } else {
        o.push_str("    PID TTY          TIME CMD\n");
        for p in shown {
            let comm = p
                .argv
                .first()
                .map_or("", |a| a.rsplit('/').next().unwrap_or(a));
            let comm: String = comm.chars().take(15).collect();
            o.push_str(&format!(
                "{:>7} {:<8} {:>8} {comm}\n",
                p.pid,
                tty(p),
                "00:00:00"
            ));
        }
    }
    o
}

/// `HH:MM` of a start time (UTC, the container's clock).
fn clock(ms: Millis) -> String {
    let s = (EPOCH_SECONDS + (ms / 1000) as i64).rem_euclid(86_400);
    format!("{:02}:{:02}", s / 3600, s % 3600 / 60)
}

/// Virtual and resident size (KiB) a program of Ubuntu's takes, about as measured.
fn memory(argv: &[String]) -> (u32, u32) {
    let base = argv
        .first()
        .map_or("", |a| a.rsplit('/').next().unwrap_or(a));
    match base {
        "sleep" => (2696, 1536),
        "bash" => (4588, 3968),
        "sh" | "dash" => (2800, 1664),
        "ps" => (7888, 4096),
        "tail" | "cat" => (2728, 1536),
        _ => (4096, 2048),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pid: u32, argv: &str, tty: bool, stat: &'static str) -> PsProc {
        PsProc {
            pid,
            ppid: 0,
            argv: argv.split(' ').map(String::from).collect(),
            tty,
            stat,
            start: 0,
        }
    }

    #[test]
    fn busybox_and_procps_formats() {
        let procs = [p(1, "sleep 3600", false, "Ss"), p(7, "ps aux", false, "Rs")];
        let args = ["aux".to_string()];
        assert_eq!(
            ps(Userland::Busybox, &args, &procs, 1),
            "PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n    7 root      0:00 ps aux\n"
        );
        assert_eq!(
            ps(Userland::Ubuntu, &args, &procs, 1),
            "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n\
             root           1  0.0  0.0   2696  1536 ?        Ss   00:00   0:00 sleep 3600\n\
             root           7  0.0  0.0   7888  4096 ?        Rs   00:00   0:00 ps aux\n"
        );
        assert_eq!(
            ps(Userland::Ubuntu, &["-ef".to_string()], &procs, 1),
            "UID          PID    PPID  C STIME TTY          TIME CMD\n\
             root           1       0  0 00:00 ?        00:00:00 sleep 3600\n\
             root           7       0  0 00:00 ?        00:00:00 ps aux\n"
        );
        // On a terminal, plain `ps` shows that terminal's processes only.
        let on_tty = [
            p(1, "sleep 3600", false, "Ss"),
            p(7, "bash", true, "Ss"),
            p(13, "ps", true, "R+"),
        ];
        assert_eq!(
            ps(Userland::Ubuntu, &[], &on_tty, 2),
            "    PID TTY          TIME CMD\n      7 pts/0    00:00:00 bash\n     13 pts/0    00:00:00 ps\n"
        );
        assert_eq!(
            ps(Userland::Ubuntu, &["ax".to_string()], &on_tty, 2),
            "    PID TTY      STAT   TIME COMMAND\n      1 ?        Ss     0:00 sleep 3600\n      7 pts/0    Ss     0:00 bash\n     13 pts/0    R+     0:00 ps\n"
        );
    }
}
