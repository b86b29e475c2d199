//! Processes inside containers, in virtual time. A process is resumed by the kubelet when its
//! pod is synced; it runs until it exits, sleeps until a time, or idles (a server waiting for
//! requests, `tail -f` waiting for its file). An idle process costs nothing until something
//! happens to its pod.

use crate::images::{Image, Userland};
use crate::time::Millis;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Files of one container, by absolute path. Volumes are mounted into it by the kubelet.
pub type Files = BTreeMap<String, Vec<u8>>;

/// One environment variable of a container, name and value shared with the image or the
/// namespace's service variables it comes from.
pub type EnvPair = (Rc<str>, Rc<str>);

/// How a resumed process left off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Poll {
    Exit(i32),
    /// Resume at this time (a `sleep`).
    Until(Millis),
    /// Nothing to do until something changes (a server, `tail -f`).
    Idle,
}

/// The cluster's network as a process sees it.
pub trait Net {
    /// DNS: a name (as typed, before search domains) to (FQDN, address).
    fn resolve(&self, name: &str) -> Option<(String, String)>;
    /// An HTTP GET: the server's reply, or why there was none.
    fn http_get(&self, get: &Get<'_>) -> Result<Reply, NetError>;
    /// A plain TCP connect (tcpSocket probes, `nc -z`).
    fn tcp_open(&self, addr: &str, port: u16) -> bool;
}

/// An HTTP GET as its client sends it.
pub struct Get<'a> {
    /// An address (a Service's, a pod's, `localhost`) and port.
    pub addr: &'a str,
    pub port: u16,
    pub path: &'a str,
    /// The caller's address: its pod's IP (the node's, for the kubelet's probes).
    pub client_ip: &'a str,
    /// Its `User-Agent`, which servers log (`Wget`, `curl/8.14.1`, `kube-probe/1.34`).
    pub agent: &'a str,
    /// The calling container's files, lent to it while it runs, which a server in that
    /// container serves from (`curl localhost` after writing an index page).
    pub own: &'a Files,
}

/// A server's answer to a GET.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    /// The status line as the server writes it (`HTTP/1.1 404 Not Found`), which clients
    /// such as busybox's wget show when the status is an error.
    pub status_line: &'static str,
    pub body: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    Refused,
    Timeout,
}

/// Everything a process can touch while it runs.
pub struct ProcCx<'a> {
    pub now: Millis,
    pub hostname: &'a str,
    pub namespace: &'a str,
    pub pod_ip: &'a str,
    pub env: &'a [EnvPair],
    pub fs: &'a mut Files,
    /// The container's log (stdout and stderr interleaved, as the runtime keeps it).
    pub out: &'a mut String,
    pub net: &'a dyn Net,
    pub userland: Userland,
    /// The container's image: its shell, and what a script that execs a server starts.
    pub image: &'a Image,
    /// Directories that exist even when empty (volume mount points).
    pub dirs: &'a [String],
    /// Read-only mounts: ConfigMap, Secret and projected volumes, and their subPath files.
    pub read_only: &'a [String],
    /// The process's standard input stays open (a container with `stdin: true`).
    pub stdin_open: bool,
    /// Process 1's command line, and when the container started.
    pub main: &'a [String],
    pub since: Millis,
}

/// A server an image runs: answers HTTP or TCP on its ports until stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ServerKind {
    /// `entrypoint`: started by the image's `/docker-entrypoint.sh`, which logs its
    /// configuration first (not when a command or a script runs `nginx` itself).
    Nginx {
        entrypoint: bool,
    },
    Httpd,
    /// kodekloud/webapp-color's Flask app: the colour it picked (a name of [`WEBAPP_COLORS`])
    /// and the line it printed about where the colour came from; and the version it shows,
    /// for the tags whose app.py has one (see [`webapp_version`]).
    WebappColor {
        color: String,
        said: String,
        version: Option<String>,
    },
    HelloApp {
        version: String,
    },
    Redis,
    /// Anything else that listens (a built image's app): TCP only.
    Generic,
}

impl ServerKind {
    pub fn ports(&self) -> &'static [u16] {
        match self {
            ServerKind::Nginx { .. } | ServerKind::Httpd => &[80],
            ServerKind::WebappColor { .. } | ServerKind::HelloApp { .. } => &[8080],
            ServerKind::Redis => &[6379],
            ServerKind::Generic => &[],
        }
    }

    /// Whether the server exits promptly on the runtime's stop signal.
    pub fn stops_on_signal(&self) -> bool {
        true
    }

    /// Answer `GET path`.
    pub fn respond(
        &self,
        path: &str,
        hostname: &str,
        read: &dyn Fn(&str) -> Option<Vec<u8>>,
    ) -> Option<Reply> {
        let (status, body) = self.answer(path, hostname, read)?;
        Some(Reply {
            status,
            status_line: match (self, status) {
                (_, 200) => "",
                // The Flask development server of 2018: Werkzeug 0.14 on HTTP/1.0, its
                // reason phrases in capitals.
                (ServerKind::WebappColor { .. }, _) => "HTTP/1.0 404 NOT FOUND",
                _ => "HTTP/1.1 404 Not Found",
            },
            body,
        })
    }

    fn answer(
        &self,
        path: &str,
        hostname: &str,
        read: &dyn Fn(&str) -> Option<Vec<u8>>,
    ) -> Option<(u16, String)> {
        Some(match self {
            ServerKind::Nginx { .. } => {
                let file = if path.ends_with('/') {
                    format!("/usr/share/nginx/html{path}index.html")
                } else {
                    format!("/usr/share/nginx/html{path}")
                };
                match read(&file) {
                    Some(b) => (200, String::from_utf8_lossy(&b).into_owned()),
                    None => (404, NGINX_404.to_string()),
                }
            }
            ServerKind::Httpd => {
                let file = if path.ends_with('/') {
                    format!("/usr/local/apache2/htdocs{path}index.html")
                } else {
                    format!("/usr/local/apache2/htdocs{path}")
                };
                match read(&file) {
                    Some(b) => (200, String::from_utf8_lossy(&b).into_owned()),
                    None => (404, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n".into()),
                }
            }
            ServerKind::WebappColor { color, version, .. } => match (path, version) {
                ("/", _) => (200, webapp_page(hostname, color, version.as_deref())),
                ("/color", Some(_)) => (200, color.clone()),
                ("/version", Some(v)) => (200, format!("Hello, Application Version: {v}")),
                ("/info", Some(v)) => (
                    200,
                    format!("Hello, Application Version: {v} ; Color: {color}"),
                ),
                _ => (404, WERKZEUG_404.to_string()),
            },
            ServerKind::HelloApp { version } => (
                200,
                format!("Hello, world!\nVersion: {version}\nHostname: {hostname}\n"),
            ),
            ServerKind::Redis | ServerKind::Generic => return None,
        })
    }

    /// What the server logs when it starts.
    pub fn startup_log(&self, now: Millis) -> String {
        match self {
            ServerKind::Nginx { entrypoint } => {
                let t = nginx_time(now);
                // Made on every nginx start: concatenated, not formatted.
                [
                    if *entrypoint { NGINX_ENTRYPOINT_LOG } else { "" },
                    &t,
                    " [notice] 1#1: using the \"epoll\" event method\n",
                    &t,
                    " [notice] 1#1: start worker processes\n",
                ]
                .concat()
            }
            ServerKind::Httpd => "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 127.0.0.1. Set the 'ServerName' directive globally to suppress this message\n".into(),
            ServerKind::WebappColor { said, .. } => format!("{WEBAPP_INTRO}{said} * Serving Flask app \"app\" (lazy loading)\n * Environment: production\n   WARNING: Do not use the development server in a production environment.\n   Use a production WSGI server instead.\n * Debug mode: off\n * Running on http://0.0.0.0:8080/ (Press CTRL+C to quit)\n"),
            ServerKind::HelloApp { .. } => format!("{} Server listening on port 8080\n", go_log_time(now)),
            ServerKind::Redis => "1:C 01 Jan 2026 00:00:00.000 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n1:M 01 Jan 2026 00:00:00.000 * Ready to accept connections tcp\n".into(),
            ServerKind::Generic => String::new(),
        }
    }

    /// What the server logs for one request.
    pub fn access_log(
        &self,
        now: Millis,
        client: &str,
        agent: &str,
        path: &str,
        status: u16,
        len: usize,
    ) -> String {
        match self {
            ServerKind::Nginx { .. } => format!(
                "{client} - - [{}] \"GET {path} HTTP/1.1\" {status} {len} \"-\" \"{agent}\" \"-\"\n",
                clf_time(now)
            ),
            ServerKind::Httpd => format!(
                "{client} - - [{}] \"GET {path} HTTP/1.1\" {status} {len}\n",
                clf_time(now)
            ),
            // Werkzeug's request log, its time as Python's http.server writes it.
            ServerKind::WebappColor { .. } => format!(
                "{client} - - [{}] \"GET {path} HTTP/1.1\" {status} -\n",
                clf_time(now).replacen(':', " ", 1).replace(" +0000", "")
            ),
            ServerKind::HelloApp { .. } => {
                format!("{} Serving request: {path}\n", go_log_time(now))
            }
            _ => String::new(),
        }
    }
}

/// What the nginx image's entrypoint logs before it runs an `nginx` command line.
const NGINX_ENTRYPOINT_LOG: &str = "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n/docker-entrypoint.sh: Configuration complete; ready for start up\n";

/// `nginx -v` and `nginx -t`, which answer and exit (0) instead of serving: what they print.
fn nginx_query(argv: &[String], env: &[EnvPair]) -> Option<String> {
    match argv.get(1).map(String::as_str) {
        Some("-v") => Some(format!(
            "nginx version: nginx/{}\n",
            env_get(env, "NGINX_VERSION").unwrap_or("")
        )),
        Some("-t") => Some("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n".into()),
        _ => None,
    }
}

/// nginx stays in the foreground only when told `daemon off;` (the image's CMD says so with
/// `-g`). Otherwise it forks a daemon and the process started exits at once: as a
/// container's command, the container completes and restarts; in a script, the daemon serves
/// while the script goes on.
fn nginx_foreground(argv: &[String]) -> bool {
    argv.windows(2).any(|w| {
        w[0] == "-g"
            && w[1]
                .split(';')
                .any(|d| d.split_whitespace().eq(["daemon", "off"]))
    })
}

/// Whether `nginx ARGS` starts a server: its options are only those that say how (`-g`, `-c`,
/// `-p`, `-e`, each with its value), not a signal (`-s`) or a question (`-t`, `-v`).
fn nginx_starts(argv: &[String]) -> bool {
    let mut args = argv.iter().skip(1);
    while let Some(a) = args.next() {
        if !matches!(a.as_str(), "-g" | "-c" | "-p" | "-e") || args.next().is_none() {
            return false;
        }
    }
    true
}

/// A server started in `image` without its foreground option (`nginx` without `daemon off;`,
/// `httpd` without `-DFOREGROUND`), which forks a daemon and exits: the server the daemon
/// runs, and what is logged, as process `pid`, before and after the fork.
pub fn daemon_of(
    argv: &[String],
    env: &[EnvPair],
    image: &Image,
    now: Millis,
    pid: u32,
) -> Option<(ServerKind, String)> {
    match (image.repo.as_str(), argv[0].rsplit('/').next()?) {
        ("docker.io/library/nginx", "nginx")
            if nginx_query(argv, env).is_none()
                && !nginx_foreground(argv)
                && nginx_starts(argv) =>
        {
            let t = nginx_time(now);
            let log = format!("{t} [notice] {pid}#{pid}: using the \"epoll\" event method\n{t} [notice] {pid}#{pid}: start worker processes\n");
            Some((ServerKind::Nginx { entrypoint: false }, log))
        }
        ("docker.io/library/httpd", "httpd") if argv.len() == 1 => {
            Some((ServerKind::Httpd, ServerKind::Httpd.startup_log(now)))
        }
        _ => None,
    }
}

/// Werkzeug 0.14's page for a path no route has.
const WERKZEUG_404: &str = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.</p>\n";

/// webapp-color's page, its `templates/hello.html` as Jinja renders it: the tags' lines keep
/// their line breaks. The tags with a version have an `<h2>` for it where `latest` has an
/// empty block (for a file's contents, which its app.py never passes).
fn webapp_page(hostname: &str, color: &str, version: Option<&str>) -> String {
    let block = match version {
        Some(v) => format!("\n  <h2>\n    Application Version: {v}\n  </h2>\n  "),
        None => String::new(),
    };
    format!("<!doctype html>\n<title>Hello from Flask</title>\n<body style=\"background: {};\"></body>\n<div style=\"color: #e4e4e4;\n    text-align:  center;\n    height: 90px;\n    vertical-align:  middle;\">\n\n  <h1>Hello from {hostname}!</h1>\n\n\n  {block}\n\n</div>", webapp_hex(color))
}

const NGINX_404: &str = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

pub const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";

pub const HTTPD_INDEX: &str = "<html><body><h1>It works!</h1></body></html>\n";

fn civil(now: Millis) -> (i64, u32, u32, u32, u32, u32) {
    let secs = crate::time::EPOCH_SECONDS + (now / 1000) as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = if m <= 2 { y + 1 } else { y };
    (
        y,
        m,
        d,
        (rem / 3600) as u32,
        (rem % 3600 / 60) as u32,
        (rem % 60) as u32,
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `2026/01/01 00:00:00`, digits written directly (every server start logs it).
fn nginx_time(now: Millis) -> String {
    let (y, m, d, h, mi, s) = civil(now);
    let mut t = String::with_capacity(19);
    // Virtual time starts in 2026: the year is never negative.
    push_padded(&mut t, y.max(0) as u64, 4);
    for (sep, n) in [('/', m), ('/', d), (' ', h), (':', mi), (':', s)] {
        t.push(sep);
        push_padded(&mut t, n.into(), 2);
    }
    t
}

/// `n` in decimal, zero-padded to `width` digits (as `{n:0width$}` writes it).
fn push_padded(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut start = buf.len();
    while n > 0 || start == buf.len() {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let start = start.min(buf.len() - width.min(buf.len()));
    out.push_str(std::str::from_utf8(&buf[start..]).expect("ASCII digits"));
}

fn go_log_time(now: Millis) -> String {
    nginx_time(now)
}

fn clf_time(now: Millis) -> String {
    let (y, m, d, h, mi, s) = civil(now);
    format!(
        "{d:02}/{}/{y:04}:{h:02}:{mi:02}:{s:02} +0000",
        MONTHS[(m - 1) as usize]
    )
}

/// `date`'s default format in the C locale, UTC.
pub fn date_string(now: Millis) -> String {
    let (y, m, d, h, mi, s) = civil(now);
    let days = (crate::time::EPOCH_SECONDS + (now / 1000) as i64).div_euclid(86_400);
    // 1970-01-01 was a Thursday.
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
    format!(
        "{wd} {} {d:2} {h:02}:{mi:02}:{s:02} UTC {y}",
        MONTHS[(m - 1) as usize]
    )
}

/// What `tail` says of a file that is not there, in the words of the image's tail, and
/// whether it then ends: both warn; then busybox's gives up (no file left), GNU's stops when
/// following; `-F` (`retry`) waits for the file instead.
pub(crate) fn tail_missing(u: Userland, path: &str, follow: bool, retry: bool) -> (String, bool) {
    let busybox = busybox_like(u);
    let mut said = if busybox {
        format!("tail: can't open '{path}': No such file or directory\n")
    } else {
        format!("tail: cannot open '{path}' for reading: No such file or directory\n")
    };
    if retry {
        return (said, false);
    }
    if busybox {
        said.push_str("tail: no files\n");
    } else if follow {
        said.push_str("tail: no files remaining\n");
    }
    (said, true)
}

fn busybox_like(u: Userland) -> bool {
    matches!(
        u,
        Userland::Busybox | Userland::BusyboxLegacy | Userland::Alpine
    )
}

/// The programs busybox's applets and a Debian image's base system both have.
#[rustfmt::skip]
const COMMON: &[&str] = &[
    "[", "arch", "awk", "base64", "basename", "cat", "chgrp", "chmod", "chown", "clear", "cp",
    "cut", "date", "dd", "df", "diff", "dirname", "du", "echo", "egrep", "env", "expr", "false",
    "fgrep", "find", "grep", "gunzip", "gzip", "head", "hostname", "id", "ln", "ls", "md5sum",
    "mkdir", "mktemp", "more", "mount", "mv", "nohup", "od", "paste", "printenv", "printf",
    "pwd", "readlink", "realpath", "rm", "rmdir", "sed", "seq", "sh", "sha256sum", "sleep",
    "sort", "stat", "tac", "tail", "tar", "tee", "test", "timeout", "touch", "tr", "true",
    "umount", "uname", "uniq", "wc", "which", "whoami", "xargs", "yes", "zcat",
];

/// busybox's other applets (the official image's build), which Alpine has too.
#[rustfmt::skip]
const BUSYBOX: &[&str] = &[
    "[[", "ash", "busybox", "free", "hexdump", "httpd", "ifconfig", "ip", "kill", "killall",
    "less", "nc", "netstat", "nslookup", "pgrep", "ping", "pkill", "ps", "rev", "route",
    "telnet", "top", "traceroute", "uptime", "usleep", "vi", "watch", "wget",
];

/// The rest of a Debian image's essential and required packages: bash, dash, mawk. No procps,
/// no network tools.
const DEBIAN: &[&str] = &["bash", "dash", "mawk"];

/// procps, which Ubuntu's image has and Debian's has not.
const PROCPS: &[&str] = &[
    "free", "kill", "pgrep", "pkill", "ps", "top", "uptime", "watch",
];

/// Whether an image has a program called `name` (a path or a base name), as the real images
/// do: busybox's applets, Debian's base system (with curl in httpd and in nginx from 1.17.10,
/// `nginx` itself in nginx, procps in Ubuntu), the image's own programs
/// ([`Image::own_programs`]), nothing in a scratch image.
pub fn has_binary(u: Userland, image: Option<&Image>, name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    if image.is_some_and(|i| i.own_programs().contains(&base)) {
        return true;
    }
    match u {
        Userland::Scratch => false,
        _ if COMMON.contains(&base) => true,
        Userland::Busybox | Userland::BusyboxLegacy => BUSYBOX.contains(&base),
        Userland::Alpine => BUSYBOX.contains(&base) || base == "apk",
        Userland::Debian | Userland::DebianCurl | Userland::Nginx | Userland::Ubuntu => {
            DEBIAN.contains(&base)
                || (base == "curl"
                    && matches!(u, Userland::DebianCurl | Userland::Nginx)
                    && image.is_none_or(Image::has_curl))
                || (u == Userland::Nginx && base == "nginx")
                || (u == Userland::Ubuntu && PROCPS.contains(&base))
        }
    }
}

/// What running an argv as a process amounts to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Program {
    /// Ran to completion at once.
    Done(i32),
    Sleep {
        until: Millis,
    },
    Server(ServerKind),
    TailF {
        path: String,
        offset: usize,
        /// `tail -F` of a file that is not there yet.
        absent: bool,
    },
    /// A shell script (`sh -c`), run by the shell interpreter.
    Script(Box<super::script::Script>),
    /// kodekloud/event-simulator's script, which logs an event a second.
    EventSimulator(Box<EventSimulator>),
    /// What a script put in its own place (`exec nginx`, or the last command of `sh -c`)
    /// when that is a program the kubelet runs, a server say: `argv` is what `ps` shows.
    Execed {
        argv: Vec<String>,
        program: Box<Program>,
    },
}

/// kodekloud/event-simulator's `event-simulator.py` (its repository's master, which the
/// `latest` image runs): every second it logs a random user's event ("USER3 is viewing
/// page2"); after every fifth second a warning about USER5's locked account, and after every
/// eighth one about an order that failed. It logs to the console (standard error) and to
/// `/log/app.log`, as `LOG_HANDLERS` (default `file,console`) says, in Flask's format:
/// `[2026-01-01 00:00:05,005] WARNING in event-simulator: ...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventSimulator {
    /// The loop's count (`i`), and when its next line is due: a second's sleep and about a
    /// millisecond of work apart.
    i: u64,
    at: Millis,
    /// `random.randint`'s stand-in (splitmix64): seeded from the pod's name, so that
    /// replicas differ and the cluster's own random sequence does not move.
    rng: u64,
    file: bool,
    console: bool,
    special: bool,
    user: String,
}

const SIM_USERS: [&str; 4] = ["USER1", "USER2", "USER3", "USER4"];
const SIM_EVENTS: [&str; 5] = [
    "logged in",
    "logged out",
    "is viewing page1",
    "is viewing page2",
    "is viewing page3",
];

impl EventSimulator {
    fn new(cx: &ProcCx<'_>) -> EventSimulator {
        // Python's `"X" in os.environ and os.environ["X"] or default`: unset or empty, the
        // default.
        let env = |k: &str| env_get(cx.env, k).filter(|v| !v.is_empty());
        let handlers = env("LOG_HANDLERS").unwrap_or("file,console");
        let has = |h: &str| handlers.split(',').any(|x| x == h);
        EventSimulator {
            i: 0,
            at: cx.now,
            rng: u64::from(crate::names::fnv32a(cx.hostname.as_bytes())),
            file: has("file"),
            console: has("console"),
            special: env("PRINT_SPECIAL_MESSAGE") != Some("FALSE"),
            user: env("OVERRIDE_USER").unwrap_or("USER7").to_string(),
        }
    }

    fn next_random(&mut self, n: usize) -> usize {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }

    /// Log every line due by now; resume when the next one is.
    fn resume(&mut self, cx: &mut ProcCx<'_>) -> Poll {
        let mut lines = String::new();
        while self.at <= cx.now {
            let stamp = python_log_time(self.at);
            let mut log = |level: &str, msg: &str| {
                lines.push_str(&format!("[{stamp}] {level} in event-simulator: {msg}\n"));
            };
            if self.i > 0 && self.special {
                if self.i % 5 == 0 {
                    log("WARNING", "USER5 Failed to Login as the account is locked due to MANY FAILED ATTEMPTS.");
                }
                if self.i % 8 == 0 {
                    log(
                        "WARNING",
                        &format!("{} Order failed as the item is OUT OF STOCK.", self.user),
                    );
                }
            }
            let user = SIM_USERS[self.next_random(SIM_USERS.len())];
            let event = SIM_EVENTS[self.next_random(SIM_EVENTS.len())];
            log("INFO", &format!("{user} {event}"));
            self.i += 1;
            self.at += 1001;
        }
        if self.console {
            cx.out.push_str(&lines);
        }
        if self.file && !lines.is_empty() {
            cx.fs
                .entry("/log/app.log".to_string())
                .or_default()
                .extend_from_slice(lines.as_bytes());
        }
        Poll::Until(self.at)
    }
}

/// Python logging's `asctime`: `2026-01-01 00:00:05,005` (the container's clock is UTC).
fn python_log_time(now: Millis) -> String {
    let (y, m, d, h, mi, s) = civil(now);
    format!(
        "{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02},{:03}",
        now % 1000
    )
}

/// Start a process from its argv, in `image` (`None`: a probe's or hook's command, which
/// no image's own program answers). `Err` is the runtime's start error (StartError).
pub fn start(
    argv: &[String],
    cx: &mut ProcCx<'_>,
    image: Option<&Image>,
) -> Result<Program, String> {
    let Some(first) = argv.first() else {
        return Err("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: no command specified: unknown".into());
    };
    let base = first.rsplit('/').next().unwrap_or(first).to_string();
    // Image entrypoint scripts hand over to their argument; nginx's configures first when
    // that is `nginx` (a server's start log has those lines already).
    if base == "docker-entrypoint.sh" && argv.len() > 1 {
        if image.is_some_and(|i| i.repo == "docker.io/library/nginx")
            && argv[1] == "nginx"
            && nginx_query(&argv[1..], cx.env).is_some()
        {
            cx.out.push_str(NGINX_ENTRYPOINT_LOG);
        }
        return start_server_or(&argv[1..], cx, image, true);
    }
    start_server_or(argv, cx, image, false)
}

/// The server `argv` starts in an image, when `start` would start one: it starts from the
/// command line and the environment alone, without the container's files or network.
pub fn server_of(argv: &[String], env: &[EnvPair], image: &Image) -> Option<ServerKind> {
    let first = argv.first()?;
    let base = first.rsplit('/').next().unwrap_or(first);
    if base == "docker-entrypoint.sh" && argv.len() > 1 {
        return server_kind(&argv[1..], env, Some(image), true);
    }
    server_kind(argv, env, Some(image), false)
}

fn not_found(name: &str) -> String {
    format!("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{name}\": executable file not found in $PATH: unknown")
}

fn env_get<'e>(env: &'e [EnvPair], k: &str) -> Option<&'e str> {
    env.iter().rev().find(|(n, _)| &**n == k).map(|(_, v)| &**v)
}

/// The colours kodekloud/webapp-color knows, with the background each gives its page.
const WEBAPP_COLORS: [(&str, &str); 6] = [
    ("red", "#e74c3c"),
    ("green", "#16a085"),
    ("blue", "#2980b9"),
    ("blue2", "#30336b"),
    ("pink", "#be2edd"),
    ("darkblue", "#130f40"),
];

const WEBAPP_SUPPORTED: &str = "red,green,blue,blue2,pink,darkblue";

/// What webapp-color prints first, whatever it is given.
const WEBAPP_INTRO: &str = " This is a sample web application that displays a colored background. \n A color can be specified in two ways. \n\n 1. As a command line argument with --color as the argument. Accepts one of red,green,blue,blue2,pink,darkblue \n 2. As an Environment variable APP_COLOR. Accepts one of red,green,blue,blue2,pink,darkblue \n 3. If none of the above then a random color is picked from the above list. \n Note: Command line argument precedes over environment variable.\n\n\n";

const WEBAPP_USAGE: &str = "usage: app.py [-h] [--color COLOR]\n";

fn webapp_hex(color: &str) -> &'static str {
    WEBAPP_COLORS
        .iter()
        .find(|(n, _)| *n == color)
        .map_or("", |(_, h)| h)
}

/// The version kodekloud/webapp-color shows, when the image's app.py has one: the tags `v1`,
/// `v2` and `v3` (made for the rolling-update lab) take it from `VERSION`, which their
/// images set, and say `v1` when it is unset or empty. `latest` runs an older app.py
/// without it.
fn webapp_version(image: &Image, env: &[EnvPair]) -> Option<String> {
    matches!(image.tag.as_str(), "v1" | "v2" | "v3").then(|| {
        env_get(env, "VERSION")
            .filter(|v| !v.is_empty())
            .unwrap_or("v1")
            .to_string()
    })
}

/// kodekloud/webapp-color's `app.py` run with `argv` (`python app.py [--color C]`): the colour
/// it serves, from `--color` first, then `APP_COLOR`, else one picked at random (here, from
/// the container's hostname, so that each pod may get another); or, when it exits instead,
/// its exit code and what it printed (argparse's usage errors, an unsupported colour).
fn webapp_color(
    argv: &[String],
    env: &[EnvPair],
    image: &Image,
) -> Result<ServerKind, (i32, String)> {
    let mut color: Option<String> = None;
    let mut unknown: Vec<&str> = Vec::new();
    let mut args = argv.iter().skip(2);
    let fail = |code: i32, msg: String| Err((code, format!("{WEBAPP_INTRO}{msg}")));
    while let Some(a) = args.next() {
        // argparse takes any unambiguous prefix of a long option.
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let is = |long: &str| name.len() > 2 && long.starts_with(name);
        if name == "-h" || (name.starts_with("--") && is("--help") && !is("--color")) {
            return fail(0, format!("{WEBAPP_USAGE}\noptional arguments:\n  -h, --help     show this help message and exit\n  --color COLOR\n"));
        }
        if name.starts_with("--") && is("--color") {
            let value = match inline {
                Some(v) => Some(v),
                None => args.next().filter(|v| !v.starts_with('-')).cloned(),
            };
            let Some(v) = value else {
                let msg = "app.py: error: argument --color: expected one argument";
                return fail(2, format!("{WEBAPP_USAGE}{msg}\n"));
            };
            color = Some(v);
        } else {
            unknown.push(a);
        }
    }
    if !unknown.is_empty() {
        return fail(
            2,
            format!(
                "{WEBAPP_USAGE}app.py: error: unrecognized arguments: {}\n",
                unknown.join(" ")
            ),
        );
    }
    let from_env = env_get(env, "APP_COLOR").filter(|c| !c.is_empty());
    let (color, said) = match (color, from_env) {
        (Some(c), env) => {
            let mut said = format!("Color from command line argument ={c}\n");
            if let Some(e) = env {
                said.push_str(&format!("A color was set through environment variable -{e}. However, color from command line argument takes precendence.\n"));
            }
            (c, said)
        }
        (None, Some(e)) => (
            e.to_string(),
            format!("No Command line argument. Color from environment variable ={e}\n"),
        ),
        (None, None) => {
            let host = env_get(env, "HOSTNAME").unwrap_or("");
            let pick = crate::names::fnv32a(host.as_bytes()) as usize % WEBAPP_COLORS.len();
            let c = WEBAPP_COLORS[pick].0;
            (
                c.to_string(),
                format!("No command line argument or environment variable. Picking a Random Color ={c}\n"),
            )
        }
    };
    if webapp_hex(&color).is_empty() {
        return fail(
            1,
            format!("{said}Color not supported. Received '{color}' expected one of {WEBAPP_SUPPORTED}\n"),
        );
    }
    Ok(ServerKind::WebappColor {
        color,
        said,
        version: webapp_version(image, env),
    })
}

/// The server the image runs for this command line (`argv` not empty), if any.
/// `entrypoint`: `argv` is what the image's `docker-entrypoint.sh` was given.
fn server_kind(
    argv: &[String],
    env: &[EnvPair],
    image: Option<&Image>,
    entrypoint: bool,
) -> Option<ServerKind> {
    let image = image?;
    let first = &argv[0];
    let base = first.rsplit('/').next().unwrap_or(first);
    match (image.repo.as_str(), base) {
        (repo, "docker-entrypoint.sh") if repo.ends_with("/nginx") && argv.len() == 1 => None,
        ("docker.io/library/nginx", "nginx")
            if nginx_query(argv, env).is_none() && nginx_foreground(argv) =>
        {
            Some(ServerKind::Nginx { entrypoint })
        }
        ("docker.io/library/httpd", "httpd-foreground") => Some(ServerKind::Httpd),
        ("docker.io/library/httpd", "httpd")
            if argv.iter().any(|a| a == "-DFOREGROUND" || a == "-X") =>
        {
            Some(ServerKind::Httpd)
        }
        ("docker.io/kodekloud/webapp-color", "python")
            if argv
                .get(1)
                .is_some_and(|a| a.rsplit('/').next() == Some("app.py")) =>
        {
            webapp_color(argv, env, image).ok()
        }
        // Its one binary, at the root, which is not on PATH.
        ("gcr.io/google-samples/hello-app", _) if first == "/hello-app" => {
            Some(ServerKind::HelloApp {
                version: image.version.clone(),
            })
        }
        ("docker.io/library/redis", "redis-server") => Some(ServerKind::Redis),
        _ => None,
    }
}

fn start_server_or(
    argv: &[String],
    cx: &mut ProcCx<'_>,
    image: Option<&Image>,
    entrypoint: bool,
) -> Result<Program, String> {
    let first = &argv[0];
    let base = first.rsplit('/').next().unwrap_or(first);
    if let Some(s) = server_kind(argv, cx.env, image, entrypoint) {
        cx.out.push_str(&s.startup_log(cx.now));
        return Ok(Program::Server(s));
    }
    let repo = image.map_or("", |i| i.repo.as_str());
    // The image's shell-form entrypoint, or its command run directly.
    let script = ["python", "event-simulator.py"];
    let shell_form = argv == ["/bin/sh", "-c", "python event-simulator.py"];
    if repo == "docker.io/kodekloud/event-simulator" && (shell_form || argv == script) {
        let mut sim = EventSimulator::new(cx);
        sim.resume(cx);
        let program = Program::EventSimulator(Box::new(sim));
        // Alpine's sh runs the one command of its `-c` in its own place.
        return Ok(if shell_form {
            Program::Execed {
                argv: script.map(String::from).to_vec(),
                program: Box::new(program),
            }
        } else {
            program
        });
    }
    if let (Some(image), "docker.io/kodekloud/webapp-color", "python", Some("app.py")) = (
        image,
        repo,
        base,
        argv.get(1).and_then(|a| a.rsplit('/').next()),
    ) {
        if let Err((code, out)) = webapp_color(argv, cx.env, image) {
            cx.out.push_str(&out);
            return Ok(Program::Done(code));
        }
    }
    if repo == "docker.io/library/mysql" && base == "mysqld" {
        if [
            "MYSQL_ROOT_PASSWORD",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
        ]
        .iter()
        .any(|k| env_get(cx.env, k).is_some())
        {
            cx.out.push_str("[Entrypoint] MySQL Docker Image 9.4.0-1.el9\n[Server] /usr/sbin/mysqld: ready for connections. Version: '9.4.0'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.\n");
            return Ok(Program::Server(ServerKind::Generic));
        }
        cx.out.push_str("2026-01-01 00:00:00+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 9.4.0-1.el9 started.\n2026-01-01 00:00:00+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD\n");
        return Ok(Program::Done(1));
    }
    if !has_binary(cx.userland, image, first) {
        return Err(not_found(first));
    }
    match base {
        "sh" | "bash" | "ash" => {
            let mut i = 1;
            // Options before -c (`sh -ec`, `bash -x -c`).
            while i < argv.len()
                && argv[i].starts_with('-')
                && argv[i] != "-c"
                && !argv[i].contains('c')
            {
                i += 1;
            }
            match argv.get(i) {
                Some(flag) if flag.starts_with('-') && flag.contains('c') => {
                    let Some(script) = argv.get(i + 1) else {
                        cx.out
                            .push_str(&format!("{base}: -c requires an argument\n"));
                        return Ok(Program::Done(2));
                    };
                    let s = super::script::Script::new(base, script, &argv[i + 2..]);
                    Ok(Program::Script(Box::new(s)))
                }
                // No script: the shell reads its standard input. An open one (`kubectl run
                // -it`) keeps it waiting for lines; an empty one ends it at once.
                _ if cx.stdin_open => Ok(Program::Idle),
                _ => Ok(Program::Done(0)),
            }
        }
        _ => Ok(run_command(argv, cx)),
    }
}

/// Run one simple command as a whole process (exec form, or a step of a script).
pub fn run_command(argv: &[String], cx: &mut ProcCx<'_>) -> Program {
    let base = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
    let args = &argv[1..];
    match base.as_str() {
        "sleep" => {
            let mut total: Millis = 0;
            for a in args {
                match parse_duration(a) {
                    Some(ms) => total += ms,
                    None => {
                        cx.out
                            .push_str(&format!("sleep: invalid time interval '{a}'\n"));
                        return Program::Done(1);
                    }
                }
            }
            if args.is_empty() {
                cx.out
                    .push_str("sleep: missing operand\nTry 'sleep --help' for more information.\n");
                return Program::Done(1);
            }
            Program::Sleep {
                until: cx.now + total,
            }
        }
        "tail" if args.iter().any(|a| a == "-f" || a == "-F") => {
            let Some(path) = args.iter().find(|a| !a.starts_with('-')) else {
                return Program::Idle;
            };
            let data = cx.fs.get(path).cloned().unwrap_or_default();
            if !cx.fs.contains_key(path) {
                let retry = args.iter().any(|a| a == "-F");
                let (said, ends) = tail_missing(cx.userland, path, true, retry);
                cx.out.push_str(&said);
                if ends {
                    return Program::Done(1);
                }
            }
            // The last ten lines, then follow.
            let text = String::from_utf8_lossy(&data).into_owned();
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let start = lines.len().saturating_sub(10);
            cx.out.push_str(&lines[start..].concat());
            Program::TailF {
                path: path.clone(),
                offset: data.len(),
                absent: !cx.fs.contains_key(path),
            }
        }
        _ => match simple(argv, cx) {
            Some((code, text)) => {
                cx.out.push_str(&text);
                Program::Done(code)
            }
            // One of the shell's utilities (`sed`, `awk`...): run by the image's shell.
            None if kubeplay_sh::utils::exists(&base) => {
                let line: Vec<String> = argv.iter().map(|a| super::exec::quote(a)).collect();
                Program::Script(Box::new(super::script::Script::new(
                    "sh",
                    &line.join(" "),
                    &[],
                )))
            }
            None => {
                let (code, text) = super::script::unsimulated(&base);
                cx.out.push_str(&text);
                Program::Done(code)
            }
        },
    }
}

impl Program {
    /// Waits for nothing that will come: a shell on an open standard input.
    #[allow(non_upper_case_globals)]
    pub const Idle: Program = Program::Sleep { until: Millis::MAX };

    /// Resume to `cx.now`.
    /// What `resume` returns, for programs that read and write nothing of their container
    /// (only the clock); `None` for the others.
    pub fn resume_without_io(&self, now: Millis) -> Option<Poll> {
        match self {
            Program::Done(c) => Some(Poll::Exit(*c)),
            Program::Sleep { until } => Some(if *until == Millis::MAX {
                Poll::Idle
            } else if now >= *until {
                Poll::Exit(0)
            } else {
                Poll::Until(*until)
            }),
            Program::Server(_) => Some(Poll::Idle),
            Program::TailF { .. } | Program::Script(_) | Program::EventSimulator(_) => None,
            Program::Execed { program, .. } => program.resume_without_io(now),
        }
    }

    pub fn resume(&mut self, cx: &mut ProcCx<'_>) -> Poll {
        match self {
            Program::Done(c) => Poll::Exit(*c),
            Program::Sleep { until } => {
                if *until == Millis::MAX {
                    Poll::Idle
                } else if cx.now >= *until {
                    Poll::Exit(0)
                } else {
                    Poll::Until(*until)
                }
            }
            Program::Server(_) => Poll::Idle,
            Program::TailF {
                path,
                offset,
                absent,
            } => {
                if let Some(d) = cx.fs.get(path.as_str()) {
                    if std::mem::take(absent) {
                        cx.out.push_str(&if busybox_like(cx.userland) {
                            format!("tail: {path} has appeared; following end of new file\n")
                        } else {
                            format!("tail: '{path}' has appeared;  following new file\n")
                        });
                    }
                    if d.len() > *offset {
                        cx.out.push_str(&String::from_utf8_lossy(&d[*offset..]));
                    }
                    *offset = d.len();
                }
                Poll::Idle
            }
            Program::Script(s) => {
                let poll = s.resume(cx);
                let Some(argv) = s.execed() else {
                    return poll;
                };
                let image = cx.image;
                let program = start(&argv, cx, Some(image)).unwrap_or_else(|m| {
                    cx.out.push_str(&m);
                    Program::Done(127)
                });
                *self = Program::Execed {
                    argv,
                    program: Box::new(program),
                };
                self.resume(cx)
            }
            Program::EventSimulator(sim) => sim.resume(cx),
            Program::Execed { program, .. } => program.resume(cx),
        }
    }

    /// The runtime's stop signal: `true` if the process exits at once. PID 1 gets no default
    /// signal handlers, so `sleep` and shell scripts ignore SIGTERM and are killed when the
    /// grace period ends; servers stop.
    pub fn stops_on_signal(&self) -> bool {
        match self {
            Program::Done(_) => true,
            Program::Server(s) => s.stops_on_signal(),
            // Python sets no SIGTERM handler either.
            Program::Sleep { .. }
            | Program::TailF { .. }
            | Program::Script(_)
            | Program::EventSimulator(_) => false,
            Program::Execed { program, .. } => program.stops_on_signal(),
        }
    }

    /// What the process runs now, when a script `exec`ed into another command.
    pub fn exec_argv(&self) -> Option<Vec<String>> {
        match self {
            Program::Script(s) => s.exec_argv(),
            Program::Execed { argv, .. } => Some(argv.clone()),
            _ => None,
        }
    }

    /// Whether the process follows a file (`tail -f`, or a script waiting on one).
    pub fn follows(&self) -> bool {
        match self {
            Program::TailF { .. } => true,
            Program::Script(s) => s.follows(),
            Program::Execed { program, .. } => program.follows(),
            _ => false,
        }
    }

    pub fn server(&self) -> Option<&ServerKind> {
        match self {
            Program::Server(s) => Some(s),
            Program::Script(s) => s.daemon.as_ref(),
            Program::Execed { program, .. } => program.server(),
            _ => None,
        }
    }
}

/// `sleep`'s argument: seconds, or with s/m/h/d suffix.
pub fn parse_duration(s: &str) -> Option<Millis> {
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1000.0),
        'm' => (&s[..s.len() - 1], 60_000.0),
        'h' => (&s[..s.len() - 1], 3_600_000.0),
        'd' => (&s[..s.len() - 1], 86_400_000.0),
        _ => (s, 1000.0),
    };
    if s == "infinity" {
        return Some(Millis::MAX / 4);
    }
    let v: f64 = num.parse().ok()?;
    (v >= 0.0 && v.is_finite()).then(|| (v * mult) as Millis)
}

/// A program kubeplay plays without the shell, which finishes at once: (exit code, output);
/// `None` for another.
pub fn simple(argv: &[String], cx: &mut ProcCx<'_>) -> Option<(i32, String)> {
    let base = argv[0].rsplit('/').next().unwrap_or(&argv[0]);
    let args = &argv[1..];
    let mut out = String::new();
    let code = match base {
        "true" => 0,
        "false" => 1,
        "nginx" => match nginx_query(argv, cx.env) {
            Some(q) => {
                out.push_str(&q);
                0
            }
            // A server, or what kubeplay's nginx does not do (`-s reload`): not a simple command.
            None if nginx_foreground(argv) || !nginx_starts(argv) => return None,
            // It forks its daemon and exits; as process 1 it takes the daemon with it, before
            // the daemon has logged anything.
            None => {
                let t = nginx_time(cx.now);
                out.push_str(&format!(
                    "{t} [notice] 1#1: using the \"epoll\" event method\n"
                ));
                0
            }
        },
        // httpd without -DFOREGROUND: the same, after its warning about the server's name.
        "httpd" if args.is_empty() => {
            out.push_str(&ServerKind::Httpd.startup_log(cx.now));
            0
        }
        // The Python images' interpreter answers what version it is; it runs no other script
        // than the image's own (a server, which the kubelet starts).
        "python" | "python3" if matches!(args, [a] if a == "--version" || a == "-V") => {
            out.push_str(&format!("Python {}\n", env_get(cx.env, "PYTHON_VERSION")?));
            0
        }
        "echo" => {
            let (nl, words) = match args.first().map(String::as_str) {
                Some("-n") => (false, &args[1..]),
                _ => (true, args),
            };
            out.push_str(&words.join(" "));
            if nl {
                out.push('\n');
            }
            0
        }
        "printenv" | "env" => {
            let mut env: Vec<EnvPair> = Vec::new();
            for (k, v) in cx.env {
                match env.iter_mut().find(|(ek, _)| ek == k) {
                    Some(e) => e.1 = v.clone(),
                    None => env.push((k.clone(), v.clone())),
                }
            }
            if base == "printenv" && !args.is_empty() {
                let mut code = 0;
                for a in args {
                    match env.iter().find(|(k, _)| **k == **a) {
                        Some((_, v)) => {
                            out.push_str(v);
                            out.push('\n');
                        }
                        None => code = 1,
                    }
                }
                code
            } else {
                for (k, v) in &env {
                    out.push_str(&format!("{k}={v}\n"));
                }
                0
            }
        }
        "hostname" => {
            out.push_str(cx.hostname);
            out.push('\n');
            0
        }
        "date" => {
            out.push_str(&date_string(cx.now));
            out.push('\n');
            0
        }
        "cat" => {
            let mut code = 0;
            for f in args {
                match cx.fs.get(f.as_str()) {
                    Some(d) => out.push_str(&String::from_utf8_lossy(d)),
                    None if busybox_like(cx.userland) => {
                        out.push_str(&format!(
                            "cat: can't open '{f}': No such file or directory\n"
                        ));
                        code = 1;
                    }
                    None => {
                        out.push_str(&format!("cat: {f}: No such file or directory\n"));
                        code = 1;
                    }
                }
            }
            code
        }
        "ls" => {
            let dirs: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
            let dir = dirs.first().map(|s| s.as_str()).unwrap_or("/");
            let prefix = if dir.ends_with('/') {
                dir.to_string()
            } else {
                format!("{dir}/")
            };
            let mut names: Vec<String> = cx
                .fs
                .keys()
                .filter_map(|p| p.strip_prefix(&prefix))
                .map(|rest| rest.split('/').next().unwrap_or(rest).to_string())
                .filter(|n| !n.is_empty() && !n.starts_with('.'))
                .collect();
            names.dedup();
            if names.is_empty()
                && !cx.fs.contains_key(dir)
                && !cx.fs.keys().any(|k| k.starts_with(&prefix))
            {
                out.push_str(&format!("ls: {dir}: No such file or directory\n"));
                1
            } else if names.is_empty() && cx.fs.contains_key(dir) {
                out.push_str(dir);
                out.push('\n');
                0
            } else {
                for n in names {
                    out.push_str(&n);
                    out.push('\n');
                }
                0
            }
        }
        "nslookup" => nslookup(args, cx, &mut out),
        "wget" | "curl" => http_client(base, args, cx, &mut out),
        "id" => {
            // busybox's /etc/group puts root in wheel too.
            let groups = if busybox_like(cx.userland) {
                "0(root),10(wheel)"
            } else {
                "0(root)"
            };
            out.push_str(&format!("uid=0(root) gid=0(root) groups={groups}\n"));
            0
        }
        "uname" => {
            out.push_str(&uname(args, cx.hostname));
            0
        }
        _ => return None,
    };
    Some((code, out))
}

/// The node's kernel, as `kubectl get nodes -o wide` shows it.
const KERNEL: &str = "6.8.0-1031-gcp";

/// `uname [-a|-s|-n|-r|-m]`.
fn uname(args: &[String], hostname: &str) -> String {
    let all = args.iter().any(|a| a == "-a" || a == "--all");
    let mut parts = Vec::new();
    for (flag, value) in [
        ('s', "Linux"),
        ('n', hostname),
        ('r', KERNEL),
        ('v', "#33-Ubuntu SMP Thu Jun 26 16:59:26 UTC 2025"),
        ('m', "x86_64"),
    ] {
        if all
            || args
                .iter()
                .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains(flag))
        {
            parts.push(value);
        }
    }
    if all {
        parts.push("GNU/Linux");
    }
    if parts.is_empty() {
        parts.push("Linux");
    }
    format!("{}\n", parts.join(" "))
}

const DNS: &str = "10.96.0.10";

fn nslookup(args: &[String], cx: &mut ProcCx<'_>, out: &mut String) -> i32 {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
        out.push_str("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n");
        return 1;
    };
    if cx.userland == Userland::BusyboxLegacy {
        let head = format!(
            "Server:    {DNS}\nAddress 1: {DNS} kube-dns.kube-system.svc.cluster.local\n\n"
        );
        return match cx.net.resolve(name) {
            Some((fqdn, addr)) => {
                out.push_str(&format!(
                    "{head}Name:      {fqdn}\nAddress 1: {addr} {fqdn}\n"
                ));
                0
            }
            None => {
                out.push_str(&format!("{head}nslookup: can't resolve '{name}'\n"));
                1
            }
        };
    }
    match cx.net.resolve(name) {
        Some((fqdn, addr)) => {
            out.push_str(&format!(
                "Server:\t\t{DNS}\nAddress:\t{DNS}:53\n\nName:\t{fqdn}\nAddress: {addr}\n\n"
            ));
            0
        }
        None => {
            let shown = if name.contains('.') {
                name.clone()
            } else {
                format!("{name}.{}.svc.cluster.local", cx.namespace)
            };
            out.push_str(&format!("Server:\t\t{DNS}\nAddress:\t{DNS}:53\n\n** server can't find {shown}: NXDOMAIN\n\n** server can't find {shown}: NXDOMAIN\n\n"));
            1
        }
    }
}

/// The curl of an image's Debian release (`apt-get install curl` there): the version its
/// User-Agent says.
fn curl_version(image: &Image) -> &'static str {
    match (
        image.repo.as_str(),
        crate::images::minor_version(&image.version),
    ) {
        // nginx's images by the Debian they were last built on (docker-nginx's history:
        // buster to 1.19, bullseye from 1.20.2 and 1.21.3, bookworm from 1.25.1 and 1.26).
        ("docker.io/library/nginx", Some(m)) if m < 20 => "7.64.0",
        ("docker.io/library/nginx", Some(m)) if m < 25 => "7.74.0",
        ("docker.io/library/nginx", Some(m)) if m < 29 => "7.88.1",
        _ => "8.14.1",
    }
}

fn http_client(tool: &str, args: &[String], cx: &mut ProcCx<'_>, out: &mut String) -> i32 {
    let mut quiet = false;
    let mut to_stdout = tool == "curl";
    let mut out_file: Option<String> = None;
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "--silent" | "--quiet" => quiet = true,
            "--timeout" | "--max-time" | "--header" => i += 1,
            s if s.starts_with("--") => {}
            // A cluster of short options (`-qO-`, `-qO /dev/null`, `-sS`): an option that
            // takes a value takes the rest of the cluster, or the next argument.
            s if s.starts_with('-') && s.len() > 1 => {
                for (at, c) in s.char_indices().skip(1) {
                    match c {
                        'q' | 's' => quiet = true,
                        'O' | 'o' | 'T' | 'm' | 'H' => {
                            let rest = &s[at + 1..];
                            let value = if rest.is_empty() {
                                i += 1;
                                args.get(i).map(String::as_str)
                            } else {
                                Some(rest)
                            };
                            match (c, value) {
                                ('O' | 'o', Some("-")) => to_stdout = true,
                                ('O' | 'o', Some(f)) => {
                                    out_file = Some(f.to_string());
                                    to_stdout = false
                                }
                                _ => {}
                            }
                            break;
                        }
                        _ => {}
                    }
                }
            }
            s => url = Some(s.to_string()),
        }
        i += 1;
    }
    let Some(url) = url else {
        out.push_str(&format!("{tool}: missing URL\n"));
        return if tool == "curl" { 2 } else { 1 };
    };
    let rest = url.strip_prefix("http://").unwrap_or(&url);
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().unwrap_or(80)),
        None => (hostport, 80),
    };
    let addr = if host.chars().all(|c| c.is_ascii_digit() || c == '.') || host == "localhost" {
        host.to_string()
    } else {
        match cx.net.resolve(host) {
            Some((_, a)) => a,
            None => {
                if tool == "curl" {
                    out.push_str(&format!("curl: (6) Could not resolve host: {host}\n"));
                    return 6;
                }
                out.push_str(&format!("wget: bad address '{hostport}'\n"));
                return 1;
            }
        }
    };
    if !quiet && tool == "wget" {
        out.push_str(&format!("Connecting to {hostport} ({addr}:{port})\n"));
    }
    let agent = match tool {
        "curl" => format!("curl/{}", curl_version(cx.image)),
        _ => "Wget".to_string(),
    };
    let get = Get {
        addr: &addr,
        port,
        path: &path,
        client_ip: cx.pod_ip,
        agent: &agent,
        own: cx.fs,
    };
    match cx.net.http_get(&get) {
        Ok(Reply {
            status,
            status_line,
            body,
        }) => {
            // curl (without -f) takes an error page as any other; wget gives up.
            if status >= 400 && tool != "curl" {
                out.push_str(&format!("wget: server returned error: {status_line}\n"));
                return 1;
            }
            if to_stdout {
                if !quiet && tool == "wget" {
                    out.push_str("writing to stdout\n");
                }
                out.push_str(&body);
                if !quiet && tool == "wget" {
                    out.push_str("-                    100% |********************************|   ");
                    out.push_str(&format!("{}  0:00:00 ETA\nwritten to stdout\n", body.len()));
                }
            } else {
                let file = out_file.unwrap_or_else(|| {
                    let f = path.rsplit('/').next().unwrap_or("");
                    if f.is_empty() {
                        "index.html".into()
                    } else {
                        f.into()
                    }
                });
                if file != "/dev/null" {
                    cx.fs.insert(file.clone(), body.clone().into_bytes());
                }
                if !quiet && tool == "wget" {
                    out.push_str(&format!("saving to '{file}'\n{file}           100% |********************************|   {}  0:00:00 ETA\n'{file}' saved\n", body.len()));
                }
            }
            0
        }
        Err(NetError::Refused) => {
            if tool == "curl" {
                out.push_str(&format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n"));
                7
            } else {
                out.push_str(&format!(
                    "wget: can't connect to remote host ({addr}): Connection refused\n"
                ));
                1
            }
        }
        Err(NetError::Timeout) => {
            if tool == "curl" {
                out.push_str(&format!("curl: (28) Failed to connect to {host} port {port} after 130000 ms: Couldn't connect to server\n"));
                28
            } else {
                out.push_str("wget: download timed out\n");
                1
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_time_is_the_zero_padded_civil_time() {
        for now in [
            0,
            999,
            61_000,
            86_399_999,
            31_622_400_000,
            9_876_543_210_123,
        ] {
            let (y, m, d, h, mi, s) = civil(now);
            let want = format!("{y:04}/{m:02}/{d:02} {h:02}:{mi:02}:{s:02}");
            assert_eq!(nginx_time(now), want);
        }
        let mut out = String::new();
        for (n, w) in [(0, 2), (7, 4), (12345, 2), (u64::MAX, 4)] {
            out.clear();
            push_padded(&mut out, n, w);
            assert_eq!(out, format!("{n:0w$}"));
        }
    }

    #[test]
    fn date_format() {
        assert_eq!(date_string(0), "Thu Jan  1 00:00:00 UTC 2026");
        assert_eq!(
            date_string(86_400_000 * 40 + 3_661_000),
            "Tue Feb 10 01:01:01 UTC 2026"
        );
        assert_eq!(clf_time(0), "01/Jan/2026:00:00:00 +0000");
    }

    #[test]
    fn webapp_color_tags_with_a_version_answer_more_routes_than_latest() {
        let catalog = crate::images::Catalog::default();
        let image = |tag: &str| {
            let r = crate::images::parse_reference(&format!("kodekloud/webapp-color:{tag}"));
            catalog.resolve(&r.unwrap()).unwrap()
        };
        let argv: Vec<String> = vec!["python".into(), "app.py".into()];
        let no_file = |_: &str| None;
        // The container's env: the image's, then the pod's (the last of a name wins).
        let get = |tag: &str, pod: &[(&str, &str)], path: &str| {
            let img = image(tag);
            let mut env = img.env.clone();
            env.extend(pod.iter().map(|&(k, v)| (k.into(), v.into())));
            let s = server_of(&argv, &env, &img).expect("a server");
            s.respond(path, "web-1", &no_file).expect("HTTP")
        };
        let r = get("v2", &[], "/info");
        assert_eq!(
            (r.status, &*r.body),
            (200, "Hello, Application Version: v2 ; Color: green")
        );
        assert_eq!(get("v3", &[], "/color").body, "red");
        assert_eq!(
            get("v1", &[], "/version").body,
            "Hello, Application Version: v1"
        );
        assert!(get("v1", &[], "/")
            .body
            .contains("<h2>\n    Application Version: v1\n  </h2>"));
        // The pod's APP_COLOR wins over the image's; an empty VERSION reads as "v1".
        let r = get("v3", &[("APP_COLOR", "pink"), ("VERSION", "")], "/info");
        assert_eq!(r.body, "Hello, Application Version: v1 ; Color: pink");
        // `latest`: the page only, without a version.
        let blue = [("APP_COLOR", "blue")];
        let r = get("latest", &blue, "/info");
        assert_eq!((r.status, r.status_line), (404, "HTTP/1.0 404 NOT FOUND"));
        assert!(r.body.starts_with("<!DOCTYPE HTML PUBLIC"));
        let page = get("latest", &blue, "/").body;
        assert!(
            page.ends_with("<h1>Hello from web-1!</h1>\n\n\n  \n\n</div>"),
            "{page}"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10"), Some(10_000));
        assert_eq!(parse_duration("1.5"), Some(1_500));
        assert_eq!(parse_duration("2m"), Some(120_000));
        assert_eq!(parse_duration("x"), None);
    }
}
