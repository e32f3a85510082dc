//! Talking to an OpenAI-compatible vision server: LM Studio first, and equally llama.cpp's
//! server, Ollama's `/v1` or vLLM, over HTTP or HTTPS, with an API token where the server
//! wants one.
//!
//! Two calls matter. `check` runs once before the first image: `GET /v1/models` must list the
//! model, and where LM Studio's own listing says what the model is (`/api/v1/models`, whose
//! `capabilities.vision` LM Studio 0.4 fills in, else the older `/api/v0/models` and its
//! `"type": "vlm"`), a model that cannot see images is refused up front rather than image by
//! image (gemma-3n's GGUF builds load text-only in LM Studio). Servers with neither listing
//! (llama.cpp, Ollama, vLLM) are taken at their word. `describe` posts one chat completion
//! whose user message holds the prompt and the picture as a `data:` URI.
//!
//! Every request has a timeout; connection errors (after the server has answered once),
//! timeouts and 5xx answers are retried with a doubling backoff; 4xx answers and unreadable
//! bodies are not, since asking again would get the same answer, and a 401/403 stops all
//! asking at once. Nothing here decides what to do about a failure: that is the stage's job.
//!
//! The API token is a [`Secret`]: it goes into one `Authorization` header marked sensitive,
//! and is blanked out of anything the server sends back that might be shown to the user.

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde::Serialize;
use serde_json::{Value, json};

use super::VisionSettings;
use super::tls;

/// Where a user sets the API token, for messages that tell them to.
pub const TOKEN_HINT: &str =
    "set BOOKVOICE_VISION_API_KEY, or api_key in [vision] of bookvoice.toml";

/// An API token. It prints as `***` in every `Debug` and `Display`, is never serialized, and
/// only [`VisionClient`] reads it, to build the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    token: String,
    /// Where it was set, for messages: `BOOKVOICE_VISION_API_KEY` or `[vision] api_key`.
    pub from: &'static str,
}

impl Secret {
    /// A token as the user gave it, trimmed; `None` when empty.
    ///
    /// Errors: characters an HTTP header cannot carry (a line break from a pasted file).
    pub fn new(token: &str, from: &'static str) -> Result<Option<Secret>, String> {
        let token = token.trim();
        if token.is_empty() {
            return Ok(None);
        }
        if HeaderValue::from_str(&format!("Bearer {token}")).is_err() {
            return Err(format!(
                "the vision API token in {from} holds characters an HTTP header cannot carry"
            ));
        }
        Ok(Some(Secret {
            token: token.to_string(),
            from,
        }))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Why a request got no usable answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VisionError {
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// Unreachable at the first contact: not retried.
    #[error("cannot reach {url}: {reason}")]
    Refused { url: String, reason: String },
    #[error("no answer within {0:?} (--vision-timeout sets how long to wait for a picture)")]
    Timeout(Duration),
    #[error("the server answered {status}: {body}")]
    Status { status: u16, body: String },
    /// 401 or 403: no token, or one the server does not take.
    #[error("{}", unauthorized(*status, *token_from))]
    Unauthorized {
        status: u16,
        /// Where the token sent came from, if one was.
        token_from: Option<&'static str>,
    },
    #[error("the server's answer is not an OpenAI-style response: {0}")]
    Garbage(String),
    #[error(
        "the server does not list {model} (it offers: {offered}); name one of those with \
         --vision-model"
    )]
    NoSuchModel { model: String, offered: String },
    #[error(
        "{model} is not a vision model ({said}); load a build of it that accepts images, or \
         name a vision model with --vision-model"
    )]
    NotVision { model: String, said: String },
}

fn unauthorized(status: u16, token_from: Option<&'static str>) -> String {
    match (token_from, status) {
        (None, _) => {
            format!("the vision server wants an API token (it answered {status}): {TOKEN_HINT}")
        }
        (Some(from), 403) => format!(
            "the vision server refused the API token from {from} (403 Forbidden): the token \
             may lack the permission to use models; check it in the server's settings"
        ),
        (Some(from), _) => format!(
            "the vision server refused the API token from {from} (it answered {status}): \
             check it there"
        ),
    }
}

impl VisionError {
    /// Worth asking again: a busy server may catch up, and one that answered the check but
    /// drops a connection is likely reloading its model.
    fn is_transient(&self) -> bool {
        match self {
            VisionError::Unreachable { .. } | VisionError::Timeout(_) => true,
            VisionError::Status { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }

    /// Every further request would fail the same way: stop asking at once.
    pub fn is_fatal(&self) -> bool {
        matches!(self, VisionError::Unauthorized { .. })
    }
}

/// The answer to one description request.
#[derive(Debug, Clone)]
pub struct Answer {
    pub text: String,
    /// `length` when the model hit its token limit.
    pub finish_reason: Option<String>,
}

/// What the server says about the model beyond listing it, from the richest listing it has.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ModelInfo {
    /// The listing that said it (`/api/v1/models` or `/api/v0/models`); `None` when the
    /// server has neither (llama.cpp, Ollama, vLLM).
    pub source: Option<&'static str>,
    /// Whether the model takes images; `None` when the server does not say.
    pub vision: Option<bool>,
    /// Whether it is in memory now; `None` when unknown. LM Studio loads a listed model on its
    /// first request when just-in-time loading is on.
    pub loaded: Option<bool>,
    /// The listing's own word for the model: `llm`, `vlm`, `embedding`.
    pub kind: Option<String>,
}

impl ModelInfo {
    /// What the listing says, in words: `LM Studio's /api/v1/models lists it as "llm"
    /// without vision`.
    pub fn said(&self) -> String {
        let Some(source) = self.source else {
            return "the server does not say whether it takes images".into();
        };
        let kind = self.kind.as_deref().unwrap_or("a model");
        let vision = match self.vision {
            Some(true) => " with vision",
            Some(false) => " without vision",
            None => "",
        };
        format!("LM Studio's {source} lists it as {kind:?}{vision}")
    }
}

/// How long a model listing may take.
const LISTING_TIMEOUT: Duration = Duration::from_secs(15);

pub struct VisionClient {
    http: reqwest::blocking::Client,
    config: VisionSettings,
    /// The first retry waits this long; each further one twice as long.
    backoff: Duration,
}

impl VisionClient {
    /// A client for the server the settings name, trusting the platform's root certificates
    /// (and the settings' CA certificate, if any) and sending the API token, if any.
    pub fn new(config: &VisionSettings) -> Result<VisionClient, VisionError> {
        let setup = |reason: String| VisionError::Refused {
            url: shown_url(&config.url),
            reason,
        };
        let mut headers = HeaderMap::new();
        if let Some(Secret { token, .. }) = &config.api_key {
            let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
                .map_err(|_| setup("the API token cannot be sent in an HTTP header".into()))?;
            // Sensitive values are left out of the HTTP stack's own debug output.
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        let mut builder = reqwest::blocking::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("bookvoice/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .use_rustls_tls();
        if let Some(ca) = &config.ca_cert {
            builder = builder.use_preconfigured_tls(ca.client_config().map_err(setup)?);
        }
        let http = builder
            .build()
            .map_err(|e| setup(format!("cannot set up an HTTP client: {}", root_cause(&e))))?;
        Ok(VisionClient {
            http,
            config: config.clone(),
            backoff: Duration::from_millis(500),
        })
    }

    pub fn model(&self) -> &str {
        &self.config.model
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.url)
    }

    /// Checks that the server is up, that it lists the model, and that nothing it says rules
    /// out images; returns what it said about the model.
    ///
    /// A server that cannot be reached here is not asked again: nothing is listening, and
    /// waiting would only delay the fallback. A timeout or a 5xx is retried.
    pub fn check(&self) -> Result<ModelInfo, VisionError> {
        let ids = self.list_models()?;
        let model = &self.config.model;
        if !ids.iter().any(|id| id == model) {
            return Err(VisionError::NoSuchModel {
                model: model.clone(),
                offered: if ids.is_empty() {
                    "nothing".into()
                } else {
                    ids.join(", ")
                },
            });
        }
        let info = self.model_info();
        if info.vision == Some(false) {
            return Err(VisionError::NotVision {
                model: model.clone(),
                said: info.said(),
            });
        }
        Ok(info)
    }

    /// The model names `GET /v1/models` lists.
    pub fn list_models(&self) -> Result<Vec<String>, VisionError> {
        let listing = self.with_retries(|| match self.get_json("/v1/models") {
            Err(VisionError::Unreachable { url, reason }) => {
                Err(VisionError::Refused { url, reason })
            }
            other => other,
        })?;
        Ok(listing["data"]
            .as_array()
            .ok_or_else(|| VisionError::Garbage("GET /v1/models has no \"data\" list".into()))?
            .iter()
            .filter_map(|m| m["id"].as_str().map(str::to_string))
            .collect())
    }

    /// What LM Studio's native listings say about the model: the v1 listing (LM Studio 0.4)
    /// where it names the model, else the v0 one. Elsewhere both are 404s and nothing is known.
    pub fn model_info(&self) -> ModelInfo {
        let model = &self.config.model;
        if let Ok(listing) = self.get_json("/api/v1/models")
            && let Some(info) = from_v1_listing(&listing, model)
        {
            return info;
        }
        if let Ok(listing) = self.get_json("/api/v0/models")
            && let Some(info) = from_v0_listing(&listing, model)
        {
            return info;
        }
        ModelInfo::default()
    }

    /// Asks for a description of one prepared image.
    pub fn describe(&self, prompt: &str, data_uri: &str) -> Result<Answer, VisionError> {
        let body = json!({
            "model": self.config.model,
            "messages": [{
                "role": "user",
                "content": [
                    {"type": "text", "text": prompt},
                    {"type": "image_url", "image_url": {"url": data_uri}},
                ],
            }],
            "max_tokens": 160,
            "temperature": 0.2,
            "stream": false,
        });
        let response = self.with_retries(|| self.post_json("/v1/chat/completions", &body))?;
        answer_of(&response)
    }

    fn with_retries<T>(
        &self,
        mut call: impl FnMut() -> Result<T, VisionError>,
    ) -> Result<T, VisionError> {
        let mut wait = self.backoff;
        let mut attempt = 0;
        loop {
            match call() {
                Err(e) if e.is_transient() && attempt < self.config.retries => {
                    tracing::debug!("vision server: {e}; trying again in {wait:?}");
                    std::thread::sleep(wait);
                    wait *= 2;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// Listings answer at once when the server is alive, so a stuck one is found out in
    /// seconds, not after a picture's whole timeout.
    fn get_json(&self, path: &str) -> Result<Value, VisionError> {
        let wait = self.config.timeout.min(LISTING_TIMEOUT);
        let response = self.http.get(self.url(path)).timeout(wait).send();
        self.read_json(response).map_err(|e| match e {
            VisionError::Timeout(_) => VisionError::Timeout(wait),
            other => other,
        })
    }

    fn post_json(&self, path: &str, body: &Value) -> Result<Value, VisionError> {
        let response = self.http.post(self.url(path)).json(body).send();
        self.read_json(response)
    }

    fn read_json(
        &self,
        response: reqwest::Result<reqwest::blocking::Response>,
    ) -> Result<Value, VisionError> {
        let response = response.map_err(|e| self.transport_error(e))?;
        let status = response.status();
        if matches!(status.as_u16(), 401 | 403) {
            return Err(VisionError::Unauthorized {
                status: status.as_u16(),
                token_from: self.config.api_key.as_ref().map(|k| k.from),
            });
        }
        let text = response.text().map_err(|e| self.transport_error(e))?;
        if !status.is_success() {
            return Err(VisionError::Status {
                status: status.as_u16(),
                body: self.scrub(&excerpt(&text)),
            });
        }
        serde_json::from_str(&text)
            .map_err(|_| VisionError::Garbage(format!("not JSON: {}", self.scrub(&excerpt(&text)))))
    }

    /// The server's words with the token blanked out: some servers echo the key they refuse.
    fn scrub(&self, text: &str) -> String {
        match &self.config.api_key {
            Some(Secret { token, .. }) => text.replace(token.as_str(), "***"),
            None => text.to_string(),
        }
    }

    fn transport_error(&self, e: reqwest::Error) -> VisionError {
        if e.is_timeout() {
            return VisionError::Timeout(self.config.timeout);
        }
        let reason = self.scrub(&root_cause(&e));
        let reason = match tls::explain(&reason, self.config.ca_cert.as_ref()) {
            Some(explained) => explained,
            None => reason,
        };
        VisionError::Unreachable {
            url: shown_url(&self.config.url),
            reason,
        }
    }
}

/// The model's entry in LM Studio 0.4's `GET /api/v1/models`: `{"models": [{"key", "type",
/// "loaded_instances": [{"id"}], "capabilities": {"vision"}}]}`, matched by its key or by the
/// id of a loaded instance. Source: LM Studio's REST API docs, "List your models".
fn from_v1_listing(listing: &Value, model: &str) -> Option<ModelInfo> {
    let entry = listing["models"].as_array()?.iter().find(|m| {
        m["key"].as_str() == Some(model)
            || m["loaded_instances"]
                .as_array()
                .is_some_and(|l| l.iter().any(|i| i["id"].as_str() == Some(model)))
    })?;
    let kind = entry["type"].as_str().map(str::to_string);
    // Embedding models have no capabilities at all, and no eyes either.
    let vision = entry["capabilities"]["vision"]
        .as_bool()
        .or((kind.as_deref() == Some("embedding")).then_some(false));
    Some(ModelInfo {
        source: Some("/api/v1/models"),
        vision,
        loaded: entry["loaded_instances"].as_array().map(|l| !l.is_empty()),
        kind,
    })
}

/// The model's entry in LM Studio's older `GET /api/v0/models`: `{"data": [{"id", "type":
/// "vlm"|"llm"|"embeddings", "state": "loaded"|"not-loaded"}]}`.
fn from_v0_listing(listing: &Value, model: &str) -> Option<ModelInfo> {
    let entry = listing["data"]
        .as_array()?
        .iter()
        .find(|m| m["id"].as_str() == Some(model))?;
    let kind = entry["type"].as_str()?.to_string();
    Some(ModelInfo {
        source: Some("/api/v0/models"),
        vision: Some(kind == "vlm"),
        loaded: entry["state"].as_str().map(|s| s == "loaded"),
        kind: Some(kind),
    })
}

/// A URL as it may be shown: any password in it replaced by `***`.
pub fn shown_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.as_str().trim_end_matches('/').to_string()
        }
        _ => url.to_string(),
    }
}

/// The text of a chat completion: `choices[0].message.content`, a string or a list of parts.
fn answer_of(response: &Value) -> Result<Answer, VisionError> {
    let choice = &response["choices"][0];
    let content = &choice["message"]["content"];
    let text = match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p["text"].as_str())
            .collect::<Vec<_>>()
            .join(" "),
        _ => {
            return Err(VisionError::Garbage(format!(
                "no choices[0].message.content in {}",
                excerpt(&response.to_string())
            )));
        }
    };
    Ok(Answer {
        text,
        finish_reason: choice["finish_reason"].as_str().map(str::to_string),
    })
}

/// The innermost error's message: reqwest's outer ones only say "error sending request".
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn excerpt(text: &str) -> String {
    let t = text.trim();
    let mut s: String = t.chars().take(160).collect();
    if s.len() < t.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_come_from_the_first_choice() {
        let r = json!({"choices": [{"message": {"content": "A cat."}, "finish_reason": "stop"}]});
        let a = answer_of(&r).unwrap();
        assert_eq!(a.text, "A cat.");
        assert_eq!(a.finish_reason.as_deref(), Some("stop"));
        let parts = json!({"choices": [{"message": {"content": [{"type": "text", "text": "A"}, {"type": "text", "text": "dog."}]}}]});
        assert_eq!(answer_of(&parts).unwrap().text, "A dog.");
        assert!(matches!(
            answer_of(&json!({"error": "x"})),
            Err(VisionError::Garbage(_))
        ));
    }

    #[test]
    fn only_transient_errors_are_retried() {
        let status = |s| VisionError::Status {
            status: s,
            body: String::new(),
        };
        assert!(status(500).is_transient());
        assert!(status(503).is_transient());
        assert!(!status(400).is_transient());
        assert!(VisionError::Timeout(Duration::from_secs(1)).is_transient());

        assert!(!VisionError::Garbage(String::new()).is_transient());
        let refused = VisionError::Unauthorized {
            status: 401,
            token_from: None,
        };
        assert!(!refused.is_transient() && refused.is_fatal());
        assert!(refused.to_string().contains("set BOOKVOICE_VISION_API_KEY"));
    }

    #[test]
    fn a_secret_never_prints() {
        let secret = Secret::new("  sk-123  ", "here").unwrap().unwrap();
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(format!("{:?}", Some(secret)), "Some(***)");
        assert_eq!(Secret::new(" ", "here").unwrap(), None);
        assert!(Secret::new("a\nb", "here").is_err());
    }

    #[test]
    fn passwords_in_urls_are_blanked() {
        assert_eq!(
            shown_url("https://me:hunter2@gpu.lan:8443"),
            "https://me:***@gpu.lan:8443"
        );
        assert_eq!(shown_url("http://127.0.0.1:1234"), "http://127.0.0.1:1234");
    }

    #[test]
    fn lm_studio_listings_say_what_a_model_can_do() {
        let v1 = json!({"models": [
            {"type": "llm", "key": "google/gemma-3n-e4b", "loaded_instances": [],
             "capabilities": {"vision": true, "trained_for_tool_use": false}},
            {"type": "llm", "key": "qwen3-8b", "loaded_instances": [{"id": "qwen3-8b:2"}],
             "capabilities": {"vision": false}},
            {"type": "embedding", "key": "nomic-embed", "loaded_instances": []},
        ]});
        let gemma = from_v1_listing(&v1, "google/gemma-3n-e4b").unwrap();
        assert_eq!(
            (gemma.vision, gemma.loaded, gemma.source),
            (Some(true), Some(false), Some("/api/v1/models"))
        );
        // A loaded instance's own id finds its model.
        let qwen = from_v1_listing(&v1, "qwen3-8b:2").unwrap();
        assert_eq!((qwen.vision, qwen.loaded), (Some(false), Some(true)));
        assert!(
            qwen.said().contains("\"llm\" without vision"),
            "{}",
            qwen.said()
        );
        assert_eq!(
            from_v1_listing(&v1, "nomic-embed").unwrap().vision,
            Some(false)
        );
        assert_eq!(from_v1_listing(&v1, "missing"), None);
        // A v0 listing has no "models" key.
        assert_eq!(from_v1_listing(&json!({"data": []}), "x"), None);

        let v0 = json!({"data": [{"id": "m", "type": "vlm", "state": "not-loaded"}]});
        let m = from_v0_listing(&v0, "m").unwrap();
        assert_eq!((m.vision, m.loaded), (Some(true), Some(false)));
        assert_eq!(ModelInfo::default().vision, None);
    }
}
