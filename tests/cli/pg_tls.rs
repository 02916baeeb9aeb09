//! TLS to PostgreSQL: a second throwaway server (pg.rs's, with `ssl=on`) listening on
//! 127.0.0.1 with certificates made here (rcgen): a CA, a server certificate for
//! "localhost", a client certificate for the role `certuser`, and an unrelated CA. Its
//! pg_hba.conf has only `hostssl` lines for TCP, so a command that works over TCP went
//! through TLS. The plain (non-TLS) server is reached over TCP through a small proxy to the
//! shared server's Unix socket. Without PostgreSQL 15 every test here returns early (see
//! pg.rs).

use std::net::{TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::OnceLock;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};

use crate::pg::{server, start_server, Server, ServerOpts};
use crate::support::{run_cmd, Run, TestEnv, DEFAULT_CONFIG};

const DB: &str = "t_tls";

/// PEM texts the clients use.
struct Pems {
    ca: String,
    other_ca: String,
    server_cert: String,
    client_cert: String,
    client_key: String,
}

struct TlsServer {
    server: Server,
    pems: Pems,
}

static TLS: OnceLock<Option<TlsServer>> = OnceLock::new();

fn ca(name: &str) -> (CertificateParams, KeyPair, String) {
    let key = KeyPair::generate().expect("CA key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, name);
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let pem = params.self_signed(&key).expect("CA certificate").pem();
    (params, key, pem)
}

fn leaf(sans: &[&str], cn: &str, issuer: &Issuer<'_, KeyPair>) -> (String, String) {
    let key = KeyPair::generate().expect("key");
    let sans: Vec<String> = sans.iter().map(|s| s.to_string()).collect();
    let mut params = CertificateParams::new(sans).expect("params");
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    params.distinguished_name = dn;
    let cert = params.signed_by(&key, issuer).expect("certificate");
    (cert.pem(), key.serialize_pem())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_tls() -> Option<TlsServer> {
    let (ca_params, ca_key, ca_pem) = ca("mongooseimctl test CA");
    let (_, _, other_ca) = ca("some other CA");
    let issuer = Issuer::new(ca_params, ca_key);
    let (server_cert, server_key) = leaf(&["localhost"], "localhost", &issuer);
    let (client_cert, client_key) = leaf(&[], "certuser", &issuer);
    let server = start_server(&ServerOpts {
        tcp_port: Some(free_port()),
        files: vec![
            ("server.crt".into(), server_cert.clone().into_bytes()),
            ("server.key".into(), server_key.into_bytes()),
            ("ca.crt".into(), ca_pem.clone().into_bytes()),
        ],
        settings: vec![
            "ssl=on".into(),
            "ssl_cert_file={root}/server.crt".into(),
            "ssl_key_file={root}/server.key".into(),
            "ssl_ca_file={root}/ca.crt".into(),
        ],
        hba: Some(
            "local all all trust\n\
             hostssl all certuser 127.0.0.1/32 cert\n\
             hostssl all all 127.0.0.1/32 trust\n"
                .into(),
        ),
    })?;
    server.create_database(DB);
    server
        .admin(DB)
        .batch_execute("CREATE ROLE certuser LOGIN SUPERUSER")
        .expect("create certuser");
    // The schema and one account, over the Unix socket (no TLS there).
    let t = TestEnv::with_config(&pool(&format!(
        "host = \"{}\"\nport = {}\nusername = \"postgres\"\n",
        server.socket_dir.display(),
        server.port
    )));
    run(&t, &["init_schema"]).is(
        0,
        &format!(
        "MongooseIM 5.1's schema (13 tables) and mongooseimctl's tables (version 1) loaded into \
         postgresql {}:{}, database {DB}\n",
        server.socket_dir.display(),
        server.port
    ),
    );
    run(&t, &["register_identified", "alice", "localhost", "pw"])
        .is(0, "User alice@localhost successfully registered\n");
    Some(TlsServer {
        server,
        pems: Pems {
            ca: ca_pem,
            other_ca,
            server_cert,
            client_cert,
            client_key,
        },
    })
}

fn tls() -> Option<&'static TlsServer> {
    server()?;
    TLS.get_or_init(start_tls).as_ref()
}

/// The config with a global pgsql pool on `t_tls`; `connection` gives host, port, user and
/// the tls keys.
fn pool(connection: &str) -> String {
    format!(
        "{DEFAULT_CONFIG}\n[outgoing_pools.rdbms.default]\nscope = \"global\"\n\
         [outgoing_pools.rdbms.default.connection]\ndriver = \"pgsql\"\ndatabase = \"{DB}\"\n\
         password = \"unused-with-trust\"\n{connection}"
    )
}

fn run(t: &TestEnv, args: &[&str]) -> Run {
    let mut cmd = t.bare_cmd();
    cmd.arg("-c").arg(&t.config).args(["-o", "text"]).args(args);
    run_cmd(&mut cmd)
}

/// A config dir with the PEM files (ca.pem, other-ca.pem, server.pem, client.pem,
/// client.key) and a pool on the TLS server at `host` with these tls keys.
fn env(s: &TlsServer, host: &str, user: &str, tls_keys: &str) -> TestEnv {
    let t = TestEnv::with_config(&pool(&format!(
        "host = \"{host}\"\nport = {}\nusername = \"{user}\"\n{tls_keys}",
        s.server.port
    )));
    t.write("ca.pem", &s.pems.ca);
    t.write("other-ca.pem", &s.pems.other_ca);
    t.write("server.pem", &s.pems.server_cert);
    t.write("client.pem", &s.pems.client_cert);
    t.write("client.key", &s.pems.client_key);
    t
}

macro_rules! tls_server {
    () => {
        match tls() {
            Some(s) => s,
            None => return,
        }
    };
}

/// One exit-3 line, nothing on stdout, naming host:port and database, then `reason`.
#[track_caller]
fn refused(r: &Run, host: &str, port: u16, reason: &str) {
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    let want = format!(
        "error: store unavailable: cannot connect to PostgreSQL at {host}:{port} (database {DB}): {reason}"
    );
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{r:?}");
    // A reason ending in a newline is the whole rest of the line.
    if want.ends_with('\n') {
        assert_eq!(r.stderr, want);
    }
    assert!(
        lines[0].starts_with(want.trim_end()),
        "{:?}\nwanted {want:?}",
        lines[0]
    );
    assert!(!r.stderr.contains("unused-with-trust"), "{r:?}");
}

fn users(s: &TlsServer) -> Vec<String> {
    s.server
        .admin(DB)
        .query("SELECT username FROM users ORDER BY username", &[])
        .expect("users")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn peer_with_the_right_ca_connects_and_writes_over_tls() {
    let s = tls_server!();
    // Relative: the CA file is found beside the config file, whatever the working directory.
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.required = true\ntls.cacertfile = \"ca.pem\"\n",
    );
    let mut cmd = t.bare_cmd();
    cmd.current_dir("/")
        .arg("-c")
        .arg(&t.config)
        .args(["check_account", "alice", "localhost"]);
    run_cmd(&mut cmd).is(0, "User alice@localhost exists\n");
    run(&t, &["register_identified", "peer_user", "localhost", "pw"])
        .is(0, "User peer_user@localhost successfully registered\n");
    assert!(users(s).contains(&"peer_user".to_string()));
    // verify_mode written out, and the SNI host verified in place of an IP address.
    let t = env(
        s,
        "127.0.0.1",
        "postgres",
        "tls.verify_mode = \"peer\"\ntls.cacertfile = \"ca.pem\"\n\
         tls.server_name_indication.host = \"localhost\"\n",
    );
    run(&t, &["check_account", "alice", "localhost"]).is(0, "User alice@localhost exists\n");
    // Without SNI the name is still verified (the pool's host here).
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.cacertfile = \"ca.pem\"\ntls.server_name_indication.enabled = false\n",
    );
    run(&t, &["check_account", "alice", "localhost"]).is(0, "User alice@localhost exists\n");
    let t = env(
        s,
        "127.0.0.1",
        "postgres",
        "tls.cacertfile = \"ca.pem\"\ntls.server_name_indication.enabled = false\n",
    );
    assert_eq!(run(&t, &["check_account", "alice", "localhost"]).code, 3);
}

#[test]
fn a_wrong_ca_or_name_is_exit_3_naming_the_certificate_problem() {
    let s = tls_server!();
    let port = s.server.port;
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.cacertfile = \"other-ca.pem\"\n",
    );
    refused(
        &run(&t, &["register_identified", "nobody", "localhost", "pw"]),
        "localhost",
        port,
        "error performing TLS handshake: invalid peer certificate: UnknownIssuer (the server's \
         certificate does not chain to a CA in tls.cacertfile)\n",
    );
    // The certificate names localhost, not 127.0.0.1.
    let t = env(s, "127.0.0.1", "postgres", "tls.cacertfile = \"ca.pem\"\n");
    refused(
        &run(&t, &["check_account", "alice", "localhost"]),
        "127.0.0.1",
        port,
        "error performing TLS handshake: invalid peer certificate: certificate not valid for name \
         \"127.0.0.1\"; certificate is only valid for DnsName(\"localhost\")\n",
    );
    // Nothing was written by the refused register.
    assert!(!users(s).contains(&"nobody".to_string()));
}

#[test]
fn verify_mode_none_connects_without_a_ca() {
    let s = tls_server!();
    let t = env(
        s,
        "127.0.0.1",
        "postgres",
        "tls.verify_mode = \"none\"\ntls.required = true\n",
    );
    run(&t, &["check_account", "alice", "localhost"]).is(0, "User alice@localhost exists\n");
}

#[test]
fn selfsigned_peer_accepts_the_server_certificate_itself_as_trusted() {
    let s = tls_server!();
    let port = s.server.port;
    // peer: a leaf certificate is no trust anchor for itself.
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.cacertfile = \"server.pem\"\n",
    );
    refused(
        &run(&t, &["check_account", "alice", "localhost"]),
        "localhost",
        port,
        "error performing TLS handshake: invalid peer certificate: UnknownIssuer",
    );
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.verify_mode = \"selfsigned_peer\"\ntls.cacertfile = \"server.pem\"\n",
    );
    run(&t, &["check_account", "alice", "localhost"]).is(0, "User alice@localhost exists\n");
    // And a chain to the CA, as peer.
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.verify_mode = \"selfsigned_peer\"\ntls.cacertfile = \"ca.pem\"\n",
    );
    run(&t, &["check_account", "alice", "localhost"]).is(0, "User alice@localhost exists\n");
}

#[test]
fn a_client_certificate_authenticates_its_role() {
    let s = tls_server!();
    let port = s.server.port;
    let t = env(
        s,
        "localhost",
        "certuser",
        "tls.cacertfile = \"ca.pem\"\ntls.certfile = \"client.pem\"\ntls.keyfile = \"client.key\"\n",
    );
    run(&t, &["check_account", "alice", "localhost"]).is(0, "User alice@localhost exists\n");
    // Without it, pg_hba.conf's `cert` method refuses the role.
    let t = env(s, "localhost", "certuser", "tls.cacertfile = \"ca.pem\"\n");
    refused(
        &run(&t, &["check_account", "alice", "localhost"]),
        "localhost",
        port,
        "FATAL: connection requires a valid client certificate",
    );
}

#[test]
fn versions_and_ciphers_rustls_has_are_honoured_others_refused() {
    let s = tls_server!();
    let port = s.server.port;
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.cacertfile = \"ca.pem\"\ntls.versions = [\"tlsv1.2\"]\n\
         tls.ciphers = \"ECDHE-ECDSA-AES128-GCM-SHA256\"\n",
    );
    run(&t, &["check_account", "alice", "localhost"]).is(0, "User alice@localhost exists\n");
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.cacertfile = \"ca.pem\"\ntls.versions = [\"tlsv1.1\", \"tlsv1.2\"]\n",
    );
    refused(
        &run(&t, &["check_account", "alice", "localhost"]),
        "localhost",
        port,
        "TLS: tls.versions: \"tlsv1.1\" is not supported (this mongooseimctl speaks \"tlsv1.2\" and \"tlsv1.3\")",
    );
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.cacertfile = \"ca.pem\"\ntls.ciphers = \"HIGH:!aNULL\"\n",
    );
    refused(
        &run(&t, &["check_account", "alice", "localhost"]),
        "localhost",
        port,
        "TLS: tls.ciphers: \"HIGH\" is not a cipher suite this mongooseimctl can use",
    );
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.cacertfile = \"ca.pem\"\ntls.keyfile = \"client.key\"\ntls.certfile = \"client.pem\"\n\
         tls.password = \"k3ypass\"\n",
    );
    let r = run(&t, &["check_account", "alice", "localhost"]);
    refused(
        &r,
        "localhost",
        port,
        "TLS: tls.password (the passphrase of an encrypted private key) is not supported",
    );
    assert!(!r.stderr.contains("k3ypass"), "{r:?}");
}

#[test]
fn a_missing_or_empty_certificate_file_is_exit_3_naming_it() {
    let s = tls_server!();
    let port = s.server.port;
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.cacertfile = \"missing.pem\"\n",
    );
    let missing = t.path("missing.pem");
    refused(
        &run(&t, &["check_account", "alice", "localhost"]),
        "localhost",
        port,
        &format!(
            "TLS: cannot read tls.cacertfile {}: No such file or directory",
            missing.display()
        ),
    );
    let t = env(
        s,
        "localhost",
        "postgres",
        "tls.cacertfile = \"ca.pem\"\ntls.certfile = \"empty.pem\"\n",
    );
    t.write("empty.pem", "");
    refused(
        &run(&t, &["check_account", "alice", "localhost"]),
        "localhost",
        port,
        &format!(
            "TLS: tls.certfile {}: no PEM certificate in it",
            t.path("empty.pem").display()
        ),
    );
    // peer without any CA file.
    let t = env(s, "localhost", "postgres", "tls = {}\n");
    refused(
        &run(&t, &["check_account", "alice", "localhost"]),
        "localhost",
        port,
        "TLS: tls.verify_mode = \"peer\" needs tls.cacertfile",
    );
}

/// 127.0.0.1:port forwarding to the shared (plain) server's Unix socket: a PostgreSQL server
/// over TCP that answers "no" to TLS. Its threads end with the test binary.
fn plain_tcp_port(plain: &Server) -> u16 {
    let socket: PathBuf = plain.socket_dir.join(format!(".s.PGSQL.{}", plain.port));
    let listener = TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            let Ok(upstream) = UnixStream::connect(&socket) else {
                continue;
            };
            pipe(client, upstream);
        }
    });
    port
}

fn pipe(client: TcpStream, upstream: UnixStream) {
    let (Ok(mut c2), Ok(mut u2)) = (client.try_clone(), upstream.try_clone()) else {
        return;
    };
    let (mut c1, mut u1) = (client, upstream);
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut c1, &mut u1);
        let _ = u1.shutdown(std::net::Shutdown::Write);
    });
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut u2, &mut c2);
        let _ = c2.shutdown(std::net::Shutdown::Write);
    });
}

#[test]
fn required_decides_what_happens_when_the_server_has_no_tls() {
    let Some(e) = crate::pg::PgEnv::new("tls_plain") else {
        return;
    };
    let Some(plain) = server() else { return };
    let port = plain_tcp_port(plain);
    let config = |required: bool| {
        format!(
            "{DEFAULT_CONFIG}\n[outgoing_pools.rdbms.default]\nscope = \"global\"\n\
             [outgoing_pools.rdbms.default.connection]\ndriver = \"pgsql\"\nhost = \"127.0.0.1\"\n\
             port = {port}\ndatabase = \"{}\"\nusername = \"postgres\"\npassword = \"unused-with-trust\"\n\
             tls.verify_mode = \"none\"\ntls.required = {required}\n",
            e.db
        )
    };
    let t = TestEnv::with_config(&config(true));
    let r = run(&t, &["register_identified", "alice", "localhost", "pw"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    assert_eq!(
        r.stderr,
        format!(
            "error: store unavailable: cannot connect to PostgreSQL at 127.0.0.1:{port} (database {}): \
             error performing TLS handshake: server does not support TLS\n",
            e.db
        )
    );
    assert_eq!(e.sql("SELECT count(*)::text FROM users"), [["0"]]);
    // required = false (the default): plain text.
    let t = TestEnv::with_config(&config(false));
    run(&t, &["register_identified", "alice", "localhost", "pw"])
        .is(0, "User alice@localhost successfully registered\n");
    assert_eq!(e.sql("SELECT username FROM users"), [["alice"]]);
}

#[test]
fn required_tls_over_a_unix_socket_is_refused_before_connecting() {
    let Some(plain) = server() else { return };
    let t = TestEnv::with_config(&pool(&format!(
        "host = \"{}\"\nusername = \"postgres\"\ntls.required = true\ntls.verify_mode = \"none\"\n",
        plain.socket_dir.display()
    )));
    let r = run(&t, &["check_account", "alice", "localhost"]);
    assert_eq!((r.code, r.stdout.as_str()), (3, ""), "{r:?}");
    assert_eq!(
        r.stderr,
        format!(
            "error: store unavailable: cannot connect to PostgreSQL at {}:5432 (database {DB}): \
             TLS is required (tls.required = true) but the host is a Unix socket directory, where \
             PostgreSQL offers no TLS; name the server's TCP host\n",
            plain.socket_dir.display()
        )
    );
}
