//! A small OpenAI-compatible vision server on 127.0.0.1, started by the tests that need one,
//! standing in for LM Studio: it lists its models (in both the OpenAI and LM Studio forms),
//! answers chat completions by decoding the picture it was sent, and misbehaves on request.
//! Every request is recorded so tests can check what bookvoice asked.

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
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
}

pub struct VisionServer {
    url: String,
    server: Arc<tiny_http::Server>,
    log: Arc<Mutex<Vec<Recorded>>>,
    thread: Option<JoinHandle<()>>,
}

impl VisionServer {
    /// Starts a server offering these models.
    pub fn start(behaviour: Behaviour, models: &[&str]) -> VisionServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("cannot bind"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let models: Vec<String> = models.iter().map(|m| m.to_string()).collect();
        let thread = {
            let (server, log) = (server.clone(), log.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let (log, models) = (log.clone(), models.clone());
                    // One thread per request, so a slow answer does not hold up the next.
                    std::thread::spawn(move || answer(request, behaviour, &models, &log));
                }
            })
        };
        VisionServer {
            url: format!("http://127.0.0.1:{port}"),
            server,
            log,
            thread: Some(thread),
        }
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
    models: &[String],
    log: &Mutex<Vec<Recorded>>,
) {
    let mut body = String::new();
    let _ = request.as_reader().read_to_string(&mut body);
    let path = request.url().to_string();
    let method = request.method().to_string();
    log.lock().unwrap().push(Recorded {
        method: method.clone(),
        path: path.clone(),
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
    });
    let kind = if matches!(behaviour, Behaviour::TextOnly) {
        "llm"
    } else {
        "vlm"
    };
    let (status, text) = match (method.as_str(), path.as_str()) {
        ("GET", "/v1/models") => (
            200,
            json!({"object": "list", "data": models.iter().map(|m| json!({"id": m, "object": "model"})).collect::<Vec<_>>()}).to_string(),
        ),
        ("GET", "/api/v0/models") => (
            200,
            json!({"object": "list", "data": models.iter().map(|m| json!({"id": m, "type": kind, "state": "loaded"})).collect::<Vec<_>>()}).to_string(),
        ),
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
        },
        _ => (404, r#"{"error": "not found"}"#.to_string()),
    };
    let header = tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap();
    let response = tiny_http::Response::from_string(text)
        .with_status_code(status)
        .with_header(header);
    let _ = request.respond(response);
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
