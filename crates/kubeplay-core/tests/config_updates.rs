//! How the kubelet consumes ConfigMaps and Secrets over time: a missing one holds the
//! container in `CreateContainerConfigError` until it appears; an edit reaches mounted files on
//! the next resync (never `subPath` files, never env vars).

use kubeplay_api::decode;
use kubeplay_api::k8s_openapi::api::core::v1::Pod;
use kubeplay_core::{key, World};

fn apply(w: &mut World, text: &str) {
    for doc in decode::parse_documents(text).unwrap() {
        let obj = decode::decode(&doc).unwrap();
        let exists = w.get_object(obj.kind(), "default", obj.name()).is_ok();
        if exists {
            w.update(obj, false).unwrap();
        } else {
            w.create(obj).unwrap();
        }
    }
}

const POD: &str = "apiVersion: v1
kind: Pod
metadata: {name: webapp}
spec:
  containers:
  - name: webapp
    image: nginx
    env:
    - name: APP_COLOR
      valueFrom: {configMapKeyRef: {name: app-config, key: APP_COLOR}}
    volumeMounts:
    - {name: cfg, mountPath: /etc/config}
    - {name: cfg, mountPath: /etc/app/color, subPath: APP_COLOR}
  volumes:
  - name: cfg
    configMap: {name: app-config}
";

fn cm(color: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: app-config}}\ndata: {{APP_COLOR: {color}}}\n")
}

fn waiting(w: &World) -> Option<(String, String)> {
    let p = w.get::<Pod>(&key("default", "webapp"))?;
    let cs = &p.status.as_ref()?.container_statuses.as_ref()?[0];
    let wt = cs.state.as_ref()?.waiting.as_ref()?;
    Some((wt.reason.clone()?, wt.message.clone().unwrap_or_default()))
}

fn file(w: &World, path: &str) -> Option<String> {
    let rt = w.pod_runtime("default", "webapp")?;
    rt.read_file(0, path)
        .map(|d| String::from_utf8_lossy(&d).into_owned())
}

fn env(w: &World, name: &str) -> Option<String> {
    let rt = w.pod_runtime("default", "webapp")?;
    rt.ctrs[0]
        .env
        .iter()
        .find(|(k, _)| &**k == name)
        .map(|(_, v)| v.to_string())
}

#[test]
fn env_waits_for_its_configmap_then_starts_by_itself() {
    let mut w = World::new(1);
    // Only the env reference: the volume would hold the pod in ContainerCreating instead.
    let pod = POD.split("    volumeMounts:").next().unwrap().to_string();
    apply(&mut w, &pod);
    w.run_until(20_000);
    assert_eq!(
        waiting(&w),
        Some((
            "CreateContainerConfigError".into(),
            "configmap \"app-config\" not found".into()
        ))
    );
    apply(
        &mut w,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config}\ndata: {APP_MODE: prod}\n",
    );
    w.run_until(25_000);
    assert_eq!(
        waiting(&w),
        Some((
            "CreateContainerConfigError".into(),
            "couldn't find key APP_COLOR in ConfigMap default/app-config".into()
        ))
    );
    apply(&mut w, &cm("blue"));
    w.run_until(30_000);
    assert_eq!(waiting(&w), None);
    assert_eq!(env(&w, "APP_COLOR").as_deref(), Some("blue"));
}

#[test]
fn mounted_files_follow_edits_after_the_resync_env_and_sub_path_do_not() {
    let mut w = World::new(1);
    apply(&mut w, &cm("blue"));
    apply(&mut w, POD);
    w.run_until(20_000);
    assert_eq!(file(&w, "/etc/config/APP_COLOR").as_deref(), Some("blue"));
    assert_eq!(file(&w, "/etc/app/color").as_deref(), Some("blue"));
    assert_eq!(env(&w, "APP_COLOR").as_deref(), Some("blue"));

    apply(&mut w, &cm("pink"));
    let edited = w.now();
    w.run_until(edited + 1_000);
    // Not yet: the kubelet has not resynced the pod.
    assert_eq!(file(&w, "/etc/config/APP_COLOR").as_deref(), Some("blue"));
    w.run_until(edited + kubeplay_core::config::VOLUME_SYNC_PERIOD);
    assert_eq!(file(&w, "/etc/config/APP_COLOR").as_deref(), Some("pink"));
    assert_eq!(file(&w, "/etc/app/color").as_deref(), Some("blue"));
    assert_eq!(env(&w, "APP_COLOR").as_deref(), Some("blue"));
}

#[test]
fn missing_configmap_volume_holds_the_pod_in_container_creating() {
    let mut w = World::new(1);
    apply(&mut w, POD);
    w.run_until(20_000);
    let (reason, _) = waiting(&w).unwrap();
    assert_eq!(reason, "ContainerCreating");
    apply(&mut w, &cm("blue"));
    w.run_until(30_000);
    assert_eq!(waiting(&w), None);
    assert_eq!(file(&w, "/etc/config/APP_COLOR").as_deref(), Some("blue"));
}
