//! AWS Signature Version 4 query presigning (the scheme S3 presigned URLs use) as MongooseIM
//! 5.1's `aws_signature_v4` computes it, the two URI encodings it uses, and the upload slot of
//! `mod_http_upload_s3` (commands.md §13). Pure functions: the time and the token are inputs.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The signing algorithm named in the query and the string to sign.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The payload hash of a presigned URL: the body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'~' | b'.')
}

fn encode_into(out: &mut String, s: &str, keep_slash: bool) {
    for &b in s.as_bytes() {
        if unreserved(b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            // MongooseIM's uri_encode: `%` and the byte in upper-case hex WITHOUT zero
            // padding (a tab is `%9`).
            out.push('%');
            out.push_str(&format!("{b:X}"));
        }
    }
}

/// MongooseIM's `enc`: keeps `A–Z a–z 0–9 _ - ~ .`, every other byte becomes `%` and its
/// upper-case hex without zero padding (`\t` → `%9`, ` ` → `%20`, `é` → `%C3%A9`).
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s, false);
    out
}

/// `encS`: [`enc`] keeping `/` (the canonical URI of a path; an already encoded `%` becomes
/// `%25`).
pub fn enc_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    encode_into(&mut out, s, true);
    out
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let mut m = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC accepts keys of every length"),
    };
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Lower-case hex of `bytes` (Erlang's `base16:encode`, as the upload token is written).
pub fn lower_hex(bytes: &[u8]) -> String {
    hex(bytes)
}

/// `(YYYYMMDD, YYYYMMDDTHHMMSSZ)` of a Unix time in seconds (UTC, proleptic Gregorian).
pub fn amz_dates(secs: i64) -> (String, String) {
    let t = crate::clock::utc(secs);
    let date = format!("{:04}{:02}{:02}", t.year, t.month, t.day);
    let date_time = format!("{date}T{:02}{:02}{:02}Z", t.hour, t.minute, t.second);
    (date, date_time)
}

/// Who signs, and for which region and service.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

/// A request to presign.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// `PUT`, `GET`, …
    pub method: &'a str,
    /// The path as it appears in the URL (its canonical form is [`enc_path`] of it).
    pub path: &'a str,
    /// The signed headers: lower-case names, values verbatim (any order).
    pub headers: Vec<(&'a str, String)>,
    /// Unix time of the signature (whole seconds).
    pub time: i64,
    /// `X-Amz-Expires`, seconds.
    pub expires: i64,
}

/// A presigned request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presigned {
    /// The URL query: the six `X-Amz-*` parameters, `enc(k)=enc(v)` joined by `&` in key
    /// order, the signature included.
    pub query: String,
    pub signature: String,
    /// The signed header names, sorted (`X-Amz-SignedHeaders` is them joined by `;`).
    pub signed_headers: Vec<String>,
    pub canonical_request: String,
    pub string_to_sign: String,
}

fn canonical_query(params: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = params.iter().map(|(k, v)| (enc(k), enc(v))).collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The SigV4 signing key: HMAC chain over date, region, service and `aws4_request`.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k1 = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k2 = hmac(&k1, region.as_bytes());
    let k3 = hmac(&k2, service.as_bytes());
    hmac(&k3, b"aws4_request")
}

/// Presign `req` with query parameters (AWS SigV4, unsigned payload).
pub fn presign(creds: &Credentials<'_>, req: &Request<'_>) -> Presigned {
    let (date, date_time) = amz_dates(req.time);
    let scope = format!("{date}/{}/{}/aws4_request", creds.region, creds.service);
    let mut headers: Vec<(&str, &str)> =
        req.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    headers.sort();
    let signed_headers: Vec<String> = headers.iter().map(|(n, _)| n.to_string()).collect();
    let signed = signed_headers.join(";");
    let mut params = vec![
        ("X-Amz-Algorithm".to_string(), ALGORITHM.to_string()),
        (
            "X-Amz-Credential".to_string(),
            format!("{}/{scope}", creds.access_key_id),
        ),
        ("X-Amz-Date".to_string(), date_time.clone()),
        ("X-Amz-Expires".to_string(), req.expires.to_string()),
        ("X-Amz-SignedHeaders".to_string(), signed.clone()),
    ];
    let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed}\n{UNSIGNED_PAYLOAD}",
        req.method,
        enc_path(req.path),
        canonical_query(&params),
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{date_time}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let key = signing_key(creds.secret_access_key, &date, creds.region, creds.service);
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    params.push(("X-Amz-Signature".to_string(), signature.clone()));
    Presigned {
        query: canonical_query(&params),
        signature,
        signed_headers,
        canonical_request,
        string_to_sign,
    }
}

/// A bucket URL, parsed as `uri_string:parse` does for the parts mod_http_upload_s3 uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketUrl {
    pub scheme: String,
    /// The host as written (an IPv6 literal keeps its brackets).
    pub host: String,
    /// The explicit port, if any.
    pub port: Option<u16>,
    /// The path as written (may be empty).
    pub path: String,
}

/// The default port of a scheme: http 80, https 443 (compared case-sensitively, as the
/// Erlang code matches the scheme).
fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" => Some(80),
        "https" => Some(443),
        _ => None,
    }
}

impl BucketUrl {
    /// Parse `scheme://host[:port][/path]`. A URL without a host, with user information, a
    /// query or a fragment is refused: the reason, for the configuration error.
    pub fn parse(url: &str) -> Result<BucketUrl, String> {
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err("expected scheme://host[:port][/path]".into());
        };
        let scheme_ok = scheme
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic)
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
        if !scheme_ok {
            return Err(format!("invalid scheme {scheme:?}"));
        }
        if rest.contains(['?', '#']) {
            return Err("a bucket URL takes no query or fragment".into());
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err("a bucket URL takes no user information".into());
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let Some(end) = v6.find(']') else {
                return Err("unterminated IPv6 address".into());
            };
            let host = &authority[..end + 2];
            match &v6[end + 1..] {
                "" => (host, None),
                p => match p.strip_prefix(':') {
                    Some(p) => (host, Some(p)),
                    None => return Err(format!("invalid authority {authority:?}")),
                },
            }
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        let bad_host = host.is_empty()
            || host
                .bytes()
                .any(|b| b.is_ascii_whitespace() || b.is_ascii_control())
            || (!host.starts_with('[') && host.contains(':'));
        if bad_host {
            return Err(format!("invalid host {host:?}"));
        }
        let port = match port {
            None | Some("") => None,
            Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => match p.parse::<u16>() {
                Ok(n) => Some(n),
                Err(_) => return Err(format!("port {p} is out of range")),
            },
            Some(p) => return Err(format!("invalid port {p:?}")),
        };
        Ok(BucketUrl {
            scheme: scheme.to_string(),
            host: host.to_string(),
            port,
            path: path.to_string(),
        })
    }

    /// The port used: explicit, else 80 for http, 443 for https, 80 otherwise.
    pub fn effective_port(&self) -> u16 {
        self.port.or(default_port(&self.scheme)).unwrap_or(80)
    }

    /// `host`, or `host:port` unless the port is the scheme's default (a scheme other than
    /// http/https always shows its port).
    pub fn host_part(&self) -> String {
        let port = self.effective_port();
        if default_port(&self.scheme) == Some(port) {
            self.host.clone()
        } else {
            format!("{}:{port}", self.host)
        }
    }
}

/// The S3 options of an upload slot.
#[derive(Debug, Clone, Copy)]
pub struct S3Bucket<'a> {
    pub url: &'a BucketUrl,
    pub region: &'a str,
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub add_acl: bool,
}

/// What the slot asks of the upload (the file and its signature's validity).
#[derive(Debug, Clone, Copy)]
pub struct SlotRequest<'a> {
    pub file_name: &'a str,
    pub size: i64,
    /// `""` = none (not signed).
    pub content_type: &'a str,
    /// Seconds (`X-Amz-Expires`).
    pub expires: i64,
    /// Unix time of the signature.
    pub time: i64,
    /// The random token (lower-case hex).
    pub token: &'a str,
}

/// An upload slot: where to PUT the file (presigned) and where to GET it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub put_url: String,
    pub get_url: String,
    /// The signed headers and the values the PUT must send, sorted by name.
    pub headers: Vec<(String, String)>,
}

/// mod_http_upload_s3's slot for `req` (commands.md §13 steps 3–10).
pub fn upload_slot(bucket: &S3Bucket<'_>, req: &SlotRequest<'_>) -> Slot {
    let url = bucket.url;
    let host_part = url.host_part();
    let base = url.path.strip_suffix('/').unwrap_or(&url.path);
    let path = format!("{base}/{}/{}", req.token, enc(req.file_name));
    let mut headers = vec![
        ("host", host_part.clone()),
        ("content-length", req.size.to_string()),
    ];
    if !req.content_type.is_empty() {
        headers.push(("content-type", req.content_type.to_string()));
    }
    if bucket.add_acl {
        headers.push(("x-amz-acl", "public-read".to_string()));
    }
    let creds = Credentials {
        access_key_id: bucket.access_key_id,
        secret_access_key: bucket.secret_access_key,
        region: bucket.region,
        service: "s3",
    };
    let signed = presign(
        &creds,
        &Request {
            method: "PUT",
            path: &path,
            headers: headers.clone(),
            time: req.time,
            expires: req.expires,
        },
    );
    let get_url = format!("{}://{host_part}{path}", url.scheme);
    headers.sort();
    Slot {
        put_url: format!("{get_url}?{}", signed.query),
        get_url,
        headers: headers
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2022-06-01 12:03:04 UTC.
    const T: i64 = 1_654_084_984;
    const KEY_ID: &str = "AKIAIAOAONIULXQGMOUA";
    const SECRET: &str = "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";

    fn token() -> String {
        "0123456789abcdef".repeat(4)
    }

    fn slot(bucket: &str, file: &str, size: i64, ct: &str, acl: bool) -> Slot {
        let url = BucketUrl::parse(bucket).expect("bucket url");
        let token = token();
        upload_slot(
            &S3Bucket {
                url: &url,
                region: "eu-east-25",
                access_key_id: KEY_ID,
                secret_access_key: SECRET,
                add_acl: acl,
            },
            &SlotRequest {
                file_name: file,
                size,
                content_type: ct,
                expires: 666,
                time: T,
                token: &token,
            },
        )
    }

    fn query(signature: &str, signed: &str) -> String {
        format!(
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIAOAONIULXQGMOUA%2F20220601%2F\
             eu-east-25%2Fs3%2Faws4_request&X-Amz-Date=20220601T120304Z&X-Amz-Expires=666&\
             X-Amz-Signature={signature}&X-Amz-SignedHeaders={signed}"
        )
    }

    #[test]
    fn dates() {
        assert_eq!(
            amz_dates(T),
            ("20220601".to_string(), "20220601T120304Z".to_string())
        );
        assert_eq!(
            amz_dates(0),
            ("19700101".to_string(), "19700101T000000Z".to_string())
        );
        assert_eq!(amz_dates(951_782_400).0, "20000229");
        assert_eq!(amz_dates(1_369_353_600).1, "20130524T000000Z");
        assert_eq!(amz_dates(-1).1, "19691231T235959Z");
    }

    #[test]
    fn encodings() {
        assert_eq!(enc("aZ09_-~."), "aZ09_-~.");
        assert_eq!(enc("\t"), "%9");
        assert_eq!(enc("\0"), "%0");
        assert_eq!(enc(" "), "%20");
        assert_eq!(enc("é"), "%C3%A9");
        assert_eq!(enc("/"), "%2F");
        assert_eq!(enc("%?#+&="), "%25%3F%23%2B%26%3D");
        assert_eq!(enc(""), "");
        assert_eq!(enc_path("/a b/%9"), "/a%20b/%259");
    }

    #[test]
    fn vector_1_no_content_type_no_acl() {
        let s = slot("http://localhost:9000/mybucket/", "tmp.txt", 5, "", false);
        let base = format!("http://localhost:9000/mybucket/{}/tmp.txt", token());
        assert_eq!(s.get_url, base);
        assert_eq!(
            s.put_url,
            format!(
                "{base}?{}",
                query(
                    "2f80deb1d31cc744174a838635acba511303c796d35fe1c47ee96b23a3eb3f57",
                    "content-length%3Bhost"
                )
            )
        );
        assert_eq!(
            s.headers,
            [
                ("content-length".to_string(), "5".to_string()),
                ("host".to_string(), "localhost:9000".to_string())
            ]
        );
    }

    #[test]
    fn vector_2_content_type_and_acl() {
        let s = slot(
            "http://localhost:9000/mybucket/",
            "tmp.txt",
            5,
            "text/plain",
            true,
        );
        let base = format!("http://localhost:9000/mybucket/{}/tmp.txt", token());
        assert_eq!(
            s.put_url,
            format!(
                "{base}?{}",
                query(
                    "3d99ffb01ecb6ce2f4e3216fda401766be252708970389191d7163fcfb4a8fa1",
                    "content-length%3Bcontent-type%3Bhost%3Bx-amz-acl"
                )
            )
        );
    }

    #[test]
    fn vector_3_default_https_port_and_special_bytes() {
        let s = slot(
            "https://bucket.s3.amazonaws.com",
            "my file\t(1).txt",
            1234,
            "",
            false,
        );
        let base = format!(
            "https://bucket.s3.amazonaws.com/{}/my%20file%9%281%29.txt",
            token()
        );
        assert_eq!(s.get_url, base);
        assert_eq!(
            s.put_url,
            format!(
                "{base}?{}",
                query(
                    "04078dafa9ae4f6ae7ed0b543703c1b0162b881df9723150b12f85b23ddb54d9",
                    "content-length%3Bhost"
                )
            )
        );
    }

    #[test]
    fn vector_4_explicit_port_and_utf8() {
        let s = slot(
            "https://s3.example.com:8443/a/b/",
            "zażółć.txt",
            1234,
            "",
            false,
        );
        let base = format!(
            "https://s3.example.com:8443/a/b/{}/za%C5%BC%C3%B3%C5%82%C4%87.txt",
            token()
        );
        assert_eq!(s.get_url, base);
        assert_eq!(
            s.put_url,
            format!(
                "{base}?{}",
                query(
                    "52f02ebf3de859d420c9603a840d8e240f70fea43c747530011b8f19d04f3419",
                    "content-length%3Bhost"
                )
            )
        );
    }

    /// AWS's own example (S3 documentation, "Authenticating Requests: Using Query
    /// Parameters", Example: presigned URL): GET of test.txt in examplebucket.
    #[test]
    fn aws_presigned_url_example() {
        let p = presign(
            &Credentials {
                access_key_id: "AKIAIOSFODNN7EXAMPLE",
                secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                region: "us-east-1",
                service: "s3",
            },
            &Request {
                method: "GET",
                path: "/test.txt",
                headers: vec![("host", "examplebucket.s3.amazonaws.com".to_string())],
                time: 1_369_353_600,
                expires: 86_400,
            },
        );
        assert_eq!(
            p.canonical_request,
            "GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=\
             AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=\
             20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n\
             host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD"
        );
        assert_eq!(
            p.string_to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n\
             3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"
        );
        assert_eq!(
            p.signature,
            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
        assert!(p.query.ends_with(
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404\
             &X-Amz-SignedHeaders=host"
        ));
    }

    #[test]
    fn bucket_urls() {
        let u = BucketUrl::parse("http://localhost:9000/mybucket/").expect("url");
        assert_eq!(
            (u.scheme.as_str(), u.host.as_str(), u.port, u.path.as_str()),
            ("http", "localhost", Some(9000), "/mybucket/")
        );
        assert_eq!(u.host_part(), "localhost:9000");
        let host_part = |s: &str| BucketUrl::parse(s).expect("url").host_part();
        assert_eq!(host_part("http://h:80/"), "h");
        assert_eq!(host_part("https://h:443"), "h");
        assert_eq!(host_part("https://h:80"), "h:80");
        assert_eq!(host_part("http://h:443"), "h:443");
        assert_eq!(host_part("ftp://h/"), "h:80");
        assert_eq!(host_part("ftp://h:21/"), "h:21");
        assert_eq!(host_part("HTTP://h/"), "h:80");
        assert_eq!(host_part("http://[::1]:9000/b"), "[::1]:9000");
        assert_eq!(host_part("http://h:/b"), "h");
        for bad in [
            "",
            "localhost/bucket",
            "http://",
            "http:///b",
            "http://h:x/",
            "http://h:65536/",
            "http://u:p@h/",
            "http://h/b?x=1",
            "http://h/b#f",
            "http://[::1/",
            "1ttp://h/",
        ] {
            assert!(BucketUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn one_trailing_slash_is_removed() {
        let s = slot("http://h/b//", "f", 1, "", false);
        assert_eq!(s.get_url, format!("http://h/b//{}/f", token()));
        let s = slot("http://h", "", 1, "", false);
        assert_eq!(s.get_url, format!("http://h/{}/", token()));
    }
}
