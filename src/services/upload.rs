//! Group `upload` (service_admin_extra_upload, mod_http_upload_s3).

use crate::compat::sigv4::{self, S3Bucket, SlotRequest};
use crate::config::HttpUploadOpts;
use crate::context::Ctx;
use crate::error::{Crash, Error, Result};

/// The outcome of `http_upload`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpUpload {
    /// A presigned slot.
    Slot(UploadSlot),
    /// `size` ≤ 0.
    SizeNotPositive { size: i64 },
    /// `timeout` ≤ 0.
    TimeoutNotPositive { timeout: i64 },
    /// The domain's host type does not enable mod_http_upload.
    NotLoaded { domain: String, host_type: String },
}

/// An upload slot and what it was made for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadSlot {
    pub put_url: String,
    pub get_url: String,
    /// The headers the PUT must send with these values (the signed ones), sorted by name.
    pub headers: Vec<(String, String)>,
    /// Unix time of the signature.
    pub signed_at: i64,
    /// Seconds the PUT URL is valid (the `timeout` argument).
    pub expires: i64,
}

/// `http_upload domain file_name size content_type timeout` (commands.md §13): checks in
/// 5.1's order, then a slot signed now with a fresh token.
#[tracing::instrument(level = "debug", skip_all)]
pub fn http_upload(
    ctx: &mut Ctx,
    domain: &str,
    file_name: &str,
    size: i64,
    content_type: &str,
    timeout: i64,
) -> Result<HttpUpload> {
    if size <= 0 {
        return Ok(HttpUpload::SizeNotPositive { size });
    }
    if timeout <= 0 {
        return Ok(HttpUpload::TimeoutNotPositive { timeout });
    }
    // Raw host: the argument as typed (`LOCALHOST` is not `localhost`).
    let Some(host_type) = ctx.host_type(domain)? else {
        return Err(Crash::unknown_domain(domain));
    };
    let Some(opts) = ctx.config.host_modules(&host_type).http_upload.clone() else {
        return Ok(HttpUpload::NotLoaded {
            domain: domain.to_string(),
            host_type,
        });
    };
    let token = token(opts.token_bytes)?;
    let signed_at = crate::clock::now_secs();
    Ok(HttpUpload::Slot(slot(
        &opts,
        file_name,
        size,
        content_type,
        timeout,
        signed_at,
        &token,
    )))
}

/// The slot of `opts` for these inputs: a pure function of them (the time and the token
/// included).
pub fn slot(
    opts: &HttpUploadOpts,
    file_name: &str,
    size: i64,
    content_type: &str,
    timeout: i64,
    time: i64,
    token: &str,
) -> UploadSlot {
    let s = sigv4::upload_slot(
        &S3Bucket {
            url: &opts.bucket_url,
            region: &opts.region,
            access_key_id: &opts.access_key_id,
            secret_access_key: &opts.secret_access_key,
            add_acl: opts.add_acl,
        },
        &SlotRequest {
            file_name,
            size,
            content_type,
            expires: timeout,
            time,
            token,
        },
    );
    UploadSlot {
        put_url: s.put_url,
        get_url: s.get_url,
        headers: s.headers,
        signed_at: time,
        expires: timeout,
    }
}

/// `bytes` random bytes from the OS, as lower-case hex.
fn token(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| {
        Error::Io(format!(
            "cannot read random bytes for the upload token: {e}"
        ))
    })?;
    Ok(sigv4::lower_hex(&buf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compat::sigv4::BucketUrl;

    #[test]
    fn slot_is_a_pure_function_of_its_inputs() {
        let opts = HttpUploadOpts {
            bucket_url: BucketUrl::parse("http://localhost:9000/mybucket/").expect("url"),
            region: "eu-east-25".into(),
            access_key_id: "AKIAIAOAONIULXQGMOUA".into(),
            secret_access_key: "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".into(),
            add_acl: true,
            token_bytes: 32,
            expiration_time: 60,
            max_file_size: 1,
        };
        let token = "0123456789abcdef".repeat(4);
        let s = slot(
            &opts,
            "tmp.txt",
            5,
            "text/plain",
            666,
            1_654_084_984,
            &token,
        );
        assert!(s.put_url.contains(
            "X-Amz-Signature=3d99ffb01ecb6ce2f4e3216fda401766be252708970389191d7163fcfb4a8fa1&"
        ));
        assert_eq!(
            s.headers,
            [
                ("content-length", "5"),
                ("content-type", "text/plain"),
                ("host", "localhost:9000"),
                ("x-amz-acl", "public-read")
            ]
            .map(|(n, v)| (n.to_string(), v.to_string()))
        );
        assert_eq!((s.signed_at, s.expires), (1_654_084_984, 666));
    }

    #[test]
    fn tokens_are_random_lower_hex() {
        let a = token(32).expect("token");
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        assert_ne!(a, token(32).expect("token"));
        assert_eq!(token(1).expect("token").len(), 2);
    }
}
