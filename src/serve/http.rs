//! The preview's HTTP side: pages from `Pages` (memory, or rendered when asked for), live-reload
//! events, the error overlay, and the guard that answers only requests addressed to this computer.

use super::preview::Pages;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// Where the browser listens for reloads.
pub const EVENTS_PATH: &str = "/__gongkai/events";
/// The preview's own endpoints, which no other site's page may call.
const INTERNAL_PREFIX: &str = "/__gongkai/";

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

/// The preview's routes behind the [`HostGuard`].
pub fn router(shared: Arc<Shared>, guard: HostGuard) -> axum::Router {
    axum::Router::new()
        .route(EVENTS_PATH, axum::routing::get(events))
        .fallback(axum::routing::get(page))
        .with_state(shared)
        .layer(axum::middleware::from_fn_with_state(Arc::new(guard), refuse_foreign))
}

// --- which requests are answered ------------------------------------------------------------
//
// A page on any site the editor has open can point a name it controls at 127.0.0.1 (DNS
// rebinding) and read the preview, drafts and the error overlay included, with the editor's own
// browser. The browser then sends that name in `Host`, so the preview answers only the names it
// serves (webpack-dev-server's `allowedHosts` after CVE-2018-14732, Vite's `server.allowedHosts`
// after CVE-2025-24010). The port is not compared: the attacker controls the name, not the port,
// and an SSH tunnel (`ssh -L 8080:localhost:1111`) legitimately changes it.

/// The `Host` names the preview answers: `localhost`, `127.0.0.1`, `::1`, the `--bind` address
/// and the names given with `--allow-host`.
#[derive(Debug, Clone)]
pub struct HostGuard {
    /// Canonical names: lower case, no trailing dot, IP addresses as `IpAddr` prints them.
    names: Vec<String>,
    /// The port, for the address the refusal suggests.
    port: u16,
}

impl HostGuard {
    /// The guard for a preview listening on `bind:port` with the editor's extra names.
    pub fn new(bind: IpAddr, port: u16, allow: &[String]) -> Result<HostGuard, String> {
        let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
        if !bind.is_unspecified() {
            let bind = bind.to_string();
            if !names.contains(&bind) {
                names.push(bind);
            }
        }
        for name in allow {
            let canonical = canonical_host(name).ok_or_else(|| {
                format!("--allow-host {name} 不是有效的主机名或 IP 地址；例如 --allow-host 192.168.1.20")
            })?;
            if !names.contains(&canonical) {
                names.push(canonical);
            }
        }
        Ok(HostGuard { names, port })
    }

    /// Whether a `Host` header value (`name`, `name:port`, `[v6]:port`) is one the preview serves.
    pub fn allows(&self, host: &str) -> bool {
        canonical_host(host).is_some_and(|name| self.names.contains(&name))
    }

    /// The names given with `--allow-host` and the `--bind` address, beyond the loopback ones.
    pub fn extra_names(&self) -> &[String] {
        &self.names[3..]
    }
}

/// The canonical name of a `Host` value: lower case, without port or one trailing dot, an IP
/// address written as `IpAddr` prints it (so `[0:0::1]` is `::1`). `None` if it is malformed.
pub fn canonical_host(host: &str) -> Option<String> {
    let host = host.trim();
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        let ip: Ipv6Addr = inside.parse().ok()?;
        return port_ok(after.strip_prefix(':'), after.is_empty()).then(|| ip.to_string());
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    if !port_ok(port, port.is_none()) {
        return None;
    }
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let label_ok = |label: &str| {
        !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !name.split('.').all(label_ok) {
        // Also refuses a bare IPv6 address (its colons) and anything with spaces or `@`.
        return None;
    }
    Some(match name.parse::<Ipv4Addr>() {
        Ok(ip) => ip.to_string(),
        Err(_) => name,
    })
}

/// A port is absent (when `absent_ok`) or one to five digits.
fn port_ok(port: Option<&str>, absent_ok: bool) -> bool {
    match port {
        None => absent_ok,
        Some(port) => (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// Why a request is refused, if it is.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `Host` (or the request's absolute URL) names something else, or is missing or doubled.
    Host(String),
    /// Another site's page calls a `/__gongkai/` endpoint (its `Origin` is not the preview's).
    Origin(String),
    /// Another site's page loads a file of the preview as a script, image or `fetch`
    /// (`Sec-Fetch-Site: cross-site` or `same-site`, not a navigation): such a page could run the
    /// search files (`gongkaiSearch.shard(…)`) with its own callback and read them.
    Embedded,
}

impl HostGuard {
    /// Judges a request by its target, path and headers.
    pub fn judge(&self, uri: &Uri, headers: &HeaderMap) -> Result<(), Refusal> {
        let mut hosts = headers.get_all(header::HOST).iter();
        let host = match (hosts.next(), hosts.next()) {
            (Some(host), None) => host.to_str().unwrap_or(""),
            (None, _) => return Err(Refusal::Host(String::new())),
            (Some(_), Some(_)) => return Err(Refusal::Host("（多个 Host）".into())),
        };
        if !self.allows(host) {
            return Err(Refusal::Host(host.to_string()));
        }
        // `GET http://name/ HTTP/1.1` names its host in the target too.
        if let Some(authority) = uri.authority()
            && !self.allows(authority.as_str())
        {
            return Err(Refusal::Host(authority.to_string()));
        }
        if uri.path().starts_with(INTERNAL_PREFIX)
            && let Some(origin) = headers.get(header::ORIGIN)
        {
            let origin = origin.to_str().unwrap_or("");
            if !origin.eq_ignore_ascii_case(&format!("http://{host}")) {
                return Err(Refusal::Origin(origin.to_string()));
            }
        }
        let fetch = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
        if matches!(fetch("sec-fetch-site"), "cross-site" | "same-site")
            && fetch("sec-fetch-mode") != "navigate"
        {
            return Err(Refusal::Embedded);
        }
        Ok(())
    }

    /// The 403 answer: a short Chinese explanation and nothing from the site.
    fn refuse(&self, refusal: &Refusal) -> Response {
        let port = self.port;
        let text = match refusal {
            Refusal::Host(host) => format!(
                "403 拒绝访问：gongkai 预览只回应用本机地址打开的请求，不回应“{}”。\n\
请在这台电脑上打开 http://127.0.0.1:{port}/ 。\n\
要在同一网络的手机上预览，请用 gongkai serve --bind 0.0.0.0 --allow-host <这台电脑的局域网地址> 启动。\n\
这样做是为了不让您浏览的其他网站借浏览器读取预览中尚未发布的内容。\n",
                printable(host)
            ),
            Refusal::Origin(origin) => format!(
                "403 拒绝访问：其他网站（{}）的网页不能使用 gongkai 预览的内部接口。\n\
请在这台电脑上直接打开 http://127.0.0.1:{port}/ 。\n",
                printable(origin)
            ),
            Refusal::Embedded => format!(
                "403 拒绝访问：其他网站的网页不能载入 gongkai 预览的文件。\n\
请在这台电脑上直接打开 http://127.0.0.1:{port}/ 。\n"
            ),
        };
        let mut response = Response::new(Body::from(text));
        *response.status_mut() = StatusCode::FORBIDDEN;
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        response
    }
}

/// A header value as the refusal may quote it: printable ASCII, at most 100 characters.
fn printable(value: &str) -> String {
    if value.is_empty() {
        return "（没有写）".into();
    }
    let shown: String = value.chars().filter(|c| c.is_ascii_graphic()).take(100).collect();
    if shown.len() < value.len() { format!("{shown}…") } else { shown }
}

async fn refuse_foreign(State(guard): State<Arc<HostGuard>>, request: Request, next: Next) -> Response {
    match guard.judge(request.uri(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(refusal) => guard.refuse(&refusal),
    }
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
    fn canonical_host_drops_port_case_and_trailing_dot() {
        for (host, name) in [
            ("localhost", Some("localhost")),
            ("LOCALHOST:1111", Some("localhost")),
            ("localhost.:1111", Some("localhost")),
            ("127.0.0.1:80", Some("127.0.0.1")),
            ("127.0.0.1.", Some("127.0.0.1")),
            ("[::1]:1111", Some("::1")),
            ("[0:0:0:0:0:0:0:1]", Some("::1")),
            ("Evil.Example.:1111", Some("evil.example")),
            ("::1", None),
            ("[::1", None),
            ("localhost:", None),
            ("localhost:11111111", None),
            ("localhost:80:80", None),
            ("user@localhost", None),
            ("local host", None),
            ("", None),
            ("..", None),
        ] {
            assert_eq!(canonical_host(host).as_deref(), name, "{host}");
        }
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn guard_judges_host_origin_and_fetch_metadata() {
        let guard = HostGuard::new(IpAddr::from([0, 0, 0, 0]), 1111, &["Phone.Lan.".into()]).unwrap();
        assert_eq!(guard.extra_names(), ["phone.lan"]);
        let page: Uri = "/".parse().unwrap();
        let events: Uri = EVENTS_PATH.parse().unwrap();
        let judge = |uri: &Uri, pairs: &[(&str, &str)]| guard.judge(uri, &headers(pairs));
        assert_eq!(judge(&page, &[("host", "phone.lan:1111")]), Ok(()));
        assert_eq!(judge(&page, &[("host", "0.0.0.0:1111")]), Err(Refusal::Host("0.0.0.0:1111".into())));
        assert_eq!(judge(&page, &[]), Err(Refusal::Host(String::new())));
        assert!(judge(&page, &[("host", "localhost"), ("host", "evil.example")]).is_err());
        let absolute: Uri = "http://evil.example/".parse().unwrap();
        assert_eq!(judge(&absolute, &[("host", "localhost")]), Err(Refusal::Host("evil.example".into())));
        assert_eq!(
            judge(&events, &[("host", "localhost:1111"), ("origin", "http://localhost:1111")]),
            Ok(())
        );
        assert_eq!(
            judge(&events, &[("host", "localhost:1111"), ("origin", "http://localhost:3000")]),
            Err(Refusal::Origin("http://localhost:3000".into()))
        );
        assert_eq!(
            judge(&events, &[("host", "localhost:1111"), ("origin", "null")]),
            Err(Refusal::Origin("null".into()))
        );
        let embedded =
            [("host", "127.0.0.1:1111"), ("sec-fetch-site", "cross-site"), ("sec-fetch-mode", "no-cors")];
        assert_eq!(judge(&page, &embedded), Err(Refusal::Embedded));
        let link =
            [("host", "127.0.0.1:1111"), ("sec-fetch-site", "cross-site"), ("sec-fetch-mode", "navigate")];
        assert_eq!(judge(&page, &link), Ok(()));
        assert!(HostGuard::new(IpAddr::from([127, 0, 0, 1]), 1, &["a b".into()]).is_err());
    }

    #[test]
    fn refuses_path_tricks() {
        for trick in ["/../etc/passwd", "/a/%2e%2e/b", "/a%2fb", "/a%5cb", "/a\\b", "/./a", "/a%00"] {
            assert_eq!(resolve(trick), None, "{trick}");
        }
    }
}
