//! The page's own words in English and Korean. The language comes from `?lang=`, else a choice
//! saved earlier, else the browser's `navigator.language`; a switch changes it.

pub use kubeplay_lessons::scenario::Lang;

use crate::inspect::Rule;
use crate::model::Waiting;

/// Every UI string the lesson, share and embed parts show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Lesson,
    Lessons,
    Step,
    Of,
    Hint,
    NextHint,
    NoMoreHints,
    ShowSolution,
    Checks,
    Passed,
    NotYet,
    Expected,
    Got,
    Prev,
    Next,
    Done,
    LessonComplete,
    Share,
    LinkCopied,
    LinkInAddressBar,
    Characters,
    Reset,
    ResetConfirm,
    ResetDone,
    BadLink,
    NoLesson,
    BadSave,
    Restored,
    SaveFailed,
    KeptState,
    StartedFresh,
    Dismiss,
    Language,
    Free,
    Export,
}

/// A message of the lesson, share and embed parts in `lang`.
pub fn t(lang: Lang, m: Msg) -> &'static str {
    (words(lang).msg)(m)
}

/// The page's own words: headings, buttons, hints and the cluster view's explanations. What
/// kubectl prints and Kubernetes' own messages (statuses, reasons, errors) stay as a cluster
/// gives them, in English. One table per language, so a missing word cannot compile.
pub struct Words {
    pub msg: fn(Msg) -> &'static str,
    /// The document's title.
    pub title: &'static str,
    pub namespace: &'static str,
    pub namespace_title: &'static str,
    pub editor_width: &'static str,
    pub terminal_width: &'static str,
    // The clock.
    pub clock: &'static str,
    pub play: &'static str,
    pub pause: &'static str,
    pub start_clock: &'static str,
    pub pause_clock: &'static str,
    pub speed: fn(u32) -> String,
    pub next_event: &'static str,
    pub next_event_title: &'static str,
    pub vtime: &'static str,
    pub vtime_behind: &'static str,
    pub behind: &'static str,
    pub catching_up: &'static str,
    // The editor.
    pub manifest_editor: &'static str,
    pub files: &'static str,
    pub file: &'static str,
    pub unsaved_file: &'static str,
    pub unsaved: &'static str,
    pub new_from_template: &'static str,
    pub new_file: &'static str,
    /// The templates' names, in `editor::TEMPLATES` order.
    pub templates: [&'static str; 6],
    pub apply: &'static str,
    pub editor_keys: &'static str,
    pub errors_in_file: &'static str,
    pub go_to_line: &'static str,
    pub line: fn(usize) -> String,
    pub cancel: &'static str,
    pub cancel_title: &'static str,
    pub save: &'static str,
    pub save_title: &'static str,
    pub edit_keys: &'static str,
    // The terminal.
    pub terminal: &'static str,
    pub terminal_keys: &'static str,
    pub command_line_label: &'static str,
    pub show_in_cluster: &'static str,
    // The cluster view.
    pub cluster: &'static str,
    pub cluster_view: &'static str,
    pub ns_pods: fn(&str, usize) -> String,
    pub no_workloads: &'static str,
    pub pods: &'static str,
    pub deployment: &'static str,
    pub deploy_counts: fn(i32, i32, i32, i32) -> String,
    pub rev: fn(i64) -> String,
    pub rs_counts: fn(i32, i32, i32) -> String,
    pub rs_counts_title: &'static str,
    pub image: &'static str,
    pub max_surge_title: &'static str,
    pub max_unavailable_title: &'static str,
    pub max_total: fn(i32) -> String,
    pub max_total_title: &'static str,
    pub min_available: fn(i32) -> String,
    pub min_available_title: &'static str,
    pub waiting: fn(&Waiting) -> String,
    pub chart: &'static str,
    /// The chart's keys: the lines desired, available, ready; the pods of the new
    /// ReplicaSet and of older ones.
    pub lines: [&'static str; 5],
    pub chart_span: fn(u64, i32) -> String,
    pub timeline: &'static str,
    pub same_template: fn(i64) -> String,
    pub rollback_title: &'static str,
    pub current: &'static str,
    pub configs: fn(usize) -> String,
    pub missing: &'static str,
    pub no_keys: &'static str,
    pub unused: &'static str,
    pub show_pod: &'static str,
    pub events: fn(usize) -> String,
    pub no_events_yet: &'static str,
    // The pod detail.
    pub pod: &'static str,
    pub pod_label: fn(&str) -> String,
    pub close: &'static str,
    pub close_pod: &'static str,
    pub pod_gone: fn(&str) -> String,
    pub node: fn(&str) -> String,
    pub owned_by: fn(&str) -> String,
    pub init_container: &'static str,
    pub sidecar: &'static str,
    pub container: &'static str,
    pub not_started: &'static str,
    pub exit: fn(i32) -> String,
    pub restarts: fn(i32) -> String,
    pub ready: &'static str,
    pub not_ready: &'static str,
    pub last: fn(&str) -> String,
    pub command_line: &'static str,
    pub effective_command: &'static str,
    pub image_unknown: &'static str,
    /// An image kubeplay does not have (its name, the images it has).
    pub not_in_kubeplay: fn(&str, &str) -> String,
    pub no_command: &'static str,
    pub as_written: &'static str,
    /// Where a word of the command line came from: the image's ENTRYPOINT, its CMD.
    pub image_entrypoint: &'static str,
    pub image_cmd: &'static str,
    pub rule: fn(Rule) -> &'static str,
    /// The command a container's shell ran in its own place (process 1 now): the words
    /// before and after it.
    pub execed: (&'static str, &'static str),
    pub environment: &'static str,
    pub env_columns: [&'static str; 3],
    pub declared: &'static str,
    pub service_links: fn(usize) -> String,
    pub mounted_files: &'static str,
    pub volume: fn(&str) -> String,
    pub read_only: &'static str,
    pub logs: fn(&str) -> String,
    pub events_heading: &'static str,
    pub no_events: &'static str,
    // Where things come from (`inspect`).
    pub key: &'static str,
    pub service_link: &'static str,
    pub runtime_hostname: &'static str,
    pub runtime_default: &'static str,
    pub image_env: fn(&str) -> String,
    pub env_changed: fn(&str) -> String,
    pub optional_skipped: &'static str,
    pub no_such_key: fn(&str, &str, &str, &[String]) -> String,
    pub does_not_exist: fn(&str, &str) -> String,
    pub every_key_a_file: &'static str,
    pub every_key_decoded: &'static str,
    pub items: fn(&str) -> String,
    pub empty_dir: &'static str,
    pub volume_not_in_pod: fn(&str) -> String,
    pub volume_at: fn(&str, &str) -> String,
    pub volume_unmounted: fn(&str) -> String,
    pub mount_in: fn(&str, &str) -> String,
    pub rs_pods: fn(&str, usize) -> String,
    pub in_container: fn(&str) -> String,
    /// The compact pod grid's accessible name: how many pods, then the counts by state.
    pub cells_label: fn(usize, &str) -> String,
    /// One state's count in that name (`cell_states`: running, pending, not ready, failed,
    /// terminating, completed).
    pub cell_count: fn(usize, &str) -> String,
    pub cell_states: [&'static str; 6],
}

pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Ko => &KO,
    }
}

pub static EN: Words = Words {
    title: "kubeplay: a Kubernetes playground in your browser",
    msg: |m| {
        use Msg::*;
        match m {
            Lesson => "Lesson",
            Lessons => "Lessons",
            Step => "Step",
            Of => "of",
            Hint => "Hint",
            NextHint => "Show a hint",
            NoMoreHints => "No more hints",
            ShowSolution => "Show the solution",
            Checks => "Checks",
            Passed => "passed",
            NotYet => "not yet",
            Expected => "expected",
            Got => "got",
            Prev => "Previous",
            Next => "Next",
            Done => "done",
            LessonComplete => "Lesson complete. Well done!",
            Share => "Share",
            LinkCopied => "Link copied to the clipboard",
            LinkInAddressBar => "The link is in the address bar",
            Characters => "characters",
            Reset => "Reset",
            ResetConfirm => "Reset the playground? Your commands, files and cluster will be lost.",
            ResetDone => "The playground was reset.",
            BadLink => "This link could not be opened",
            NoLesson => "This link names no built-in lesson",
            BadSave => "The saved session could not be restored",
            Restored => "Your last session was restored.",
            SaveFailed => "Autosave failed: the browser did not keep this session. After a reload, the work since the last autosave will be gone; Share gives a link that keeps it",
            KeptState => "Nothing was run; your last state is kept.",
            StartedFresh => "Nothing was run; this starts afresh.",
            Dismiss => "Dismiss",
            Language => "Language",
            Free => "Free playground",
            Export => "Export for a real cluster",
        }
    },
    namespace: "namespace: ",
    namespace_title: "namespace of the current context",
    editor_width: "editor width",
    terminal_width: "terminal width",
    clock: "clock",
    play: "▶ Play",
    pause: "❚❚ Pause",
    start_clock: "start the clock",
    pause_clock: "pause the clock",
    speed: |n| format!("{n} virtual seconds per second"),
    next_event: "Next event ⇥",
    next_event_title: "jump to the next moment something happens",
    vtime: "virtual time since the cluster started",
    vtime_behind: "virtual time since the cluster started; it runs slower than the speed chosen \
        while the cluster catches up with its work",
    behind: "the cluster has more work than a frame has time for",
    catching_up: "catching up…",
    manifest_editor: "manifest editor",
    files: "files in the shell's working directory",
    file: "a file in the shell's working directory",
    unsaved_file: "unsaved: Apply, Ctrl+S or another file saves it",
    unsaved: "unsaved",
    new_from_template: "new file from a template",
    new_file: "New…",
    templates: [
        "Deployment",
        "Pod",
        "ConfigMap",
        "Secret",
        "Multi-container pod",
        "Init containers",
    ],
    apply: "Apply",
    editor_keys: "Tab indents; Escape then Tab leaves; Ctrl+S saves; Ctrl+Enter applies",
    errors_in_file: "errors in this file",
    go_to_line: "go to the line",
    line: |n| format!("line {n}"),
    cancel: "Cancel",
    cancel_title: "Close without saving: kubectl says the edit was cancelled",
    save: "Save",
    save_title: "Save: kubectl patches the object (Ctrl+S)",
    edit_keys: "Ctrl+S saves; Tab indents; Escape then Tab leaves",
    terminal: "Terminal",
    terminal_keys: "Tab complete · ↑↓ history · Ctrl+C stop · Ctrl+L clear · Esc Tab leave",
    command_line_label: "command line",
    show_in_cluster: "show it in the cluster view",
    cluster: "Cluster",
    cluster_view: "cluster view",
    ns_pods: |ns, n| format!("namespace {ns} · {n} pods"),
    no_workloads: "No workloads in this namespace yet: press Apply to create the manifest in \
        the editor, then watch its pods come up here.",
    pods: "pods",
    deployment: "deployment",
    deploy_counts: |ready, desired, updated, available| {
        format!("{ready}/{desired} ready · {updated} up-to-date · {available} available")
    },
    rev: |n| format!("rev {n}"),
    rs_counts: |d, c, r| format!("{d} desired · {c} current · {r} ready"),
    rs_counts_title: "desired / current / ready",
    image: "image",
    max_surge_title: "maxSurge resolved against the desired replicas",
    max_unavailable_title: "maxUnavailable resolved against the desired replicas",
    max_total: |n| format!("≤ {n} pods"),
    max_total_title: "desired + maxSurge",
    min_available: |n| format!("≥ {n} available"),
    min_available_title: "desired − maxUnavailable",
    waiting: |w| match w {
        Waiting::Paused => "paused: `kubectl rollout resume` to go on".into(),
        Waiting::CannotCreate { error } => format!("pods cannot be created: {error}"),
        Waiting::OldPodsGo { old_pods } => {
            format!("Recreate: waiting for {old_pods} old pod(s) to go before creating new ones")
        }
        Waiting::NewAvailable { available, desired } => {
            format!("waiting for new pods to become available ({available}/{desired})")
        }
        Waiting::AtSurge {
            max_total,
            desired,
            max_surge,
        } => format!(
            "at most {max_total} pods (desired {desired} + maxSurge {max_surge}): waiting for \
             old pods to scale down"
        ),
        Waiting::AtFloor {
            min_available,
            desired,
            max_unavailable,
            available,
        } => format!(
            "at least {min_available} available (desired {desired} - maxUnavailable \
             {max_unavailable}): waiting for new pods to become available ({available} now)"
        ),
        Waiting::Replacing { old_pods } => format!("replacing {old_pods} old pod(s)"),
    },
    chart: "pods by revision, ready and available replicas over virtual time",
    lines: ["desired", "available", "ready", "new pods", "old pods"],
    chart_span: |secs, top| format!("last {secs} s · max {top}"),
    timeline: "revision timeline",
    same_template: |n| format!("same template as rev {n}"),
    rollback_title: "a rollback: this template was an earlier revision",
    current: "current",
    configs: |n| format!("ConfigMaps and Secrets ({n})"),
    missing: "missing",
    no_keys: "no keys",
    unused: "no pod uses it",
    show_pod: "show this pod's detail",
    events: |n| format!("Events ({n})"),
    no_events_yet: "No events yet.",
    pod: "pod",
    pod_label: |name| format!("pod {name}"),
    close: "Close (Escape)",
    close_pod: "close pod detail",
    pod_gone: |name| format!("Pod {name} is gone: it was deleted."),
    node: |n| format!("node {n}"),
    owned_by: |o| format!("owned by {o}"),
    init_container: "init container",
    sidecar: "sidecar (init, restartPolicy Always)",
    container: "container",
    not_started: "not started",
    exit: |x| format!("exit {x}"),
    restarts: |n| format!("restarts {n}"),
    ready: "ready",
    not_ready: "not ready",
    last: |l| format!("last: {l}"),
    command_line: "Command line",
    effective_command: "effective command line",
    image_unknown: "The image is not known, so its ENTRYPOINT and CMD cannot be shown.",
    not_in_kubeplay: |image, known| {
        format!("kubeplay has no image {image}: its pull fails as a pull of an image that does not exist would. (A real cluster pulls it, if it exists.) The images kubeplay has: {known}.")
    },
    no_command: "No command: the image has no ENTRYPOINT or CMD.",
    as_written: "as written, before $(VAR) expansion",
    image_entrypoint: "image ENTRYPOINT",
    image_cmd: "image CMD",
    rule: |r| match r {
        Rule::Image => "no command or args: the image's ENTRYPOINT and CMD run",
        Rule::Command => "command replaces the image's ENTRYPOINT, and the image's CMD is dropped",
        Rule::Args => "args replace the image's CMD; the image's ENTRYPOINT stays",
        Rule::Both => "command and args replace the image's ENTRYPOINT and CMD",
    },
    execed: (
        "Process 1 now runs ",
        ": the shell ran it in its own place (exec), as sh -c does with its last command.",
    ),
    environment: "Environment",
    env_columns: ["NAME", "VALUE", "FROM"],
    declared: "env and envFrom as declared",
    service_links: |n| format!("{n} service link variables"),
    mounted_files: "Mounted files",
    volume: |v| format!("volume {v}"),
    read_only: " read-only",
    logs: |c| format!("Logs (kubectl logs -c {c})"),
    events_heading: "Events",
    no_events: "No events.",
    key: "key",
    service_link: "service link",
    runtime_hostname: "runtime: the pod's name",
    runtime_default: "runtime default",
    image_env: |i| format!("image ENV ({i})"),
    env_changed: |v| {
        format!("the source says {v:?} now; a container reads its env only when it starts")
    },
    optional_skipped: "not found (optional: skipped)",
    no_such_key: |kind, name, key, keys| {
        if keys.is_empty() {
            format!("{kind} {name} has no key {key} (it has no keys)")
        } else {
            format!(
                "{kind} {name} has no key {key} (its keys: {})",
                keys.join(", ")
            )
        }
    },
    does_not_exist: |kind, name| format!("{kind} {name} does not exist"),
    every_key_a_file: "every key a file",
    every_key_decoded: "every key a file, decoded",
    items: |i| format!("items {i}"),
    empty_dir: "emptyDir (shared by the pod's containers)",
    volume_not_in_pod: |v| format!("volume {v} is not in the pod's volumes"),
    volume_at: |v, at| format!("volume {v} at {at}"),
    volume_unmounted: |v| format!("volume {v} (not mounted)"),
    mount_in: |path, c| format!("{path} in {c}"),
    rs_pods: |rs, n| format!("ReplicaSet {rs} ({n} pod{})", if n == 1 { "" } else { "s" }),
    in_container: |c| format!("(container {c})"),
    cells_label: |n, by| format!("{n} pod{}: {by}", if n == 1 { "" } else { "s" }),
    cell_count: |n, state| format!("{n} {state}"),
    cell_states: [
        "running",
        "pending",
        "notready",
        "failed",
        "terminating",
        "done",
    ],
};

pub static KO: Words = Words {
    title: "kubeplay: 브라우저에서 바로 쓰는 쿠버네티스 실습장",
    msg: |m| {
        use Msg::*;
        match m {
            Lesson => "레슨",
            Lessons => "레슨 목록",
            Step => "단계",
            Of => "/",
            Hint => "힌트",
            NextHint => "힌트 보기",
            NoMoreHints => "힌트가 더 없습니다",
            ShowSolution => "정답 보기",
            Checks => "확인 항목",
            Passed => "통과",
            NotYet => "아직",
            Expected => "기대값",
            Got => "실제값",
            Prev => "이전",
            Next => "다음",
            Done => "완료",
            LessonComplete => "레슨을 모두 마쳤습니다. 잘했어요!",
            Share => "공유",
            LinkCopied => "링크를 클립보드에 복사했습니다",
            LinkInAddressBar => "주소창에 링크가 있습니다",
            Characters => "자",
            Reset => "초기화",
            ResetConfirm => {
                "플레이그라운드를 초기화할까요? 입력한 명령, 파일, 클러스터가 모두 사라집니다."
            }
            ResetDone => "플레이그라운드를 초기화했습니다.",
            BadLink => "이 링크를 열 수 없습니다",
            NoLesson => "이 링크가 가리키는 레슨이 없습니다",
            BadSave => "저장된 세션을 복원할 수 없습니다",
            Restored => "지난 세션을 복원했습니다.",
            SaveFailed => "자동 저장 실패: 브라우저가 이 세션을 저장하지 못했습니다. 새로고침하면 마지막 자동 저장 이후의 작업은 사라집니다. 공유 링크에는 그대로 남습니다",
            KeptState => "아무것도 실행하지 않았고, 마지막 상태를 유지합니다.",
            StartedFresh => "아무것도 실행하지 않았고, 처음부터 시작합니다.",
            Dismiss => "닫기",
            Language => "언어",
            Free => "자유 실습",
            Export => "실제 클러스터용 스크립트",
        }
    },
    namespace: "네임스페이스: ",
    namespace_title: "현재 컨텍스트의 네임스페이스",
    editor_width: "편집기 너비",
    terminal_width: "터미널 너비",
    clock: "시계",
    play: "▶ 재생",
    pause: "❚❚ 일시정지",
    start_clock: "시계 시작",
    pause_clock: "시계 일시정지",
    speed: |n| format!("실제 1초에 가상 시간 {n}초"),
    next_event: "다음 이벤트 ⇥",
    next_event_title: "다음에 무언가 일어나는 순간으로 건너뜁니다",
    vtime: "클러스터가 시작된 뒤 흐른 가상 시간",
    vtime_behind: "클러스터가 시작된 뒤 흐른 가상 시간. 클러스터가 밀린 작업을 처리하는 동안에는 \
        고른 속도보다 느리게 흐릅니다",
    behind: "클러스터의 작업이 한 프레임에 처리할 수 있는 양보다 많습니다",
    catching_up: "따라잡는 중…",
    manifest_editor: "매니페스트 편집기",
    files: "셸 작업 디렉터리의 파일",
    file: "셸 작업 디렉터리의 파일",
    unsaved_file: "저장 안 됨: 적용, Ctrl+S, 또는 다른 파일로 옮기면 저장됩니다",
    unsaved: "저장 안 됨",
    new_from_template: "템플릿으로 새 파일 만들기",
    new_file: "새 파일…",
    templates: [
        "Deployment",
        "Pod",
        "ConfigMap",
        "Secret",
        "멀티 컨테이너 파드",
        "초기화 컨테이너",
    ],
    apply: "적용",
    editor_keys: "Tab: 들여쓰기, Escape 후 Tab: 빠져나가기, Ctrl+S: 저장, Ctrl+Enter: 적용",
    errors_in_file: "이 파일의 오류",
    go_to_line: "그 줄로 이동",
    line: |n| format!("{n}번째 줄"),
    cancel: "취소",
    cancel_title: "저장하지 않고 닫기: kubectl은 편집이 취소되었다고 알립니다",
    save: "저장",
    save_title: "저장: kubectl이 오브젝트를 패치합니다 (Ctrl+S)",
    edit_keys: "Ctrl+S: 저장, Tab: 들여쓰기, Escape 후 Tab: 빠져나가기",
    terminal: "터미널",
    terminal_keys: "Tab 자동 완성 · ↑↓ 기록 · Ctrl+C 중지 · Ctrl+L 화면 지우기 · Esc Tab 나가기",
    command_line_label: "명령줄",
    show_in_cluster: "클러스터 보기에서 보기",
    cluster: "클러스터",
    cluster_view: "클러스터 보기",
    ns_pods: |ns, n| format!("네임스페이스 {ns} · 파드 {n}개"),
    no_workloads:
        "이 네임스페이스에는 아직 워크로드가 없습니다. 적용을 눌러 편집기의 매니페스트로 \
        오브젝트를 만들고, 파드가 올라오는 모습을 여기서 지켜보세요.",
    pods: "파드",
    deployment: "디플로이먼트",
    deploy_counts: |ready, desired, updated, available| {
        format!("준비 {ready}/{desired} · 최신 {updated} · 가용 {available}")
    },
    rev: |n| format!("리비전 {n}"),
    rs_counts: |d, c, r| format!("희망 {d} · 현재 {c} · 준비 {r}"),
    rs_counts_title: "희망 / 현재 / 준비",
    image: "이미지",
    max_surge_title: "희망 레플리카 수로 계산한 maxSurge",
    max_unavailable_title: "희망 레플리카 수로 계산한 maxUnavailable",
    max_total: |n| format!("파드 ≤ {n}"),
    max_total_title: "희망 + maxSurge",
    min_available: |n| format!("가용 ≥ {n}"),
    min_available_title: "희망 − maxUnavailable",
    waiting: |w| match w {
        Waiting::Paused => "일시 중지됨: 계속하려면 `kubectl rollout resume`".into(),
        Waiting::CannotCreate { error } => format!("파드를 만들 수 없음: {error}"),
        Waiting::OldPodsGo { old_pods } => {
            format!(
                "Recreate: 새 파드를 만들기 전에 이전 파드 {old_pods}개가 사라지기를 기다리는 중"
            )
        }
        Waiting::NewAvailable { available, desired } => {
            format!("새 파드가 가용 상태가 되기를 기다리는 중 ({available}/{desired})")
        }
        Waiting::AtSurge {
            max_total,
            desired,
            max_surge,
        } => format!(
            "파드는 최대 {max_total}개 (희망 {desired} + maxSurge {max_surge}): 이전 파드가 \
             줄어들기를 기다리는 중"
        ),
        Waiting::AtFloor {
            min_available,
            desired,
            max_unavailable,
            available,
        } => format!(
            "가용 파드는 최소 {min_available}개 (희망 {desired} - maxUnavailable \
             {max_unavailable}): 새 파드가 가용 상태가 되기를 기다리는 중 (지금 {available}개)"
        ),
        Waiting::Replacing { old_pods } => format!("이전 파드 {old_pods}개를 교체하는 중"),
    },
    chart: "가상 시간에 따른 리비전별 파드와 준비·가용 레플리카 수",
    lines: ["희망", "가용", "준비", "새 파드", "이전 파드"],
    chart_span: |secs, top| format!("최근 {secs}초 · 최대 {top}"),
    timeline: "리비전 타임라인",
    same_template: |n| format!("리비전 {n}과 같은 템플릿"),
    rollback_title: "롤백: 이 템플릿은 이전 리비전의 것입니다",
    current: "현재",
    configs: |n| format!("컨피그맵과 시크릿 ({n})"),
    missing: "없음",
    no_keys: "키 없음",
    unused: "사용하는 파드 없음",
    show_pod: "이 파드의 상세 보기",
    events: |n| format!("이벤트 ({n})"),
    no_events_yet: "아직 이벤트가 없습니다.",
    pod: "파드",
    pod_label: |name| format!("파드 {name}"),
    close: "닫기 (Escape)",
    close_pod: "파드 상세 닫기",
    pod_gone: |name| format!("파드 {name}은(는) 삭제되어 더 이상 없습니다."),
    node: |n| format!("노드 {n}"),
    owned_by: |o| format!("소유자 {o}"),
    init_container: "초기화 컨테이너",
    sidecar: "사이드카 (init, restartPolicy Always)",
    container: "컨테이너",
    not_started: "시작 전",
    exit: |x| format!("종료 코드 {x}"),
    restarts: |n| format!("재시작 {n}회"),
    ready: "준비됨",
    not_ready: "준비 안 됨",
    last: |l| format!("직전 종료: {l}"),
    command_line: "명령줄",
    effective_command: "실제로 실행되는 명령줄",
    image_unknown: "알 수 없는 이미지라서 ENTRYPOINT와 CMD를 보여 줄 수 없습니다.",
    not_in_kubeplay: |image, known| {
        format!("kubeplay에는 {image} 이미지가 없어서, 존재하지 않는 이미지를 풀할 때처럼 풀이 실패합니다. (실제 클러스터라면 이미지가 존재할 경우 풀합니다.) kubeplay에 있는 이미지: {known}.")
    },
    no_command: "명령 없음: 이미지에 ENTRYPOINT도 CMD도 없습니다.",
    as_written: "$(VAR) 치환 전, 작성된 그대로",
    image_entrypoint: "이미지 ENTRYPOINT",
    image_cmd: "이미지 CMD",
    rule: |r| match r {
        Rule::Image => "command도 args도 없음: 이미지의 ENTRYPOINT와 CMD가 실행됩니다",
        Rule::Command => "command가 이미지의 ENTRYPOINT를 대체하고, 이미지의 CMD는 쓰이지 않습니다",
        Rule::Args => "args가 이미지의 CMD를 대체하고, 이미지의 ENTRYPOINT는 그대로입니다",
        Rule::Both => "command와 args가 이미지의 ENTRYPOINT와 CMD를 대체합니다",
    },
    execed: (
        "지금 프로세스 1은 ",
        "입니다: 셸이 이 명령을 자기 자리에서 실행했습니다(exec). sh -c는 마지막 명령을 이렇게 실행합니다.",
    ),
    environment: "환경 변수",
    env_columns: ["이름", "값", "출처"],
    declared: "선언된 env와 envFrom",
    service_links: |n| format!("서비스 링크 변수 {n}개"),
    mounted_files: "마운트된 파일",
    volume: |v| format!("볼륨 {v}"),
    read_only: " 읽기 전용",
    logs: |c| format!("로그 (kubectl logs -c {c})"),
    events_heading: "이벤트",
    no_events: "이벤트 없음.",
    key: "키",
    service_link: "서비스 링크",
    runtime_hostname: "런타임: 파드 이름",
    runtime_default: "런타임 기본값",
    image_env: |i| format!("이미지 ENV ({i})"),
    env_changed: |v| format!("지금 출처의 값은 {v:?}입니다. 컨테이너는 시작할 때만 env를 읽습니다"),
    optional_skipped: "없음 (optional이라 건너뜀)",
    no_such_key: |kind, name, key, keys| {
        if keys.is_empty() {
            format!("{kind} {name}에 키 {key}가 없습니다 (키가 하나도 없음)")
        } else {
            format!(
                "{kind} {name}에 키 {key}가 없습니다 (있는 키: {})",
                keys.join(", ")
            )
        }
    },
    does_not_exist: |kind, name| format!("{kind} {name}이(가) 없습니다"),
    every_key_a_file: "키마다 파일 하나",
    every_key_decoded: "키마다 파일 하나, 디코딩됨",
    items: |i| format!("items {i}"),
    empty_dir: "emptyDir (파드의 컨테이너들이 함께 씀)",
    volume_not_in_pod: |v| format!("볼륨 {v}이(가) 파드의 volumes에 없습니다"),
    volume_at: |v, at| format!("볼륨 {v}: {at}"),
    volume_unmounted: |v| format!("볼륨 {v} (마운트 안 됨)"),
    mount_in: |path, c| format!("{c}의 {path}"),
    rs_pods: |rs, n| format!("ReplicaSet {rs} (파드 {n}개)"),
    in_container: |c| format!("(컨테이너 {c})"),
    cells_label: |n, by| format!("파드 {n}개: {by}"),
    cell_count: |n, state| format!("{state} {n}개"),
    cell_states: [
        "실행 중",
        "대기 중",
        "준비 안 됨",
        "실패",
        "종료 중",
        "완료",
    ],
};

/// The page's words in the language the page is in (given by `App` as a context).
#[yew::hook]
pub fn use_words() -> &'static Words {
    words(yew::use_context::<Lang>().unwrap_or(Lang::En))
}

/// The language to start in: an explicit `?lang=`, else a saved choice, else the browser's.
pub fn initial(query: Option<Lang>, saved: Option<&str>, navigator: &str) -> Lang {
    query
        .or_else(|| saved.map(Lang::from_tag))
        .unwrap_or_else(|| Lang::from_tag(navigator))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pod_grid_is_named_in_the_page_language() {
        let name = |tr: &Words| (tr.cells_label)(150, &(tr.cell_count)(150, tr.cell_states[0]));
        // The browser tests read the English name.
        assert_eq!(name(&EN), "150 pods: 150 running");
        assert_eq!((EN.cells_label)(1, "1 pending"), "1 pod: 1 pending");
        assert_eq!(name(&KO), "파드 150개: 실행 중 150개");
    }

    #[test]
    fn every_message_has_both_languages() {
        use Msg::*;
        for m in [
            Lesson,
            Lessons,
            Step,
            Of,
            Hint,
            NextHint,
            NoMoreHints,
            ShowSolution,
            Checks,
            Passed,
            NotYet,
            Expected,
            Got,
            Prev,
            Next,
            Done,
            LessonComplete,
            Share,
            LinkCopied,
            LinkInAddressBar,
            Characters,
            Reset,
            ResetConfirm,
            ResetDone,
            BadLink,
            NoLesson,
            BadSave,
            Restored,
            SaveFailed,
            KeptState,
            StartedFresh,
            Dismiss,
            Language,
            Free,
            Export,
        ] {
            assert!(!t(Lang::En, m).is_empty());
            assert!(!t(Lang::Ko, m).is_empty());
        }
    }

    #[test]
    fn korean_explains_every_wait_and_rule_in_its_own_words() {
        let waits = [
            Waiting::Paused,
            Waiting::CannotCreate {
                error: "pods \"web-1-\" is forbidden".into(),
            },
            Waiting::OldPodsGo { old_pods: 2 },
            Waiting::NewAvailable {
                available: 1,
                desired: 3,
            },
            Waiting::AtSurge {
                max_total: 4,
                desired: 3,
                max_surge: 1,
            },
            Waiting::AtFloor {
                min_available: 2,
                desired: 3,
                max_unavailable: 1,
                available: 2,
            },
            Waiting::Replacing { old_pods: 1 },
        ];
        for w in &waits {
            let (en, ko) = ((EN.waiting)(w), (KO.waiting)(w));
            assert!(ko.chars().any(|c| ('가'..='힣').contains(&c)), "{ko}");
            assert_ne!(en, ko);
        }
        for r in [Rule::Image, Rule::Command, Rule::Args, Rule::Both] {
            assert!((KO.rule)(r).chars().any(|c| ('가'..='힣').contains(&c)));
        }
        // The numbers a learner reads are the same in both.
        let surge = &waits[4];
        for n in ["4", "3", "1"] {
            assert!((KO.waiting)(surge).contains(n));
        }
    }

    #[test]
    fn language_choice_order() {
        assert_eq!(initial(None, None, "ko-KR"), Lang::Ko);
        assert_eq!(initial(None, None, "en-GB"), Lang::En);
        assert_eq!(initial(None, Some("en"), "ko-KR"), Lang::En);
        assert_eq!(initial(Some(Lang::Ko), Some("en"), "en-US"), Lang::Ko);
    }
}
