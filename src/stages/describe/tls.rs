//! Trusting a vision server's certificate: the platform's roots and Mozilla's (webpki), plus a
//! certificate the user names for a server of their own, and messages that say what a TLS
//! failure means and what to do about it.
//!
//! A server of one's own usually has a self-signed certificate made the quick way (`openssl
//! req -x509 …`, marked as an authority by OpenSSL 3's defaults, often for a name other than
//! the address it is reached at). So a certificate named with `--vision-ca-cert` is trusted
//! two ways: as an authority for the certificates it signed (a private CA, mkcert), with
//! WebPKI's usual checks of names and dates; and pinned: a server that presents exactly that
//! certificate is accepted whatever name it was made for, as when trusting it by hand. The
//! handshake's signatures are checked against it either way, so only the holder of its key
//! can present it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

/// Certificates to trust beyond the platform's roots: one PEM file (a bundle is fine) or one
/// DER certificate.
#[derive(Clone)]
pub struct CaCert {
    pub path: PathBuf,
    certs: Vec<CertificateDer<'static>>,
}

impl std::fmt::Debug for CaCert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CaCert({})", self.path.display())
    }
}

impl CaCert {
    /// Reads and parses the file.
    ///
    /// Errors: the file cannot be read, or holds no certificate; the message names the file.
    pub fn read(path: &Path) -> Result<CaCert, String> {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("cannot read the CA certificate {}: {e}", path.display()))?;
        let certs: Vec<CertificateDer<'static>> =
            if bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
                CertificateDer::pem_slice_iter(&bytes)
                    .filter_map(Result::ok)
                    .collect()
            } else {
                vec![CertificateDer::from(bytes)]
            };
        // A root store parses what it is given: the test that these are certificates.
        let mut store = RootCertStore::empty();
        let (added, _) = store.add_parsable_certificates(certs.iter().cloned());
        if added == 0 {
            return Err(format!(
                "{} holds no certificate (expected PEM, as -----BEGIN CERTIFICATE-----, or DER)",
                path.display()
            ));
        }
        Ok(CaCert {
            path: path.to_path_buf(),
            certs,
        })
    }

    /// A TLS client configuration trusting the platform's roots, Mozilla's, and these
    /// certificates, as authorities and pinned.
    pub fn client_config(&self) -> Result<rustls::ClientConfig, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
        roots.add_parsable_certificates(self.certs.iter().cloned());
        let roots = Arc::new(roots);
        let webpki = WebPkiServerVerifier::builder_with_provider(roots.clone(), provider.clone())
            .build()
            .map_err(|e| format!("cannot set up certificate checks: {e}"))?;
        let verifier = Arc::new(Pinned {
            pinned: self.certs.clone(),
            webpki,
        });
        Ok(rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth())
    }
}

/// WebPKI's checks, except that a server presenting exactly a pinned certificate is accepted.
#[derive(Debug)]
struct Pinned {
    pinned: Vec<CertificateDer<'static>>,
    webpki: Arc<WebPkiServerVerifier>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self
            .pinned
            .iter()
            .any(|c| c.as_ref() == end_entity.as_ref())
        {
            return Ok(ServerCertVerified::assertion());
        }
        self.webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
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

/// What a TLS failure (the HTTP stack's innermost message) means, with what to do; `None`
/// when it is not one.
pub fn explain(reason: &str, ca: Option<&CaCert>) -> Option<String> {
    let fix = match ca {
        None => "if the server's certificate is self-signed or from a private authority, pass \
                 it with --vision-ca-cert FILE (or ca_cert in [vision])"
            .to_string(),
        Some(ca) => format!(
            "the server's certificate is neither {} nor signed by it; check that the file is \
             the certificate this server presents (or the authority that signed it)",
            ca.path.display()
        ),
    };
    let what = if reason.contains("UnknownIssuer") || reason.contains("BadSignature") {
        "the server's certificate is not signed by an authority this machine trusts"
    } else if reason.contains("CaUsedAsEndEntity") {
        "the server presents an authority's certificate as its own (as a self-signed \
         certificate made with OpenSSL's defaults does)"
    } else if reason.contains("NotValidForName") {
        return Some(format!(
            "the server's certificate is not for this host name ({reason}); use the name or \
             address the certificate was made for in --vision-url"
        ));
    } else if reason.contains("Expired") || reason.contains("NotValidYet") {
        return Some(format!(
            "the server's certificate has expired or is not valid yet ({reason})"
        ));
    } else if reason.contains("InvalidContentType") || reason.contains("CorruptMessage") {
        return Some(format!(
            "{reason}; is the server speaking plain HTTP? try an http:// URL"
        ));
    } else if reason.contains("certificate") {
        "the server's certificate was refused"
    } else {
        return None;
    };
    Some(format!("{what} ({reason}); {fix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_failures_say_what_to_do() {
        let none = explain("invalid peer certificate: UnknownIssuer", None).unwrap();
        assert!(none.contains("not signed by an authority"), "{none}");
        assert!(none.contains("--vision-ca-cert"), "{none}");
        assert!(explain("connection refused", None).is_none());
        let plain = explain("received corrupt message of type InvalidContentType", None).unwrap();
        assert!(plain.contains("http://"), "{plain}");
    }

    #[test]
    fn a_file_without_certificates_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junk.pem");
        std::fs::write(
            &path,
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        )
        .unwrap();
        assert!(
            CaCert::read(&path)
                .unwrap_err()
                .contains("junk.pem holds no certificate")
        );
        std::fs::write(&path, b"\x00\x01garbage").unwrap();
        assert!(CaCert::read(&path).is_err());
    }
}
