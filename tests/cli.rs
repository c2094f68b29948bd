//! The `rehearse` command line, run as a user runs it: documented JSON shapes,
//! one JSON line per query on stdin, and one-sentence errors.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn rehearse(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("rehearse runs")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn index_reports_files_cards_and_time() {
    let data = tempfile::tempdir().unwrap();
    let output = rehearse(data.path(), &["index"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(
        text.contains("5 files") && text.contains("155 cards") && text.contains(" ms"),
        "{text}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("step-by-step-go-backend.md"),
        "the repaired note is named: {stderr}"
    );
}

#[test]
fn search_json_has_the_documented_shape() {
    let data = tempfile::tempdir().unwrap();
    let value = json(&rehearse(
        data.path(),
        &["--json", "search", "--limit", "3", "gorutine"],
    ));
    assert_eq!(value["query"], "gorutine");
    assert!(value["took_us"].is_u64() && value["total"].as_u64().unwrap() >= 3);
    let hits = value["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3);
    for key in ["id", "note", "title", "trail", "snippet", "score"] {
        assert!(!hits[0][key].is_null(), "hit has {key}");
    }
    assert!(hits[0]["title"].as_str().unwrap().contains("Goroutine"));
}

#[test]
fn search_filters_by_note_and_module() {
    let data = tempfile::tempdir().unwrap();
    let value = json(&rehearse(
        data.path(),
        &[
            "--json",
            "search",
            "--note",
            "persistent-systems-golang.md",
            "kafka",
        ],
    ));
    let hits = value["hits"].as_array().unwrap();
    assert!(
        !hits.is_empty()
            && hits
                .iter()
                .all(|h| h["note"] == "persistent-systems-golang.md")
    );
    let value = json(&rehearse(
        data.path(),
        &["--json", "search", "--module", "AWS", "route"],
    ));
    let hits = value["hits"].as_array().unwrap();
    assert!(
        !hits.is_empty()
            && hits
                .iter()
                .all(|h| h["trail"][0].as_str().unwrap_or("").contains("AWS")
                    || h["title"].as_str().unwrap().contains("AWS")),
        "{hits:?}"
    );
}

#[test]
fn search_stdin_answers_one_json_line_per_query() {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .arg("--data")
        .arg(data.path())
        .args(["search", "--stdin", "--limit", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("g\ngo\ngor\n\"unclosed\nAND OR (\n".as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[2]["query"], "gor");
    assert!(lines[2]["hits"].as_array().unwrap().len() <= 2);
}

#[test]
fn cards_json_lists_every_card_with_its_empty_flag() {
    let data = tempfile::tempdir().unwrap();
    let value = json(&rehearse(
        data.path(),
        &["--json", "cards", "--note", "step-by-step-go-backend.md"],
    ));
    let cards = value["cards"].as_array().unwrap();
    let challenges = cards
        .iter()
        .find(|c| c["title"] == "🧩Challenges")
        .expect("the repaired title");
    assert_eq!(challenges["empty"], true);
    assert_eq!(challenges["id"], "step-by-step-go-backend.md#challenges");
    assert!(
        cards
            .iter()
            .all(|c| c["trail"].is_array() && c["note"] == "step-by-step-go-backend.md")
    );
}

#[test]
fn show_prints_a_card_as_markdown_or_html() {
    let data = tempfile::tempdir().unwrap();
    let id = "persistent-systems-golang.md#core-golang-concurrency/buffered-vs-unbuffered-channels";
    let markdown = rehearse(data.path(), &["show", id]);
    assert!(String::from_utf8_lossy(&markdown.stdout).contains("make(chan int)"));
    let html = rehearse(data.path(), &["show", "--html", id]);
    let html = String::from_utf8_lossy(&html.stdout);
    assert!(
        html.contains("<strong>") && html.contains("<code>make(chan int)</code>"),
        "{html}"
    );
}

#[test]
fn an_unknown_id_fails_with_one_sentence() {
    let data = tempfile::tempdir().unwrap();
    let output = rehearse(data.path(), &["show", "no-such.md#card"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no-such.md#card"));
}

#[test]
fn a_missing_notes_folder_fails_with_one_sentence() {
    let data = tempfile::tempdir().unwrap();
    let output = rehearse(data.path(), &["--notes", "/nonexistent/x", "index"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/x"));
}
