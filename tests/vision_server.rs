//! A small OpenAI-compatible vision server on 127.0.0.1, started by the tests that need one,
//! standing in for LM Studio: it lists its models (in the OpenAI form and in one of LM
//! Studio's), answers chat completions by decoding the picture it was sent, and misbehaves on
//! request. On request it also wants an API token, or speaks HTTPS with a certificate made
//! for the test (a TLS front that passes each request on to the plain server). Every request
//! is recorded so tests can check what bookvoice asked and sent.

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

/// How the server answers chat completions.
#[derive(Debug, Clone, Copy)]
pub enum Behaviour {
    /// "A drawing W pixels wide and H pixels high.", wrapped in markdown to be cleaned.
    Describe,
    /// Describes, after this long.
    Slow(Duration),
    /// 500 Internal Server Error.
    Error500,
    /// 200 with a body that is not JSON.
    Garbage,
    /// LM Studio's model list says the model is a text model ("llm").
    TextOnly,
    /// Answers, but says it cannot see images.
    Refuse,
    /// Lists its models, but answers every chat completion 401, as a server whose token
    /// lacks the permission to use models.
    Unauthorized,
}

/// Which of LM Studio's own model listings the server has, beside the OpenAI `/v1/models`.
#[derive(Debug, Clone, Copy, Default)]
pub enum Listing {
    /// `/api/v0/models` (LM Studio before 0.4), types from the behaviour.
    #[default]
    V0,
    /// Only LM Studio 0.4's `/api/v1/models`, with this vision capability and load state.
    V1 { vision: bool, loaded: bool },
    /// Neither (llama.cpp, Ollama, vLLM).
    None,
}

/// How the server is set up, beyond how it answers.
#[derive(Debug, Clone, Default)]
pub struct Setup {
    /// Requests without `Authorization: Bearer TOKEN` are answered 401.
    pub token: Option<String>,
    pub listing: Listing,
    /// Served over HTTPS, with a certificate for 127.0.0.1 that no system trusts.
    pub https: bool,
    /// That certificate made the quick way: marked as an authority's (`CA:TRUE`, as OpenSSL
    /// 3's `req -x509` does by default) and for the name `localhost` only, while the server
    /// is reached at 127.0.0.1.
    pub https_quick_cert: bool,
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
    /// The `Authorization` header, as sent.
    pub authorization: Option<String>,
}

pub struct VisionServer {
    url: String,
    server: Arc<tiny_http::Server>,
    log: Arc<Mutex<Vec<Recorded>>>,
    thread: Option<JoinHandle<()>>,
    /// The certificate an HTTPS server presents, as PEM.
    certificate: Option<String>,
}

impl VisionServer {
    /// Starts a plain server offering these models, listing them as LM Studio 0.3 does.
    pub fn start(behaviour: Behaviour, models: &[&str]) -> VisionServer {
        VisionServer::start_with(behaviour, models, Setup::default())
    }

    /// Starts a server offering these models, set up as asked.
    pub fn start_with(behaviour: Behaviour, models: &[&str], setup: Setup) -> VisionServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("cannot bind"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let models: Vec<String> = models.iter().map(|m| m.to_string()).collect();
        let thread = {
            let (server, log, setup) = (server.clone(), log.clone(), setup.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let (log, models, setup) = (log.clone(), models.clone(), setup.clone());
                    // One thread per request, so a slow answer does not hold up the next.
                    std::thread::spawn(move || answer(request, behaviour, &setup, &models, &log));
                }
            })
        };
        let (url, certificate) = if setup.https {
            let (tls_port, pem) = tls::front(port, setup.https_quick_cert);
            (format!("https://127.0.0.1:{tls_port}"), Some(pem))
        } else {
            (format!("http://127.0.0.1:{port}"), None)
        };
        VisionServer {
            url,
            server,
            log,
            thread: Some(thread),
            certificate,
        }
    }

    /// The PEM certificate of an HTTPS server.
    pub fn certificate(&self) -> &str {
        self.certificate.as_deref().expect("an HTTPS server")
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }

    /// The bodies of the chat completions asked for so far.
    pub fn completions(&self) -> Vec<Value> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == "/v1/chat/completions")
            .map(|r| r.body)
            .collect()
    }
}

impl Drop for VisionServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A URL on 127.0.0.1 where nothing listens.
pub fn nothing_listening() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn answer(
    mut request: tiny_http::Request,
    behaviour: Behaviour,
    setup: &Setup,
    models: &[String],
    log: &Mutex<Vec<Recorded>>,
) {
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    let path = request.url().to_string();
    let method = request.method().to_string();
    let authorization = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Authorization"))
        .map(|h| h.value.to_string());
    log.lock().unwrap().push(Recorded {
        method: method.clone(),
        path: path.clone(),
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
        authorization: authorization.clone(),
    });
    let kind = if matches!(behaviour, Behaviour::TextOnly) {
        "llm"
    } else {
        "vlm"
    };
    let wanted = setup.token.as_ref().map(|t| format!("Bearer {t}"));
    let (status, text) = match (method.as_str(), path.as_str()) {
        // As LM Studio does, the refusal names what it got, token and all.
        _ if wanted.is_some() && authorization != wanted => (
            401,
            json!({"error": format!("Invalid or missing API token: {authorization:?}")})
                .to_string(),
        ),
        ("GET", "/v1/models") => (
            200,
            json!({"object": "list", "data": models.iter().map(|m| json!({"id": m, "object": "model"})).collect::<Vec<_>>()}).to_string(),
        ),
        ("GET", "/api/v0/models") if matches!(setup.listing, Listing::V0) => (
            200,
            json!({"object": "list", "data": models.iter().map(|m| json!({"id": m, "type": kind, "state": "loaded"})).collect::<Vec<_>>()}).to_string(),
        ),
        ("GET", "/api/v1/models") => match setup.listing {
            Listing::V1 { vision, loaded } => (200, v1_listing(models, vision, loaded)),
            _ => (404, r#"{"error": "Unexpected endpoint or method."}"#.to_string()),
        },
        ("POST", "/v1/chat/completions") => match behaviour {
            Behaviour::Describe | Behaviour::TextOnly => (200, describe(&body)),
            Behaviour::Slow(delay) => {
                std::thread::sleep(delay);
                (200, describe(&body))
            }
            Behaviour::Error500 => (500, r#"{"error": "internal error"}"#.to_string()),
            Behaviour::Garbage => (200, "<html><body>Bad gateway</body></html>".to_string()),
            Behaviour::Refuse => (
                200,
                completion("I'm sorry, but I cannot see images. I am a text-based model."),
            ),
            Behaviour::Unauthorized => (
                401,
                json!({"error": format!("token {authorization:?} may not use models")})
                    .to_string(),
            ),
        },
        _ => (404, r#"{"error": "not found"}"#.to_string()),
    };
    let header = tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap();
    let response = tiny_http::Response::from_string(text)
        .with_status_code(status)
        .with_header(header);
    let _ = request.respond(response);
}

/// LM Studio 0.4's `GET /api/v1/models`, in the shape its REST API documentation gives.
fn v1_listing(models: &[String], vision: bool, loaded: bool) -> String {
    let entries: Vec<Value> = models
        .iter()
        .map(|m| {
            let instances = if loaded {
                json!([{"id": m, "config": {"context_length": 4096}}])
            } else {
                json!([])
            };
            json!({
                "type": "llm",
                "publisher": "test",
                "key": m,
                "display_name": m,
                "architecture": "gemma3n",
                "quantization": {"name": "Q4_K_M", "bits_per_weight": 4},
                "size_bytes": 1000,
                "params_string": "4B",
                "loaded_instances": instances,
                "max_context_length": 32768,
                "format": "gguf",
                "capabilities": {"vision": vision, "trained_for_tool_use": false},
                "description": null,
            })
        })
        .collect();
    json!({"models": entries}).to_string()
}

/// Describes the picture in a request by its size.
fn describe(body: &str) -> String {
    let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    match image_of(&body) {
        Some(image) => completion(&format!(
            "**This image shows** a drawing {} pixels wide and {} pixels high.",
            image.width(),
            image.height()
        )),
        None => completion("No picture."),
    }
}

/// The picture a chat completion carries.
pub fn image_of(body: &Value) -> Option<image::DynamicImage> {
    let url = body["messages"][0]["content"]
        .as_array()?
        .iter()
        .find(|p| p["type"] == "image_url")?["image_url"]["url"]
        .as_str()?;
    let (_, b64) = url.split_once(";base64,")?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    image::load_from_memory(&bytes).ok()
}

fn completion(content: &str) -> String {
    json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
    })
    .to_string()
}

/// An HTTPS front for the plain server: TLS with a certificate made for the test, each
/// request passed on as HTTP/1.0 (so the plain server closes after answering) and the answer
/// passed back.
mod tls {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::Arc;

    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

    /// Starts the front; returns its port and its certificate as PEM.
    pub fn front(backend: u16, quick: bool) -> (u16, String) {
        let names = if quick {
            vec!["localhost".to_string()]
        } else {
            vec!["127.0.0.1".to_string(), "localhost".to_string()]
        };
        let mut params = rcgen::CertificateParams::new(names).expect("certificate parameters");
        if quick {
            params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        }
        let key_pair = rcgen::KeyPair::generate().expect("a key");
        let cert = params.self_signed(&key_pair).expect("a certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_pair.serialize_der()));
        let certs: Vec<CertificateDer<'static>> = vec![cert.der().clone()];
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("a TLS configuration");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("cannot bind");
        let port = listener.local_addr().unwrap().port();
        // The thread ends with the test process; the listener is never closed before.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let config = config.clone();
                std::thread::spawn(move || relay(stream, config, backend));
            }
        });
        (port, cert.pem())
    }

    fn relay(tcp: TcpStream, config: Arc<rustls::ServerConfig>, backend: u16) {
        let Ok(connection) = rustls::ServerConnection::new(config) else {
            return;
        };
        let mut tls = rustls::StreamOwned::new(connection, tcp);
        // A client that does not trust the certificate hangs up here, in the handshake.
        while let Some(mut request) = read_request(&mut tls) {
            let Ok(mut plain) = TcpStream::connect(("127.0.0.1", backend)) else {
                return;
            };
            if let Some(end) = request.iter().position(|&b| b == b'\r') {
                let line = String::from_utf8_lossy(&request[..end]).replace("HTTP/1.1", "HTTP/1.0");
                request.splice(..end, line.into_bytes());
            }
            let mut answer = Vec::new();
            if plain.write_all(&request).is_err() || plain.read_to_end(&mut answer).is_err() {
                return;
            }
            if tls.write_all(&answer).and_then(|()| tls.flush()).is_err() {
                return;
            }
        }
    }

    /// One request: its head up to the blank line, then `Content-Length` bytes of body.
    fn read_request(stream: &mut impl Read) -> Option<Vec<u8>> {
        let mut message = Vec::new();
        let mut byte = [0u8; 1];
        while !message.ends_with(b"\r\n\r\n") {
            if stream.read(&mut byte).ok()? == 0 {
                return None;
            }
            message.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&message).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        stream.read_exact(&mut body).ok()?;
        message.extend(body);
        Some(message)
    }
}
