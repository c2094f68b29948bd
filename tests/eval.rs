//! `rehearse eval` on the bundled notes and their query set: the fixture names
//! only real sections, the report scores both engines per tag, and plain
//! queries keep finding what they ask for.

mod common;

use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

const TAGS: [&str; 4] = ["plain", "typo", "half-typed", "paraphrase"];

fn eval(queries: &std::path::Path) -> Output {
    let data = tempfile::tempdir().expect("a temp dir");
    Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .arg("--notes")
        .arg(common::bundled_notes())
        .arg("--data")
        .arg(data.path())
        .args(["--json", "eval"])
        .arg(queries)
        .output()
        .expect("rehearse runs")
}

/// The bundled query set, evaluated once for every test of this file.
fn bundled_report() -> &'static (Output, Value) {
    static REPORT: OnceLock<(Output, Value)> = OnceLock::new();
    REPORT.get_or_init(|| {
        let output = eval(&common::fixture("queries/bundled.tsv"));
        let value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is JSON ({e}); stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output, value)
    })
}

#[test]
fn every_expected_section_of_the_bundled_queries_exists() {
    let (output, report) = bundled_report();
    assert_eq!(report["errors"], Value::Array(Vec::new()), "{report:#}");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report["queries"].as_array().unwrap().len() >= 40);
}

#[test]
fn the_report_has_recall_mrr_and_latency_per_tag_for_every_engine() {
    let (_, report) = bundled_report();
    assert_eq!(
        report["engines"],
        serde_json::json!(["rehearse", "hybrid", "fts5"]),
        "with the model installed, hybrid search is scored too"
    );
    for group in TAGS.iter().chain(&["all"]) {
        let scores = &report["scores"][group];
        assert!(
            scores["queries"].as_u64().unwrap() > 0,
            "{group} has queries"
        );
        for engine in ["rehearse", "hybrid", "fts5"] {
            for figure in ["recall_at_5", "mrr"] {
                let value = scores[engine][figure].as_f64();
                assert!(
                    value.is_some_and(|v| (0.0..=1.0).contains(&v)),
                    "{group} {engine} {figure}: {}",
                    scores[engine][figure]
                );
            }
        }
    }
    for engine in ["rehearse", "hybrid", "fts5"] {
        for what in ["query", "keystroke"] {
            let p50 = report["latency_ms"][engine][what]["p50"].as_f64();
            let p99 = report["latency_ms"][engine][what]["p99"].as_f64();
            assert!(
                p50.zip(p99).is_some_and(|(a, b)| 0.0 < a && a <= b),
                "{engine} {what}: {}",
                report["latency_ms"][engine][what]
            );
        }
    }
}

#[test]
fn meaning_finds_more_paraphrases_than_words_alone() {
    let (_, report) = bundled_report();
    let recall = |engine: &str| {
        report["scores"]["paraphrase"][engine]["recall_at_5"]
            .as_f64()
            .unwrap()
    };
    assert!(
        recall("hybrid") > recall("rehearse") + 0.25,
        "hybrid {} against words {}",
        recall("hybrid"),
        recall("rehearse")
    );
}

#[test]
fn plain_queries_find_their_section_in_the_top_five_nine_times_in_ten() {
    let (_, report) = bundled_report();
    let recall = report["scores"]["plain"]["rehearse"]["recall_at_5"]
        .as_f64()
        .unwrap();
    let missed: Vec<String> = report["queries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["tag"] == "plain")
        .filter(|q| q["ranks"]["rehearse"].as_u64().is_none_or(|rank| rank > 5))
        .map(|q| format!("{} → {}", q["query"], q["found"]["rehearse"]))
        .collect();
    assert!(
        recall >= 0.9,
        "plain recall@5 is {recall:.2}; missed:\n{}",
        missed.join("\n")
    );
}

#[test]
fn an_expected_id_the_library_lacks_is_an_error_not_a_miss() {
    let dir = tempfile::tempdir().unwrap();
    let queries = dir.path().join("queries.tsv");
    std::fs::write(
        &queries,
        "# tag\tquery\texpected\n\
         plain\tgoroutine vs thread\tgolang-deltas.md#module-1-golang/goroutine-vs-thread\n\
         plain\thelm\tgolang-deltas.md#no-such-section\n",
    )
    .unwrap();
    let output = eval(&queries);
    assert!(!output.status.success());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["errors"][0]["line"], 3);
    assert_eq!(
        report["errors"][0]["unknown_ids"],
        serde_json::json!(["golang-deltas.md#no-such-section"])
    );
    assert_eq!(report["scores"]["all"]["queries"], 1);
}
