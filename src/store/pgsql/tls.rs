//! TLS for the PostgreSQL connection: the pool's `tls` table (config.md §3.3, already parsed
//! into [`PgTls`]) as a rustls client configuration (the `ring` provider), handed to
//! `postgres` through `tokio-postgres-rustls`.
//!
//! Semantics (docs/compat.md, issue 10): `required` picks `sslmode=require` or `prefer`
//! (mod.rs); `verify_mode = "peer"` verifies the chain against `cacertfile` (required: no
//! system roots) and the name (`server_name_indication.host`, else the pool's host);
//! `"selfsigned_peer"` also accepts a server certificate that is itself in `cacertfile`;
//! `"none"` verifies nothing but the handshake signatures. `certfile` (+ `keyfile`, else the
//! key in `certfile`) is the client certificate. `versions` and `ciphers` are honoured where
//! they name what rustls speaks; `password` (an encrypted key) is refused. Every refusal is a
//! one-line text naming the option (and the file), never a password.

use std::path::Path;
use std::sync::Arc;

use postgres::tls::MakeTlsConnect;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{ring, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{
    ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme, SupportedCipherSuite,
    SupportedProtocolVersion,
};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::config::{PgTls, VerifyMode};

/// The TLS side of one connection: rustls' connector, with the name to send (SNI) and to
/// verify the server's certificate against in place of the host `postgres` connects to.
#[derive(Clone)]
pub struct Connector {
    inner: MakeRustlsConnect,
    name: String,
}

impl<S> MakeTlsConnect<S> for Connector
where
    MakeRustlsConnect: MakeTlsConnect<S>,
{
    type Stream = <MakeRustlsConnect as MakeTlsConnect<S>>::Stream;
    type TlsConnect = <MakeRustlsConnect as MakeTlsConnect<S>>::TlsConnect;
    type Error = <MakeRustlsConnect as MakeTlsConnect<S>>::Error;

    fn make_tls_connect(&mut self, _host: &str) -> Result<Self::TlsConnect, Self::Error> {
        self.inner.make_tls_connect(&self.name)
    }
}

/// Build the connector for a connection to `host`, reading the certificate files now.
/// The error is one line naming the option (and file) at fault.
pub fn connector(opts: &PgTls, host: &str) -> Result<Connector, String> {
    if opts.password.as_deref().is_some_and(|p| !p.is_empty()) {
        return Err(
            "tls.password (the passphrase of an encrypted private key) is not supported by this \
             mongooseimctl: keep the key unencrypted in a file only its user can read (e.g. \
             `openssl pkey -in KEY -out PLAIN`) and remove tls.password"
                .to_string(),
        );
    }
    let mut provider = ring::default_provider();
    if let Some(list) = &opts.ciphers {
        provider.cipher_suites = cipher_suites(list, &provider.cipher_suites)?;
    }
    let versions = match &opts.versions {
        Some(names) => protocol_versions(names)?,
        None => vec![&rustls::version::TLS13, &rustls::version::TLS12],
    };
    let algorithms = provider.signature_verification_algorithms;
    let provider = Arc::new(provider);
    let name = opts.sni.host.clone().unwrap_or_else(|| host.to_string());
    if ServerName::try_from(name.clone()).is_err() {
        return Err(format!(
            "{name:?} is not a host name or address a server certificate can be verified against"
        ));
    }
    let verifier: Arc<dyn ServerCertVerifier> = match opts.verify_mode {
        VerifyMode::None => Arc::new(NoVerification(algorithms)),
        mode => {
            let Some(file) = &opts.cacertfile else {
                let mode = if mode == VerifyMode::Peer {
                    "peer"
                } else {
                    "selfsigned_peer"
                };
                return Err(format!(
                    "tls.verify_mode = \"{mode}\" needs tls.cacertfile (the CA certificates to \
                     verify the server with); set it, or verify_mode = \"none\" to skip verification"
                ));
            };
            let cas = certificates("tls.cacertfile", file)?;
            let mut roots = RootCertStore::empty();
            for ca in &cas {
                roots.add(ca.clone()).map_err(|e| {
                    format!(
                        "tls.cacertfile {}: a certificate is not usable as a CA ({e})",
                        file.display()
                    )
                })?;
            }
            let webpki =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| format!("tls.cacertfile {}: {e}", file.display()))?;
            if mode == VerifyMode::Peer {
                webpki
            } else {
                Arc::new(SelfSigned {
                    webpki,
                    pinned: cas,
                })
            }
        }
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&versions)
        .map_err(|e| format!("tls.ciphers and tls.versions leave nothing to negotiate ({e})"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match (&opts.certfile, &opts.keyfile) {
        (None, None) => builder.with_no_client_auth(),
        (None, Some(_)) => {
            return Err("tls.keyfile needs tls.certfile (the client certificate)".to_string())
        }
        (Some(cert), key) => {
            let chain = certificates("tls.certfile", cert)?;
            let (option, key_file) = match key {
                Some(k) => ("tls.keyfile", k.as_path()),
                None => ("tls.certfile", cert.as_path()),
            };
            let bytes = read(option, key_file)?;
            let key = PrivateKeyDer::from_pem_slice(&bytes).map_err(|_| {
                format!(
                    "{option} {}: no private key in it (an unencrypted PKCS#8, PKCS#1 or SEC1 PEM \
                     key is needed)",
                    key_file.display()
                )
            })?;
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                format!(
                    "tls.certfile {} and its key cannot be used ({e})",
                    cert.display()
                )
            })?
        }
    };
    config.enable_sni = opts.sni.enabled;
    Ok(Connector {
        inner: MakeRustlsConnect::new(config),
        name,
    })
}

/// What to do about the commonest certificate refusals, to append to the driver's text.
pub fn hint(why: &str) -> &'static str {
    if why.ends_with("invalid peer certificate: UnknownIssuer") {
        " (the server's certificate does not chain to a CA in tls.cacertfile)"
    } else if why.ends_with("invalid peer certificate: CaUsedAsEndEntity") {
        " (the server's certificate is a CA certificate: verify_mode = \"selfsigned_peer\" \
         accepts it when it is in tls.cacertfile)"
    } else {
        ""
    }
}

fn read(option: &str, file: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(file).map_err(|e| format!("cannot read {option} {}: {e}", file.display()))
}

/// The PEM certificates of a file: at least one.
fn certificates(option: &str, file: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = read(option, file)?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{option} {}: not a PEM file ({e})", file.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "{option} {}: no PEM certificate in it",
            file.display()
        ));
    }
    Ok(certs)
}

/// `tls.versions`: MongooseIM's atoms for the versions rustls speaks.
fn protocol_versions(names: &[String]) -> Result<Vec<&'static SupportedProtocolVersion>, String> {
    let mut out = Vec::new();
    for name in names {
        let v = match name.as_str() {
            "tlsv1.3" => &rustls::version::TLS13,
            "tlsv1.2" => &rustls::version::TLS12,
            other => {
                return Err(format!(
                    "tls.versions: {other:?} is not supported (this mongooseimctl speaks \
                     \"tlsv1.2\" and \"tlsv1.3\")"
                ))
            }
        };
        if !out.contains(&v) {
            out.push(v);
        }
    }
    if out.is_empty() {
        return Err("tls.versions names no version".to_string());
    }
    Ok(out)
}

/// OpenSSL's names of the TLS 1.2 suites rustls has, with their IANA names (the TLS 1.3
/// suites have one name, the IANA one, in both).
const OPENSSL_NAMES: &[(&str, &str)] = &[
    (
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    ),
    (
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    ),
    (
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    ),
    (
        "ECDHE-RSA-AES256-GCM-SHA384",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    ),
    (
        "ECDHE-RSA-AES128-GCM-SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    ),
    (
        "ECDHE-RSA-CHACHA20-POLY1305",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    ),
];

/// The IANA name of a suite (rustls spells the TLS 1.3 ones `TLS13_…`).
fn iana_name(suite: &SupportedCipherSuite) -> String {
    let name = format!("{:?}", suite.suite());
    match name.strip_prefix("TLS13_") {
        Some(rest) => format!("TLS_{rest}"),
        None => name,
    }
}

/// `tls.ciphers`: a list of suite names (OpenSSL's or IANA's, separated by `:`, `,` or
/// spaces), in order of preference. OpenSSL's keywords and operators (`HIGH`, `!aNULL`,
/// `@STRENGTH`) are refused: rustls has no equivalent.
fn cipher_suites(
    list: &str,
    available: &[SupportedCipherSuite],
) -> Result<Vec<SupportedCipherSuite>, String> {
    let mut out: Vec<SupportedCipherSuite> = Vec::new();
    for token in list
        .split([':', ',', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        let iana = OPENSSL_NAMES
            .iter()
            .find(|(openssl, _)| openssl.eq_ignore_ascii_case(token))
            .map_or(token, |(_, iana)| iana);
        let Some(suite) = available
            .iter()
            .find(|s| iana_name(s).eq_ignore_ascii_case(iana))
        else {
            let known: Vec<String> = available.iter().map(iana_name).collect();
            return Err(format!(
                "tls.ciphers: {token:?} is not a cipher suite this mongooseimctl can use (OpenSSL \
                 keywords and operators are not supported; name suites from: {})",
                known.join(", ")
            ));
        };
        if !out.iter().any(|s| s.suite() == suite.suite()) {
            out.push(*suite);
        }
    }
    if out.is_empty() {
        return Err("tls.ciphers names no cipher suite".to_string());
    }
    Ok(out)
}

/// `verify_mode = "none"`: any certificate, but the handshake's signatures are still checked.
#[derive(Debug)]
struct NoVerification(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for NoVerification {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

/// `verify_mode = "selfsigned_peer"`: as `peer`, and a server certificate that is itself one
/// of `cacertfile`'s (a self-signed certificate, which webpki refuses as an end entity when
/// it is marked as a CA) is accepted if it names the server.
#[derive(Debug)]
struct SelfSigned {
    webpki: Arc<WebPkiServerVerifier>,
    pinned: Vec<CertificateDer<'static>>,
}

impl ServerCertVerifier for SelfSigned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.webpki.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(ok) => Ok(ok),
            Err(e)
                if self
                    .pinned
                    .iter()
                    .any(|c| c.as_ref() == end_entity.as_ref()) =>
            {
                let parsed = ParsedCertificate::try_from(end_entity).map_err(|_| e)?;
                rustls::client::verify_server_name(&parsed, server_name)?;
                Ok(ServerCertVerified::assertion())
            }
            Err(e) => Err(e),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Sni;

    fn opts() -> PgTls {
        PgTls {
            required: false,
            verify_mode: VerifyMode::None,
            cacertfile: None,
            certfile: None,
            keyfile: None,
            password: None,
            ciphers: None,
            versions: None,
            sni: Sni {
                enabled: true,
                host: None,
                protocol: "default".into(),
            },
        }
    }

    fn refusal(o: &PgTls) -> String {
        match connector(o, "db.example") {
            Ok(_) => panic!("accepted {o:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn versions_map_to_rustls_and_others_are_refused() {
        let v = protocol_versions(&["tlsv1.2".into(), "tlsv1.3".into()]).unwrap();
        assert_eq!(v.len(), 2);
        let e = protocol_versions(&["tlsv1.1".into()]).unwrap_err();
        assert!(e.contains("\"tlsv1.1\" is not supported"), "{e}");
        let o = PgTls {
            versions: Some(vec!["tlsv1.3".into()]),
            ..opts()
        };
        assert!(connector(&o, "db").is_ok());
    }

    #[test]
    fn ciphers_are_suite_names_in_either_spelling() {
        let all = ring::default_provider().cipher_suites;
        let got =
            cipher_suites("ECDHE-RSA-AES256-GCM-SHA384:TLS_AES_128_GCM_SHA256", &all).unwrap();
        let names: Vec<String> = got.iter().map(iana_name).collect();
        assert_eq!(
            names,
            [
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_AES_128_GCM_SHA256"
            ]
        );
        let e = cipher_suites("HIGH:!aNULL", &all).unwrap_err();
        assert!(
            e.starts_with("tls.ciphers: \"HIGH\" is not a cipher suite"),
            "{e}"
        );
        // TLS 1.3 only with TLS 1.2 suites only: nothing to negotiate.
        let o = PgTls {
            ciphers: Some("ECDHE-RSA-AES256-GCM-SHA384".into()),
            versions: Some(vec!["tlsv1.3".into()]),
            ..opts()
        };
        assert!(refusal(&o).contains("leave nothing to negotiate"));
    }

    #[test]
    fn refusals_name_the_option_and_never_the_password() {
        let o = PgTls {
            password: Some("k3ypass".into()),
            ..opts()
        };
        let e = refusal(&o);
        assert!(
            e.starts_with("tls.password ") && !e.contains("k3ypass"),
            "{e}"
        );
        let o = PgTls {
            verify_mode: VerifyMode::Peer,
            ..opts()
        };
        assert!(refusal(&o).starts_with("tls.verify_mode = \"peer\" needs tls.cacertfile"));
        let o = PgTls {
            keyfile: Some("/k.pem".into()),
            ..opts()
        };
        assert_eq!(
            refusal(&o),
            "tls.keyfile needs tls.certfile (the client certificate)"
        );
        let o = PgTls {
            verify_mode: VerifyMode::SelfsignedPeer,
            cacertfile: Some("/nonexistent/ca.pem".into()),
            ..opts()
        };
        let e = refusal(&o);
        assert!(
            e.starts_with("cannot read tls.cacertfile /nonexistent/ca.pem: "),
            "{e}"
        );
    }
}
