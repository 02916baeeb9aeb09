//! service_mongoose_system_metrics at run time (issue 11; spec/services.md §3): the four
//! config cases and their notices, the due logic with MONGOOSEIMCTL_NOW, the report file's
//! bytes, the hit lines and batches a local HTTP server receives, the time bound, the
//! counters, and the two commands (system_metrics_report, send_system_metrics).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::TestEnv;

const BASE: &str = "[general]\nhosts = [\"localhost\"]\ndefault_server_domain = \"localhost\"\n";
const SECTION: &str = "[services.service_mongoose_system_metrics]\n";
const T0: i64 = 1_764_633_600;

const SORRY: &str = "We're sorry to hear you don't want to share the system's metrics with us. These metrics would enable us to improve MongooseIM and know where to focus our efforts. To stop being notified, you can add this to the services section of your config file: \n  [services.service_mongoose_system_metrics]\n    report = false\nFor more info on how to customise, read, enable, and disable the metrics visit: \n- MongooseIM docs - \n     https://esl.github.io/MongooseDocs/latest/operation-and-maintenance/System-Metrics-Privacy-Policy/ \n- MongooseIM GitHub page - https://github.com/esl/MongooseIM";

fn transparency(file: &str) -> String {
    format!("We are gathering the MongooseIM system's metrics to analyse the trends and needs of our users, improve MongooseIM, and know where to focus our efforts. For more info on how to customise, read, enable, and disable these metrics visit: \n- MongooseIM docs - \n      https://esl.github.io/MongooseDocs/latest/operation-and-maintenance/System-Metrics-Privacy-Policy/ \n- MongooseIM GitHub page - https://github.com/esl/MongooseIM \nThe last sent report is also written to a file {file}")
}

/// One request the test server received.
#[derive(Debug, Clone)]
struct Request {
    head: String,
    body: String,
}

/// A local HTTP server answering 200 to every request, recording them.
struct Server {
    url: String,
    got: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/batch", listener.local_addr().expect("addr"));
        let got = Arc::new(Mutex::new(Vec::new()));
        let seen = got.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let mut reader = BufReader::new(conn.try_clone().expect("clone"));
                let mut head = String::new();
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                let len = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                let mut body = vec![0; len];
                let _ = reader.read_exact(&mut body);
                seen.lock().expect("lock").push(Request {
                    head,
                    body: String::from_utf8_lossy(&body).into_owned(),
                });
                let _ = conn.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        Server { url, got }
    }

    fn requests(&self) -> Vec<Request> {
        self.got.lock().expect("lock").clone()
    }
}

fn state(t: &TestEnv, key: &str) -> Vec<String> {
    t.col(&format!(
        "SELECT v FROM mongooseimctl_state WHERE k = '{key}'"
    ))
}

fn cluster_ids(t: &TestEnv) -> Vec<String> {
    t.col("SELECT v FROM mongoose_cluster_id WHERE k = 'cluster_id'")
}

fn now(secs: i64) -> String {
    secs.to_string()
}

// ---- the four config cases ----

#[test]
fn section_absent_gives_the_sorry_notice_at_info() {
    let t = TestEnv::with_config(BASE);
    let file = t.path("report.json");
    let f = file.display().to_string();
    let env = [("MONGOOSEIMCTL_METRICS_FILE", f.as_str())];
    let r = t.run_env(&["-v", "registered_users", "localhost"], &env);
    r.ok("");
    assert_eq!(r.stderr, format!(" INFO {SORRY}\n"));
    // A plain run prints nothing extra.
    let r = t.run_env(&["registered_users", "localhost"], &env);
    r.ok("");
    assert_eq!(r.stderr, "");
    assert_eq!(state(&t, "system_metrics"), Vec::<String>::new());
    assert_eq!(cluster_ids(&t), Vec::<String>::new());
    assert!(!file.exists());
}

#[test]
fn section_without_report_gives_the_transparency_notice_and_records_the_first_run() {
    let t = TestEnv::with_config(&format!("{BASE}{SECTION}"));
    let file = t.path("report.json");
    let f = file.display().to_string();
    let ms = (T0 * 1000).to_string();
    let at = now(T0);
    let env = [
        ("MONGOOSEIMCTL_METRICS_FILE", f.as_str()),
        ("MONGOOSEIMCTL_NOW", at.as_str()),
    ];
    let r = t.run_env(&["-v", "registered_users", "localhost"], &env);
    r.ok("");
    assert_eq!(r.stderr, format!(" INFO {}\n", transparency(&f)));
    assert_eq!(
        t.run_env(&["registered_users", "localhost"], &env).stderr,
        ""
    );
    // Not due (initial_report is 5 minutes): the first run is recorded, nothing else.
    assert_eq!(
        state(&t, "system_metrics"),
        [format!(
            r#"{{"first_seen":{ms},"last_report":null,"counters":null}}"#
        )]
    );
    assert_eq!(cluster_ids(&t), Vec::<String>::new());
    assert!(!file.exists());
}

#[test]
fn report_true_is_silent() {
    let t = TestEnv::with_config(&format!("{BASE}{SECTION}report = true\n"));
    let f = t.path("report.json").display().to_string();
    let r = t.run_env(
        &["-v", "registered_users", "localhost"],
        &[("MONGOOSEIMCTL_METRICS_FILE", f.as_str())],
    );
    r.ok("");
    assert_eq!(r.stderr, "");
    assert_eq!(state(&t, "system_metrics").len(), 1);
}

#[test]
fn report_false_reads_writes_and_sends_nothing() {
    let server = Server::start();
    let t = TestEnv::sqlite_only(&format!(
        "{BASE}{SECTION}report = false\ninitial_report = 0\nperiodic_report = 0\n"
    ));
    let file = t.path("report.json");
    let f = file.display().to_string();
    let env = [
        ("MONGOOSEIMCTL_METRICS_FILE", f.as_str()),
        ("MONGOOSEIMCTL_METRICS_URL", server.url.as_str()),
    ];
    for _ in 0..2 {
        let r = t.run_env(&["-v", "registered_users", "localhost"], &env);
        r.ok("");
        assert_eq!(r.stderr, "");
    }
    assert_eq!(state(&t, "system_metrics"), Vec::<String>::new());
    assert_eq!(cluster_ids(&t), Vec::<String>::new());
    assert!(!file.exists());
    assert_eq!(server.requests().len(), 0);
    // The explicit command refuses too, changing nothing.
    t.run_env(&["send_system_metrics"], &env).fails(
        "service_mongoose_system_metrics has report = false: nothing is collected or sent\n",
    );
    assert_eq!(state(&t, "system_metrics"), Vec::<String>::new());
    assert!(!file.exists());
    assert_eq!(server.requests().len(), 0);
}

// ---- timers ----

#[test]
fn initial_then_periodic_report_with_a_fixed_clock() {
    let server = Server::start();
    let t = TestEnv::sqlite_only(&format!(
        "{BASE}{SECTION}report = true\ninitial_report = 60000\nperiodic_report = 3600000\n"
    ));
    let file = t.path("report.json");
    let f = file.display().to_string();
    let run_at = |secs: i64| {
        let at = now(secs);
        t.run_env(
            &["registered_users", "localhost"],
            &[
                ("MONGOOSEIMCTL_METRICS_FILE", f.as_str()),
                ("MONGOOSEIMCTL_METRICS_URL", server.url.as_str()),
                ("MONGOOSEIMCTL_NOW", at.as_str()),
            ],
        )
        .ok("");
    };
    let st = |t: &TestEnv| -> serde_json::Value {
        serde_json::from_str(&state(t, "system_metrics")[0]).expect("json state")
    };
    run_at(T0);
    assert_eq!(st(&t)["first_seen"], T0 * 1000);
    assert_eq!(st(&t)["last_report"], serde_json::Value::Null);
    run_at(T0 + 59);
    assert_eq!(st(&t)["last_report"], serde_json::Value::Null);
    assert!(!file.exists());
    assert_eq!(server.requests().len(), 0);
    run_at(T0 + 60);
    assert_eq!(st(&t)["first_seen"], T0 * 1000);
    assert_eq!(st(&t)["last_report"], (T0 + 60) * 1000);
    assert!(file.exists());
    let after_first = server.requests().len();
    assert_eq!(after_first, 1, "13 hits, one tracking id: one request");
    assert_eq!(cluster_ids(&t).len(), 1);
    std::fs::remove_file(&file).expect("rm");
    run_at(T0 + 60 + 3599);
    assert!(!file.exists());
    assert_eq!(server.requests().len(), after_first);
    run_at(T0 + 60 + 3600);
    assert_eq!(st(&t)["last_report"], (T0 + 3660) * 1000);
    assert!(file.exists());
    assert_eq!(server.requests().len(), 2 * after_first);
}

// ---- the file and the hits ----

/// The triples of a report for [`BASE`] with no module, in collection order, as
/// (report_name, ~p of key, ~p of value, JSON of key, JSON of value).
fn base_triples(uptime: &str, counters: [(i64, i64); 6]) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = vec![
        ("hosts".into(), "count".into(), "1".into()),
        ("domains".into(), "count".into(), "1".into()),
        ("custom_modules".into(), "count".into(), "0".into()),
        ("cluster".into(), "uptime".into(), format!("\"{uptime}\"")),
        ("cluster".into(), "number_of_nodes".into(), "1".into()),
        ("cluster".into(), "number_of_components".into(), "0".into()),
        ("cluster".into(), "config_type".into(), "toml".into()),
    ];
    let names = [
        "xmppMessageSent",
        "xmppMessageReceived",
        "xmppIqSent",
        "xmppIqReceived",
        "xmppPresenceSent",
        "xmppPresenceReceived",
    ];
    for (n, (total, delta)) in names.iter().zip(counters) {
        v.push((n.to_string(), total.to_string(), delta.to_string()));
    }
    v
}

/// jiffy's pretty layout of the triples (keys sorted: key, report_name, value).
fn jiffy(triples: &[(String, String, String)]) -> String {
    let js = |p: &str| {
        if p.starts_with('"') || p.parse::<i64>().is_ok() {
            p.to_string()
        } else {
            format!("\"{p}\"")
        }
    };
    let objs: Vec<String> = triples
        .iter()
        .map(|(n, k, v)| {
            format!(
                "{{\n    \"key\" : {},\n    \"report_name\" : \"{n}\",\n    \"value\" : {}\n  }}",
                js(k),
                js(v)
            )
        })
        .collect();
    format!("[\n  {}\n]", objs.join(",\n  "))
}

fn hit_lines(tid: &str, cid: &str, triples: &[(String, String, String)]) -> Vec<String> {
    triples
        .iter()
        .map(|(n, k, v)| format!("v=1&tid={tid}&t=event&cid=\"{cid}\"&ec={n}&ea={k}&el={v}"))
        .collect()
}

#[test]
fn the_report_file_has_jiffys_bytes_and_the_server_gets_the_hit_lines() {
    let server = Server::start();
    let t = TestEnv::sqlite_only(&format!(
        "{BASE}{SECTION}report = true\ninitial_report = 0\n"
    ));
    let file = t.path("report.json");
    let f = file.display().to_string();
    let at = now(T0);
    t.run_env(
        &["registered_users", "localhost"],
        &[
            ("MONGOOSEIMCTL_METRICS_FILE", f.as_str()),
            ("MONGOOSEIMCTL_METRICS_URL", server.url.as_str()),
            ("MONGOOSEIMCTL_NOW", at.as_str()),
        ],
    )
    .ok("");
    let triples = base_triples("0000-00:00:00", [(0, 0); 6]);
    assert_eq!(
        std::fs::read_to_string(&file).expect("report file"),
        jiffy(&triples)
    );
    let cid = cluster_ids(&t);
    assert_eq!(cid.len(), 1);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert!(
        reqs[0].head.starts_with("POST /batch HTTP/1.1\r\n"),
        "{}",
        reqs[0].head
    );
    assert!(
        !reqs[0].head.to_ascii_lowercase().contains("content-type: "),
        "no content type: {}",
        reqs[0].head
    );
    assert_eq!(
        reqs[0].body,
        hit_lines("UA-151671255-2", &cid[0], &triples).join("\n")
    );
}

const MODULES: &str = "[modules.mod_roster]\n[modules.mod_vcard]\n[modules.mod_private]\n\
[modules.mod_offline]\n[modules.mod_last]\n[modules.mod_privacy]\n[modules.mod_inbox]\n\
[modules.mod_muc_light]\n";

#[test]
fn more_than_20_hits_go_in_two_requests_once_per_tracking_id() {
    let server = Server::start();
    let t = TestEnv::sqlite_only(&format!(
        "{BASE}{MODULES}{SECTION}report = true\ntracking_id = \"UA-TEST-9\"\n"
    ));
    let f = t.path("report.json").display().to_string();
    for (ci, predefined) in [("true", "UA-151671255-1"), ("", "UA-151671255-2")] {
        let before = server.requests().len();
        let r = t.run_env(
            &["send_system_metrics"],
            &[
                ("MONGOOSEIMCTL_METRICS_FILE", f.as_str()),
                ("MONGOOSEIMCTL_METRICS_URL", server.url.as_str()),
                ("CI", ci),
            ],
        );
        r.ok(&format!(
            "Sent 42 hits in 4 requests to {}; report written to {f}\n",
            server.url
        ));
        let reqs = server.requests()[before..].to_vec();
        assert_eq!(reqs.len(), 4);
        let lines: Vec<Vec<&str>> = reqs.iter().map(|r| r.body.split('\n').collect()).collect();
        assert_eq!(
            lines.iter().map(Vec::len).collect::<Vec<_>>(),
            [20, 1, 20, 1]
        );
        let tid = |l: &str| l.split('&').nth(1).unwrap_or_default().to_string();
        assert!(lines[0]
            .iter()
            .chain(&lines[1])
            .all(|l| tid(l) == format!("tid={predefined}")));
        assert!(lines[2]
            .iter()
            .chain(&lines[3])
            .all(|l| tid(l) == "tid=UA-TEST-9"));
        // The module triples (sorted by module name), with their backends.
        let cid = &cluster_ids(&t)[0];
        assert_eq!(
            lines[0][2],
            format!("v=1&tid={predefined}&t=event&cid=\"{cid}\"&ec=mod_inbox&ea=backend&el=rdbms")
        );
        // The same report in both series, apart from the tracking id.
        assert_eq!(
            reqs[0].body.replace(predefined, "X"),
            reqs[2].body.replace("UA-TEST-9", "X")
        );
    }
}

#[test]
fn an_endpoint_that_never_answers_is_bounded_and_changes_nothing_of_the_output() {
    // Bound, never accepted: connections complete in the backlog, no answer ever comes.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/batch", listener.local_addr().expect("addr"));
    let t = TestEnv::sqlite_only(&format!(
        "{BASE}{SECTION}report = true\ninitial_report = 0\n"
    ));
    let file = t.path("report.json");
    let f = file.display().to_string();
    let env = [
        ("MONGOOSEIMCTL_METRICS_FILE", f.as_str()),
        ("MONGOOSEIMCTL_METRICS_URL", url.as_str()),
    ];
    let start = Instant::now();
    t.run_env(&["registered_users", "localhost"], &env).ok("");
    let took = start.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    // The report was recorded and the file written all the same.
    assert!(file.exists());
    let start = Instant::now();
    let r = t.run_env(&["send_system_metrics"], &env);
    assert!(start.elapsed() < Duration::from_secs(5));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.starts_with(&format!(
            "Sent 0 hits in 0 requests to {url}; 1 request failed ("
        )),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.ends_with(&format!("; report written to {f}\n")),
        "{}",
        r.stdout
    );
    drop(listener);
}

// ---- counters ----

#[test]
fn routed_stanzas_are_counted_once_per_transaction() {
    let t = TestEnv::new();
    t.register("alice", "localhost", "pw");
    t.register("bob", "localhost", "pw");
    t.run(&["open_session", "bob", "localhost", "phone"])
        .ok("Session bob@localhost/phone opened\n");
    t.run(&["open_session", "bob", "localhost", "pc"])
        .ok("Session bob@localhost/pc opened\n");
    let counters = || -> serde_json::Value {
        state(&t, "system_metrics.counters")
            .first()
            .map(|v| serde_json::from_str(v).expect("json"))
            .unwrap_or(serde_json::Value::Null)
    };
    assert_eq!(counters(), serde_json::Value::Null);
    assert_eq!(
        t.run(&[
            "send_message_chat",
            "alice@localhost",
            "bob@localhost",
            "hello",
        ])
        .code,
        0
    );
    assert_eq!(
        counters(),
        serde_json::json!({"message_sent": 1, "message_received": 2, "iq_sent": 0,
            "iq_received": 0, "presence_sent": 0, "presence_received": 0})
    );
    let r = t.run(&[
        "send_stanza_c2s",
        "bob",
        "localhost",
        "phone",
        "<iq type='get' to='bob@localhost/pc' id='1'><ping xmlns='urn:xmpp:ping'/></iq>",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(counters()["iq_sent"], 1);
    assert_eq!(counters()["iq_received"], 1);
    assert_eq!(counters()["message_received"], 2);
}

// ---- the commands ----

#[test]
fn system_metrics_report_prints_the_report_and_changes_nothing() {
    let t = TestEnv::sqlite_only(&format!("{BASE}{SECTION}report = false\n"));
    let at = now(T0);
    let f = t.path("report.json").display().to_string();
    let env = [
        ("MONGOOSEIMCTL_METRICS_FILE", f.as_str()),
        ("MONGOOSEIMCTL_NOW", at.as_str()),
    ];
    let r = t.run_env(&["system_metrics_report"], &env);
    let text: String = base_triples("0000-00:00:00", [(0, 0); 6])
        .iter()
        .map(|(n, k, v)| format!("{n}\t{k}\t{v}\n"))
        .collect();
    r.ok(&text);
    r.stderr_has("warning: nothing would be sent now: report = false");
    assert_eq!(state(&t, "system_metrics"), Vec::<String>::new());
    assert_eq!(cluster_ids(&t), Vec::<String>::new());
    assert!(!t.path("report.json").exists());

    let r = t.run_env(&["-o", "json", "system_metrics_report"], &env);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let res = &doc["result"];
    assert_eq!(res["tracking_ids"], serde_json::json!(["UA-151671255-2"]));
    assert_eq!(res["would_send"], false);
    assert_eq!(res["client_id_stored"], false);
    assert_eq!(res["file"], f.as_str());
    assert_eq!(res["endpoint"], serde_json::Value::Null);
    assert_eq!(
        res["report"][0],
        serde_json::json!({"report_name": "hosts", "key": "count", "value": 1})
    );
    assert_eq!(res["hits"][0]["tracking_id"], "UA-151671255-2");
    assert_eq!(res["hits"][0]["hits"].as_array().map(Vec::len), Some(13));
}

#[test]
fn send_system_metrics_without_the_section_refuses() {
    let t = TestEnv::with_config(BASE);
    t.run(&["send_system_metrics"]).fails(
        "service_mongoose_system_metrics is not configured: nothing to send (add \
         [services.service_mongoose_system_metrics] to the config)\n",
    );
    assert_eq!(state(&t, "system_metrics"), Vec::<String>::new());
}

#[test]
fn send_system_metrics_without_an_endpoint_writes_the_file_and_records_the_report() {
    let t = TestEnv::with_config(&format!("{BASE}{SECTION}report = true\n"));
    let f = t.path("report.json").display().to_string();
    t.run_env(
        &["send_system_metrics"],
        &[("MONGOOSEIMCTL_METRICS_FILE", f.as_str())],
    )
    .ok(&format!(
        "Nothing sent (no endpoint: MONGOOSEIMCTL_METRICS_URL is not set); report written to {f}\n"
    ));
    let st: serde_json::Value =
        serde_json::from_str(&state(&t, "system_metrics")[0]).expect("json");
    assert!(st["last_report"].is_i64());
    assert_eq!(cluster_ids(&t).len(), 1);
    assert!(t.path("report.json").exists());
}

// ---- options ----

#[test]
fn invalid_options_fail_before_anything_is_done() {
    for (opt, word) in [
        ("initial_report = -5", "initial_report"),
        ("no_report = true", "no_report"),
        ("periodic_report = \"often\"", "periodic_report"),
    ] {
        let t = TestEnv::sqlite_only(&format!("{BASE}{SECTION}{opt}\n"));
        let r = t.run(&["registered_users", "localhost"]);
        assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{opt}: {r:?}");
        assert!(r.stderr.contains(word), "{opt}: {}", r.stderr);
        assert!(!t.store.exists(), "{opt}: the store was created");
    }
}

#[test]
fn intial_report_is_an_alias_with_a_warning() {
    let t = TestEnv::sqlite_only(&format!(
        "{BASE}{SECTION}report = true\nintial_report = 0\n"
    ));
    let f = t.path("report.json").display().to_string();
    let r = t.run_env(
        &["registered_users", "localhost"],
        &[("MONGOOSEIMCTL_METRICS_FILE", f.as_str())],
    );
    r.ok("");
    r.stderr_has("intial_report");
    // initial_report = 0 through the alias: the first run reports.
    assert!(t.path("report.json").exists());
}
