//! The preview's HTTP side: pages from `Pages` (memory, or rendered when asked for), live-reload
//! events, the error overlay.

use super::preview::Pages;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// Where the browser listens for reloads.
pub const EVENTS_PATH: &str = "/__gongkai/events";

/// Shared between the watcher (writer) and the server (readers).
pub struct Shared {
    pub pages: Pages,
    /// The error overlay shown over every page while content or templates are broken.
    pub overlay: RwLock<Option<String>>,
    pub reloads: broadcast::Sender<u64>,
}

/// The script injected (in serve mode only) before `</body>`.
pub fn live_reload_script() -> String {
    format!(
        "<script>(function(){{var s=new EventSource(\"{EVENTS_PATH}\");s.onmessage=function(){{location.reload()}};}})();</script>"
    )
}

pub fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new()
        .route(EVENTS_PATH, axum::routing::get(events))
        .fallback(axum::routing::get(page))
        .with_state(shared)
}

async fn events(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let stream = BroadcastStream::new(shared.reloads.subscribe())
        .filter_map(|generation| generation.ok())
        .map(|generation| Ok::<Event, Infallible>(Event::default().data(generation.to_string())));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Maps a request path to a file of the site; `None` for anything that tries to leave it.
pub fn resolve(raw_path: &str) -> Option<String> {
    let lower = raw_path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw_path).decode_utf8().ok()?;
    let path = decoded.strip_prefix('/')?;
    if path.contains('\\') || path.contains('\0') {
        return None;
    }
    if path.split('/').any(|segment| segment == ".." || segment == ".") {
        return None;
    }
    Some(if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_string() })
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

async fn page(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    // A unit's pages may have to be rendered first: that is CPU work, kept off the async workers.
    tokio::task::spawn_blocking(move || answer(&shared, &uri)).await.unwrap_or_else(|_| {
        let mut response = Response::new(Body::from("内部错误"));
        *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        response
    })
}

fn answer(shared: &Shared, uri: &Uri) -> Response {
    let overlay = shared.overlay.read().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(path) = resolve(uri.path()) else {
        return not_found(&shared.pages, overlay.as_deref());
    };
    match shared.pages.get(&path) {
        Some(bytes) => respond(StatusCode::OK, &path, &bytes, overlay.as_deref()),
        None if shared.pages.get(&format!("{path}/index.html")).is_some() => {
            let location = format!("{}/", uri.path());
            Response::builder()
                .status(StatusCode::MOVED_PERMANENTLY)
                .header(header::LOCATION, location)
                .body(Body::empty())
                .unwrap_or_default()
        }
        None => not_found(&shared.pages, overlay.as_deref()),
    }
}

fn not_found(pages: &Pages, overlay: Option<&str>) -> Response {
    match pages.get("404.html") {
        Some(bytes) => respond(StatusCode::NOT_FOUND, "404.html", &bytes, overlay),
        None => respond(StatusCode::NOT_FOUND, "404.html", overlay.unwrap_or("未找到").as_bytes(), overlay),
    }
}

fn respond(status: StatusCode, path: &str, bytes: &[u8], overlay: Option<&str>) -> Response {
    let content_type = content_type(path);
    let body = match overlay {
        Some(overlay) if content_type.starts_with("text/html") => with_overlay(bytes, overlay),
        _ => bytes.to_vec(),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Puts the overlay just before `</body>` (or at the end), over the last good page.
fn with_overlay(page: &[u8], overlay: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    match text.rfind("</body>") {
        Some(at) => format!("{}{overlay}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{overlay}").into_bytes(),
    }
}

/// The overlay for a list of problems: the same text `gongkai check` prints.
pub fn overlay_html(report: &str) -> String {
    let mut escaped = Vec::new();
    let _ = tera::escape_html(report, &mut escaped);
    format!(
        "<div id=\"gongkai-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(20,20,20,.94);color:#fff;padding:16px;font:15px/1.6 monospace\">\
<h2 style=\"margin:0 0 8px;font:bold 18px sans-serif;color:#ffb4a9\">内容有错误：下面是错误位置和改法，页面仍是上一次成功生成的版本</h2>\
<pre style=\"white-space:pre-wrap;margin:0\">{}</pre>{}</div>",
        String::from_utf8_lossy(&escaped),
        live_reload_script()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_pretty_paths() {
        assert_eq!(resolve("/").as_deref(), Some("index.html"));
        assert_eq!(resolve("/nanhe-zhen/").as_deref(), Some("nanhe-zhen/index.html"));
        assert_eq!(resolve("/assets/style.css").as_deref(), Some("assets/style.css"));
        assert_eq!(resolve("/%E6%90%9C/").as_deref(), Some("搜/index.html"));
    }

    #[test]
    fn refuses_path_tricks() {
        for trick in ["/../etc/passwd", "/a/%2e%2e/b", "/a%2fb", "/a%5cb", "/a\\b", "/./a", "/a%00"] {
            assert_eq!(resolve(trick), None, "{trick}");
        }
    }
}
