//! Reaching the vision servers people run: an API token from the environment or the settings
//! file (and nowhere else), HTTPS with a certificate the test makes, LM Studio 0.4's
//! `/api/v1/models` listing, a 401 that stops the asking, and `bookvoice describe-check`.

use std::path::Path;

use serde_json::Value;

use crate::describe::{MODEL, illustrated_book, script, statuses};
use crate::fixture::{Epub, png};
use crate::util::{Dir, assert_exit, run, stderr, stdout};
use crate::vision_server::{Behaviour, Listing, Setup, VisionServer, nothing_listening};

const TOKEN: &str = "sk-bookvoice-test-7f3a9c2e51";

fn with_token() -> Setup {
    Setup {
        token: Some(TOKEN.into()),
        ..Setup::default()
    }
}

/// `convert --stop-after script --json` against `url`, with extra flags and environment.
fn convert(dir: &Dir, url: &str, flags: &[&str], env: &[(&str, &str)]) -> (Value, String) {
    let mut cmd = dir.bare();
    cmd.args(["convert", "book.epub", "--stop-after", "script", "--json"])
        .args(["--vision-url", url])
        .args(flags);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run(&mut cmd);
    assert_exit(&out, 0);
    let summary = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    (summary, stderr(&out))
}

/// `describe-check --json`: its exit status, report and stderr.
fn describe_check(
    dir: &Dir,
    url: &str,
    flags: &[&str],
    env: &[(&str, &str)],
) -> (i32, Value, String) {
    let mut cmd = dir.bare();
    cmd.args(["describe-check", "--json", "--vision-url", url])
        .args(flags);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run(&mut cmd);
    let report = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    (out.status.code().unwrap_or(-1), report, stderr(&out))
}

fn verdicts(report: &Value) -> Vec<(String, String)> {
    report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn steps(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// Every file under `dir` whose bytes hold `needle`.
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if std::fs::read(&path)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
            {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

#[test]
fn a_token_from_the_environment_is_sent_and_leaks_nowhere() {
    let dir = Dir::new();
    illustrated_book(&dir);
    let server = VisionServer::start_with(Behaviour::Describe, &[MODEL], with_token());
    // Every log line of every crate, the HTTP stack's included.
    let env = [
        ("BOOKVOICE_VISION_API_KEY", TOKEN),
        ("BOOKVOICE_LOG", "trace"),
    ];
    let (summary, log) = convert(&dir, server.url(), &["-vvv"], &env);
    assert_eq!(summary["images"]["described_now"], 2, "{log}");
    let requests = server.requests();
    assert!(!requests.is_empty());
    for r in &requests {
        assert_eq!(
            r.authorization.as_deref(),
            Some(format!("Bearer {TOKEN}").as_str()),
            "{} {}",
            r.method,
            r.path
        );
    }
    assert!(!log.contains(TOKEN), "the token is in the log");
    assert!(!summary.to_string().contains(TOKEN));
    assert_eq!(
        files_holding(&dir.join("book.bookvoice"), TOKEN),
        Vec::<String>::new()
    );

    // The token is not part of what a description depends on: a new token asks nothing.
    let again = VisionServer::start_with(
        Behaviour::Describe,
        &[MODEL],
        Setup {
            token: Some("another-token".into()),
            ..Setup::default()
        },
    );
    let (summary, _) = convert(
        &dir,
        again.url(),
        &[],
        &[("BOOKVOICE_VISION_API_KEY", "another-token")],
    );
    assert_eq!(summary["images"]["described"], 2);
    assert!(again.completions().is_empty());

    // describe-check says a token was sent, and never which.
    let (code, report, log) = describe_check(&dir, server.url(), &["-vvv"], &env);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["api_token"], true);
    assert!(!report.to_string().contains(TOKEN) && !log.contains(TOKEN));
}

#[test]
fn a_token_from_the_settings_file_and_a_refused_one() {
    let dir = Dir::new();
    illustrated_book(&dir);
    let server = VisionServer::start_with(Behaviour::Describe, &[MODEL], with_token());
    std::fs::write(
        dir.join("bookvoice.toml"),
        format!("[vision]\napi_key = \"{TOKEN}\"\n"),
    )
    .unwrap();
    let (summary, _) = convert(&dir, server.url(), &[], &[]);
    assert_eq!(summary["images"]["described_now"], 2);

    // The environment wins over the file; a wrong token is refused once, and the server's
    // echo of it is not repeated.
    let other = Dir::new();
    illustrated_book(&other);
    let (summary, log) = convert(
        &other,
        server.url(),
        &[],
        &[("BOOKVOICE_VISION_API_KEY", "wrong-token-123")],
    );
    assert!(
        log.contains("the vision server refused the API token"),
        "{log}"
    );
    assert!(!log.contains("wrong-token-123"), "{log}");
    assert_eq!(summary["images"]["pending"], 2);
    assert_eq!(
        server.completions().len(),
        2,
        "pictures were sent with a refused token"
    );
}

#[test]
fn a_server_that_wants_a_token_says_what_to_do_and_the_book_still_converts() {
    let dir = Dir::new();
    illustrated_book(&dir);
    let server = VisionServer::start_with(Behaviour::Describe, &[MODEL], with_token());
    let (summary, log) = convert(&dir, server.url(), &[], &[]);
    assert!(
        log.contains(
            "the vision server wants an API token (it answered 401): set BOOKVOICE_VISION_API_KEY"
        ),
        "{log}"
    );
    // One request found it out; no picture was sent.
    assert_eq!(server.requests().len(), 1);
    assert_eq!(summary["images"]["pending"], 2);
    assert_eq!(statuses(&dir), ["pending", "pending", "decorative"]);
    assert!(script(&dir, "01 - The Harbour.txt").contains("Illustration: The harbour at dawn.\n"));

    let (code, report, _) = describe_check(&dir, server.url(), &[], &[]);
    assert_eq!(code, 1);
    assert_eq!(
        verdicts(&report),
        steps(&[
            ("server", "failed"),
            ("model", "skipped"),
            ("vision", "skipped"),
            ("picture", "skipped")
        ])
    );
    assert!(
        report["steps"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("BOOKVOICE_VISION_API_KEY")
    );
}

#[test]
fn a_401_on_pictures_stops_the_asking_at_once() {
    let dir = Dir::new();
    let body: String = (1..=6)
        .map(|i| format!(r#"<p>Picture {i}.</p><img src="p{i}.png" alt="Picture number {i}"/>"#))
        .collect();
    let mut epub = Epub::book(&[("c.xhtml", "Pictures", &body)]);
    for i in 1..=6 {
        epub.add_bytes(&format!("OEBPS/p{i}.png"), png(100 + i, 100));
    }
    epub.write(&dir.join("book.epub"));
    let server = VisionServer::start(Behaviour::Unauthorized, &[MODEL]);
    let (summary, log) = convert(&dir, server.url(), &[], &[]);
    assert!(log.contains("wants an API token"), "{log}");
    assert!(
        log.contains("the vision server refused the request"),
        "{log}"
    );
    // The first refusal stops it; the other worker may already have had one in flight.
    assert!(
        server.completions().len() <= 2,
        "{}",
        server.completions().len()
    );
    assert_eq!(summary["images"]["pending"], 6);
}

#[test]
fn lm_studio_0_4_listing_tells_a_vision_model_from_a_text_one() {
    let v1 = |vision, loaded| Setup {
        listing: Listing::V1 { vision, loaded },
        ..Setup::default()
    };

    // A vision model, not loaded yet: described, with a word that loading takes a while.
    let dir = Dir::new();
    illustrated_book(&dir);
    let server = VisionServer::start_with(Behaviour::Describe, &[MODEL], v1(true, false));
    let (summary, log) = convert(&dir, server.url(), &[], &[]);
    assert_eq!(summary["images"]["described_now"], 2, "{log}");
    assert!(log.contains("is not loaded yet"), "{log}");
    let calls: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(calls[..2], ["GET /v1/models", "GET /api/v1/models"]);
    let (code, report, _) = describe_check(&dir, server.url(), &[], &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        verdicts(&report),
        steps(&[
            ("server", "ok"),
            ("model", "ok"),
            ("vision", "ok"),
            ("picture", "ok")
        ])
    );

    // A text-only model: named once, and no picture sent.
    let dir = Dir::new();
    illustrated_book(&dir);
    let server = VisionServer::start_with(Behaviour::Describe, &[MODEL], v1(false, true));
    let (summary, log) = convert(&dir, server.url(), &[], &[]);
    assert_eq!(log.matches("is not a vision model").count(), 1, "{log}");
    assert!(log.contains("\"llm\" without vision"), "{log}");
    assert!(server.completions().is_empty());
    assert_eq!(summary["images"]["pending"], 2);
    let (code, report, _) = describe_check(&dir, server.url(), &[], &[]);
    assert_eq!(code, 1);
    assert_eq!(
        verdicts(&report),
        steps(&[
            ("server", "ok"),
            ("model", "ok"),
            ("vision", "failed"),
            ("picture", "skipped")
        ])
    );
    assert!(server.completions().is_empty());

    // A server with neither listing (llama.cpp, Ollama, vLLM) is taken at its word, quietly.
    let dir = Dir::new();
    illustrated_book(&dir);
    let server = VisionServer::start_with(
        Behaviour::Describe,
        &[MODEL],
        Setup {
            listing: Listing::None,
            ..Setup::default()
        },
    );
    let (summary, log) = convert(&dir, server.url(), &[], &[]);
    assert_eq!(summary["images"]["described_now"], 2);
    assert!(!log.contains("WARN"), "{log}");
    let (code, report, _) = describe_check(&dir, server.url(), &[], &[]);
    assert_eq!(code, 0);
    assert_eq!(report["steps"][2]["verdict"], "unknown");
}

#[test]
fn https_with_a_private_certificate() {
    let dir = Dir::new();
    illustrated_book(&dir);
    let server = VisionServer::start_with(
        Behaviour::Describe,
        &[MODEL],
        Setup {
            https: true,
            ..with_token()
        },
    );
    assert!(server.url().starts_with("https://"));
    let env = [("BOOKVOICE_VISION_API_KEY", TOKEN)];

    // Not trusted: the book converts, and the message says how to trust it.
    let (summary, log) = convert(&dir, server.url(), &["--vision-retries", "0"], &env);
    assert!(log.contains("certificate"), "{log}");
    assert!(log.contains("--vision-ca-cert"), "{log}");
    assert_eq!(summary["images"]["pending"], 2);
    assert!(server.requests().is_empty());

    // Trusted from the flag.
    std::fs::write(dir.join("ca.pem"), server.certificate()).unwrap();
    let (summary, log) = convert(&dir, server.url(), &["--vision-ca-cert", "ca.pem"], &env);
    assert_eq!(summary["images"]["described_now"], 2, "{log}");
    let (code, report, _) =
        describe_check(&dir, server.url(), &["--vision-ca-cert", "ca.pem"], &env);
    assert_eq!(code, 0, "{report}");
    assert!(report["ca_cert"].as_str().unwrap().ends_with("ca.pem"));

    // Trusted from the settings file, its path relative to the file.
    let other = Dir::new();
    illustrated_book(&other);
    std::fs::create_dir(other.join("conf")).unwrap();
    std::fs::write(other.join("conf/ca.pem"), server.certificate()).unwrap();
    std::fs::write(
        other.join("conf/bookvoice.toml"),
        format!("[vision]\nca_cert = \"ca.pem\"\napi_key = \"{TOKEN}\"\n"),
    )
    .unwrap();
    let (summary, _) = convert(
        &other,
        server.url(),
        &["--config", "conf/bookvoice.toml"],
        &[],
    );
    assert_eq!(summary["images"]["described_now"], 2);

    // A file that is no certificate is an error before any work, naming the file.
    std::fs::write(dir.join("bad.pem"), "not a certificate").unwrap();
    let out = run(dir
        .bare()
        .args(["describe-check", "--vision-url", server.url()])
        .args(["--vision-ca-cert", "bad.pem"]));
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains("bad.pem holds no certificate"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn describe_check_reports_each_step() {
    let dir = Dir::new();
    let server = VisionServer::start(Behaviour::Describe, &[MODEL]);
    let out = run(dir
        .bare()
        .args(["describe-check", "--vision-url", server.url()]));
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("ok       picture  a 160×120 test picture came back described"),
        "{text}"
    );
    assert!(text.contains("Ready: pictures in books will be described by google/gemma-3n-e4b."));
    assert_eq!(server.completions().len(), 1);

    // A model the server does not list.
    let (code, report, log) = describe_check(&dir, server.url(), &["--vision-model", "nope"], &[]);
    assert_eq!(code, 1);
    assert!(log.contains("cannot describe pictures yet"), "{log}");
    assert!(
        report["steps"][1]["detail"]
            .as_str()
            .unwrap()
            .contains("the server offers: google/gemma-3n-e4b"),
        "{report}"
    );

    // A model that answers but cannot see.
    let refusing = VisionServer::start(Behaviour::Refuse, &[MODEL]);
    let (code, report, _) = describe_check(&dir, refusing.url(), &[], &[]);
    assert_eq!(code, 1);
    assert_eq!(report["steps"][3]["verdict"], "failed");

    // Nothing listening.
    let (code, report, _) =
        describe_check(&dir, &nothing_listening(), &["--vision-retries", "0"], &[]);
    assert_eq!(code, 1);
    assert_eq!(report["ready"], false);
}

#[test]
fn a_quickly_made_self_signed_certificate_is_trusted_as_presented_when_named() {
    let dir = Dir::new();
    illustrated_book(&dir);
    let server = VisionServer::start_with(
        Behaviour::Describe,
        &[MODEL],
        Setup {
            https: true,
            https_quick_cert: true,
            ..Setup::default()
        },
    );
    std::fs::write(dir.join("cert.pem"), server.certificate()).unwrap();
    let (code, report, _) =
        describe_check(&dir, server.url(), &["--vision-ca-cert", "cert.pem"], &[]);
    assert_eq!(code, 0, "{report}");
    let (summary, _) = convert(&dir, server.url(), &["--vision-ca-cert", "cert.pem"], &[]);
    assert_eq!(summary["images"]["described_now"], 2);

    // Another certificate named: the message says the server's is not that one.
    let other = VisionServer::start_with(
        Behaviour::Describe,
        &[MODEL],
        Setup {
            https: true,
            ..Setup::default()
        },
    );
    let (code, report, _) =
        describe_check(&dir, other.url(), &["--vision-ca-cert", "cert.pem"], &[]);
    assert_eq!(code, 1);
    let detail = report["steps"][0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("neither cert.pem nor signed by it"),
        "{detail}"
    );
}

#[test]
fn urls_as_servers_show_them_are_taken() {
    let dir = Dir::new();
    let server = VisionServer::start(Behaviour::Describe, &[MODEL]);
    // With /v1, as the OpenAI convention and LM Studio's screen write it.
    let with_v1 = format!("{}/v1/", server.url());
    let (code, report, _) = describe_check(&dir, &with_v1, &[], &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["url"], server.url());
    // Without a scheme: told what to write.
    let bare = server.url().trim_start_matches("http://").to_string();
    let out = run(dir.bare().args(["describe-check", "--vision-url", &bare]));
    assert_exit(&out, 1);
    assert!(
        stderr(&out).contains(&format!("write http://{bare}")),
        "{}",
        stderr(&out)
    );
}
