//! `kubectl get pods` over 10,000 pods: every row printed, aligned, in name order, and in
//! time that grows linearly (the timing is printed, not asserted, since machines differ).

use kubeplay_api::k8s_openapi::api::core::v1::{Container, Pod, PodSpec};
use kubeplay_api::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kubeplay_shell::{Session, Stream};

#[test]
fn ten_thousand_pods() {
    let mut s = Session::new(1);
    for i in 0..10_000 {
        let p = Pod {
            metadata: ObjectMeta {
                name: Some(format!("p-{i:05}")),
                namespace: Some("default".into()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                containers: vec![Container {
                    name: "c".into(),
                    image: Some("nginx".into()),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        };
        s.world.create(p.into()).expect("created");
    }
    s.world.settle();
    for cmd in [
        "kubectl get pods",
        "kubectl get pods -o wide",
        "kubectl get pods -o name",
    ] {
        let t = std::time::Instant::now();
        s.feed_line(cmd);
        let out: String = s
            .take_output()
            .into_iter()
            .filter(|c| c.stream == Stream::Out)
            .map(|c| c.text)
            .collect();
        eprintln!("{cmd}: {:?}", t.elapsed());
        let lines: Vec<&str> = out.lines().collect();
        let header = usize::from(!cmd.ends_with("name"));
        assert_eq!(lines.len(), 10_000 + header, "{cmd}");
        let prefix = if header == 0 { "pod/" } else { "" };
        assert!(
            lines[header].starts_with(&format!("{prefix}p-00000")),
            "{cmd}"
        );
        assert!(
            lines[10_000 + header - 1].starts_with(&format!("{prefix}p-09999")),
            "{cmd}"
        );
    }
}
