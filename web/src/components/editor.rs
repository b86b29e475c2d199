//! The manifest editor: the files of the shell's working directory as tabs, new files from
//! templates, YAML highlighting, and Apply (or Ctrl+Enter), which saves the file and runs
//! `kubectl apply -f FILE` in the terminal; the lines kubectl's errors point at are marked
//! with its message. Ctrl+S (or moving to another file) saves without applying. A file that a
//! command changes (`kubectl get ... -o yaml > pod.yaml`, `sed -i`) is shown as it now is,
//! unless it has unsaved edits.

use super::code::{go_to_line, CodeArea};
use crate::sim::SimRef;
use std::rc::Rc;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

pub const DEFAULT_FILE: &str = "deployment.yaml";

pub const NGINX_DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
";

/// Files to start from: file name, text (after the seed notes' examples). Their menu labels
/// are `Words::templates`, in this order.
pub const TEMPLATES: [(&str, &str); 6] = [
    ("deployment.yaml", NGINX_DEPLOYMENT),
    (
        "pod.yaml",
        "apiVersion: v1
kind: Pod
metadata:
  name: webapp
  labels:
    app: webapp
spec:
  containers:
  - name: webapp
    image: kodekloud/webapp-color
    env:
    - name: APP_COLOR
      value: pink
",
    ),
    (
        "configmap.yaml",
        "apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  APP_COLOR: blue
  APP_MODE: prod
",
    ),
    (
        "secret.yaml",
        "# Values under data are base64: echo -n 'mysql' | base64
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
data:
  DB_Host: bXlzcWw=
  DB_User: cm9vdA==
  DB_Password: cGFzd3Jk
",
    ),
    (
        "multi-container-pod.yaml",
        "apiVersion: v1
kind: Pod
metadata:
  name: simple-webapp
  labels:
    name: simple-webapp
spec:
  containers:
  - name: simple-webapp
    image: kodekloud/webapp-color
    ports:
    - containerPort: 8080
  - name: log-agent
    image: busybox
    command: ['sh', '-c', 'while true; do echo log-agent: shipping logs; sleep 5; done']
",
    ),
    (
        "init-containers.yaml",
        "apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app: myapp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', 'echo fetching the app; sleep 5']
",
    ),
];

/// `name`, or `stem-2.ext`, `stem-3.ext`... : the first that is not in `taken`.
pub fn free_name(name: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == name) {
        return name.to_string();
    }
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    (2..)
        .map(|i| {
            if ext.is_empty() {
                format!("{stem}-{i}")
            } else {
                format!("{stem}-{i}.{ext}")
            }
        })
        .find(|n| !taken.iter().any(|t| t == n))
        .expect("a free name")
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub sim: SimRef,
    #[prop_or(AttrValue::Static(DEFAULT_FILE))]
    pub file: AttrValue,
    #[prop_or(AttrValue::Static(NGINX_DEPLOYMENT))]
    pub initial: AttrValue,
    /// Hidden (its text kept) while `kubectl edit` has the editor pane.
    #[prop_or(false)]
    pub hidden: bool,
    /// The terminal's version: files may have changed.
    #[prop_or_default]
    pub version: u64,
}

/// The open file: its name, the text in the editor, and the file's text when it was last read
/// or saved (`None`: not in the session's files yet).
#[derive(Clone, Debug, PartialEq)]
struct Open {
    file: String,
    text: String,
    saved: Option<String>,
}

impl Open {
    fn dirty(&self) -> bool {
        self.saved.as_deref() != Some(self.text.as_str())
    }
}

#[function_component]
pub fn Editor(p: &EditorProps) -> Html {
    let tr = crate::i18n::use_words();
    let open = use_state(|| {
        let saved = p.sim.borrow().read_file(&p.file);
        Open {
            file: p.file.to_string(),
            text: p.initial.to_string(),
            saved,
        }
    });
    let textarea = use_node_ref();
    // A command changed the open file and the editor has nothing unsaved: show the file.
    {
        let open = open.clone();
        let sim = p.sim.clone();
        use_effect_with(p.version, move |_| {
            let now = sim.borrow().read_file(&open.file);
            if now.is_some() && now != open.saved && !open.dirty() {
                let text = now.clone().unwrap_or_default();
                open.set(Open {
                    file: open.file.clone(),
                    text,
                    saved: now,
                });
            }
        });
    }
    let save_current = {
        let sim = p.sim.clone();
        move |o: &Open| {
            if o.dirty() {
                sim.borrow_mut().save_file(&o.file, &o.text);
            }
        }
    };
    let apply = {
        let sim = p.sim.clone();
        let open = open.clone();
        Callback::from(move |_: ()| {
            sim.borrow_mut().apply_file(&open.file, &open.text);
            open.set(Open {
                saved: Some(open.text.clone()),
                ..(*open).clone()
            });
        })
    };
    let save = {
        let open = open.clone();
        let save_current = save_current.clone();
        Callback::from(move |_: ()| {
            save_current(&open);
            open.set(Open {
                saved: Some(open.text.clone()),
                ..(*open).clone()
            });
        })
    };
    let switch_to = {
        let sim = p.sim.clone();
        let open = open.clone();
        let save_current = save_current.clone();
        Callback::from(move |file: String| {
            if file == open.file {
                return;
            }
            save_current(&open);
            let saved = sim.borrow().read_file(&file);
            open.set(Open {
                file,
                text: saved.clone().unwrap_or_default(),
                saved,
            });
        })
    };
    // `vi FILE` at the prompt: the file opens here (empty if new), and the keyboard comes here.
    {
        let sim = p.sim.clone();
        let switch_to = switch_to.clone();
        let textarea = textarea.clone();
        use_effect_with(p.version, move |_| {
            let asked = sim.borrow_mut().open_request.take();
            if let Some(file) = asked {
                if !file.is_empty() {
                    switch_to.emit(file);
                }
                if let Some(ta) = textarea.cast::<HtmlTextAreaElement>() {
                    let _ = ta.focus();
                }
            }
        });
    }
    let oninput = {
        let open = open.clone();
        Callback::from(move |text: String| {
            open.set(Open {
                text,
                ..(*open).clone()
            })
        })
    };
    let onkeydown = {
        let (apply, save) = (apply.clone(), save.clone());
        Callback::from(move |e: KeyboardEvent| {
            let m = e.ctrl_key() || e.meta_key();
            if m && e.key() == "Enter" {
                e.prevent_default();
                apply.emit(());
            } else if m && (e.key() == "s" || e.key() == "S") {
                e.prevent_default();
                save.emit(());
            }
        })
    };
    let on_template = {
        let sim = p.sim.clone();
        let open = open.clone();
        let textarea = textarea.clone();
        Callback::from(move |e: Event| {
            let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let i: usize = match sel.value().parse() {
                Ok(i) => i,
                Err(_) => return,
            };
            sel.set_value("");
            let Some((name, text)) = TEMPLATES.get(i) else {
                return;
            };
            save_current(&open);
            let mut taken = sim.borrow().files();
            taken.push(open.file.clone());
            let file = free_name(name, &taken);
            sim.borrow_mut().save_file(&file, text);
            open.set(Open {
                file,
                text: text.to_string(),
                saved: Some(text.to_string()),
            });
            // On to editing it.
            if let Some(ta) = textarea.cast::<HtmlTextAreaElement>() {
                let _ = ta.focus();
            }
        })
    };
    let mut files = p.sim.borrow().files();
    if !files.contains(&open.file) {
        files.push(open.file.clone());
        kubeplay_sort::sort(&mut files);
    }
    // kubectl's errors from the last Apply of this file, while its text is what was applied.
    let marks: Rc<[kubeplay_shell::marks::Mark]> = match &p.sim.borrow().marks {
        Some(m) if m.path == open.file && m.text == open.text => m.marks.clone(),
        _ => Rc::new([]),
    };
    let dirty = open.dirty();
    html! {
        <section class="pane editor" aria-label={tr.manifest_editor} hidden={p.hidden}>
            <div class="pane-head">
                <div class="file-tabs" role="group" aria-label={tr.files}>
                    { for files.iter().map(|f| {
                        let current = *f == open.file;
                        let onclick = {
                            let switch_to = switch_to.clone();
                            let f = f.clone();
                            Callback::from(move |_: MouseEvent| switch_to.emit(f.clone()))
                        };
                        html! {
                            <button class={classes!("file-tab", current.then_some("current"))}
                                aria-pressed={current.to_string()} {onclick}
                                title={if current && dirty { tr.unsaved_file } else { tr.file }}>
                                { f.clone() }
                                if current && dirty { <span class="dirty" aria-label={tr.unsaved}>{" •"}</span> }
                            </button>
                        }
                    }) }
                </div>
                <div class="editor-actions">
                <select class="new-file" onchange={on_template} aria-label={tr.new_from_template} title={tr.new_from_template}>
                    <option value="" selected=true>{tr.new_file}</option>
                    { for tr.templates.iter().enumerate().map(|(i, label)| html! {
                        <option value={i.to_string()}>{ *label }</option>
                    }) }
                </select>
                <button class="apply" onclick={apply.reform(|_: MouseEvent| ())} title={format!("kubectl apply -f {} (Ctrl+Enter)", open.file)}>{tr.apply}</button>
                </div>
            </div>
            <CodeArea text={AttrValue::from(open.text.clone())} {oninput} {onkeydown} textarea={textarea.clone()}
                marks={marks.clone()}
                label={AttrValue::from(format!("{} ({})", open.file, tr.editor_keys))} />
            if !marks.is_empty() {
                <ul class="marks" aria-label={tr.errors_in_file}>
                    { for marks.iter().map(|m| {
                        let line = m.line;
                        let textarea = textarea.clone();
                        let onclick = Callback::from(move |_: MouseEvent| {
                            if let Some(ta) = textarea.cast::<HtmlTextAreaElement>() {
                                go_to_line(&ta, line);
                            }
                        });
                        html! {
                            <li>
                                <button class="mark-line" {onclick} title={tr.go_to_line}>{ (tr.line)(line) }</button>
                                <pre class="mark-msg">{ m.message.clone() }</pre>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_files_get_a_free_name() {
        let taken = vec!["pod.yaml".to_string(), "pod-2.yaml".to_string()];
        assert_eq!(free_name("secret.yaml", &taken), "secret.yaml");
        assert_eq!(free_name("pod.yaml", &taken), "pod-3.yaml");
        assert_eq!(free_name("Makefile", &["Makefile".into()]), "Makefile-2");
    }

    #[test]
    fn every_template_applies_cleanly() {
        for ((name, text), label) in TEMPLATES.iter().zip(crate::i18n::EN.templates) {
            let mut s = crate::sim::Sim::new(1);
            s.apply_file(name, text);
            let out = s.scrollback.text();
            assert!(out.ends_with(" created\n"), "{label}: {out}");
            assert!(
                s.marks.as_ref().is_some_and(|m| m.marks.is_empty()),
                "{label}"
            );
        }
    }
}
