//! Talking to an OpenAI-compatible vision server: LM Studio first, and equally llama.cpp's
//! server, Ollama's `/v1` or vLLM.
//!
//! Two calls matter. `check` runs once before the first image: `GET /v1/models` must list the
//! model, and where LM Studio's own `GET /api/v0/models` reports the model's type, anything
//! but `vlm` cannot see images (gemma-3n's GGUF builds load text-only in LM Studio), so it is
//! refused up front rather than image by image. `describe` posts one chat completion whose
//! user message holds the prompt and the picture as a `data:` URI.
//!
//! Every request has a timeout; connection errors (after the server has answered once),
//! timeouts and 5xx answers are retried with a doubling backoff; 4xx answers and unreadable bodies are not, since asking again would get
//! the same answer. Nothing here decides what to do about a failure: that is the stage's job.

use std::time::Duration;

use serde_json::{Value, json};

use super::VisionSettings;

/// Why a request got no usable answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VisionError {
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// Unreachable at the first contact: not retried.
    #[error("cannot reach {url}: {reason}")]
    Refused { url: String, reason: String },
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("the server answered {status}: {body}")]
    Status { status: u16, body: String },
    #[error("the server's answer is not an OpenAI-style response: {0}")]
    Garbage(String),
    #[error("{model} is not loaded on the server (it offers: {offered})")]
    NoSuchModel { model: String, offered: String },
    #[error(
        "{model} is not a vision model (the server says its type is {kind:?}); load a build of it \
         that accepts images, or name a vision model with --vision-model"
    )]
    NotVision { model: String, kind: String },
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
}

/// The answer to one description request.
#[derive(Debug, Clone)]
pub struct Answer {
    pub text: String,
    /// `length` when the model hit its token limit.
    pub finish_reason: Option<String>,
}

pub struct VisionClient {
    http: reqwest::blocking::Client,
    config: VisionSettings,
    /// The first retry waits this long; each further one twice as long.
    backoff: Duration,
}

impl VisionClient {
    pub fn new(config: &VisionSettings) -> Result<VisionClient, VisionError> {
        let http = reqwest::blocking::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("bookvoice/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| VisionError::Unreachable {
                url: config.url.clone(),
                reason: format!("cannot set up an HTTP client: {e}"),
            })?;
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

    /// Checks that the server is up and that the model exists and can see images.
    ///
    /// A server that cannot be reached here is not asked again: nothing is listening, and
    /// waiting would only delay the fallback. A timeout or a 5xx is retried.
    pub fn check(&self) -> Result<(), VisionError> {
        let listing = self.with_retries(|| match self.get_json("/v1/models") {
            Err(VisionError::Unreachable { url, reason }) => {
                Err(VisionError::Refused { url, reason })
            }
            other => other,
        })?;
        let ids: Vec<&str> = listing["data"]
            .as_array()
            .ok_or_else(|| VisionError::Garbage("GET /v1/models has no \"data\" list".into()))?
            .iter()
            .filter_map(|m| m["id"].as_str())
            .collect();
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
        // LM Studio alone answers this; elsewhere it is a 404 and there is nothing to learn.
        if let Ok(native) = self.get_json("/api/v0/models")
            && let Some(kind) = native["data"].as_array().and_then(|list| {
                list.iter()
                    .find(|m| m["id"].as_str() == Some(model))
                    .and_then(|m| m["type"].as_str())
            })
            && kind != "vlm"
        {
            return Err(VisionError::NotVision {
                model: model.clone(),
                kind: kind.to_string(),
            });
        }
        Ok(())
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

    fn get_json(&self, path: &str) -> Result<Value, VisionError> {
        let response = self.http.get(self.url(path)).send();
        self.read_json(response)
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
        let text = response.text().map_err(|e| self.transport_error(e))?;
        if !status.is_success() {
            return Err(VisionError::Status {
                status: status.as_u16(),
                body: excerpt(&text),
            });
        }
        serde_json::from_str(&text)
            .map_err(|_| VisionError::Garbage(format!("not JSON: {}", excerpt(&text))))
    }

    fn transport_error(&self, e: reqwest::Error) -> VisionError {
        if e.is_timeout() {
            VisionError::Timeout(self.config.timeout)
        } else {
            VisionError::Unreachable {
                url: self.config.url.clone(),
                reason: root_cause(&e),
            }
        }
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
    }
}
