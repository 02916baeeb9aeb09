//! Group `upload`: http_upload. The slots are checked end to end against a small S3-like
//! server started by the test, which verifies every PUT's SigV4 query signature with its own
//! canonical-request code (written here from AWS's description, not from the crate's).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::support::{now_secs, TestEnv, DEFAULT_CONFIG};

const KEY_ID: &str = "AKIDTESTKEY0000000";
const SECRET: &str = "test/secret+key=0123456789";
const REGION: &str = "local-test-1";

/// DEFAULT_CONFIG, with mod_http_upload for every host type except example.org (whose
/// modules a host_config replaces with mod_last only).
fn config(bucket_url: &str, extra_s3: &str) -> String {
    format!(
        "{DEFAULT_CONFIG}
[modules.mod_http_upload]
  s3.bucket_url = \"{bucket_url}\"
  s3.region = \"{REGION}\"
  s3.access_key_id = \"{KEY_ID}\"
  s3.secret_access_key = \"{SECRET}\"
  {extra_s3}

[[host_config]]
  host = \"example.org\"
  [host_config.modules.mod_last]
"
    )
}

// ---------------------------------------------------------------------------------------
// The test's own S3: SigV4 verification written independently of src/compat/sigv4.rs.

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("hmac key");
    m.update(data.as_bytes());
    m.finalize().into_bytes().to_vec()
}

/// AWS's UriEncode: unreserved bytes kept, every other byte as `%XX` (two upper-case hex
/// digits); `/` kept when encoding a path.
fn aws_encode(bytes: &[u8], keep_slash: bool) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decoding of a query component (`%XX`; anything else verbatim).
fn decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex = s
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Unix seconds of `YYYYMMDDTHHMMSSZ`.
fn parse_amz_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
    let (hh, mm, ss) = (n(9..11)?, n(11..13)?, n(13..15)?);
    // days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

struct Request {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Why the server refuses a PUT, or None when its signature and window hold.
fn verify_put(req: &Request) -> Option<String> {
    let (path, query) = req.target.split_once('?')?;
    let params: Vec<(String, String)> = query
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (
                String::from_utf8_lossy(&decode(k)).into_owned(),
                String::from_utf8_lossy(&decode(v)).into_owned(),
            )
        })
        .collect();
    let param = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    if param("X-Amz-Algorithm").as_deref() != Some("AWS4-HMAC-SHA256") {
        return Some("algorithm".into());
    }
    let credential = param("X-Amz-Credential")?;
    let parts: Vec<&str> = credential.split('/').collect();
    if parts.len() != 5
        || parts[0] != KEY_ID
        || parts[2] != REGION
        || parts[3] != "s3"
        || parts[4] != "aws4_request"
    {
        return Some(format!("credential {credential}"));
    }
    let date_time = param("X-Amz-Date")?;
    let signed_at = parse_amz_date(&date_time)?;
    if parts[1] != &date_time[..8] {
        return Some("credential date".into());
    }
    let expires: i64 = param("X-Amz-Expires")?.parse().ok()?;
    let now = now_secs();
    if (signed_at - now).abs() > 300 {
        return Some(format!("date {date_time} is not now"));
    }
    if expires <= 0 || now > signed_at + expires {
        return Some("expired".into());
    }
    let signed_headers = param("X-Amz-SignedHeaders")?;
    let names: Vec<&str> = signed_headers.split(';').collect();
    if !names.contains(&"host") || !names.contains(&"content-length") {
        return Some("host and content-length must be signed".into());
    }
    let length = header(req, "content-length")?;
    if length.parse::<usize>().ok() != Some(req.body.len()) {
        return Some("content-length is not the body's".into());
    }
    let mut canonical_headers = String::new();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    for n in &sorted {
        let Some(v) = header(req, n) else {
            return Some(format!("signed header {n} missing"));
        };
        canonical_headers.push_str(&format!("{n}:{}\n", v.trim()));
    }
    let mut query_pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "X-Amz-Signature")
        .map(|(k, v)| {
            (
                aws_encode(k.as_bytes(), false),
                aws_encode(v.as_bytes(), false),
            )
        })
        .collect();
    query_pairs.sort();
    let canonical_query = query_pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let canonical_request = format!(
        "{}\n{}\n{canonical_query}\n{canonical_headers}\n{}\nUNSIGNED-PAYLOAD",
        req.method,
        aws_encode(path.as_bytes(), true),
        sorted.join(";")
    );
    let scope = format!("{}/{REGION}/s3/aws4_request", parts[1]);
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{date_time}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let k = hmac(format!("AWS4{SECRET}").as_bytes(), parts[1]);
    let k = hmac(&hmac(&hmac(&k, REGION), "s3"), "aws4_request");
    let expected: String = hmac(&k, &to_sign)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if param("X-Amz-Signature").as_deref() != Some(expected.as_str()) {
        return Some("SignatureDoesNotMatch".into());
    }
    None
}

fn read_request(s: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

/// The objects stored by successful PUTs (path → body) and the refusals (reasons).
#[derive(Default)]
struct Bucket {
    objects: HashMap<String, Vec<u8>>,
    refused: Vec<String>,
}

struct S3 {
    port: u16,
    bucket: Arc<Mutex<Bucket>>,
}

impl S3 {
    fn start() -> S3 {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let bucket = Arc::new(Mutex::new(Bucket::default()));
        let state = bucket.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut s) = conn else { continue };
                let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                let Some(req) = read_request(&mut s) else {
                    continue;
                };
                let path = req.target.split('?').next().unwrap_or("").to_string();
                let (status, body) = match req.method.as_str() {
                    "PUT" => match verify_put(&req) {
                        None => {
                            state.lock().unwrap().objects.insert(path, req.body);
                            ("200 OK", Vec::new())
                        }
                        Some(why) => {
                            state.lock().unwrap().refused.push(why.clone());
                            ("403 Forbidden", why.into_bytes())
                        }
                    },
                    "GET" => match state.lock().unwrap().objects.get(&path) {
                        Some(b) => ("200 OK", b.clone()),
                        None => ("404 Not Found", Vec::new()),
                    },
                    _ => ("405 Method Not Allowed", Vec::new()),
                };
                let _ = write!(
                    s,
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(&body);
            }
        });
        S3 { port, bucket }
    }

    fn bucket_url(&self) -> String {
        format!("http://127.0.0.1:{}/bucket/", self.port)
    }

    fn objects(&self) -> usize {
        self.bucket.lock().unwrap().objects.len()
    }

    fn refused(&self) -> Vec<String> {
        self.bucket.lock().unwrap().refused.clone()
    }
}

/// One HTTP request to `url` (http://host:port/target); (status code, body).
fn http(method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, Vec<u8>) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (authority, target) = rest.split_at(rest.find('/').expect("path"));
    let mut s = TcpStream::connect(authority).expect("connect");
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {authority}\r\n");
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    s.write_all(head.as_bytes()).expect("write");
    s.write_all(body).expect("write body");
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).expect("read");
    let split = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let status_line = String::from_utf8_lossy(&resp[..split]).into_owned();
    let code = status_line
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .expect("status");
    (code, resp[split + 4..].to_vec())
}

fn put(url: &str, body: &[u8], content_type: &str, acl: bool) -> u16 {
    let len = body.len().to_string();
    let mut headers = vec![("Content-Length", len.as_str())];
    if !content_type.is_empty() {
        headers.push(("Content-Type", content_type));
    }
    if acl {
        headers.push(("x-amz-acl", "public-read"));
    }
    http("PUT", url, &headers, body).0
}

/// The slot printed by `http_upload`: checks the exact shape of stdout, returns (put, get).
#[track_caller]
fn slot(t: &TestEnv, args: &[&str]) -> (String, String) {
    let mut all = vec!["http_upload"];
    all.extend_from_slice(args);
    let r = t.run(&all);
    assert_eq!(r.code, 0, "{r:?}");
    let lines: Vec<&str> = r.stdout.split('\n').collect();
    assert_eq!(lines.len(), 4, "{:?}", r.stdout);
    assert_eq!(&lines[2..], ["", ""], "an empty last line: {:?}", r.stdout);
    let put = lines[0]
        .strip_prefix("PutURL: ")
        .expect("PutURL")
        .to_string();
    let get = lines[1]
        .strip_prefix("GetURL: ")
        .expect("GetURL")
        .to_string();
    assert_eq!(put.split_once('?').map(|(p, _)| p), Some(get.as_str()));
    (put, get)
}

/// The test's reading of the file-name encoding: unreserved kept, other bytes as `%` and
/// upper-case hex without zero padding.
fn enc(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:X}")
            }
        })
        .collect()
}

/// The token of a GET URL below `prefix`, checked to be 64 lower-case hex digits.
#[track_caller]
fn token_of<'a>(get: &'a str, prefix: &str) -> &'a str {
    let rest = get.strip_prefix(prefix).expect("prefix");
    let token = &rest[..rest.find('/').expect("token/")];
    assert_eq!(token.len(), 64, "{get}");
    assert!(
        token
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        "{get}"
    );
    token
}

// ---------------------------------------------------------------------------------------

#[test]
fn a_slot_uploads_and_downloads_through_a_verifying_server() {
    let s3 = S3::start();
    let t = TestEnv::sqlite_only(&config(&s3.bucket_url(), ""));
    let names = [
        "plain.txt",
        "my file.txt",
        "tab\there",
        "dir/sub/file",
        "100%.txt",
        "why?.txt",
        "hash#tag",
        "a+b=c&d;e",
        "zażółć gęślą.txt",
        "quote\"'<>",
        "",
    ];
    for (i, name) in names.iter().enumerate() {
        let body = format!("content of {name:?} ({i})\n\0\u{1}binary\u{ff}");
        let size = body.len().to_string();
        let (put_url, get_url) = slot(&t, &["localhost", name, &size, "", "60"]);
        let prefix = format!("http://127.0.0.1:{}/bucket/", s3.port);
        let token = token_of(&get_url, &prefix);
        assert_eq!(
            get_url,
            format!("{prefix}{token}/{}", enc(name)),
            "{name:?}"
        );
        assert!(
            put_url.ends_with("&X-Amz-SignedHeaders=content-length%3Bhost"),
            "{put_url}"
        );
        assert_eq!(
            put(&put_url, body.as_bytes(), "", false),
            200,
            "{name:?}: {:?}",
            s3.refused()
        );
        let (code, got) = http("GET", &get_url, &[], b"");
        assert_eq!((code, got), (200, body.into_bytes()), "{name:?}");
    }
    assert_eq!(s3.objects(), names.len());
    assert!(s3.refused().is_empty());
    // http_upload itself writes nothing: for a static host it does not even open the store.
    assert!(!t.store.exists());
}

#[test]
fn content_type_and_acl_are_signed() {
    let s3 = S3::start();
    let t = TestEnv::sqlite_only(&config(&s3.bucket_url(), "s3.add_acl = true"));
    let body = b"{\"a\": 1}";
    let (put_url, get_url) = slot(
        &t,
        &["localhost", "data.json", "8", "application/json", "60"],
    );
    assert!(
        put_url.ends_with("&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost%3Bx-amz-acl"),
        "{put_url}"
    );
    // Without the signed headers, or with other values, the server refuses.
    assert_eq!(put(&put_url, body, "", true), 403);
    assert_eq!(put(&put_url, body, "text/plain", true), 403);
    assert_eq!(put(&put_url, body, "application/json", false), 403);
    assert_eq!(s3.objects(), 0);
    assert_eq!(
        s3.refused(),
        [
            "signed header content-type missing",
            "SignatureDoesNotMatch",
            "signed header x-amz-acl missing"
        ]
    );
    assert_eq!(put(&put_url, body, "application/json", true), 200);
    assert_eq!(http("GET", &get_url, &[], b""), (200, body.to_vec()));
}

#[test]
fn tampered_urls_are_refused() {
    let s3 = S3::start();
    let t = TestEnv::sqlite_only(&config(&s3.bucket_url(), ""));
    let (put_url, get_url) = slot(&t, &["localhost", "f.txt", "5", "", "600"]);
    let token = token_of(&get_url, &format!("http://127.0.0.1:{}/bucket/", s3.port)).to_string();
    let other_token = token.replace(&token[..1], if &token[..1] == "0" { "1" } else { "0" });
    let tampered = [
        put_url.replace("f.txt?", "g.txt?"),
        put_url.replace(&token, &other_token),
        put_url.replace("X-Amz-Expires=600", "X-Amz-Expires=6000"),
        {
            // One hex digit of the signature changed.
            let i = put_url.find("X-Amz-Signature=").expect("signature") + 16;
            let c = if &put_url[i..=i] == "0" { "1" } else { "0" };
            format!("{}{c}{}", &put_url[..i], &put_url[i + 1..])
        },
    ];
    for url in &tampered {
        assert_ne!(url, &put_url);
        assert_eq!(put(url, b"12345", "", false), 403, "{url}");
    }
    // The body must have the signed size.
    assert_eq!(put(&put_url, b"123456", "", false), 403);
    assert_eq!(
        s3.refused()
            .iter()
            .filter(|r| *r == "SignatureDoesNotMatch")
            .count(),
        5
    );
    assert_eq!(s3.objects(), 0);
    assert_eq!(http("GET", &get_url, &[], b"").0, 404);
    assert_eq!(put(&put_url, b"12345", "", false), 200);
    assert_eq!(http("GET", &get_url, &[], b""), (200, b"12345".to_vec()));
}

#[test]
fn the_timeout_is_the_signature_lifetime() {
    let s3 = S3::start();
    // expiration_time is the module's, for XMPP slots: the command's timeout replaces it.
    let t = TestEnv::sqlite_only(&config(&s3.bucket_url(), "").replace(
        "[modules.mod_http_upload]",
        "[modules.mod_http_upload]\n  expiration_time = 3600",
    ));
    let (put_url, _) = slot(&t, &["localhost", "late.txt", "1", "", "1"]);
    assert!(put_url.contains("&X-Amz-Expires=1&"), "{put_url}");
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(put(&put_url, b"x", "", false), 403);
    assert_eq!(s3.refused(), ["expired"]);
}

#[test]
fn size_and_timeout_are_checked_first() {
    let t = TestEnv::sqlite_only(&config("http://127.0.0.1:9/bucket/", ""));
    let size_err = "Error: \"size must be positive integer\"\n";
    let timeout_err = "Error: \"timeout must be positive integer\"\n";
    for size in ["0", "-1", "-9223372036854775808", " 0", "-5abc", "+0"] {
        t.run(&["http_upload", "localhost", "f", size, "", "60"])
            .fails(size_err);
        // Before the timeout and the domain.
        t.run(&["http_upload", "nowhere.org", "f", size, "", "0"])
            .fails(size_err);
    }
    for timeout in ["0", "-1", "-9223372036854775808", "0.5"] {
        t.run(&["http_upload", "localhost", "f", "1", "", timeout])
            .fails(timeout_err);
        t.run(&["http_upload", "nowhere.org", "f", "1", "", timeout])
            .fails(timeout_err);
    }
    // Integers are read as 5.1 reads them: leading digits, the rest ignored.
    let (put_url, _) = slot(&t, &["localhost", "f", "1.9", "", " 7s"]);
    assert!(put_url.contains("&X-Amz-Expires=7&"), "{put_url}");
    let (put_url, _) = slot(&t, &["localhost", "f", "+3", "", "9223372036854775807"]);
    assert!(
        put_url.contains("&X-Amz-Expires=9223372036854775807&"),
        "{put_url}"
    );
    assert!(!t.store.exists());
}

#[test]
fn integers_that_are_not_numbers_or_too_large_crash() {
    let t = TestEnv::sqlite_only(&config("http://127.0.0.1:9/bucket/", ""));
    for (arg, value) in [
        ("size", "abc"),
        ("size", ""),
        ("size", "99999999999999999999"),
        ("size", "-99999999999999999999"),
        ("timeout", "x1"),
        ("timeout", "9223372036854775808"),
    ] {
        let (size, timeout) = if arg == "size" {
            (value, "60")
        } else {
            ("5", value)
        };
        // An Erlang string: `[]` when empty.
        let shown = if value.is_empty() {
            "[]".to_string()
        } else {
            format!("\"{value}\"")
        };
        t.run(&["http_upload", "localhost", "f", size, "", timeout]).fails(&format!(
            "Problem 'error: argument {arg} is not an integer: {shown}' occurred executing the command.\n"
        ));
    }
    let doc = t.json(&["http_upload", "localhost", "f", "abc", "", "1"]);
    assert_eq!(doc["error"]["kind"], "not_an_integer");
}

#[test]
fn unknown_domains_crash_and_the_host_is_raw() {
    let t = TestEnv::sqlite_only(&config("http://127.0.0.1:9/bucket/", ""));
    for (domain, shown) in [
        ("LOCALHOST", "<<\"LOCALHOST\">>"),
        ("nowhere.org", "<<\"nowhere.org\">>"),
        ("localhost ", "<<\"localhost \">>"),
        ("", "<<>>"),
    ] {
        t.run(&["http_upload", domain, "f", "5", "", "60"])
            .fails(&format!(
                "Problem 'error {{unknown_domain,{shown}}}' occurred executing the command.\n"
            ));
    }
    assert_eq!(
        t.json(&["http_upload", "LOCALHOST", "f", "5", "", "60"]),
        json!({"command": "http_upload", "ok": false, "error": {
            "kind": "unknown_domain",
            "message": "Problem 'error {unknown_domain,<<\"LOCALHOST\">>}' occurred executing the command."}})
    );
}

#[test]
fn a_host_type_without_the_module_is_refused() {
    let t = TestEnv::sqlite_only(&config("http://127.0.0.1:9/bucket/", ""));
    t.run(&["http_upload", "example.org", "f", "5", "", "60"])
        .fails("Error: \"mod_http_upload is not loaded for this host\"\n");
    assert_eq!(
        t.json(&["http_upload", "example.org", "f", "5", "", "60"]),
        json!({"command": "http_upload", "ok": false, "error": {
            "kind": "module_not_loaded",
            "message": "Error: \"mod_http_upload is not loaded for this host\"",
            "domain": "example.org", "host_type": "example.org", "module": "mod_http_upload"}})
    );
    // Without the module anywhere, the command still exists (5.1 registers it with the
    // submod) and refuses every domain.
    let t = TestEnv::new();
    t.run(&["http_upload", "localhost", "f", "5", "", "60"])
        .fails("Error: \"mod_http_upload is not loaded for this host\"\n");
    assert!(!t.store.exists());
}

#[test]
fn dynamic_domains_use_their_host_type() {
    let s3 = S3::start();
    let t = TestEnv::with_config(&format!(
        "{DEFAULT_CONFIG}
[[host_config]]
  host_type = \"dyn\"
  [host_config.modules.mod_http_upload]
    token_bytes = 4
    s3.bucket_url = \"{}\"
    s3.region = \"{REGION}\"
    s3.access_key_id = \"{KEY_ID}\"
    s3.secret_access_key = \"{SECRET}\"
",
        s3.bucket_url()
    ));
    let crash =
        "Problem 'error {unknown_domain,<<\"dyn.example\">>}' occurred executing the command.\n";
    t.run(&["http_upload", "dyn.example", "f", "3", "", "60"])
        .fails(crash);
    t.exec("INSERT INTO domain_settings (id, domain, host_type, enabled) VALUES (1, 'dyn.example', 'dyn', 1)");
    let (put_url, get_url) = slot(&t, &["dyn.example", "f", "3", "", "60"]);
    let rest = get_url
        .strip_prefix(&format!("http://127.0.0.1:{}/bucket/", s3.port))
        .expect("bucket");
    let (token, file) = rest.split_once('/').expect("token/file");
    assert_eq!((token.len(), file), (8, "f"), "token_bytes = 4: {get_url}");
    assert_eq!(put(&put_url, b"abc", "", false), 200, "{:?}", s3.refused());
    assert_eq!(http("GET", &get_url, &[], b""), (200, b"abc".to_vec()));
    // The static hosts keep the global modules (no mod_http_upload there).
    t.run(&["http_upload", "localhost", "f", "3", "", "60"])
        .fails("Error: \"mod_http_upload is not loaded for this host\"\n");
    t.exec("UPDATE domain_settings SET enabled = 0");
    t.run(&["http_upload", "dyn.example", "f", "3", "", "60"])
        .fails(crash);
    assert_eq!(
        t.sql("SELECT domain, host_type, enabled FROM domain_settings"),
        [["dyn.example", "dyn", "0"]]
    );
}

#[test]
fn json_result_shape() {
    let t = TestEnv::sqlite_only(&config(
        "https://s3.example.com:8443/a/b/",
        "s3.add_acl = true",
    ));
    let before = now_secs();
    let doc = t.json(&[
        "http_upload",
        "localhost",
        "my file.txt",
        "1234",
        "text/plain",
        "666",
    ]);
    let after = now_secs();
    assert_eq!(doc["ok"], true, "{doc}");
    let r = &doc["result"];
    let keys: Vec<&str> = r
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["put_url", "get_url", "headers", "signed_at", "expires"]
    );
    let get = r["get_url"].as_str().expect("get_url");
    let token = token_of(get, "https://s3.example.com:8443/a/b/");
    assert_eq!(
        get,
        format!("https://s3.example.com:8443/a/b/{token}/my%20file.txt")
    );
    let put = r["put_url"].as_str().expect("put_url");
    assert!(
        put.starts_with(&format!(
            "{get}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={KEY_ID}%2F"
        )),
        "{put}"
    );
    assert!(put.contains("&X-Amz-Expires=666&X-Amz-Signature="), "{put}");
    assert_eq!(
        r["headers"],
        json!({"content-length": "1234", "content-type": "text/plain",
               "host": "s3.example.com:8443", "x-amz-acl": "public-read"})
    );
    assert_eq!(r["expires"], 666);
    let signed_at = r["signed_at"].as_str().expect("signed_at");
    let compact = signed_at.replace(['-', ':'], "");
    let secs = parse_amz_date(&compact).expect("RFC 3339 seconds");
    assert!((before..=after).contains(&secs), "{signed_at}");
    // The same date is the signature's.
    assert!(
        put.contains(&format!("&X-Amz-Date={compact}&")),
        "{put} {compact}"
    );

    for (size, timeout, kind, field, value) in [
        ("0", "1", "size_not_positive", "size", 0),
        ("-3", "0", "size_not_positive", "size", -3),
        ("1", "-7", "timeout_not_positive", "timeout", -7),
    ] {
        let message = if field == "size" {
            "Error: \"size must be positive integer\""
        } else {
            "Error: \"timeout must be positive integer\""
        };
        assert_eq!(
            t.json(&["http_upload", "localhost", "f", size, "", timeout]),
            json!({"command": "http_upload", "ok": false,
                   "error": {"kind": kind, "message": message, field: value}})
        );
    }
}

#[test]
fn the_text_slot_for_a_bucket_without_path_and_default_port() {
    let t = TestEnv::sqlite_only(&config("https://bucket.s3.amazonaws.com", ""));
    let (put_url, get_url) = slot(&t, &["localhost", "my file\t(1).txt", "1234", "", "666"]);
    let token = token_of(&get_url, "https://bucket.s3.amazonaws.com/");
    assert_eq!(
        get_url,
        format!("https://bucket.s3.amazonaws.com/{token}/my%20file%9%281%29.txt")
    );
    assert!(
        put_url.contains("%2Fs3%2Faws4_request&X-Amz-Date="),
        "{put_url}"
    );
}

#[test]
fn invalid_s3_options_reject_the_config() {
    for (s3, path) in [
        ("", "modules.mod_http_upload.s3.bucket_url"),
        ("localhost/bucket", "modules.mod_http_upload.s3.bucket_url"),
        ("http://h:70000/", "modules.mod_http_upload.s3.bucket_url"),
    ] {
        let t = TestEnv::sqlite_only(&config(s3, ""));
        let r = t.run(&["http_upload", "localhost", "f", "5", "", "60"]);
        assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{s3}");
        assert!(r.stderr.contains(path), "{}", r.stderr);
    }
    let t = TestEnv::sqlite_only(&config("http://h/", "s3.add_acl = \"yes\""));
    let r = t.run(&["http_upload", "localhost", "f", "5", "", "60"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("modules.mod_http_upload.s3.add_acl"),
        "{}",
        r.stderr
    );
    let t = TestEnv::with_config(
        &config("http://h/", "").replace("s3.region = \"local-test-1\"\n", ""),
    );
    let r = t.run(&["http_upload", "localhost", "f", "5", "", "60"]);
    assert_eq!(r.code, 3);
    assert!(r.stderr.contains("missing_mandatory_keys"), "{}", r.stderr);
    assert!(!t.store.exists());
}

#[test]
fn the_upload_group_can_be_disabled() {
    let t = TestEnv::sqlite_only(&config("http://h/", "").replace(
        "[services.service_admin_extra]",
        "[services.service_admin_extra]\nsubmods = [\"accounts\"]",
    ));
    let doc = t.json(&["http_upload", "localhost", "f", "5", "", "60"]);
    assert_eq!(doc["error"]["kind"], "disabled_group", "{doc}");
    assert_eq!(doc["error"]["group"], "upload");
}
