//! Parity with the real bash and GNU coreutils: each script runs in both, in an empty
//! directory, and stdout, stderr and the exit status must be byte-identical. Skipped where
//! bash is absent. (`bash: line 1: ` in the real shell's messages is what a script gets; our
//! prompt prints `bash: `, so that prefix is normalised.)

use kubeplay_sh::{Handle, Host, Io, Millis, Out, Proc, Shell, Status, Step, Vfs};
use std::process::Command;

struct H {
    fs: Vfs,
}

impl Host for H {
    fn fs(&mut self) -> &mut Vfs {
        &mut self.fs
    }
    fn now(&self) -> Millis {
        0
    }
    fn run(&mut self, _: &[String], _: &mut Io) -> Step {
        Step::NotFound
    }
    fn poll(&mut self, _: Handle, _: &mut Io) -> Option<i32> {
        Some(0)
    }
}

fn ours(script: &str) -> (String, String, i32) {
    ours_as("bash", script)
}

fn ours_as(shell: &str, script: &str) -> (String, String, i32) {
    ours_in(Shell::new(shell), script)
}

fn ours_in(sh: Shell, script: &str) -> (String, String, i32) {
    let mut host = H { fs: Vfs::default() };
    let mut p = Proc::parse(script, sh).expect("parses");
    let mut out = Out::default();
    let code = match p.step(&mut host, &mut out) {
        Status::Exited(c) => c,
        Status::Blocked => panic!("{script}: blocked"),
    };
    (out.stdout_text(), out.stderr_text(), code)
}

fn real(script: &str) -> Option<(String, String, i32)> {
    real_as("bash", script)
}

fn real_as(shell: &str, script: &str) -> Option<(String, String, i32)> {
    real_cmd(&[shell], script)
}

/// `cmd -c script` (`cmd` may be `busybox sh`) in a new empty folder.
fn real_cmd(cmd: &[&str], script: &str) -> Option<(String, String, i32)> {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("kubeplay-parity-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).ok()?;
    // A shell keeps the signals it was started with ignored, and `trap -p` lists them: run
    // from `nohup` or a background job, it would not start as a learner's does. GNU env
    // (coreutils 8.31 on) puts them back to their defaults.
    static DEFAULT_SIGNALS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let reset = *DEFAULT_SIGNALS.get_or_init(|| {
        Command::new("env")
            .args(["--default-signal=HUP,INT,QUIT", "true"])
            .status()
            .is_ok_and(|s| s.success())
    });
    let mut command = if reset {
        let mut c = Command::new("env");
        c.arg("--default-signal=HUP,INT,QUIT").arg(cmd[0]);
        c
    } else {
        Command::new(cmd[0])
    };
    let o = command
        .args(&cmd[1..])
        .arg("-c")
        .arg(script)
        .current_dir(&dir)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("LANG", "C.UTF-8")
        .env("HOME", "/root")
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    let norm = |b: &[u8]| String::from_utf8_lossy(b).replace("bash: line 1: ", "bash: ");
    Some((
        norm(&o.stdout),
        norm(&o.stderr),
        o.status.code().unwrap_or(-1),
    ))
}

const CASES: &[&str] = &[
    // echo, printf
    "echo hello world",
    "echo -n no newline",
    "echo -e 'a\\tb\\nc'",
    "echo -e 'x\\c' y",
    "echo 'single $HOME' \"double\"",
    "printf '%s-%s\\n' a b c d",
    "printf '%5s|%-5s|%05d|%x\\n' ab cd 42 255",
    "printf '%d\\n' 3 4",
    "printf 'no newline'",
    "printf '%.2f %s\\n' 3.14159 pi",
    // base64
    "echo -n 'bXlzcWw=' | base64 --decode",
    "echo -n mysql | base64",
    "echo -n password123 | base64",
    "printf 'x%.0s' $(seq 1 100) | base64",
    "printf 'x%.0s' $(seq 1 100) | base64 -w0",
    "echo 'bad!!' | base64 -d",
    "echo -n 'cGFzc3dvcmQ' | base64 -d",
    "echo aGVsbG8K | base64 -d",
    "echo -n 'a b' | base64 -w 4",
    "echo 'aGVs!bG8=' | base64 -d -i",
    // head, tail, wc
    "seq 1 20 | head",
    "seq 1 20 | head -n 3",
    "seq 1 20 | head -3",
    "seq 1 20 | head -n -17",
    "seq 1 20 | tail -n 2",
    "seq 1 20 | tail -n +18",
    "seq 1 5 | tail -c 4",
    "echo hello | head -c 3",
    "head -n x /dev/null",
    "seq 1 5 > f; head -n 2 f f",
    "echo 'one two three' | wc -w",
    "printf 'a\\nb\\nc\\n' | wc -l",
    "printf 'a b\\nc\\n' | wc",
    "printf 'hello\\n' > f; wc f",
    "printf 'hello\\n' > f; wc -l f",
    "printf 'x\\n' > a; printf 'yy\\nz\\n' > b; wc a b",
    "wc nofile",
    // sort, uniq
    "printf 'b\\na\\nc\\na\\n' | sort",
    "printf 'b\\na\\nc\\na\\n' | sort -u",
    "printf 'b\\na\\nc\\na\\n' | sort -r",
    "printf '10\\n9\\n100\\n' | sort -n",
    "printf '10\\n9\\n100\\n' | sort",
    "printf 'x 3\\ny 1\\nz 2\\n' | sort -k2 -n",
    "printf 'a:3\\nb:1\\n' | sort -t: -k2",
    "printf 'a\\na\\nb\\na\\n' | uniq",
    "printf 'a\\na\\nb\\na\\n' | uniq -c",
    "printf 'a\\na\\nb\\n' | uniq -d",
    "printf 'b\\na\\nb\\nc\\nb\\n' | sort | uniq -c | sort -rn",
    // cut, tr
    "echo 'a:b:c' | cut -d: -f2",
    "echo 'a:b:c' | cut -d: -f1,3",
    "echo 'a:b:c' | cut -d: -f2-",
    "echo 'hello' | cut -c2-4",
    "echo 'no delim' | cut -d: -f2",
    "echo 'a b' | cut -d' ' -f 2",
    "echo Hello | tr a-z A-Z",
    "echo Hello | tr '[:lower:]' '[:upper:]'",
    "echo 'a  b   c' | tr -s ' '",
    "echo hello | tr -d l",
    "printf 'a\\nb\\n' | tr '\\n' ','",
    "echo abc | tr abc xy",
    // grep
    "printf 'apple\\nbanana\\ncherry\\n' | grep an",
    "printf 'apple\\nBanana\\n' | grep -i banana",
    "printf 'apple\\nbanana\\n' | grep -v apple",
    "printf 'apple\\nbanana\\n' | grep -c a",
    "printf 'apple\\nbanana\\n' | grep -n an",
    "printf 'a1b22c333\\n' | grep -o '[0-9]\\+'",
    "printf 'a1b22c333\\n' | grep -oE '[0-9]+'",
    "printf 'cat\\ncatalog\\n' | grep -w cat",
    "printf 'x\\n' | grep y; echo $?",
    "printf 'x\\n' | grep -q x; echo $?",
    "printf 'ab\\nac\\n' | grep -E 'b|c'",
    "printf 'ab\\na|c\\n' | grep 'b|c'",
    "printf 'a.b\\naxb\\n' | grep -F a.b",
    "grep x nofile",
    "printf 'k\\n' > f1; printf 'k\\nj\\n' > f2; grep k f1 f2",
    "printf 'k\\n' > f1; grep -c k f1 f1",
    "printf 'one\\ntwo\\nthree\\nfour\\n' | grep -A1 two",
    "printf 'Running\\nPending\\n' | grep -e Run -e Pend",
    // sed
    "echo hello | sed 's/l/L/'",
    "echo hello | sed 's/l/L/g'",
    "printf 'a\\nb\\nc\\n' | sed -n 2p",
    "printf 'a\\nb\\nc\\n' | sed 2d",
    "printf 'a\\nb\\nc\\n' | sed '/b/d'",
    "echo 'image: nginx:1.14' | sed 's/nginx:1.14/nginx:1.25/'",
    "echo 'a.b.c' | sed 's/\\./-/g'",
    "echo 'abc' | sed -E 's/(a)(b)/\\2\\1/'",
    "echo 'abc' | sed 's/\\(a\\)\\(b\\)/\\2\\1/'",
    "echo hello | sed 's/.*/[&]/'",
    "printf 'a\\nb\\nc\\nd\\n' | sed -n '2,3p'",
    "printf 'a\\nb\\n' | sed '$d'",
    "printf 'x: 1\\n' > f; sed -i 's/1/2/' f; cat f",
    "printf 'a\\nb\\n' | sed -e 's/a/A/' -e 's/b/B/'",
    "echo abc | sed 's|b|/|'",
    // awk
    "echo 'a b c' | awk '{print $2}'",
    "echo 'a b c' | awk '{print $1, $3}'",
    "echo 'a:b:c' | awk -F: '{print $NF}'",
    "printf 'x 1\\ny 2\\nz 3\\n' | awk '{s += $2} END {print s}'",
    "printf 'x 1\\ny 2\\n' | awk 'NR==2'",
    "printf 'x 1\\ny 2\\n' | awk '$2 > 1 {print $1}'",
    "printf 'x 1\\ny 2\\n' | awk '/y/ {print NR\": \"$0}'",
    "printf 'a b\\nc d e\\n' | awk '{print NF}'",
    "echo '3 4' | awk '{printf \"%d+%d=%d\\n\", $1, $2, $1+$2}'",
    "printf 'NAME READY\\npod-a 1/1\\npod-b 0/1\\n' | awk 'NR>1 {print $1}'",
    "echo 'a b' | awk '{print $1 \"-\" $2}'",
    "echo 7 | awk '{print $1/2}'",
    "echo 'x' | awk 'BEGIN {print \"start\"} {print} END {print \"end\"}'",
    "echo 'Hello' | awk '{print toupper($0), length($0)}'",
    "printf 'a 1\\nb 2\\na 3\\n' | awk '{c[$1]+=$2} END {for (k in c) print k, c[k]}' | sort",
    "echo 'a-b-c' | awk '{n=split($0, p, \"-\"); print n, p[2]}'",
    "echo foo | awk '{sub(/o/, \"0\"); print}'",
    "echo foo | awk '{gsub(/o/, \"0\"); print}'",
    "echo '1 2 3' | awk '{$2=\"x\"; print}'",
    "echo 'a,b' | awk 'BEGIN{FS=\",\"; OFS=\"|\"} {print $1,$2}'",
    "awk 'BEGIN {print 1/3}'",
    "awk 'BEGIN {x = 0.1 + 0.2; print x}'",
    "awk 'BEGIN {print substr(\"hello\", 2, 3)}'",
    // files
    "mkdir d; touch d/a d/b; ls d",
    "mkdir -p x/y/z; ls x/y",
    "mkdir d; mkdir d",
    "mkdir a/b",
    "touch f; rm f; ls",
    "rm nofile",
    "rm -f nofile; echo $?",
    "mkdir d; rm d",
    "mkdir d; touch d/f; rm -r d; ls",
    "echo x > a; cp a b; cat b",
    "echo x > a; mv a b; ls; cat b",
    "mkdir d; echo x > a; cp a d; ls d",
    "cp",
    "mv a",
    "cp nofile x",
    "mkdir d; cp d e",
    "ls nofile",
    "touch b a c; ls",
    "touch .hidden v; ls -a",
    "touch .hidden v; ls -A",
    "touch a b; ls -1",
    "cat nofile",
    "mkdir d; cat d",
    "echo hi > f; cat f f",
    "printf 'a\\nb\\n' | cat -n",
    "echo x | tee f; cat f",
    "touch a.yaml b.yaml c.txt; echo *.yaml",
    "echo *.nomatch",
    "mkdir d; cd d; pwd | sed 's|.*/||'",
    // test
    "[ 1 -lt 2 ] && echo yes",
    "[ abc = abc ]; echo $?",
    "[ -z '' ]; echo $?",
    "[ -n '' ]; echo $?",
    "touch f; [ -f f ] && echo file; [ -d f ] || echo notdir",
    "test 3 -gt 2; echo $?",
    "[ a -lt 2 ]; echo $?",
    // shell
    "x=1; y=$((x + 2)); echo $y",
    "for f in a b; do echo $f; done | sort -r",
    "echo {1..5}",
    "echo {a,b}{1,2}",
    "a=hello; echo ${a^^} 2>/dev/null || echo unsupported",
    "echo ${x:-def} ${x:=set} $x",
    "v='a b  c'; echo $v; echo \"$v\"",
    "f() { echo args: $#; }; f 1 2 3",
    "case foo.yaml in *.yaml) echo yaml;; *) echo other;; esac",
    "i=0; while [ $i -lt 3 ]; do i=$((i+1)); done; echo $i",
    "echo $(( 7 / 2 )) $(( 7 % 2 )) $(( 2 ** 8 ))",
    "seq 3 | while read n; do echo \"n=$n\"; done",
    "seq 2 5",
    "seq 0 2 6",
    "seq -s, 3",
    "seq 5 1",
    "yes | head -n 3",
    "echo a; false; echo $?",
    "true | false; echo $?",
    "! false; echo $?",
    "(exit 3); echo $?",
    "basename /a/b/c.yaml .yaml; dirname /a/b/c.yaml",
    "x=$(echo hi; echo there); echo \"$x\"",
    "echo \"$(printf 'a\\n\\n\\n')\"",
    "unset x; echo ${#x}",
    "cat <<EOF\nline $((1+1))\nEOF",
    "echo 'a' > f; echo 'b' >> f; cat < f",
    "echo out; echo err >&2",
    "{ echo a; echo b >&2; } 2>&1 | cat",
    "echo x 2>/dev/null 1>&2 | cat",
    "nosuchcmd 2>&1 | cat",
    "nosuchcmd; echo $?",
    "echo -n a; echo b",
    // [[ ]]
    "a=abc; [[ $a == a* ]] && echo glob",
    "a=abc; [[ $a == 'a*' ]]; echo $?",
    "a='x y'; [[ $a == \"x y\" ]] && echo nosplit",
    "touch a.yaml; [[ -f a.yaml && ! -d a.yaml ]] && echo file",
    "[[ -n $unset || -z $unset ]]; echo $?",
    "[[ abc < abd ]] && echo less; [[ b > a ]] && echo more",
    "[[ ( 1 -lt 2 ) && ( 3 -gt 2 ) ]]; echo $?",
    "x=3; [[ x+1 -eq 4 ]] && echo arith",
    "[[ abc =~ ^a(b)c$ ]] && echo \"re $BASH_REMATCH\"",
    "[[ abc =~ 'a.c' ]]; echo $?",
    "re='^[0-9]+$'; [[ 42 =~ $re ]] && echo digits",
    "[[ a =~ [ ]]; echo $?",
    "[[ -v HOME ]] && echo set; [[ -v nosuch ]] || echo unset",
    "[[ '' ]]; echo $?; [[ x ]]; echo $?",
    "[[ a == a ]] && [[ b != a ]] && echo both",
    "[[ 1 -eq 2 || $(echo ran) == ran ]] && echo or",
    "if [[ $(echo hi) == h* ]]; then echo sub; fi",
    // (( )) and for (( ))
    "x=5; ((x++)); echo $x",
    "(( 3 > 2 )) && echo gt; (( 0 )); echo $?",
    "((x = 2 * 3)); echo $x",
    "for ((i=0; i<3; i++)); do echo -n $i; done; echo",
    "for ((i=0; i<5; i++)); do ((i==1)) && continue; ((i==3)) && break; echo $i; done",
    "for (( ; ; )); do echo once; break; done",
    "((echo sub); echo shell)",
    "(( 1 + ))",
    "n=0; while (( n < 3 )); do ((n++)); done; echo $n",
    // function keyword, local
    "function g { echo fn $1; }; g x",
    "function h() { echo paren; }; h",
    "f() { local v=1; v=2; echo $v; }; v=0; f; echo $v",
    "f() { local x; echo \"[${x-unset}]\"; }; x=1; f; echo $x",
    "f() { declare y=2; }; f; echo \"[${y-unset}]\"",
    "local z=1; echo $?",
    "f() { local a=1; g; }; g() { echo \"g sees $a\"; }; f; echo \"[${a-}]\"",
    "f() { local n=$1; if (( n > 0 )); then f $((n-1)); fi; echo $n; }; f 2",
    // arrays
    "a=(x y z); echo ${#a[@]} ${a[1]} ${a[-1]} $a",
    "a=(x 'y z'); for v in \"${a[@]}\"; do echo \"[$v]\"; done",
    "a=(x 'y z'); for v in ${a[@]}; do echo \"[$v]\"; done",
    "a=(x y); echo \"${a[*]}\"; IFS=,; echo \"${a[*]}\"",
    "a=(); a+=(one); a+=(two three); echo ${a[@]} ${#a[@]}",
    "a[3]=c; a[1]=b; echo ${!a[@]}; echo ${a[@]}",
    "i=2; a[$i]=two; a[i+1]=three; echo ${a[2]} ${a[3]}",
    "a=(p q r s); echo ${a[@]:1:2}; echo \"${a[@]:2}\"",
    "a=(abc de); echo ${#a[0]} ${#a[1]}",
    "a=(1 2 3); unset 'a[1]'; echo ${a[@]} ${!a[@]}",
    "a=(x y); declare -p a",
    "declare -a a=(one two); echo ${a[1]}",
    "declare -A m; m[k]=v; m[k2]='w x'; echo ${m[k]} \"${m[k2]}\" ${#m[@]}",
    "declare -A m=([name]=web [image]=nginx); echo ${m[name]}:${m[image]}",
    "declare -A m=([only]=1); declare -p m",
    // set -e -u -o pipefail, trap, let, printf -v
    "set -e; false || echo handled; echo next; false; echo unreachable",
    "set -e; f() { false; echo in-f; }; f || echo handled; echo next",
    "set -e; if false; then :; fi; ! true; false | true; echo ok; x=$(false); echo x-ok",
    "set -e; while false; do :; done; true && false; echo unreachable",
    "set -o pipefail; false | true; echo $?; true | (exit 3) | true; echo $?",
    "set -o pipefail; echo \"[$1]\" $#",
    "set -eu -o pipefail; echo ok; set -o | grep -E 'errexit|nounset|pipefail'",
    "set +o | head -3",
    // (A fatal expansion error ends `bash -c` with 127 but a script file with 1, as
    // kubeplay's scripts do: the checks run it in a subshell.)
    "set -u; echo ${nope:-default}; echo \"$@\" $#; (echo $nope; echo unreachable); echo after $?",
    "set -u; g() { echo ${1-none}; }; g",
    "(echo ${x:?boom}; echo unreachable); echo after $?",
    "echo $((1+)); echo after",
    "(( 1 + )); echo after",
    "set -q",
    "set -o nosuch",
    "set -- a b c; echo $# $2; set --; echo $#",
    "trap 'echo bye $?' EXIT; echo work; exit 3",
    "trap 'echo cleanup' EXIT; trap -p; trap - EXIT; trap -p; echo done",
    "trap 'echo x' NOSIG",
    "(trap 'echo sub-exit' EXIT; echo in-sub); echo after-sub",
    "set -e; trap 'echo trapped $?' EXIT; false; echo unreachable",
    "let i=3+4; echo $i; let i++ j=i*2; echo $i $j; let 0; echo $?",
    "printf -v out '%s-%03d' web 7; echo \"[$out]\"",
    // getopts
    "f() { local OPTIND o; while getopts \"ab:c\" o \"$@\"; do echo \"o=$o OPTARG=${OPTARG-unset} OPTIND=$OPTIND\"; done; echo \"end OPTIND=$OPTIND rest=${*:OPTIND}\"; }; f -a -b val -ac -bX -q -b; f -- -a; f x -a; f -b",
    "while getopts ':ab:' o -q -b; do echo \"$o ${OPTARG-}\"; done",
    "getopts; echo $?",
    "set -- -n 3 file; while getopts n: o; do echo \"$o=$OPTARG\"; done; shift $((OPTIND-1)); echo \"$@\"",
    "set -- a b c d; echo ${@:2} \"${*:2:2}\"; for x in \"${@:3}\"; do echo \"[$x]\"; done",
    "s=abcdef; echo ${s:1:-2} ${s: -3:2}; (echo ${s:4:-3}); a=(1 2 3); (echo ${a[@]:1:-1}); echo done",
    "for s in \"a b'c\" '' a,b '~x' 'x~y' '#a' 'a#b' a=b a:b $'a\\nb' $'t\\tx' '[x]' '{a}' 'a^b' 'a$b'; do printf '%q|' \"$s\"; done; echo",
    "[ \"$UID\" -eq 0 ] && echo root; [[ -n $BASH_VERSION && $EUID == 0 ]] && echo bash",
    // paste
    "seq 3 | paste -sd+",
    "seq 5 | paste -s -d ',;'",
    "seq 4 > a; printf 'x\\ny\\n' > b; paste a b; paste -d: a b -",
    "seq 6 | paste - - -",
    "printf 'a\\nb' | paste -s",
    "paste nofile; echo $?",
    "seq 3 | paste -sd '\\t'",
    "seq 3 | paste -q",
    "declare -A m=([b]=2 [a]=1 [c]=3 [name]=x [image]=y); declare -p m; echo ${!m[@]}; echo ${m[@]}",
    "declare -A m=(a 1 b 2 odd); declare -p m",
    "declare -A m; m[z]=1; m[y]=2; m[z]=3; unset 'm[y]'; declare -p m",
    "read -ra parts <<< 'a b  c'; echo ${#parts[@]} ${parts[2]}",
    "mapfile -t lines < <(printf 'l1\\nl2\\n'); echo ${#lines[@]} ${lines[1]}",
    "printf 'x\\ny\\n' | { readarray -t r; echo ${r[@]}; }",
    "[[ 'v1.25.3' =~ ^v([0-9]+)\\.([0-9]+) ]] && echo ${BASH_REMATCH[0]} ${BASH_REMATCH[2]}",
    "f() { local -a xs=(1 2); echo ${#xs[@]}; }; xs=(a); f; echo ${xs[@]}",
    "x=hello; n=x; echo ${!n}",
    "a=(x y); a=z; echo ${a[@]}",
    "s=ab; s+=cd; echo $s",
    "a=(3 1 2); for i in \"${!a[@]}\"; do echo \"$i=${a[$i]}\"; done",
    "pods=(web-1 web-2); echo \"${pods[@]/web/api}\" 2>&1 | head -1; echo ${#pods[@]}",
    "printf '%s\\n' \"$(echo '  spaced  ')\"",
    "a=1; (a=2); echo $a",
    "set -- x y; echo $1 $#; shift; echo $1",
    "echo one two | { read a b; echo $b $a; }",
    "x=5; [ $x -gt 3 ] && [ $x -lt 10 ] && echo between",
    // xargs
    "printf 'a b\\nc\\n' | xargs echo",
    "printf 'a b c' | xargs -n 1 echo",
    "printf 'x\\ny\\n' | xargs -I{} echo [{}]",
    "printf '' | xargs echo; echo $?",
    "printf '' | xargs -r echo hi; echo $?",
    "echo f1 f2 | xargs touch; ls",
    "mkdir a b; touch a/x; ls a b",
    "touch f; ls f nofile",
    "mkdir -p d/e; ls -d d",
    // type
    "f(){ :; }; type -t f",
    "type -t cd; type -t ls; type -t if; type -t then",
    "type -t nope; echo $?",
    "type -P ls",
    "type -p cd; echo $?",
    // process substitution
    "cat <(echo hello; echo world)",
    "diff <(printf 'a\\nb\\n') <(printf 'a\\nc\\n'); echo $?",
    "echo <(true) <(true)",
    "wc -l < <(seq 1 5)",
    "x=<(echo hi); echo $x",
    "echo a<(true)b",
    "while read l; do echo \"[$l]\"; done < <(printf 'x\\ny\\n')",
    // chmod, ls -l's modes, scripts run by their path
    "touch f; chmod 4755 f; chmod g-r,o= f; ls -l f | cut -c1-10",
    "touch f; chmod -v 644 f; chmod +x f; [ -x f ] && echo x; ls -F",
    "chmod; echo $?; chmod 755; echo $?; touch f; chmod abc f; echo $?; chmod +x nofile; echo $?",
    "mkdir d; touch d/f; chmod -R go-rx d; ls -ld d | cut -c1-10; ls -l d/f | cut -c1-10",
    "touch f; chmod =r f; ls -l f | cut -c1-10; chmod o+t,u+s f; ls -l f | cut -c1-10; chmod a-x,+X f; ls -l f | cut -c1-10",
    "touch a; chmod 700 a; cp a b; touch c; cp a c; ls -l b c | cut -c1-10",
    "touch f; chmod -x f; chmod -w f; ls -l f | cut -c1-10; chmod --bogus f; echo $?",
    "printf '#!/bin/bash\\necho hi $0 $#\\n' > x.sh; ./x.sh; echo $?; chmod +x x.sh; ./x.sh a b; echo $?",
    "printf 'echo plain $1\\n' > y; chmod 755 y; ./y one; mkdir d; ./d; echo $?",
    "touch a.sh; type ./a.sh; echo $?; chmod +x a.sh; type ./a.sh; type -t ./a.sh; type -p ./a.sh; command -v ./a.sh; which ./a.sh",
    "printf '#!/bin/sh\\necho sh $0\\n' > s; chmod u+x s; ./s",
    // a script's errors name their line; $LINENO
    "printf 'echo a $LINENO\\nfoo\\ncd /nope\\n' > s.sh; bash s.sh; echo $?",
    "printf 'f() {\\n  bar\\n  echo in f $LINENO\\n}\\nf\\nx=$(baz)\\necho \"$(echo $LINENO)\"\\n' > s.sh; bash s.sh",
    "printf 'cat <<EOF\\none\\ntwo\\nEOF\\nnope\\nif true; then\\n  nope2\\nfi\\n' > s.sh; bash s.sh",
    "printf 'echo $LINENO\\n\\n\\nfoo; echo $LINENO\\n' > s.sh; chmod +x s.sh; ./s.sh; bash -c 'foo; echo $LINENO'",
    // a script bash cannot parse runs up to its broken command
    "bash -c 'echo a; fi'; echo \"[$?]\"; bash -c 'if true; then'; echo \"[$?]\"",
    "printf 'echo 1\\necho 2\\nif true; then\\n echo 3\\n fi fi\\necho 4\\n' > e.sh; bash e.sh; echo \"[$?]\"",
    "printf 'echo a\\nif true; then\\n' > e.sh; bash e.sh; echo \"[$?]\"",
    "printf 'echo a\\necho >\\n' > n.sh; bash n.sh; echo $?; bash -c 'echo >'; bash -c 'for i in 1 2'",
    "printf 'echo x; exit 3\\nfi\\n' > e.sh; bash e.sh; echo \"[$?]\"; printf 'cat <<E\\nhi\\nE\\ndone\\n' > f.sh; bash f.sh",
    // $RANDOM once seeded, $SECONDS (the clock stands still here)
    "RANDOM=42; echo $RANDOM $RANDOM $RANDOM",
    "RANDOM=0; echo $RANDOM $RANDOM; RANDOM=-5; echo $RANDOM",
    "RANDOM=7; echo $(( RANDOM % 6 + 1 )) $(( RANDOM % 6 + 1 ))",
    "RANDOM=1; a=$RANDOM; RANDOM=1; b=$RANDOM; [ $a = $b ] && echo same",
    "RANDOM=3; (echo $RANDOM) >/dev/null; echo $RANDOM",
    "unset RANDOM; echo \"[$RANDOM]\"; RANDOM=5; echo \"[$RANDOM]\"",
    "echo $SECONDS; SECONDS=10; echo $SECONDS",
    "[ ${#EPOCHSECONDS} -eq 10 ] && echo ten digits",
    // readonly: an assignment to one ends a script; export and unset refuse it
    "readonly R=1; echo \"[$R]\"; R=2; echo after",
    "readonly R=1; export R=3; echo \"e $?\"",
    "readonly R=1; unset R; echo \"u $?\"",
    "R=1; readonly R; readonly -p | grep \" R=\"; readonly X=2 Y; echo \"$X\"",
    "readonly R=1; declare -p R; export R; declare -p R",
    // expr: each operator its own argument; status 1 for an empty or 0 result, 2 for errors
    "expr 1 + 2; expr 7 / 2 \\* 3; expr 10 % 4 - 5; i=0; while [ $i -lt 3 ]; do i=$(expr $i + 1); done; echo $i",
    "expr 3 \\< 10; expr a \\< b; expr 10 \\< 9; echo $?; expr abc = abc; expr 2 != 2; echo $?",
    "expr 0 \\| 5; expr '' \\| ''; echo $?; expr 3 \\& 0; echo $?; expr 3 \\& 4",
    "expr length hello; expr substr kubernetes 5 4; expr index kubeplay bp; expr substr abc 0 2; echo $?",
    "expr nginx:1.25 : 'nginx:\\(.*\\)'; expr web-7d4b9 : 'web-'; expr abc : 'x'; echo $?; expr match aaa 'a*'",
    "expr \\( 2 + 3 \\) \\* 4; expr + length; expr -- -5 + 1",
    "expr; echo $?; expr 1 +; echo $?; expr a + 1; echo $?; expr 1 / 0; echo $?; expr 1 2; echo $?",
    "expr \\( 1; echo $?; expr \\(; echo $?; expr 1 \\); echo $?",
    // a new bash or sh inherits the environment only: exported variables, `export -f`
    // functions (into bash), the working directory
    "X=1; export Y=2; bash -c 'echo \"[$X] [$Y]\"'; sh -c 'echo \"[$X] [$Y]\"'; (echo \"[$X]\")",
    "X=1; printf 'echo \"[$X] [$Y]\"\\nZ=3\\n' > s.sh; chmod +x s.sh; ./s.sh; bash s.sh; echo \"[$Z]\"; . ./s.sh; echo \"[$Z]\"",
    "f() { echo in f; }; bash -c f; export -f f; bash -c f; sh -c f; echo $?; export -f nope; echo $?",
    "a=(1 2); export a; bash -c 'echo \"[$a]\"'; X=5 bash -c 'echo \"[$X]\"'; echo \"[$X]\"",
    "export Z=1; export -n Z; bash -c 'echo \"[$Z]\"'; echo \"[$Z]\"; env | grep -c '^Z='",
    "set -e -o pipefail; bash -c 'false | true; echo $?; false; echo still'; set +e; false; bash -c 'echo $?'",
    "alias hi='echo alias'; trap 'echo parent trap' EXIT; bash -c 'hi; trap'; cd / && bash -c pwd",
    "f() { echo one; }; export -f f; f() { echo two; }; bash -c f; unset f; bash -c f",
];

/// Run in both dash and busybox's ash: special builtins' errors end a script there.
const POSIX_CASES: &[&str] = &[
    "exec 3>&1 >out.log 2>&1; echo one; echo two >&2; exec >&3 2>&3; echo back; cat out.log",
    "printf 'a\\nb\\n' > in.txt; exec <in.txt; read x; read y; echo \"$y $x\"",
    "exec 4>four.log; echo via4 >&4; echo x=$(echo captured); cat four.log",
    // A redirection that fails: each shell's words and status; before a special builtin, the
    // end of the script.
    "mkdir d; echo y > d; echo $?; echo y >> nodir/f; echo $?; cat < nodir/x; echo $?; echo x >&5; echo $?",
    "{ echo; } > nodir/g; echo $?; true 2>nodir/e; echo $?; >nodir/z; echo $?",
    "exec >nodir/x; echo not reached",
    ": > nodir/h; echo not reached",
    "export 1x=2; echo not reached",
    "exit 2x",
    "unset -v 1x; echo $?",
    "local x=1; echo $?",
    "echo $((1/0)); echo after",
    "readonly R=1; echo \"[$R]\"; R=2; echo after",
    "readonly R=1; export R=3; echo \"e $?\"",
    "readonly R=1; unset R; echo \"u $?\"",
    "R=1; readonly R; readonly -p | grep \" R=\"; readonly X=2 Y; echo \"$X\"",
];

/// `sh` is dash, as on Debian and Ubuntu (the controlplane, and images built on them).
const DASH_CASES: &[&str] = &[
    "slep 1; ./missing; echo $?",
    "cd /nope; echo $?; cd /tmp && pwd",
    "touch nx; ./nx; echo $?; mkdir d; ./d; echo $?",
    "printf 'echo a\\nslep 2\\n' > s.sh; sh s.sh; echo $?",
    "echo \"[$RANDOM] [$SECONDS]\"; echo $LINENO",
    "f() { nope; }; f; echo $?",
    "sh -c 'echo a; fi'; echo $?; sh -c 'echo b\nfi'; echo $?",
    "printf 'echo 1\\nslep\\nif true; then\\n fi fi\\necho 2\\n' > e.sh; sh e.sh; echo $?",
    "sh -c 'if true'; sh -c 'if true; then echo'; sh -c 'while true; do'; sh -c 'for i in 1 2'",
    "sh -c '{ echo'; sh -c '(echo'; sh -c 'case x in'; sh -c 'case x in a) echo'; sh -c 'echo $(echo'",
    "sh -c \"echo 'abc\"; sh -c 'echo \"abc'; sh -c 'echo |'; sh -c 'echo >'; sh -c 'f() {'",
    "printf 'echo a\\necho >\\n' > n.sh; sh n.sh; printf 'echo a\\nif true\\n' > m.sh; sh m.sh; printf \"echo 'abc\\n\" > q.sh; sh q.sh",
    "touch f; cd f; echo $?",
    // exec with redirections only: the shell's own descriptors, for the rest of the script
    "exec 3>&1 >out.log 2>&1; echo one; ls /nope; echo two >&2; exec >&3 2>&3; echo back; cat out.log",
    "exec 4>four.log; echo via4 >&4; echo x=$(echo captured); cat four.log; echo x >&5; echo $?",
    "mkdir d; echo y > d; echo $?; echo y >> nodir/f; echo $?; cat < nodir/x; echo $?; : > nodir/h; echo after $?",
];

/// Each script run by the real shell `cmd` and by ours (a new `shell()` each time): the same
/// bytes and status.
fn assert_same(cmd: &[&str], scripts: &[&[&str]], shell: impl Fn() -> Shell) {
    let mut failures = Vec::new();
    for script in scripts.iter().flat_map(|s| s.iter()) {
        let want = real_cmd(cmd, script).expect("the shell runs");
        let got = ours_in(shell(), script);
        if got != want {
            failures.push(format!(
                "script: {script}\n  {}: {want:?}\n  ours: {got:?}",
                cmd.join(" ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sh_matches_dash() {
    let is_dash =
        std::fs::canonicalize("/bin/sh").is_ok_and(|p| p.file_name().is_some_and(|n| n == "dash"));
    if !is_dash || real_as("sh", "true").is_none() {
        eprintln!("/bin/sh is not dash; skipping");
        return;
    }
    assert_same(&["sh"], &[DASH_CASES, POSIX_CASES], || Shell::new("sh"));
}

/// busybox's ash, the `sh` of busybox and Alpine images.
const ASH_CASES: &[&str] = &[
    "slep 1; ./missing; echo $?",
    "touch nx; ./nx; echo $?",
    "cd /nope; echo $?; cd /tmp && pwd; touch f; cd f; echo $?",
    "f() { nope; }; f; echo $?",
    "echo \"[$LINENO]\"; X=1; export Y=2; echo \"[$X] [$Y]\"",
];

#[test]
fn sh_matches_busybox_ash() {
    let bb = ["busybox", "sh"];
    if real_cmd(&bb, "true").is_none() {
        eprintln!("busybox not found; skipping");
        return;
    }
    assert_same(&bb, &[ASH_CASES, POSIX_CASES], || {
        Shell::with_sh("sh", kubeplay_sh::Flavour::Ash)
    });
}

#[test]
fn utilities_match_bash_and_coreutils() {
    if real("true").is_none() {
        eprintln!("bash not found; skipping parity tests");
        return;
    }
    let mut failures = Vec::new();
    for script in CASES {
        let want = real(script).expect("bash runs");
        let got = ours(script);
        if got != want {
            failures.push(format!(
                "script: {script}\n  bash: {want:?}\n  ours: {got:?}"
            ));
        }
    }
    eprintln!(
        "parity: {} of {} scripts identical",
        CASES.len() - failures.len(),
        CASES.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

const JSON: &str = r#"{"kind":"List","items":[{"metadata":{"name":"web-1","labels":{"app":"web"}},"status":{"phase":"Running"},"spec":{"replicas":3}},{"metadata":{"name":"db-1","labels":{"app":"db"}},"status":{"phase":"Pending"},"spec":{"replicas":1}}]}"#;

const JQ_CASES: &[&str] = &[
    ".",
    ".kind",
    "-r .kind",
    ".items[0].metadata.name",
    "-r .items[].metadata.name",
    "'.items | length'",
    "'.items[0] | keys'",
    "-c .items[0].metadata",
    "'.items[] | select(.status.phase == \"Running\") | .metadata.name'",
    "'[.items[].spec.replicas] | add'",
    "-r '.items[] | \"\\(.metadata.name) \\(.status.phase)\"'",
    "'{name: .items[0].metadata.name, phase: .items[0].status.phase}'",
    ".items[].metadata.labels.app",
    ".missing",
    ".items[5]",
    "'.items | map(.metadata.name)'",
    ".kind.foo",
    ".items[-1].metadata.name",
    "-r '.items[] | .metadata.name + \"=\" + .status.phase'",
    "'.items | sort_by(.metadata.name) | .[0].metadata.name'",
];

#[test]
fn jq_matches_the_real_jq() {
    let have = Command::new("jq")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have || real("true").is_none() {
        eprintln!("jq or bash not found; skipping");
        return;
    }
    let mut failures = Vec::new();
    for args in JQ_CASES {
        let script = format!("printf '%s' '{JSON}' > j.json; jq {args} j.json; echo \"status $?\"");
        let want = real(&script).expect("bash runs");
        let got = ours(&script);
        if got != want {
            failures.push(format!("jq {args}\n  jq:   {want:?}\n  ours: {got:?}"));
        }
    }
    eprintln!(
        "jq parity: {} of {} identical",
        JQ_CASES.len() - failures.len(),
        JQ_CASES.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Two texts as a script writes them: `a` and `b` in the current directory.
fn files_script(a: &str, b: &str, then: &str) -> String {
    let q = |s: &str| s.replace('\'', "'\\''");
    format!(
        "printf '%s' '{}' > a; printf '%s' '{}' > b; {then}",
        q(a),
        q(b)
    )
}

/// Pairs of texts: a base of lines drawn from `alphabet` (repeats make the shortest
/// script ambiguous, as in YAML), and a copy with lines deleted, inserted and changed.
fn text_pairs(seed: u64, n: usize, alphabet: usize) -> Vec<(String, String)> {
    let mut x = seed | 1;
    let mut next = move |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    (0..n)
        .map(|_| {
            let len = next(30);
            let base: Vec<String> = (0..len).map(|_| format!("l{}", next(alphabet))).collect();
            let mut other = Vec::new();
            for l in &base {
                match next(10) {
                    0 => {}
                    1 => other.push(format!("new{}", next(alphabet))),
                    2 => {
                        other.push(l.clone());
                        other.push(format!("l{}", next(alphabet)));
                    }
                    _ => other.push(l.clone()),
                }
            }
            let end = |v: &[String], nl: bool| {
                let mut s = v.join("\n");
                if nl && !s.is_empty() {
                    s.push('\n');
                }
                s
            };
            let nl = next(8) != 0;
            (end(&base, nl), end(&other, next(8) != 0))
        })
        .collect()
}

#[test]
fn diff_matches_gnu_diff() {
    let have = Command::new("diff")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have || real("true").is_none() {
        eprintln!("diff or bash not found; skipping");
        return;
    }
    let mut scripts: Vec<String> = [
        "diff",
        "diff a",
        "diff a b c",
        "diff -z a b",
        "diff --bogus a b",
        "diff nofile a",
        "diff -N nofile a",
        "diff -q a b; echo $?",
        "diff -s a a; echo $?",
        "diff --brief a a; echo $?",
        "diff -U1 a b | tail -n +3",
        "diff --unified=0 a b | tail -n +3",
        "diff -U x a b",
        "mkdir d; cp a d/b; diff d b",
        "cat a | diff - b",
    ]
    .iter()
    .map(|s| {
        files_script(
            "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n",
            "1\n2\nthree\n4\n5\n6\n7\n8\n10\n11\n",
            s,
        )
    })
    .collect();
    // Distinct lines, as in most of a manifest: the shortest script is one, and both
    // print it the same.
    for seed in [7, 11] {
        for (a, b) in text_pairs(seed, 40, 1000) {
            scripts.push(files_script(
                &a,
                &b,
                "diff a b; echo \"status $?\"; diff -u a b > u; echo \"status $?\"; tail -n +3 u",
            ));
        }
    }
    let mut failures = Vec::new();
    for script in &scripts {
        let want = real(script).expect("bash runs");
        let got = ours(script);
        if got != want {
            failures.push(format!(
                "script: {script}\n  gnu:  {want:?}\n  ours: {got:?}"
            ));
        }
    }
    // Many repeated lines: several shortest scripts exist. Both slide runs of changes as
    // GNU's shift_boundaries does; where GNU's search lines up yet another shortest
    // script, both must at least be shortest (as many lines deleted and inserted).
    let changed = |out: &str| {
        let n = |p: &str| out.lines().filter(|l| l.starts_with(p)).count();
        (n("< "), n("> "))
    };
    let mut same = 0;
    let pairs = text_pairs(13, 40, 6);
    for (a, b) in &pairs {
        let script = files_script(a, b, "diff a b; echo \"status $?\"");
        let want = real(&script).expect("bash runs");
        let got = ours(&script);
        same += usize::from(got == want);
        if changed(&got.0) != changed(&want.0) || got.2 != want.2 {
            failures.push(format!(
                "script: {script}\n  gnu:  {want:?}\n  ours: {got:?}"
            ));
        }
    }
    eprintln!(
        "diff parity with repeated lines: {same} of {} identical",
        pairs.len()
    );
    eprintln!(
        "diff parity: {} of {} identical",
        scripts.len() - failures.len(),
        scripts.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
