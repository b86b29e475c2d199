//! The page's state outside the DOM: a [`Session`], the clock that drives it in real time, the
//! terminal's scrollback and its queue of lines. Plain Rust, no browser: tested natively.
//!
//! Components share one `Sim` through [`SimRef`] (an `Rc<RefCell<Sim>>`) and re-render when one
//! of its version counters moves, so the world is never cloned for a render.

use crate::docs::Fetch;
use kubeplay_shell::kubectl::explain;
use kubeplay_shell::{Chunk, LineState, Session, Stream};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

/// Speeds the clock offers (virtual seconds per real second).
pub const SPEEDS: [u32; 3] = [1, 5, 30];

/// The longest stretch of real time one frame may turn into virtual time, so that a tab
/// coming back from the background does not jump minutes ahead in one go.
pub const MAX_FRAME_MS: f64 = 250.0;

/// Cluster tasks run between two looks at the frame's clock ([`Sim::tick_within`]).
pub const SLICE_TASKS: u64 = 8;

/// How many frames [`Sim::behind`] stays set after the clock last fell behind.
pub const BEHIND_FRAMES: u32 = 30;

/// How much scrollback the terminal keeps (bytes of text).
pub const SCROLLBACK_BYTES: usize = 256 * 1024;

/// What a piece of terminal text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegKind {
    Prompt,
    Input,
    Out,
    Err,
    /// Notes from the page itself (`^C`).
    Note,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seg {
    /// Numbers segments in the order they were made (a key that survives the oldest going).
    pub id: u64,
    pub kind: SegKind,
    pub text: String,
}

/// A segment grows up to this many bytes; then the next text of its kind starts another (so
/// what the terminal redraws when output streams in stays small).
pub const SEG_BYTES: usize = 4096;

/// How much of `s` goes into `room` bytes: all of it, or whole lines (so that an object's
/// name, which the terminal makes a link, is not cut in two), or nothing.
fn fits(s: &str, room: usize) -> usize {
    if s.len() <= room {
        return s.len();
    }
    s[..floor_char(s, room)].rfind('\n').map_or(0, |i| i + 1)
}

/// What a terminal shows of `text` after the last "clear screen" sequence in it (`ESC[2J`,
/// with the cursor-home and clear-scrollback ones around it), if it has one.
pub fn after_clear(text: &str) -> Option<&str> {
    let at = text.rfind("\x1b[2J")?;
    let rest = &text[at + "\x1b[2J".len()..];
    Some(rest.strip_prefix("\x1b[3J").unwrap_or(rest))
}

/// The largest char boundary of `s` at or below `i`.
fn floor_char(s: &str, i: usize) -> usize {
    (0..=i).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

/// The terminal's scrollback: segments of text, consecutive ones of a kind merged.
#[derive(Default, Debug)]
pub struct Scrollback {
    pub segs: VecDeque<Seg>,
    bytes: usize,
    made: u64,
}

impl Scrollback {
    pub fn push(&mut self, kind: SegKind, text: &str) {
        // Of a piece longer than the whole scrollback only its end can stay: `seq 1 3000000`
        // is 16 MiB of text, which as one segment the page took minutes to lay out.
        let mut rest = &text[floor_char(text, text.len().saturating_sub(SCROLLBACK_BYTES))..];
        while !rest.is_empty() {
            // Fill the last segment of this kind up to SEG_BYTES, then start another.
            let room = match self.segs.back() {
                Some(s) if s.kind == kind => SEG_BYTES.saturating_sub(s.text.len()),
                _ => 0,
            };
            let cut = fits(rest, room);
            let (piece, more) = if cut > 0 {
                rest.split_at(cut)
            } else {
                self.made += 1;
                self.segs.push_back(Seg {
                    id: self.made,
                    kind,
                    text: String::new(),
                });
                // A line longer than a whole segment is cut between characters.
                let cut = fits(rest, SEG_BYTES);
                rest.split_at(if cut > 0 {
                    cut
                } else {
                    floor_char(rest, SEG_BYTES)
                })
            };
            if let Some(s) = self.segs.back_mut() {
                s.text.push_str(piece);
            }
            self.bytes += piece.len();
            rest = more;
        }
        while self.bytes > SCROLLBACK_BYTES && self.segs.len() > 1 {
            if let Some(s) = self.segs.pop_front() {
                self.bytes -= s.text.len();
            }
        }
    }
    pub fn clear(&mut self) {
        self.segs.clear();
        self.bytes = 0;
    }
    /// All the text, as a terminal would show it.
    pub fn text(&self) -> String {
        self.segs.iter().map(|s| s.text.as_str()).collect()
    }
}

/// One sample of a Deployment's replica counts, taken when they change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    pub at: u64,
    pub desired: i32,
    pub ready: i32,
    pub available: i32,
    pub updated: i32,
    /// Pods of the Deployment's ReplicaSets (`status.replicas`): those of the new one are
    /// `updated`, the rest belong to older revisions.
    pub pods: i32,
}

pub struct Sim {
    pub session: Session,
    pub scrollback: Scrollback,
    /// Lines waiting to run (typed ahead while a command waits, or pasted).
    pub queue: VecDeque<String>,
    /// Lines entered at the prompt, oldest first.
    pub history: Vec<String>,
    pub playing: bool,
    pub speed: u32,
    /// Virtual milliseconds owed to the clock but not yet whole.
    carry: f64,
    /// Bumped when the scrollback or the prompt changes.
    pub term_version: u64,
    /// Bumped when the cluster changes (a write to the store, a new event).
    pub cluster_version: u64,
    cluster_stamp: (String, usize),
    /// Replica counts per Deployment (namespace/name) over virtual time.
    pub samples: std::collections::BTreeMap<String, Vec<Sample>>,
    /// What a share link or the autosave carries: seed, lines, file writes, Ctrl+C, clock.
    pub journal: kubeplay_lessons::share::ShareState,
    /// The lesson being followed, if any (see `playground.rs`).
    pub lesson: Option<crate::lesson::LessonState>,
    /// Bumped when the lesson panel must re-render.
    pub lesson_version: u64,
    /// A frame ran out of time before the clock reached where real time would put it, this
    /// frame or one of the last [`BEHIND_FRAMES`]: the virtual clock lags behind its speed
    /// while the cluster has much to do. (Held a little, so the page's note does not flicker.)
    pub behind: bool,
    behind_for: u32,
    /// The pod whose detail is open (in the session's namespace); see `select`.
    pub selected: Option<String>,
    /// `kubectl edit` requests waiting for the editor, oldest first (see `edit.rs`).
    pub edits: VecDeque<kubeplay_shell::kubectl::edit::EditRequest>,
    /// The file `vi FILE` last asked the editor to open (`""`: just go to the editor), until
    /// the editor takes it.
    pub open_request: Option<String>,
    /// The errors of the last `kubectl apply|create|replace -f FILE` (from the editor or
    /// typed), at their lines of FILE.
    pub marks: Option<FileMarks>,
    /// `kubectl explain`'s descriptions, which a line that mentions `explain` waits for
    /// (see `docs.rs`).
    pub docs: Fetch,
}

/// What kubectl said was wrong with a file it was given, line by line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileMarks {
    pub path: String,
    /// The text applied: the marks hold while the editor's text is still this.
    pub text: String,
    pub marks: Rc<[kubeplay_shell::marks::Mark]>,
}

/// The history kept across reloads holds at most this many lines.
pub const HISTORY_MAX: usize = 500;

impl Sim {
    pub fn new(seed: u64) -> Sim {
        let mut session = Session::new(seed);
        // The frame loop runs the work a command causes, a slice per frame.
        session.set_defer_settle(true);
        let mut s = Sim {
            session,
            scrollback: Scrollback::default(),
            queue: VecDeque::new(),
            history: Vec::new(),
            playing: true,
            speed: 1,
            carry: 0.0,
            term_version: 0,
            cluster_version: 0,
            cluster_stamp: (String::new(), 0),
            samples: Default::default(),
            journal: kubeplay_lessons::share::ShareState::new(seed),
            lesson: None,
            lesson_version: 0,
            behind: false,
            behind_for: 0,
            selected: None,
            edits: VecDeque::new(),
            open_request: None,
            marks: None,
            docs: Fetch::Idle,
        };
        s.observe_cluster();
        s
    }

    pub fn shared(self) -> SimRef {
        SimRef(Rc::new(RefCell::new(self)))
    }

    /// The prompt a new line would get now: a container shell's own when the terminal is
    /// attached to one (`kubectl exec -it`), `> ` inside an unfinished command, else the
    /// learner's, with the namespace.
    pub fn prompt(&self) -> String {
        if let Some(p) = self.session.prompt() {
            p
        } else if self.session.is_continuing() {
            "> ".to_string()
        } else {
            format!("controlplane ~ ({}) $ ", self.session.namespace)
        }
    }

    /// The last line fed was incomplete (an open quote, a heredoc).
    pub fn continuing(&self) -> bool {
        self.session.is_continuing()
    }

    /// Whether a command is running (or lines wait their turn): the prompt is hidden.
    pub fn busy(&self) -> bool {
        self.session.is_busy() || !self.queue.is_empty() || !self.edits.is_empty()
    }

    /// Run a line typed at the prompt (or queue it behind the running command).
    pub fn submit(&mut self, line: &str) {
        self.queue.push_back(line.to_string());
        self.pump();
    }

    /// Run several lines (a paste), one at a time, each after the previous one has finished.
    pub fn submit_lines(&mut self, text: &str) {
        for line in text.split('\n') {
            self.queue
                .push_back(line.trim_end_matches('\r').to_string());
        }
        self.pump();
    }

    /// Remember a line in the history (not blank ones, not a repeat of the last).
    pub fn remember(&mut self, line: &str) {
        if line.trim().is_empty() || self.history.last().is_some_and(|l| l == line) {
            return;
        }
        self.history.push(line.to_string());
        if self.history.len() > HISTORY_MAX {
            let extra = self.history.len() - HISTORY_MAX;
            self.history.drain(..extra);
        }
    }

    /// Write `text` to the session's file `path` and apply it, as the terminal would. What
    /// kubectl says is wrong with the file is kept in [`Sim::marks`] for the editor.
    ///
    /// Apply is the learner typing that command at the prompt, so whatever holds the prompt
    /// gets Ctrl+C first, as they would have to press it: a waiting command (a watch, `rollout
    /// status`) or a half-typed one (a heredoc). (Queued behind a watch, the apply used to wait
    /// unseen until the Ctrl+C that ended the watch dropped it; typed into a heredoc, it became
    /// a line of the file.)
    pub fn apply_file(&mut self, path: &str, text: &str) {
        self.save_file(path, text);
        if self.busy() {
            self.interrupt();
        } else if self.continuing() {
            self.cancel_line("");
        }
        self.submit(&format!("kubectl apply -f {}", shell_word(path)));
    }

    /// Write `text` to the session's file `path` (the editor saves), for the shell to see.
    pub fn save_file(&mut self, path: &str, text: &str) {
        self.finish_instant();
        self.record_write(path, text);
        self.session.fs.write(path, text.as_bytes().to_vec());
        self.term_version += 1;
    }

    /// The text of the session's file `path`, if it is one.
    pub fn read_file(&self, path: &str) -> Option<String> {
        let b = self.session.fs.read(path)?;
        Some(String::from_utf8_lossy(&b).into_owned())
    }

    /// The files (not directories) in the shell's working directory, by name.
    pub fn files(&self) -> Vec<String> {
        let list = self.session.fs.list(".").unwrap_or_default();
        list.into_iter()
            .filter(|(_, dir)| !dir)
            .map(|(name, _)| name)
            .collect()
    }

    /// Feed queued lines while the session is free.
    pub(crate) fn pump(&mut self) {
        while !self.session.is_busy() && self.edits.is_empty() {
            let Some(line) = self.queue.front() else {
                break;
            };
            if self.docs != Fetch::Ended && crate::docs::mentions(line) && !explain::docs_loaded() {
                if self.docs == Fetch::Idle {
                    self.docs = Fetch::Wanted;
                }
                break;
            }
            self.docs = Fetch::Idle;
            let Some(line) = self.queue.pop_front() else {
                break;
            };
            // What the learner does happens on a finished instant, as in a share link's
            // replay; finishing it may let a waiting command print its last lines first.
            self.finish_instant();
            self.drain();
            let prompt = self.prompt();
            self.scrollback.push(SegKind::Prompt, &prompt);
            self.scrollback.push(SegKind::Input, &line);
            self.scrollback.push(SegKind::Input, "\n");
            self.record_line(&line);
            let _: LineState = self.session.feed_line(&line);
            let mut err = String::new();
            self.drain_err(&mut err);
            if let Some(path) = file_given(&line) {
                if let Some(text) = self.read_file(path) {
                    self.marks = Some(FileMarks {
                        path: path.to_string(),
                        marks: kubeplay_shell::marks::locate(path, &text, &err).into(),
                        text,
                    });
                }
            }
        }
        self.term_version += 1;
        self.observe_cluster();
    }

    /// The fetch of `kubectl explain`'s descriptions ended (they are there, or the shell
    /// knows why not): the line waiting for them runs.
    pub fn docs_fetched(&mut self) {
        self.docs = Fetch::Ended;
        self.pump();
    }

    /// Whether the page should fetch `kubectl explain`'s descriptions now: a line waits for
    /// them, or a command ran `kubectl explain` without them (through a script or an alias).
    pub fn docs_to_fetch(&mut self) -> bool {
        let want = self.docs == Fetch::Wanted
            || (self.docs == Fetch::Idle && explain::docs_wanted() && !explain::docs_loaded());
        if want {
            self.docs = Fetch::Running;
        }
        want
    }

    /// Move the session's output into the scrollback.
    pub(crate) fn drain(&mut self) -> bool {
        self.drain_err(&mut String::new())
    }

    /// [`Sim::drain`], adding what went to stderr to `err`.
    fn drain_err(&mut self, err: &mut String) -> bool {
        self.edits.extend(self.session.take_edit_requests());
        let opened = self.session.take_open_requests().pop();
        let chunks: Vec<Chunk> = self.session.take_output();
        let any = !chunks.is_empty() || opened.is_some();
        if opened.is_some() {
            self.open_request = opened;
        }
        for c in chunks {
            let kind = match c.stream {
                Stream::Out => SegKind::Out,
                Stream::Err => {
                    err.push_str(&c.text);
                    SegKind::Err
                }
            };
            // `clear` and `watch` clear the screen as a terminal does: what was printed
            // before the escape sequence goes.
            let text = match after_clear(&c.text) {
                Some(rest) => {
                    self.scrollback.clear();
                    rest
                }
                None => &c.text,
            };
            self.scrollback.push(kind, text);
        }
        if any {
            self.term_version += 1;
        }
        any
    }

    /// Ctrl+C while a command runs: stop it (the session prints `^C`) and drop the lines
    /// waiting their turn.
    pub fn interrupt(&mut self) {
        self.finish_instant();
        self.drain();
        self.queue.clear();
        self.record_interrupt();
        if !self.edits.is_empty() {
            // `kubectl edit` waiting for the editor: the editor closes, nothing is saved.
            self.edits.clear();
            self.session.interrupt_edit();
        } else {
            self.session.interrupt();
        }
        self.drain();
        self.term_version += 1;
    }

    /// Ctrl+C at the terminal: stop the waiting command, or abandon the line being typed
    /// (shown with `^C`, as bash does).
    pub fn cancel_line(&mut self, typed: &str) {
        if self.busy() {
            self.interrupt();
            return;
        }
        let prompt = self.prompt();
        self.record_cancel(typed);
        self.scrollback.push(SegKind::Prompt, &prompt);
        self.scrollback.push(SegKind::Input, typed);
        if self.session.is_continuing() {
            // The session drops the unfinished command and prints `^C` itself.
            self.session.interrupt();
            self.drain();
        } else {
            self.scrollback.push(SegKind::Out, "^C\n");
        }
        self.term_version += 1;
    }

    /// Show the candidates of a Tab completion under the line, in columns, as bash does on a
    /// second Tab; the line stays at the prompt.
    pub fn show_candidates(&mut self, typed: &str, cands: &[String]) {
        let prompt = self.prompt();
        self.scrollback.push(SegKind::Prompt, &prompt);
        self.scrollback.push(SegKind::Input, typed);
        self.scrollback.push(SegKind::Input, "\n");
        self.scrollback.push(SegKind::Out, &columns(cands, 80));
        self.term_version += 1;
    }

    /// Ctrl+L: clear the screen.
    pub fn clear_screen(&mut self) {
        self.scrollback.clear();
        self.term_version += 1;
    }

    /// Let `real_ms` of real time pass, at the clock's speed if it is playing.
    pub fn tick(&mut self, real_ms: f64) {
        self.tick_within(real_ms, &mut || true);
    }

    /// [`Sim::tick`] within a frame's time: `more` is asked after every [`SLICE_TASKS`] tasks
    /// of cluster work whether the frame has time left. When it has not, the clock stays where
    /// the work got to (mid-instant if need be) and [`Sim::behind`] is set: the virtual clock
    /// lags behind its speed instead of freezing the page. Slicing never changes what happens,
    /// only how much of it is done by each frame (see `Session::advance_within`). A paused
    /// clock still finishes the instant it is in.
    pub fn tick_within(&mut self, real_ms: f64, more: &mut dyn FnMut() -> bool) {
        let now = self.session.now();
        let mut target = now;
        if self.playing {
            let owed = real_ms.clamp(0.0, MAX_FRAME_MS) * self.speed as f64 + self.carry;
            let whole = owed.floor();
            self.carry = owed - whole;
            target += whole as u64;
        }
        let due = self.session.world.next_due().is_some_and(|d| d <= target);
        let caught_up = !(target > now || due) || self.run_to(target, more);
        self.behind_for = if caught_up {
            self.behind_for.saturating_sub(1)
        } else {
            BEHIND_FRAMES
        };
        self.behind = self.behind_for > 0;
        self.after_time();
    }

    fn run_to(&mut self, t: u64, more: &mut dyn FnMut() -> bool) -> bool {
        loop {
            let mut budget = SLICE_TASKS;
            if self.session.advance_within(t, &mut budget) {
                return true;
            }
            if !more() {
                return false;
            }
        }
    }

    /// Run what is left of the current instant's work, if a frame's budget cut it short:
    /// before anything the journal records, the cluster must be as a replay will find it.
    pub fn finish_instant(&mut self) {
        let now = self.session.now();
        if self.session.world.next_due().is_some_and(|d| d <= now) {
            self.session.advance_to(now);
        }
    }

    /// Jump to the next moment something is due in the cluster.
    pub fn step(&mut self) {
        if let Some(t) = self.session.world.next_due() {
            let t = t.max(self.session.now());
            self.advance_to(t);
        }
    }

    pub fn advance_to(&mut self, t: u64) {
        if t > self.session.now() || self.session.world.next_due().is_some_and(|d| d <= t) {
            self.session.advance_to(t);
        }
        self.after_time();
    }

    fn after_time(&mut self) {
        let was_busy = self.busy();
        self.drain();
        if was_busy && !self.session.is_busy() && self.edits.is_empty() {
            self.pump();
        }
        self.observe_cluster();
    }

    /// Open (or, with `None`, close) the detail of a pod of the session's namespace.
    pub fn select(&mut self, pod: Option<String>) {
        if self.selected != pod {
            self.selected = pod;
            self.cluster_version += 1;
        }
    }

    pub fn set_speed(&mut self, speed: u32) {
        self.speed = speed.max(1);
    }

    pub fn toggle_play(&mut self) {
        self.playing = !self.playing;
        self.carry = 0.0;
    }

    /// Bump `cluster_version` if the store or the events moved since last time, and take a
    /// sample of each Deployment whose counts changed.
    pub(crate) fn observe_cluster(&mut self) {
        let w = &self.session.world;
        let stamp = (w.store.next_resource_version_peek(), w.events().len());
        if stamp == self.cluster_stamp {
            return;
        }
        self.cluster_stamp = stamp;
        self.cluster_version += 1;
        let now = w.now();
        for ((ns, name), d) in &w.store.deployments {
            let st = d.status.clone().unwrap_or_default();
            let s = Sample {
                at: now,
                desired: d.spec.replicas.unwrap_or(1),
                ready: st.ready_replicas.unwrap_or(0),
                available: st.available_replicas.unwrap_or(0),
                updated: st.updated_replicas.unwrap_or(0),
                pods: st.replicas.unwrap_or(0),
            };
            let v = self.samples.entry(format!("{ns}/{name}")).or_default();
            let same = v.last().is_some_and(|l| {
                (l.desired, l.ready, l.available, l.updated, l.pods)
                    == (s.desired, s.ready, s.available, s.updated, s.pods)
            });
            if !same {
                v.push(s);
            }
        }
    }
}

/// Run what the first Apply and the first rollout run (kubectl apply, the controllers, the
/// scheduler and kubelet, the cluster view's model) once, in a throwaway session of three
/// replicas. A browser compiles WebAssembly functions lazily, on their first call; done just
/// after the page has loaded, that compiling no longer lands in the frame of the learner's
/// first Apply. Changes nothing anyone can see; returns the throwaway `Sim`.
pub fn warm_up() -> Sim {
    let mut s = Sim::new(0);
    s.set_speed(30);
    let mut cache = crate::model::PodCache::default();
    for image in ["nginx:1.25", "nginx:1.26"] {
        let yaml = format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: warm-up\nspec:\n  \
             replicas: 3\n  selector:\n    matchLabels:\n      app: warm-up\n  template:\n    \
             metadata:\n      labels:\n        app: warm-up\n    spec:\n      containers:\n      \
             - name: web\n        image: {image}\n"
        );
        s.apply_file("warm-up.yaml", &yaml);
        for _ in 0..60 {
            s.tick(16.7);
            let _ = crate::model::cluster(&s.session.world, "default", &mut cache);
        }
    }
    s
}

/// The page's one `Sim`, shared by its components. Two handles are equal when they point at
/// the same `Sim`; what changed inside is told by the version counters passed beside it.
#[derive(Clone)]
pub struct SimRef(pub Rc<RefCell<Sim>>);

impl PartialEq for SimRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl SimRef {
    pub fn borrow(&self) -> std::cell::Ref<'_, Sim> {
        self.0.borrow()
    }
    pub fn borrow_mut(&self) -> std::cell::RefMut<'_, Sim> {
        self.0.borrow_mut()
    }
}

/// Words in columns across a `width`-wide terminal, as `ls` and bash's completion list them
/// (down the columns first).
/// `s` as one word for the shell: as it is when nothing in it is special, else single-quoted.
pub fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-/+@%:,=".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The one file a plain `kubectl apply|create|replace -f FILE` line gives kubectl (no pipes,
/// redirections or variables, and the verb first), if the line is one.
pub fn file_given(line: &str) -> Option<&str> {
    if line.contains(['|', ';', '&', '>', '<', '$', '`', '(']) {
        return None;
    }
    let mut words = line.split_whitespace();
    if words.next()? != "kubectl" {
        return None;
    }
    let words: Vec<&str> = words.collect();
    if !matches!(words.first(), Some(&("apply" | "create" | "replace"))) {
        return None;
    }
    let mut files = Vec::new();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        if *w == "-f" || *w == "--filename" {
            files.extend(it.next());
        } else if let Some(f) = w.strip_prefix("--filename=").or(w.strip_prefix("-f=")) {
            files.push(f);
        } else if let Some(f) = w.strip_prefix("-f").filter(|f| !f.is_empty()) {
            files.push(f);
        }
    }
    match files[..] {
        [f] if f != "-" => Some(f),
        _ => None,
    }
}

pub fn columns(words: &[String], width: usize) -> String {
    let col = words.iter().map(|w| w.chars().count()).max().unwrap_or(0) + 2;
    let per_row = (width / col).max(1);
    let rows = words.len().div_ceil(per_row);
    let mut out = String::new();
    for r in 0..rows {
        let mut line = String::new();
        for c in 0..per_row {
            if let Some(w) = words.get(c * rows + r) {
                line.push_str(&format!("{w:<col$}"));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Convert a UTF-16 offset (what the DOM's selection APIs give) into a byte offset in `s`.
pub fn utf16_to_byte(s: &str, u16_off: u32) -> usize {
    let mut n = 0u32;
    for (i, c) in s.char_indices() {
        if n >= u16_off {
            return i;
        }
        n += c.len_utf16() as u32;
    }
    s.len()
}

/// The UTF-16 length of `s[..byte]`.
pub fn byte_to_utf16(s: &str, byte: usize) -> u32 {
    s[..byte.min(s.len())]
        .chars()
        .map(|c| c.len_utf16() as u32)
        .sum()
}

/// Insert two spaces at the selection (replacing it), as the editor's Tab does. Returns the
/// new text and the caret's UTF-16 offset.
pub fn insert_indent(text: &str, sel_start: u32, sel_end: u32) -> (String, u32) {
    let a = utf16_to_byte(text, sel_start.min(sel_end));
    let b = utf16_to_byte(text, sel_start.max(sel_end));
    let mut out = String::with_capacity(text.len() + 2);
    out.push_str(&text[..a]);
    out.push_str("  ");
    out.push_str(&text[b..]);
    let caret = byte_to_utf16(&out, a + 2);
    (out, caret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_empties_the_terminal_and_what_follows_stays() {
        let mut sim = Sim::new(1);
        sim.submit("echo before");
        sim.submit("clear");
        assert_eq!(sim.scrollback.text(), "");
        sim.submit("echo after; clear; echo last");
        assert_eq!(sim.scrollback.text(), "last\n");
        assert_eq!(after_clear("a\x1b[H\x1b[2J\x1b[3Jb"), Some("b"));
        assert_eq!(after_clear("plain"), None);
    }

    use crate::components::editor::NGINX_DEPLOYMENT as NGINX;

    #[test]
    fn an_apply_from_the_editor_marks_the_lines_kubectl_complains_about() {
        let mut s = Sim::new(1);
        // The seed notes' envFrom, with `name` one level too far out.
        let pod = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: webapp\nspec:\n  containers:\n  - name: webapp\n    image: kodekloud/webapp-color\n    envFrom:\n      - configMapRef:\n        name: app-config\n";
        s.apply_file("pod.yaml", pod);
        let m = s.marks.clone().expect("marks");
        assert_eq!((m.path.as_str(), m.text.as_str()), ("pod.yaml", pod));
        assert_eq!(m.marks.len(), 1);
        assert_eq!(m.marks[0].line, 16);
        let err = "Error from server (BadRequest): error when creating \"pod.yaml\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].envFrom[0].name\"";
        assert_eq!(m.marks[0].message, err);
        assert!(s.scrollback.text().contains(err));
        // Fixed, the marks go.
        s.apply_file(
            "pod.yaml",
            &pod.replace("        name: app", "          name: app"),
        );
        assert!(s.marks.as_ref().is_some_and(|m| m.marks.is_empty()));
        // A syntax error, at the parser's line.
        s.apply_file("pod.yaml", "a: b\n c: d\n");
        assert_eq!(s.marks.as_ref().map(|m| m.marks[0].line), Some(2));
        // Typed in the terminal too, and for create and replace.
        s.submit("echo 'a: [' > other.yaml");
        s.submit("kubectl create -f other.yaml");
        let m = s.marks.clone().expect("marks");
        assert_eq!((m.path.as_str(), m.text.as_str()), ("other.yaml", "a: [\n"));
        assert!(m.marks[0]
            .message
            .starts_with("error: error parsing other.yaml"));
    }

    #[test]
    fn a_file_whose_name_has_spaces_or_quotes_applies() {
        let mut s = Sim::new(1);
        s.apply_file("my app's.yaml", NGINX);
        assert!(s
            .scrollback
            .text()
            .ends_with("$ kubectl apply -f 'my app'\\''s.yaml'\ndeployment.apps/nginx created\n"));
        assert_eq!(shell_word("pod.yaml"), "pod.yaml");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn the_file_a_kubectl_line_is_given() {
        assert_eq!(file_given("kubectl apply -f pod.yaml"), Some("pod.yaml"));
        assert_eq!(
            file_given("kubectl create --filename=a/b.yaml --dry-run=client"),
            Some("a/b.yaml")
        );
        assert_eq!(
            file_given("kubectl replace --force -fpod.yaml"),
            Some("pod.yaml")
        );
        for not in [
            "kubectl apply -f a.yaml -f b.yaml",
            "kubectl apply -f -",
            "cat x | kubectl apply -f x",
            "kubectl get -f pod.yaml",
            "kubectl create deployment web --image=nginx",
            "kubectl -n x apply -f pod.yaml",
            "kubectl apply -f $F",
        ] {
            assert_eq!(file_given(not), None, "{not}");
        }
    }

    #[test]
    fn applying_a_file_echoes_the_command_and_its_output() {
        let mut s = Sim::new(1);
        s.apply_file("deployment.yaml", NGINX);
        let text = s.scrollback.text();
        assert_eq!(
            text,
            "controlplane ~ (default) $ kubectl apply -f deployment.yaml\n\
             deployment.apps/nginx created\n"
        );
        assert!(s.session.world.store.deployments.len() == 1);
    }

    #[test]
    fn the_clock_runs_at_its_speed_and_pods_come_up() {
        let mut s = Sim::new(1);
        s.apply_file("d.yaml", NGINX);
        let v = s.cluster_version;
        s.set_speed(30);
        let t0 = s.session.now();
        for _ in 0..60 {
            s.tick(16.0);
        }
        // 60 frames of 16 ms at 30x: 28.8 virtual seconds.
        assert_eq!(s.session.now() - t0, 28_800);
        assert!(s.cluster_version > v);
        s.submit("kubectl get pods");
        let text = s.scrollback.text();
        assert_eq!(text.matches(" Running ").count(), 3, "{text}");
        let samples = &s.samples["default/nginx"];
        assert_eq!(samples.last().map(|x| x.ready), Some(3));
        assert_eq!(samples.first().map(|x| x.ready), Some(0));
    }

    fn replicas(n: u32, image: &str) -> String {
        NGINX
            .replace("replicas: 3", &format!("replicas: {n}"))
            .replace("nginx:1.25", image)
    }

    #[test]
    fn a_frame_out_of_time_lags_the_clock_and_changes_nothing() {
        // b's frames have time for one slice of work each; a does at once what b got to,
        // whole instants at a time, as the command line and a share link's replay do.
        let mut a = Sim::new(5);
        let mut b = Sim::new(5);
        for s in [&mut a, &mut b] {
            s.set_speed(30);
            s.apply_file("d.yaml", &replicas(200, "nginx:1.25"));
        }
        let frames = |a: &mut Sim, b: &mut Sim, n: usize| {
            let mut lagged = 0;
            for _ in 0..n {
                b.tick_within(16.7, &mut || false);
                lagged += b.behind as u32;
                a.advance_to(b.session.now());
            }
            lagged
        };
        let lagged = frames(&mut a, &mut b, 30);
        assert!(lagged > 0, "200 pods never outran one slice a frame");
        assert!(
            b.session.now() < 30 * 500,
            "the clock did not lag: {}",
            b.session.now()
        );
        // Lines typed while b lags see the instant finished, as the replay will.
        for s in [&mut a, &mut b] {
            s.submit("kubectl get deploy nginx -o jsonpath='{.status.replicas}'; echo");
            s.apply_file("d.yaml", &replicas(200, "nginx:1.26"));
        }
        frames(&mut a, &mut b, 40);
        for s in [&mut a, &mut b] {
            s.submit("kubectl get rs --no-headers");
        }
        frames(&mut a, &mut b, 2000);
        assert!(!b.behind, "b never caught up");
        for s in [&mut a, &mut b] {
            s.submit("kubectl get rs --no-headers");
        }
        assert_eq!(a.scrollback.text(), b.scrollback.text());
        assert!(
            a.scrollback.text().contains("200   200   200"),
            "{}",
            a.scrollback.text()
        );
        let store = |s: &Sim| format!("{:?}", s.session.world.store);
        assert_eq!(store(&a), store(&b));
        // What b shares replays to what b has.
        let opened = crate::boot::open_state(&b.share_state().encode()).unwrap();
        assert_eq!(format!("{:?}", opened.session.world.store), store(&b));
    }

    #[test]
    fn random_frames_and_lines_change_nothing_but_when() {
        // A learner's lines come between frames of any length; b's frames are cut short at
        // random. a runs each moment b reached at once. Both must print the same bytes, hold
        // the same cluster, and b's share link must replay to it.
        use rand_core::{RngCore, SeedableRng};
        const LINES: &[&str] = &[
            "kubectl rollout status deployment/nginx",
            "kubectl set image deployment/nginx nginx=nginx:1.26",
            "kubectl set image deployment/nginx nginx=nginx:1.161",
            "kubectl rollout undo deployment/nginx",
            "kubectl scale deployment nginx --replicas=40",
            "kubectl get rs --no-headers",
            "kubectl delete pod --all --wait=false",
            "kubectl get pods -w",
            "sleep 3",
            "cat <<EOF > notes.txt",
            "kubectl get deploy",
            "EOF",
            "kubectl exec -it deploy/nginx -- sh",
            "echo in a container",
            "exit",
        ];
        let mut lagged = 0;
        for seed in 0..5u64 {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let mut a = Sim::new(seed);
            let mut b = Sim::new(seed);
            for s in [&mut a, &mut b] {
                s.set_speed(30);
                s.apply_file("d.yaml", &replicas(60, "nginx:1.25"));
            }
            for _ in 0..25 {
                if rng.next_u32() % 3 == 0 {
                    let line = LINES[rng.next_u32() as usize % LINES.len()];
                    for s in [&mut a, &mut b] {
                        s.submit(line);
                    }
                } else if rng.next_u32() % 5 == 0 {
                    for s in [&mut a, &mut b] {
                        s.interrupt();
                    }
                } else if rng.next_u32() % 4 == 0 {
                    // Ctrl+C on a half-typed line, or Apply from the editor, whatever the
                    // terminal is doing.
                    let apply = rng.next_u32() % 2 == 0;
                    let n = 20 + rng.next_u32() % 50;
                    for s in [&mut a, &mut b] {
                        if apply {
                            s.apply_file("d.yaml", &replicas(n, "nginx:1.25"));
                        } else {
                            s.cancel_line("half typed");
                        }
                    }
                }
                for _ in 0..rng.next_u32() % 40 {
                    let mut slices = rng.next_u32() % 4;
                    b.tick_within(16.7 * (1 + rng.next_u32() % 3) as f64, &mut || {
                        slices = slices.saturating_sub(1);
                        slices > 0
                    });
                    lagged += b.behind as u32;
                    a.advance_to(b.session.now());
                }
            }
            // b may have stopped mid-instant; a ran each instant whole.
            b.advance_to(b.session.now());
            assert_eq!(a.scrollback.text(), b.scrollback.text(), "seed {seed}");
            let store = |s: &Sim| format!("{:?}", s.session.world.store);
            assert_eq!(store(&a), store(&b), "seed {seed}");
            let opened = crate::boot::open_state(&b.share_state().encode()).unwrap();
            assert_eq!(
                format!("{:?}", opened.session.world.store),
                store(&b),
                "seed {seed}"
            );
            let mut c = Sim::new(seed);
            c.load_opened(opened);
            assert_eq!(c.scrollback.text(), b.scrollback.text(), "seed {seed}");
            assert_eq!(
                c.read_file("notes.txt"),
                b.read_file("notes.txt"),
                "seed {seed}"
            );
        }
        assert!(
            lagged > 0,
            "no frame was cut short: the test compared nothing"
        );
    }

    #[test]
    fn the_warm_up_runs_a_rollout() {
        // It must really run a rollout to its end, or it warms up only part of it.
        let mut s = warm_up();
        s.submit("kubectl get rs -o custom-columns=IMAGE:.spec.template.spec.containers[0].image,READY:.status.readyReplicas,REPLICAS:.spec.replicas --sort-by=.spec.replicas");
        assert!(
            s.scrollback.text().ends_with(
                "IMAGE        READY    REPLICAS\nnginx:1.25   <none>   0\nnginx:1.26   3        3\n"
            ),
            "{}",
            s.scrollback.text()
        );
    }

    #[test]
    fn a_paused_clock_stands_still_and_step_jumps_to_the_next_event() {
        let mut s = Sim::new(1);
        s.toggle_play();
        s.apply_file("d.yaml", NGINX);
        let t0 = s.session.now();
        s.tick(100.0);
        assert_eq!(s.session.now(), t0);
        let due = s.session.world.next_due();
        s.step();
        if let Some(d) = due {
            assert_eq!(s.session.now(), d.max(t0));
        }
    }

    #[test]
    fn lines_typed_during_a_sleep_wait_their_turn() {
        let mut s = Sim::new(1);
        s.submit("sleep 2");
        assert!(s.busy());
        s.submit("echo after");
        assert!(!s.scrollback.text().contains("after\n"));
        s.tick(250.0);
        s.tick(250.0);
        assert!(s.busy());
        for _ in 0..8 {
            s.tick(250.0);
        }
        assert!(!s.busy());
        assert!(
            s.scrollback.text().ends_with("$ echo after\nafter\n"),
            "{}",
            s.scrollback.text()
        );
    }

    #[test]
    fn ctrl_c_stops_a_waiting_command_and_drops_the_queue() {
        let mut s = Sim::new(1);
        s.submit_lines("sleep 100\necho never");
        assert!(s.busy());
        s.interrupt();
        assert!(!s.busy());
        assert_eq!(s.session.last_status, 130);
        assert!(!s.scrollback.text().contains("never"));
        assert!(s.scrollback.text().ends_with("^C\n"));
    }

    #[test]
    fn an_open_quote_asks_for_more() {
        let mut s = Sim::new(1);
        s.submit("echo 'open");
        assert!(s.continuing());
        assert_eq!(s.prompt(), "> ");
        s.submit("still open'");
        assert!(!s.continuing());
        assert!(
            s.scrollback
                .text()
                .ends_with("$ echo 'open\n> still open'\nopen\nstill open\n"),
            "{}",
            s.scrollback.text()
        );
        s.submit("cat <<EOF");
        s.cancel_line("half");
        assert!(!s.continuing());
        assert!(
            s.scrollback.text().ends_with("> half^C\n"),
            "{}",
            s.scrollback.text()
        );
        s.cancel_line("typed");
        assert!(s
            .scrollback
            .text()
            .ends_with("controlplane ~ (default) $ typed^C\n"));
    }

    #[test]
    fn ctrl_c_on_a_typed_line_is_in_the_share_link() {
        // Dropped by Ctrl+C, a heredoc must not swallow the next line when the link (or the
        // autosave) replays; a line abandoned at the prompt shows again as it was.
        let mut s = Sim::new(1);
        s.submit("cat <<EOF > x.txt");
        s.submit("kept out");
        s.cancel_line("half");
        s.submit("echo after");
        assert!(s.scrollback.text().ends_with("$ echo after\nafter\n"));
        s.cancel_line("never run");
        assert!(s.scrollback.text().ends_with("$ never run^C\n"));
        let mut b = Sim::new(1);
        b.load_opened(crate::boot::open_state(&s.share_state().encode()).unwrap());
        assert_eq!(b.scrollback.text(), s.scrollback.text());
        assert!(b.read_file("x.txt").is_none());
    }

    #[test]
    fn apply_stops_what_holds_the_prompt_first() {
        for holder in ["kubectl get pods -w", "sleep 600", "cat <<EOF > notes.txt"] {
            let mut s = Sim::new(1);
            s.submit(holder);
            s.apply_file("d.yaml", NGINX);
            let t = s.scrollback.text();
            assert!(
                t.ends_with("^C\ncontrolplane ~ (default) $ kubectl apply -f d.yaml\ndeployment.apps/nginx created\n"),
                "{holder}: {t}"
            );
            assert!(!s.busy() && !s.continuing(), "{holder}");
            assert!(s.read_file("notes.txt").is_none(), "{holder}");
            let mut b = Sim::new(1);
            b.load_opened(crate::boot::open_state(&s.share_state().encode()).unwrap());
            assert_eq!(b.scrollback.text(), t, "{holder}");
        }
    }

    #[test]
    fn a_container_shell_replays_with_its_own_prompt() {
        let mut s = Sim::new(1);
        s.submit("kubectl run b --image=busybox:1.28 -- sleep 3600");
        s.advance_to(s.session.now() + 20_000);
        s.submit("kubectl exec -it b -- sh");
        s.submit("echo hi");
        s.cancel_line("half");
        s.submit("exit");
        let t = s.scrollback.text();
        assert!(t.contains("/ # echo hi\nhi\n/ # half^C\n/ # exit\n"), "{t}");
        let mut b = Sim::new(1);
        b.load_opened(crate::boot::open_state(&s.share_state().encode()).unwrap());
        assert_eq!(b.scrollback.text(), t);
    }

    #[test]
    fn a_background_watch_comes_back_with_fg_and_stops_with_ctrl_c() {
        let mut s = Sim::new(1);
        s.apply_file("d.yaml", NGINX);
        s.submit("kubectl get pods -w &");
        assert!(!s.busy(), "a background job leaves the prompt free");
        s.submit("fg");
        assert!(s.busy(), "fg waits for the watch");
        s.interrupt();
        assert!(!s.busy());
        s.submit("jobs");
        assert!(
            s.scrollback
                .text()
                .ends_with("\nkubectl get pods -w\n^C\ncontrolplane ~ (default) $ jobs\n"),
            "{}",
            s.scrollback.text()
        );
        let mut b = Sim::new(1);
        b.load_opened(crate::boot::open_state(&s.share_state().encode()).unwrap());
        assert_eq!(b.scrollback.text(), s.scrollback.text());
    }

    #[test]
    fn history_skips_blanks_and_repeats_and_is_bounded() {
        let mut s = Sim::new(1);
        s.remember("a");
        s.remember("a");
        s.remember("  ");
        s.remember("b");
        assert_eq!(s.history, ["a", "b"]);
        for i in 0..HISTORY_MAX + 10 {
            s.remember(&i.to_string());
        }
        assert_eq!(s.history.len(), HISTORY_MAX);
        assert_eq!(s.history.last().map(String::as_str), Some("509"));
    }

    #[test]
    fn scrollback_is_bounded() {
        let mut b = Scrollback::default();
        let line = "x".repeat(1000) + "\n";
        for i in 0..1000 {
            b.push(
                if i % 2 == 0 {
                    SegKind::Out
                } else {
                    SegKind::Err
                },
                &line,
            );
        }
        assert!(b.text().len() <= SCROLLBACK_BYTES);
        assert!(b.text().len() > SCROLLBACK_BYTES - 2000);

        // One piece far larger than the whole scrollback (`seq 1 3000000`): its end stays, in
        // segments of at most SEG_BYTES, cut between characters.
        let huge: String = (0..3_000_000).map(|i| format!("{i}é\n")).collect();
        b.push(SegKind::Out, &huge);
        let text = b.text();
        assert!(
            text.len() <= SCROLLBACK_BYTES && huge.ends_with(&text),
            "{}",
            text.len()
        );
        assert!(text.len() > SCROLLBACK_BYTES - 8);
        assert!(b.segs.iter().all(|s| s.text.len() <= SEG_BYTES));
    }

    #[test]
    fn candidates_are_listed_down_the_columns() {
        let w: Vec<String> = ["apply", "create", "delete", "get", "rollout"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(columns(&w, 30), "apply    delete   rollout\ncreate   get\n");
        assert_eq!(columns(&w[..1], 30), "apply\n");
    }

    #[test]
    fn tab_inserts_two_spaces_counting_utf16() {
        // "é" is one UTF-16 unit, "😀" two.
        let (t, c) = insert_indent("a😀b", 3, 3);
        assert_eq!(t, "a😀  b");
        assert_eq!(c, 5);
        let (t, c) = insert_indent("abcdef", 1, 4);
        assert_eq!(t, "a  ef");
        assert_eq!(c, 3);
        let (t, c) = insert_indent("", 0, 0);
        assert_eq!((t.as_str(), c), ("  ", 2));
    }
}

/// Where the time of a 1,000-replica rollout goes, natively: `cargo test -p kubeplay-web
/// --release --lib -- --ignored --nocapture thousand`.
#[cfg(test)]
mod perf {
    use super::*;
    use std::time::Instant;

    #[test]
    #[ignore]
    fn thousand_replicas_frame_by_frame() {
        let yaml = tests_yaml(1000, "nginx:1.25");
        let mut s = Sim::new(1);
        s.set_speed(30);
        let t = Instant::now();
        s.apply_file("d.yaml", &yaml);
        eprintln!("apply: {:?}", t.elapsed());
        let mut cache = crate::model::PodCache::default();
        for round in 0..2 {
            if round == 1 {
                let t = Instant::now();
                s.apply_file("d.yaml", &tests_yaml(1000, "nginx:1.26"));
                eprintln!("apply new image: {:?}", t.elapsed());
            }
            let mut worst = (std::time::Duration::ZERO, 0);
            for f in 0..400 {
                let t = Instant::now();
                s.tick(16.7);
                let tick = t.elapsed();
                let t2 = Instant::now();
                let m = crate::model::cluster(&s.session.world, "default", &mut cache);
                let model = t2.elapsed();
                if tick + model > worst.0 {
                    worst = (tick + model, f);
                }
                if f % 50 == 0 || tick.as_millis() > 200 {
                    eprintln!(
                        "round {round} frame {f}: tick {tick:?} model {model:?} pods {}",
                        m.pod_count
                    );
                }
            }
            eprintln!("round {round} worst frame {:?} at {}", worst.0, worst.1);
        }
    }

    fn tests_yaml(n: u32, image: &str) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\nspec:\n  replicas: {n}\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: {image}\n")
    }
}
