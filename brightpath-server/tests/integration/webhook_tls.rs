//! The webhook over https: a TLS receiver in this process with a certificate
//! from a test CA (rcgen). Trusted through `ca_file`, the POST arrives with
//! its headers and body; without it the certificate is refused, and the
//! failure says so and is transient (the job is retried).

use std::sync::{Arc, Mutex};

use crate::http;

use brightpath_core::config::WebhookSettings;
use brightpath_server::notify::{Failure, NotifyConfig};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
use tokio::io::{AsyncWriteExt, BufReader};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A test CA (its PEM) and a server configuration for `localhost` signed by it.
fn pki() -> (String, ServerConfig) {
    let ca_key = KeyPair::generate().expect("ca key");
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca_params.self_signed(&ca_key).expect("ca cert");
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().expect("key");
    let cert = CertificateParams::new(vec!["localhost".to_owned()])
        .expect("params")
        .signed_by(&key, &issuer)
        .expect("cert");
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .expect("server config");
    (ca_cert.pem(), config)
}

type Seen = Arc<Mutex<Vec<(String, String)>>>;

/// Accepts TLS connections on 127.0.0.1; keeps (head, body); answers 204.
async fn receiver(config: ServerConfig) -> (u16, Seen) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let got = seen.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let Ok(tls) = acceptor.accept(tcp).await else {
                continue;
            };
            let mut reader = BufReader::new(tls);
            let (head, body) = http::read_request(&mut reader).await;
            got.lock()
                .expect("lock")
                .push((head, String::from_utf8_lossy(&body).into_owned()));
            let _ = reader
                .get_mut()
                .write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
                .await;
            let _ = reader.get_mut().shutdown().await;
        }
    });
    (port, seen)
}

fn config(url: String, ca_file: Option<String>) -> NotifyConfig {
    NotifyConfig {
        webhook: WebhookSettings { url: Some(url) },
        ca_file,
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_webhooks_trust_the_ca_file_and_refuse_unknown_certificates() {
    let (ca_pem, server) = pki();
    let (port, seen) = receiver(server).await;
    let dir = tempfile::tempdir().expect("dir");
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca_pem).expect("write ca");
    let url = format!("https://localhost:{port}/hooks/brightpath?token=s3cret");

    let trusted = config(url.clone(), Some(ca_file.display().to_string()))
        .channels()
        .expect("valid")
        .webhook
        .expect("webhook");
    let status = trusted
        .post(br#"{"event":"test"}"#, "job-42")
        .await
        .expect("delivered");
    assert_eq!(status, 204);
    let got = seen.lock().expect("lock").clone();
    assert_eq!(got.len(), 1);
    let (head, body) = &got[0];
    assert!(
        head.starts_with("POST /hooks/brightpath?token=s3cret HTTP/1.1\r\n"),
        "{head}"
    );
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("idempotency-key: job-42"), "{head}");
    assert!(lower.contains("content-type: application/json"), "{head}");
    assert_eq!(body, r#"{"event":"test"}"#);

    // Without the CA the certificate is unknown: a transient failure that
    // names the cause and keeps the token out of the message.
    let untrusted = config(url, None)
        .channels()
        .expect("valid")
        .webhook
        .expect("webhook");
    let err = untrusted.post(b"{}", "job-43").await.expect_err("refused");
    let Failure::Transient(msg) = &err else {
        panic!("not transient: {err:?}")
    };
    assert!(msg.to_ascii_lowercase().contains("certificate"), "{msg}");
    assert!(!msg.contains("s3cret"), "{msg}");
    assert_eq!(seen.lock().expect("lock").len(), 1, "nothing was delivered");
}
