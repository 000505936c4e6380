//! The examples in `deploy/`: the Kubernetes Indexed Job and merge Job, and the CI matrix. The
//! manifests are parsed and checked for what sharding needs (N agrees everywhere, every index runs
//! its own shard, build and merge share the parts volume and the build day), then their commands
//! are run as the engine would run them, on the sample site, and give a one-machine build's bytes.

mod common;

use common::Site;
use serde::Deserialize as _;
use serde_yaml::Value;
use std::path::{Path, PathBuf};

fn deploy(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy").join(relative)
}

/// Every document of a YAML file.
fn documents(relative: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(deploy(relative)).unwrap();
    serde_yaml::Deserializer::from_str(&text)
        .map(|document| Value::deserialize(document).unwrap_or_else(|e| panic!("{relative}: {e}")))
        .collect()
}

/// The one document of `kind` named `name` in a file.
#[track_caller]
fn object(relative: &str, kind: &str, name: &str) -> Value {
    let found: Vec<Value> = documents(relative)
        .into_iter()
        .filter(|d| d["kind"] == kind && d["metadata"]["name"] == name)
        .collect();
    assert_eq!(found.len(), 1, "{relative}: one {kind} {name}");
    found.into_iter().next().unwrap()
}

/// The Job's one container's shell command (`sh -c COMMAND`).
#[track_caller]
fn shell_command(job: &Value) -> String {
    let containers = job["spec"]["template"]["spec"]["containers"].as_sequence().unwrap();
    assert_eq!(containers.len(), 1);
    let container = &containers[0];
    assert_eq!(container["command"], Value::from(vec!["/bin/sh", "-c"]));
    let args = container["args"].as_sequence().unwrap();
    assert_eq!(args.len(), 1);
    args[0].as_str().unwrap().to_string()
}

/// The claim mounted at `path` in the Job's pod, and whether it is read-only.
#[track_caller]
fn claim_at(job: &Value, path: &str) -> (String, bool) {
    let pod = &job["spec"]["template"]["spec"];
    let mount = pod["containers"][0]["volumeMounts"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|m| m["mountPath"] == path)
        .unwrap_or_else(|| panic!("nothing mounted at {path}"))
        .clone();
    assert!(mount.get("subPath").is_none(), "the whole volume at {path}");
    let volume = pod["volumes"].as_sequence().unwrap().iter().find(|v| v["name"] == mount["name"]).unwrap();
    let claim = volume["persistentVolumeClaim"]["claimName"].as_str().unwrap().to_string();
    (claim, mount["readOnly"] == true)
}

/// The number N of `--shard …/N` in a command.
#[track_caller]
fn shards_in(command: &str) -> u64 {
    let after = command.split("--shard ").nth(1).expect("a --shard");
    // `$((JOB_COMPLETION_INDEX + 1))/8` holds spaces: up to the next flag.
    let spec = after.split(" --").next().unwrap().trim();
    spec.rsplit('/').next().unwrap().parse().unwrap_or_else(|_| panic!("N of `{spec}`"))
}

/// `tests/deploy.rs` runs the engines' commands with `gongkai` from this test run.
fn path_with_gongkai() -> String {
    let bin = Path::new(common::BIN).parent().unwrap();
    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default())
}

fn one_machine_build(site: &Site) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("output");
    site.run(&["build", "--no-cache", "--output", target.to_str().unwrap()]).code(0);
    common::tree(&target)
}

#[track_caller]
fn assert_same_site(
    got: &std::collections::BTreeMap<String, Vec<u8>>,
    want: &std::collections::BTreeMap<String, Vec<u8>>,
) {
    assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>());
    for (name, bytes) in want {
        assert!(got[name] == *bytes, "{name} differs from a one-machine build's");
    }
}

#[test]
fn the_kubernetes_shard_job_is_indexed_and_agrees_with_its_commands_and_the_merge() {
    let shards = object("kubernetes/shards.yaml", "Job", "gongkai-shards");
    let merge = object("kubernetes/merge.yaml", "Job", "gongkai-merge");
    let spec = &shards["spec"];
    assert_eq!(spec["completionMode"], "Indexed");
    let n = spec["completions"].as_u64().unwrap();
    assert!(n >= 2, "more than one shard");
    let parallelism = spec["parallelism"].as_u64().unwrap();
    assert!((1..=n).contains(&parallelism), "parallelism {parallelism} of {n}");
    let command = shell_command(&shards);
    assert!(
        command.contains(&format!(
            "gongkai build --quiet --root /site --shard $((JOB_COMPLETION_INDEX + 1))/{n} --parts /parts"
        )),
        "{command}"
    );
    assert_eq!(shards_in(&command), n, "completions and the N of --shard");
    assert_eq!(shell_command(&merge), "exec gongkai merge /parts --root /site --output /public/output");
    for job in [&shards, &merge] {
        assert_eq!(job["spec"]["template"]["spec"]["restartPolicy"], "Never");
        // Content and usage errors fail the Job at once instead of being retried.
        let rule = &job["spec"]["podFailurePolicy"]["rules"][0];
        assert_eq!(rule["action"], "FailJob");
        assert_eq!(rule["onExitCodes"]["values"], Value::from(vec![1, 2]));
        // The same build day for every shard and the merge.
        let env = &job["spec"]["template"]["spec"]["containers"][0]["envFrom"][0];
        assert_eq!(env["configMapRef"]["name"], "gongkai-build");
    }
    // Both pods mount the same parts volume at /parts (the shards writing) and the same site.
    assert_eq!(claim_at(&shards, "/parts"), ("gongkai-parts".to_string(), false));
    assert_eq!(claim_at(&merge, "/parts").0, "gongkai-parts");
    assert_eq!(claim_at(&shards, "/site"), ("gongkai-site".to_string(), true));
    assert_eq!(claim_at(&merge, "/site"), ("gongkai-site".to_string(), true));
    assert_eq!(claim_at(&merge, "/public"), ("gongkai-public".to_string(), false));
    // The parts claim is shared by pods on many nodes at once.
    let parts = object("kubernetes/volumes.yaml", "PersistentVolumeClaim", "gongkai-parts");
    assert_eq!(parts["spec"]["accessModes"], Value::from(vec!["ReadWriteMany"]));
    let day = object("kubernetes/volumes.yaml", "ConfigMap", "gongkai-build");
    assert!(day["data"]["SOURCE_DATE_EPOCH"].as_str().unwrap().parse::<i64>().is_ok());
}

/// Runs the Job's commands as Kubernetes would, each pod with its `JOB_COMPLETION_INDEX`, on the
/// sample site with the volumes as folders; the merged site is a one-machine build's.
#[test]
fn the_kubernetes_commands_build_the_site_of_one_machine() {
    let site = Site::sample();
    let want = one_machine_build(&site);
    let volumes = tempfile::tempdir().unwrap();
    let (parts, public) = (volumes.path().join("parts"), volumes.path().join("public"));
    std::fs::create_dir_all(&parts).unwrap();
    std::fs::create_dir_all(&public).unwrap();
    let place = |command: String| {
        command
            .replace("/site", site.root().to_str().unwrap())
            .replace("/parts", parts.to_str().unwrap())
            .replace("/public", public.to_str().unwrap())
    };
    let shards = object("kubernetes/shards.yaml", "Job", "gongkai-shards");
    let n = shards["spec"]["completions"].as_u64().unwrap();
    let run = |command: &str, index: Option<u64>| {
        let mut shell = std::process::Command::new("/bin/sh");
        shell
            .args(["-c", command])
            .env("PATH", path_with_gongkai())
            .env("SOURCE_DATE_EPOCH", site.epoch.to_string());
        if let Some(index) = index {
            shell.env("JOB_COMPLETION_INDEX", index.to_string());
        }
        let output = shell.output().unwrap();
        assert!(output.status.success(), "{command}: {}", String::from_utf8_lossy(&output.stderr));
    };
    for index in 0..n {
        run(&place(shell_command(&shards)), Some(index));
    }
    let folders: Vec<String> = std::fs::read_dir(&parts)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(folders.len() as u64, n, "one folder a shard: {folders:?}");
    run(&place(shell_command(&object("kubernetes/merge.yaml", "Job", "gongkai-merge"))), None);
    assert_same_site(&common::tree(&public.join("output")), &want);
}

/// The CI matrix: shards 1 … N with N = SHARDS, every job on one binary and one build day, and the
/// merge after all shards with every part downloaded where it merges from.
#[test]
fn the_ci_matrix_lists_every_shard_once_and_merges_after_them() {
    let workflow = documents("ci/github-actions.yml").remove(0);
    let n = workflow["env"]["SHARDS"].as_u64().unwrap();
    let jobs = &workflow["jobs"];
    let matrix: Vec<u64> = jobs["shards"]["strategy"]["matrix"]["shard"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|k| k.as_u64().unwrap())
        .collect();
    assert_eq!(matrix, (1..=n).collect::<Vec<_>>());
    let steps = |job: &str| -> Vec<Value> { jobs[job]["steps"].as_sequence().unwrap().clone() };
    let run_with = |job: &str, word: &str| -> String {
        steps(job)
            .iter()
            .filter_map(|s| s["run"].as_str())
            .find(|r| r.contains(word))
            .unwrap_or_else(|| panic!("{job} runs no {word}"))
            .to_string()
    };
    let build = run_with("shards", "--shard");
    assert_eq!(
        build,
        "bin/gongkai build --quiet --shard ${{ matrix.shard }}/${{ env.SHARDS }} --parts parts"
    );
    let merge = run_with("merge", "gongkai merge");
    assert_eq!(merge, "bin/gongkai merge parts --output public");
    assert_eq!(jobs["merge"]["needs"], Value::from(vec!["gongkai", "shards"]));
    for job in ["shards", "merge"] {
        assert_eq!(jobs[job]["env"]["SOURCE_DATE_EPOCH"], "${{ needs.gongkai.outputs.epoch }}");
    }
    let upload = steps("shards").into_iter().find(|s| s["uses"] == "actions/upload-artifact@v4").unwrap();
    assert_eq!(upload["with"]["name"], "part-${{ matrix.shard }}");
    assert_eq!(upload["with"]["path"], "parts/");
    let download = steps("merge").into_iter().find(|s| s["with"]["pattern"] == "part-*").unwrap();
    assert_eq!(download["with"]["path"], "parts");

    // Run it as the runners would: each shard job in a checkout of its own, its parts/ uploaded
    // and downloaded into parts/part-K/ of the merge job's checkout.
    let want = one_machine_build(&Site::sample());
    let merge_job = Site::sample();
    for k in 1..=n {
        let runner = Site::sample();
        let command =
            build.replace("${{ matrix.shard }}", &k.to_string()).replace("${{ env.SHARDS }}", &n.to_string());
        let mut args: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(args.remove(0), "bin/gongkai");
        runner.run(&args).code(0);
        common::copy_dir(&runner.path("parts"), &merge_job.path(&format!("parts/part-{k}")));
    }
    let mut args: Vec<&str> = merge.split_whitespace().collect();
    args.remove(0);
    merge_job.run(&args).code(0);
    assert_same_site(&merge_job.tree("public"), &want);
}
