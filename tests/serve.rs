//! `gongkai serve` (docs/design.md §6 and §7): pages from memory with the right status and content type,
//! path tricks answered with 404, live reload in serve mode only, rebuilds after edits to content
//! and templates, the error overlay over the last good pages, loopback-only binding, a busy port,
//! incremental rebuilds that end up byte for byte where a full `gongkai build` does, and answers
//! only to requests addressed to this computer (`Host`, `Origin`, fetch metadata; issue 18).
//!
//! Each test starts the real binary on a copy of a fixture site and talks to it over plain
//! HTTP/1.1 with hand-written requests, so nothing normalises the paths sent. Edits are written
//! into the site root and the test polls until the served page changes; nothing sleeps for a
//! fixed time.

mod common;

use common::{Run, Site, UNIT};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the binary may take to build the site and start listening.
const STARTUP: Duration = Duration::from_secs(30);
/// How long an edit may take to show in the served pages.
const EDIT: Duration = Duration::from_secs(10);
/// Between two looks at a page that is expected to change.
const POLL: Duration = Duration::from_millis(20);

/// What marks the live-reload script in a page.
const LIVE_RELOAD: &str = "EventSource(\"/__gongkai/events\")";
/// The opening of the error overlay.
const OVERLAY: &str = "<div id=\"gongkai-error\"";

/// The last line `gongkai check` prints on stderr when the content has one error.
const CHECK_END: &str = "共 1 个错误，未生成网站；已发布的内容没有改动";

const ZONES: &str = "/nanhe-zhen/dongwang/zones/";

fn unit(file: &str) -> String {
    format!("{UNIT}/{file}")
}

// --- a running preview ---------------------------------------------------------------------

/// A `gongkai serve` child process, killed when dropped; its stdout and stderr are collected
/// line by line in the background.
struct Server {
    child: Child,
    /// Where the test connects: 127.0.0.1 unless the test chose `--bind`.
    ip: IpAddr,
    port: u16,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on right now: bind port 0 on loopback and let the listener go.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binding a free port").local_addr().unwrap().port()
}

/// Collects the lines of a child's output stream in a background thread.
fn collect_lines(stream: impl Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            sink.lock().unwrap().push(line);
        }
    });
    lines
}

impl Server {
    /// `gongkai serve --port <free port>` in the site root.
    fn start(site: &Site) -> Server {
        Server::start_with(site, &[])
    }

    /// Like [`Server::start`] with more arguments. Waits until the preview prints its address;
    /// should another process take the chosen port first, starts again on another one.
    fn start_with(site: &Site, args: &[&str]) -> Server {
        Server::start_at(site, IpAddr::V4(Ipv4Addr::LOCALHOST), args)
    }

    /// Like [`Server::start_with`], connecting to `ip` (which `args` make it listen on).
    fn start_at(site: &Site, ip: IpAddr, args: &[&str]) -> Server {
        for _ in 0..5 {
            let port = free_port();
            let port_text = port.to_string();
            let mut all = vec!["serve", "--port", &port_text];
            all.extend_from_slice(args);
            let mut child = site
                .command(&all)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("starting gongkai serve");
            let stdout = collect_lines(child.stdout.take().unwrap());
            let stderr = collect_lines(child.stderr.take().unwrap());
            let mut server = Server { child, ip, port, stdout, stderr };
            match server.wait_until_ready() {
                Ok(()) => return server,
                Err(log) if log.contains("已被占用") => continue, // lost the port to someone else
                Err(log) => panic!("gongkai serve did not start\n{log}"),
            }
        }
        panic!("gongkai serve found no free port in five tries");
    }

    /// Waits for `正在预览 http://127.0.0.1:<port>/ …` (or the address it listens on) on stdout.
    fn wait_until_ready(&mut self) -> Result<(), String> {
        let ready = format!("正在预览 http://{}/ ", self.address());
        let deadline = Instant::now() + STARTUP;
        loop {
            if self.stdout().iter().any(|l| l.starts_with(&ready)) {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader threads take in the last lines before reporting them.
                std::thread::sleep(Duration::from_millis(100));
                return Err(format!("exited with {status}\n{}", self.log()));
            }
            if Instant::now() > deadline {
                return Err(format!("no `{ready}` line after {STARTUP:?}\n{}", self.log()));
            }
            std::thread::sleep(POLL);
        }
    }

    fn stdout(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    fn stderr(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }

    /// Everything the preview printed so far, for failure messages.
    fn log(&self) -> String {
        format!("--- stdout:\n{}\n--- stderr:\n{}", self.stdout().join("\n"), self.stderr().join("\n"))
    }

    fn address(&self) -> SocketAddr {
        SocketAddr::new(self.ip, self.port)
    }

    /// `GET <target>` with the request target sent exactly as given.
    fn get(&self, target: &str) -> Response {
        get(self.address(), target)
    }

    /// Polls `GET <target>` until `done` holds, failing after [`EDIT`] with what was served.
    #[track_caller]
    fn wait_for(&self, target: &str, what: &str, done: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + EDIT;
        loop {
            let response = self.get(target);
            if done(&response) {
                return response;
            }
            if Instant::now() > deadline {
                panic!(
                    "{target} did not {what} within {EDIT:?}; last served {} with\n{}\n{}",
                    response.status,
                    response.body,
                    self.log()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Polls stdout until a line starts with `prefix`; returns that line.
    #[track_caller]
    fn wait_for_stdout(&self, prefix: &str) -> String {
        wait_for_line(&self.stdout, prefix)
            .unwrap_or_else(|| panic!("stdout shows no `{prefix}…` line within {EDIT:?}\n{}", self.log()))
    }

    /// Polls stderr until a line equals `line`.
    #[track_caller]
    fn wait_for_stderr(&self, line: &str) {
        let found = wait_for_line(&self.stderr, line).is_some_and(|l| l == line);
        assert!(found, "stderr shows no line `{line}` within {EDIT:?}\n{}", self.log());
    }

    /// Opens the live-reload event stream, returning once the server has answered (and so has
    /// subscribed this client to the next rebuild).
    #[track_caller]
    fn events(&self) -> Events {
        let mut stream = connect(self.address());
        write!(
            stream,
            "GET /__gongkai/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.address()
        )
        .unwrap();
        let mut events = Events { stream, received: Vec::new() };
        let deadline = Instant::now() + EDIT;
        let end = loop {
            if let Some(at) = find(&events.received, b"\r\n\r\n") {
                break at;
            }
            assert!(events.read_some(deadline), "no answer on the event stream\n{}", self.log());
        };
        let head = String::from_utf8_lossy(&events.received[..end]).into_owned();
        assert!(head.starts_with("HTTP/1.1 200 "), "event stream answered\n{head}");
        assert!(head.to_ascii_lowercase().contains("content-type: text/event-stream"), "{head}");
        events.received.drain(..end + 4);
        events
    }
}

/// Polls collected output lines until one starts with `prefix`.
fn wait_for_line(lines: &Mutex<Vec<String>>, prefix: &str) -> Option<String> {
    let deadline = Instant::now() + EDIT;
    loop {
        if let Some(line) = lines.lock().unwrap().iter().find(|l| l.starts_with(prefix)) {
            return Some(line.clone());
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

// --- a minimal HTTP/1.1 client ---------------------------------------------------------------

#[derive(Debug)]
struct Response {
    status: u16,
    /// Header names in lower case.
    headers: Vec<(String, String)>,
    /// The body as text (lossily, should it not be UTF-8).
    body: String,
    bytes: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }
}

fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))
        .unwrap_or_else(|e| panic!("connecting to {address}: {e}"));
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
}

/// Sends `GET <target> HTTP/1.1` with `Connection: close` and reads the whole answer.
#[track_caller]
fn get(address: SocketAddr, target: &str) -> Response {
    let mut stream = connect(address);
    write!(stream, "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap_or_else(|e| panic!("reading the answer to GET {target}: {e}"));
    parse_response(&raw)
        .unwrap_or_else(|| panic!("GET {target}: not an HTTP answer:\n{}", String::from_utf8_lossy(&raw)))
}

fn parse_response(raw: &[u8]) -> Option<Response> {
    let end = find(raw, b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let mut parts = status_line.splitn(3, ' ');
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    let status = parts.next()?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers.iter().any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(rest)?
    } else if let Some((_, length)) = headers.iter().find(|(n, _)| n == "content-length") {
        rest.get(..length.parse::<usize>().ok()?)?.to_vec()
    } else {
        rest.to_vec()
    };
    Some(Response { status, headers, body: String::from_utf8_lossy(&body).into_owned(), bytes: body })
}

/// Decodes a `Transfer-Encoding: chunked` body.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = find(rest, b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A live-reload client: an open `/__gongkai/events` connection.
struct Events {
    stream: TcpStream,
    /// Bytes of the event stream not yet looked at.
    received: Vec<u8>,
}

impl Events {
    /// Reads whatever arrives before the deadline; false when nothing came or the stream ended.
    fn read_some(&mut self, deadline: Instant) -> bool {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        self.stream.set_read_timeout(Some(left.max(Duration::from_millis(1)))).unwrap();
        let mut buffer = [0; 4096];
        match self.stream.read(&mut buffer) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.received.extend_from_slice(&buffer[..n]);
                true
            }
        }
    }

    /// The value of the next `data:` line, or `None` if none arrives within [`EDIT`].
    fn next_data(&mut self) -> Option<String> {
        let deadline = Instant::now() + EDIT;
        loop {
            // The body is chunked; an event's lines sit inside one chunk, between size lines.
            while let Some(end) = self.received.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.received.drain(..=end).collect();
                let line = String::from_utf8_lossy(&line);
                if let Some(data) = line.trim_end().strip_prefix("data:") {
                    return Some(data.trim().to_string());
                }
            }
            if !self.read_some(deadline) {
                return None;
            }
        }
    }
}

// --- what pages hold -------------------------------------------------------------------------

/// The page without the live-reload `<script>` (which must be there exactly once).
#[track_caller]
fn without_live_reload(html: &str) -> String {
    assert_eq!(html.matches(LIVE_RELOAD).count(), 1, "one live-reload script expected in\n{html}");
    let at = html.find(LIVE_RELOAD).unwrap();
    let start = html[..at].rfind("<script>").expect("<script> before the EventSource");
    let end = at + html[at..].find("</script>").expect("</script> after the EventSource") + "</script>".len();
    format!("{}{}", &html[..start], &html[end..])
}

/// The error overlay `<div id="gongkai-error" …>…</div>` of a page, if it has one.
fn overlay(html: &str) -> Option<&str> {
    let start = html.find(OVERLAY)?;
    let end = start + html[start..].find("</div>").expect("overlay ends") + "</div>".len();
    Some(&html[start..end])
}

/// The text the overlay shows (its `<pre>`), with HTML escapes decoded.
#[track_caller]
fn overlay_text(html: &str) -> String {
    let overlay = overlay(html).unwrap_or_else(|| panic!("no error overlay in\n{html}"));
    let start = overlay.find("<pre").expect("overlay has <pre>");
    let start = start + overlay[start..].find('>').unwrap() + 1;
    let end = overlay.find("</pre>").expect("overlay has </pre>");
    overlay[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// The request target that serves a file of the output folder.
fn target_of(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(folder) => format!("/{folder}"),
        None => format!("/{file}"),
    }
}

/// The content type a file of the site must be served with, for the kinds the site has now.
fn expected_content_type(file: &str) -> Option<&'static str> {
    match file.rsplit_once('.').map(|(_, ext)| ext)? {
        "html" => Some("text/html; charset=utf-8"),
        "css" => Some("text/css; charset=utf-8"),
        "json" => Some("application/json"),
        "xml" => Some("application/xml; charset=utf-8"),
        "txt" => Some("text/plain; charset=utf-8"),
        _ => None,
    }
}

/// Files the served site differs in from what `gongkai build` writes for the same content (the
/// live-reload script aside), with what differs.
fn differences_from_build(site: &Site, server: &Server) -> Vec<String> {
    let mut differences = Vec::new();
    for (file, bytes) in site.tree("output") {
        if file == ".gongkai-output" {
            continue; // the build's own marker, not part of the site
        }
        let served = server.get(&target_of(&file));
        if served.status != 200 {
            differences.push(format!("{file}: status {}", served.status));
            continue;
        }
        if expected_content_type(&file).is_some_and(|expected| served.content_type() != expected) {
            differences.push(format!("{file}: content type {}", served.content_type()));
        }
        if !file.ends_with(".html") {
            if served.bytes != bytes {
                differences.push(format!(
                    "{file}: {} bytes served, {} built",
                    served.bytes.len(),
                    bytes.len()
                ));
            }
            continue;
        }
        if served.body.matches(LIVE_RELOAD).count() != 1 {
            differences.push(format!("{file}: no live-reload script"));
            continue;
        }
        let body = without_live_reload(&served.body);
        let built = String::from_utf8_lossy(&bytes);
        if body != built {
            let line = body.lines().zip(built.lines()).position(|(a, b)| a != b);
            let line = line.unwrap_or(body.lines().count().min(built.lines().count()));
            differences.push(format!(
                "{file}: line {}: served `{}`, built `{}`",
                line + 1,
                body.lines().nth(line).unwrap_or("<end>"),
                built.lines().nth(line).unwrap_or("<end>"),
            ));
        }
    }
    differences
}

/// Builds the site's current content with `gongkai build` and waits until the preview serves
/// every built file with the same bytes (but for the live-reload script).
#[track_caller]
fn assert_serves_what_build_writes(site: &Site, server: &Server) {
    site.run(&["build", "--quiet"]).code(0);
    let deadline = Instant::now() + EDIT;
    loop {
        let differences = differences_from_build(site, server);
        if differences.is_empty() {
            return;
        }
        if Instant::now() > deadline {
            panic!("served pages differ from `gongkai build`:\n{}\n{}", differences.join("\n"), server.log());
        }
        std::thread::sleep(POLL);
    }
}

/// Runs a command to its end, failing the test if it takes longer than `limit`.
#[track_caller]
fn run_with_timeout(mut command: Command, limit: Duration) -> Run {
    let mut child =
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("starting");
    let stdout = collect_lines(child.stdout.take().unwrap());
    let stderr = collect_lines(child.stderr.take().unwrap());
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}\n--- stderr:\n{}", stderr.lock().unwrap().join("\n"));
        }
        std::thread::sleep(POLL);
    };
    // The streams close when the process ends; give the reader threads a moment to finish.
    std::thread::sleep(Duration::from_millis(100));
    let text = |lines: &Mutex<Vec<String>>| lines.lock().unwrap().iter().map(|l| format!("{l}\n")).collect();
    Run { code: status.code().unwrap_or(-1), stdout: text(&stdout), stderr: text(&stderr) }
}

// --- 1. pages, content types, redirects, 404 -------------------------------------------------

#[test]
fn serves_pages_assets_and_data_with_their_content_types() {
    let site = Site::minimal();
    let server = Server::start(&site);

    let home = server.get("/");
    assert_eq!(home.status, 200, "{home:?}");
    assert_eq!(home.content_type(), "text/html; charset=utf-8");
    assert!(home.body.contains("<title>测试县党员公开平台</title>"), "{}", home.body);

    let unit = server.get("/nanhe-zhen/dongwang/");
    assert_eq!(unit.status, 200, "{unit:?}");
    assert_eq!(unit.content_type(), "text/html; charset=utf-8");
    assert!(unit.body.contains("东王庄村"), "{}", unit.body);

    let css = server.get("/assets/style.css");
    assert_eq!(css.status, 200, "{css:?}");
    assert_eq!(css.content_type(), "text/css; charset=utf-8");
    let theme_css = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/style.css"),
    )
    .unwrap();
    assert_eq!(css.body, theme_css, "the default theme's style sheet, as is");

    let data = server.get("/nanhe-zhen/dongwang/data.json");
    assert_eq!(data.status, 200, "{data:?}");
    assert_eq!(data.content_type(), "application/json");
    let data = common::json(&data.body);
    assert!(data.is_object(), "{data}");

    let sitemap = server.get("/sitemap.xml");
    assert_eq!(sitemap.status, 200, "{sitemap:?}");
    assert_eq!(sitemap.content_type(), "application/xml; charset=utf-8");
    assert!(sitemap.body.starts_with("<?xml"), "{}", sitemap.body);
}

#[test]
fn serves_exactly_what_build_writes_plus_the_live_reload_script() {
    let site = Site::minimal();
    let server = Server::start(&site);
    assert_serves_what_build_writes(&site, &server);
}

#[test]
fn folder_without_slash_redirects_to_the_folder() {
    let site = Site::minimal();
    let server = Server::start(&site);
    for (target, location) in [
        ("/nanhe-zhen", "/nanhe-zhen/"),
        ("/nanhe-zhen/dongwang/zones", "/nanhe-zhen/dongwang/zones/"),
        ("/about", "/about/"),
    ] {
        let response = server.get(target);
        assert_eq!(response.status, 301, "{target}: {response:?}");
        assert_eq!(response.header("location"), Some(location), "{target}: {response:?}");
        let followed = server.get(location);
        assert_eq!(followed.status, 200, "{location}: {followed:?}");
    }
}

#[test]
fn unknown_path_gets_the_sites_404_page() {
    let site = Site::minimal();
    let server = Server::start(&site);
    let page_404 = server.get("/404.html");
    assert_eq!(page_404.status, 200);
    assert!(page_404.body.contains("页面不存在"), "{}", page_404.body);
    for target in ["/no-such-page/", "/no-such-page", "/nanhe-zhen/dongwang/members/m99/", "/index.htm"] {
        let response = server.get(target);
        assert_eq!(response.status, 404, "{target}: {response:?}");
        assert_eq!(response.content_type(), "text/html; charset=utf-8", "{target}");
        assert_eq!(response.body, page_404.body, "{target} answers with the site's 404 page");
        assert_eq!(response.header("location"), None, "{target}");
    }
}

// --- 2. path tricks ----------------------------------------------------------------------------

#[test]
fn path_tricks_get_404_and_nothing_from_outside_the_site() {
    let site = Site::minimal();
    // Files a path trick could reach: in the site root, which is the server's working folder.
    const SECRET: &str = "secret-7d1f0c";
    site.write("Cargo.toml", &format!("[package]\nname = \"{SECRET}\"\n"));
    site.write("secret.txt", SECRET);
    let server = Server::start(&site);
    let page_404 = server.get("/404.html").body;

    for target in [
        "/../Cargo.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/Cargo.toml",
        "/nanhe-zhen/%2e%2e/%2e%2e/Cargo.toml",
        "/nanhe-zhen/../../secret.txt",
        "/./secret.txt",
        "/a%2fb",
        "/nanhe-zhen%2fdongwang/",
        "/%2fetc%2fpasswd",
        "/..%5c..%5cCargo.toml",
        "/nanhe-zhen%5c..%5c..%5csecret.txt",
        "/secret.txt%00.html",
        "//etc/passwd",
        // A protocol-relative redirect target would send the browser to another host.
        "//nanhe-zhen",
        // The sources and the output folder are not the site.
        "/content/site.yaml",
        "/Cargo.toml",
        "/secret.txt",
    ] {
        let response = server.get(target);
        assert_eq!(response.status, 404, "{target}: {response:?}");
        assert_eq!(response.body, page_404, "{target} answers with the site's 404 page");
        assert_eq!(response.header("location"), None, "{target}");
        for leak in [SECRET, "root:", "base_url:"] {
            assert!(!response.body.contains(leak), "{target} leaked `{leak}`:\n{}", response.body);
        }
    }
}

#[test]
fn raw_backslashes_are_refused() {
    let site = Site::minimal();
    site.write("secret.txt", "secret-7d1f0c");
    let server = Server::start(&site);
    for target in ["/..\\secret.txt", "/nanhe-zhen\\..\\..\\secret.txt"] {
        // Not a valid request target: the HTTP layer may refuse it (400) before the site does.
        let response = server.get(target);
        assert!(matches!(response.status, 400 | 404), "{target}: {response:?}");
        assert!(!response.body.contains("secret-7d1f0c"), "{target}: {response:?}");
    }
}

// --- 3. live reload in serve mode only ---------------------------------------------------------

#[test]
fn live_reload_script_is_served_but_never_built() {
    let site = Site::minimal();
    let server = Server::start(&site);
    for target in ["/", ZONES, "/no-such-page/"] {
        let page = server.get(target);
        assert_eq!(page.body.matches(LIVE_RELOAD).count(), 1, "{target}:\n{}", page.body);
        let script = page.body.find(LIVE_RELOAD).unwrap();
        assert!(script < page.body.rfind("</body>").unwrap(), "{target}: script inside <body>");
    }
    // Not in what a build writes, even while a preview runs on the same root.
    site.build_clean();
    for (file, bytes) in site.tree("output") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("EventSource") && !text.contains("__gongkai"), "{file} has live reload");
    }
    assert!(site.read("output/index.html").contains("</body>"));
}

#[test]
fn event_stream_is_server_sent_events() {
    let site = Site::minimal();
    let server = Server::start(&site);
    // Opening the stream checks the status and the content type; no event comes without a change.
    let _events = server.events();
}

// --- 4. an edit to one unit -------------------------------------------------------------------

#[test]
fn unit_edit_shows_on_its_pages_with_a_reload_event() {
    let site = Site::minimal();
    let server = Server::start(&site);
    let before = server.get(ZONES);
    assert!(before.body.contains("东街片区"), "{}", before.body);
    let mut events = server.events();

    site.replace(&unit("zones.yaml"), "name: 东街片区", "name: 东街责任片区");

    let after = server.wait_for(ZONES, "show the new zone name", |r| r.body.contains("东街责任片区"));
    assert_eq!(after.status, 200);
    assert!(!after.body.contains("东街片区"), "the old name is gone:\n{}", after.body);
    let generation = events.next_data().unwrap_or_else(|| panic!("no reload event\n{}", server.log()));
    assert!(generation.parse::<u64>().is_ok_and(|g| g > 0), "data: {generation}");
    let line = server.wait_for_stdout("增量更新：");
    assert!(line.contains("个文件有变化"), "{line}");
    // Every page that shows the zone follows, and nothing else differs from a fresh build.
    assert_serves_what_build_writes(&site, &server);
    let member = server.get("/nanhe-zhen/dongwang/members/m01/");
    assert!(member.body.contains("东街责任片区"), "{}", member.body);
}

#[test]
fn every_reload_event_has_a_new_generation() {
    let site = Site::minimal();
    let server = Server::start(&site);
    let mut events = server.events();
    let mut last = 0;
    for name in ["东街一片区", "东街二片区"] {
        let text = site.read(&unit("zones.yaml"));
        let old = text.lines().find(|l| l.starts_with("    name: 东街")).unwrap().to_string();
        site.replace(&unit("zones.yaml"), &old, &format!("    name: {name}"));
        server.wait_for(ZONES, "show the new zone name", |r| r.body.contains(name));
        // Drain the events of this edit (an editor's save may come as more than one change).
        let generation: u64 = events.next_data().expect("a reload event").parse().unwrap();
        assert!(generation > last, "generation {generation} after {last}");
        last = generation;
        while let Some(data) = events_now(&mut events) {
            last = data.parse().unwrap();
        }
    }
}

/// A `data:` event already on its way, without waiting for a new one.
fn events_now(events: &mut Events) -> Option<String> {
    events.stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let mut buffer = [0; 4096];
    if let Ok(n @ 1..) = events.stream.read(&mut buffer) {
        events.received.extend_from_slice(&buffer[..n]);
    }
    while let Some(end) = events.received.iter().position(|b| *b == b'\n') {
        let line: Vec<u8> = events.received.drain(..=end).collect();
        if let Some(data) = String::from_utf8_lossy(&line).trim_end().strip_prefix("data:") {
            return Some(data.trim().to_string());
        }
    }
    None
}

// --- 5. errors: the last good pages with an overlay ---------------------------------------------

/// Breaks zones.yaml by replacing `from` with `to`, expects the overlay on every HTML page with
/// exactly what `gongkai check` prints (first line `diagnostic`), over the last good pages; then
/// repairs the file and expects the overlay gone without a restart.
#[track_caller]
fn overlay_until_fixed(from: &str, to: &str, diagnostic: &str) {
    let site = Site::minimal();
    let server = Server::start(&site);
    let good_zones = server.get(ZONES).body;
    let good_home = server.get("/").body;
    let good_404 = server.get("/no-such-page/").body;
    let css = server.get("/assets/style.css").body;
    let data = server.get("/nanhe-zhen/dongwang/data.json").body;
    let mut events = server.events();

    let good_file = site.read(&unit("zones.yaml"));
    site.replace(&unit("zones.yaml"), from, to);

    let broken = server.wait_for(ZONES, "show the error overlay", |r| r.body.contains(OVERLAY));
    assert_eq!(broken.status, 200, "the last good page is still served");
    assert!(events.next_data().is_some(), "a reload event shows the overlay\n{}", server.log());

    // The overlay shows what `gongkai check` prints, from the exact file:line:column on.
    let shown = overlay_text(&broken.body);
    assert_eq!(shown.lines().next(), Some(diagnostic), "overlay:\n{shown}");
    let check = site.run(&["check"]);
    check.code(1).errors(1);
    assert_eq!(check.stderr.lines().next(), Some(diagnostic), "{}", check.stderr);
    assert_eq!(check.stderr, format!("{shown}\n{CHECK_END}\n"), "overlay text and `gongkai check` differ");
    server.wait_for_stderr(diagnostic);

    // Over the last good pages, on every HTML page, and only on HTML.
    let overlay_html = overlay(&broken.body).unwrap().to_string();
    assert_eq!(broken.body.replace(&overlay_html, ""), good_zones, "zones page under the overlay");
    let home = server.get("/");
    assert_eq!(home.body.replace(&overlay_html, ""), good_home, "home page under the overlay");
    let missing = server.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body.replace(&overlay_html, ""), good_404, "404 page under the overlay");
    assert!(overlay_html.contains(LIVE_RELOAD), "the overlay page still reloads when fixed");
    assert_eq!(server.get("/assets/style.css").body, css, "no overlay in CSS");
    assert_eq!(server.get("/nanhe-zhen/dongwang/data.json").body, data, "no overlay in JSON");

    // Repairing the file removes the overlay and serves the site as built.
    site.write(&unit("zones.yaml"), &good_file);
    let fixed = server.wait_for(ZONES, "drop the error overlay", |r| !r.body.contains(OVERLAY));
    assert_eq!(fixed.body, good_zones);
    assert!(events.next_data().is_some(), "a reload event removes the overlay\n{}", server.log());
    assert!(!server.get("/").body.contains(OVERLAY));
    assert_serves_what_build_writes(&site, &server);
}

#[test]
fn invalid_yaml_keeps_last_good_pages_with_the_error_over_them() {
    overlay_until_fixed(
        "[m03, m04]",
        "[m03, m04",
        "content/nanhe-zhen/dongwang/zones.yaml:15:9: 错误: 方括号“[”没有配对的“]”，或者两项之间少了英文逗号",
    );
}

#[test]
fn unknown_member_keeps_last_good_pages_with_the_error_over_them() {
    overlay_until_fixed(
        "[m03, m04]",
        "[m03, m09]",
        "content/nanhe-zhen/dongwang/zones.yaml:14:20: 错误: 责任区“西街片区”的党员“m09”不在党员名单中",
    );
}

#[test]
fn second_error_replaces_the_first_and_a_fix_elsewhere_is_not_enough() {
    let site = Site::minimal();
    let server = Server::start(&site);
    let good_zones = server.get(ZONES).body;

    site.replace(&unit("zones.yaml"), "[m03, m04]", "[m03, m09]");
    let first =
        "content/nanhe-zhen/dongwang/zones.yaml:14:20: 错误: 责任区“西街片区”的党员“m09”不在党员名单中";
    server.wait_for(ZONES, "show the first error", |r| {
        overlay(&r.body).is_some() && overlay_text(&r.body).starts_with(first)
    });

    // A second broken file: both errors are shown, as `gongkai check` shows them.
    site.replace(&unit("posts.yaml"), "  - member: m02\n", "  - member: m08\n");
    let both = server.wait_for(ZONES, "show both errors", |r| {
        overlay(&r.body).is_some() && overlay_text(&r.body).contains("posts.yaml")
    });
    let check = site.run(&["check"]);
    check.code(1).errors(2);
    let shown = overlay_text(&both.body);
    assert_eq!(check.stderr, format!("{shown}\n共 2 个错误，未生成网站；已发布的内容没有改动\n"));

    // Fixing one leaves the other.
    site.replace(&unit("zones.yaml"), "[m03, m09]", "[m03, m04]");
    let one = server.wait_for(ZONES, "show only the posts error", |r| {
        overlay(&r.body).is_some() && !overlay_text(&r.body).contains("zones.yaml")
    });
    assert!(overlay_text(&one.body).starts_with("content/nanhe-zhen/dongwang/posts.yaml:"), "{}", one.body);
    assert_eq!(one.body.replace(overlay(&one.body).unwrap(), ""), good_zones);

    site.replace(&unit("posts.yaml"), "  - member: m08\n", "  - member: m02\n");
    let fixed = server.wait_for(ZONES, "drop the error overlay", |r| !r.body.contains(OVERLAY));
    assert_eq!(fixed.body, good_zones);
}

// --- 6. editors' atomic saves -----------------------------------------------------------------

#[test]
fn atomic_save_by_rename_is_picked_up() {
    let site = Site::minimal();
    let server = Server::start(&site);
    let zones = unit("zones.yaml");

    // Write a temporary file beside the original, then rename it over the original.
    let text = site.read(&zones).replace("name: 东街片区", "name: 东街甲片区");
    site.write(&format!("{UNIT}/zones.yaml.tmp"), &text);
    site.rename(&format!("{UNIT}/zones.yaml.tmp"), &zones);
    server.wait_for(ZONES, "show the renamed-in save", |r| r.body.contains("东街甲片区"));

    // The same through a hidden swap-style name.
    let text = site.read(&zones).replace("name: 东街甲片区", "name: 东街乙片区");
    site.write(&format!("{UNIT}/.zones.yaml.swp"), &text);
    site.rename(&format!("{UNIT}/.zones.yaml.swp"), &zones);
    server.wait_for(ZONES, "show the second renamed-in save", |r| r.body.contains("东街乙片区"));

    // Vim's way without backupcopy: move the original to a backup, write anew, drop the backup.
    let text = site.read(&zones).replace("name: 东街乙片区", "name: 东街丙片区");
    site.rename(&zones, &format!("{zones}~"));
    site.write(&zones, &text);
    std::fs::remove_file(site.path(&format!("{zones}~"))).unwrap();
    server.wait_for(ZONES, "show the backup-style save", |r| r.body.contains("东街丙片区"));

    assert_serves_what_build_writes(&site, &server);
    assert!(!server.get(ZONES).body.contains(OVERLAY));
}

// --- 7. templates ------------------------------------------------------------------------------

/// The default theme's 404 template with another heading.
fn custom_404_template() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/404.html");
    let default = std::fs::read_to_string(path).unwrap();
    assert_eq!(default.matches("<h1>页面不存在</h1>").count(), 1, "the default 404 template changed");
    default.replace("<h1>页面不存在</h1>", "<h1>此页已经移走</h1>")
}

#[test]
fn template_override_added_while_serving_changes_the_page() {
    let site = Site::minimal();
    // A theme folder that overrides nothing yet.
    std::fs::create_dir_all(site.path("themes/default/templates")).unwrap();
    let server = Server::start(&site);
    assert!(server.get("/no-such-page/").body.contains("<h1>页面不存在</h1>"));

    site.write("themes/default/templates/404.html", &custom_404_template());
    let page = server.wait_for("/no-such-page/", "use the new template", |r| r.body.contains("此页已经移走"));
    assert_eq!(page.status, 404);
    assert!(!page.body.contains("<h1>页面不存在</h1>"));
    server.wait_for_stdout("全部重新生成：");
    assert_serves_what_build_writes(&site, &server);
}

#[test]
fn first_theme_folder_created_while_serving_is_watched() {
    let site = Site::minimal();
    assert!(!site.exists("themes"));
    let server = Server::start(&site);

    site.write("themes/default/templates/404.html", &custom_404_template());
    server.wait_for("/no-such-page/", "use the new template", |r| r.body.contains("此页已经移走"));
}

#[test]
fn template_error_shows_overlay_until_fixed() {
    let site = Site::minimal();
    site.write("themes/default/templates/404.html", &custom_404_template());
    let server = Server::start(&site);
    let good = server.get(ZONES).body;

    site.write("themes/default/templates/404.html", "{% extends \"base.html\" %}{% block content %}{{ oops");
    let broken = server.wait_for(ZONES, "show the template error", |r| r.body.contains(OVERLAY));
    // The overlay shows what `gongkai build` prints for the same template.
    let shown = overlay_text(&broken.body);
    assert!(shown.contains("404.html:1:52"), "{shown}");
    let build = site.run(&["build", "--quiet"]);
    build.code(1).errors(1);
    assert_eq!(build.stderr, format!("{shown}\n{CHECK_END}\n"), "overlay text and `gongkai build` differ");
    assert_eq!(broken.body.replace(overlay(&broken.body).unwrap(), ""), good);

    site.write("themes/default/templates/404.html", &custom_404_template());
    let fixed = server.wait_for(ZONES, "drop the error overlay", |r| !r.body.contains(OVERLAY));
    assert_eq!(fixed.body, good);
}

// --- 8. loopback only ---------------------------------------------------------------------------

/// This machine's address on its outward-facing interface, if it has one: the local end of a UDP
/// socket "connected" to a documentation address (connecting a UDP socket sends nothing).
fn non_loopback_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

#[test]
fn binds_only_loopback_by_default() {
    let site = Site::minimal();
    let server = Server::start(&site);
    assert_eq!(server.get("/").status, 200, "127.0.0.1 answers");

    let Some(ip) = non_loopback_address() else {
        eprintln!("no non-loopback address on this machine; skipping that half of the test");
        return;
    };
    // That address is reachable from here when something listens on it…
    let control = TcpListener::bind((ip, 0)).expect("binding the machine's own address");
    TcpStream::connect_timeout(&control.local_addr().unwrap(), Duration::from_secs(5))
        .expect("connecting to a listener on the machine's own address");
    drop(control);
    // …but the preview does not.
    let outside = SocketAddr::new(ip, server.port);
    let connected = TcpStream::connect_timeout(&outside, Duration::from_secs(5));
    assert!(connected.is_err(), "the preview answers on {outside}");
    assert_eq!(server.get("/").status, 200, "127.0.0.1 still answers");
}

// --- 9. a busy port -----------------------------------------------------------------------------

#[test]
fn second_serve_on_the_same_port_exits_with_code_2() {
    let site = Site::minimal();
    let first = Server::start(&site);
    let port = first.port.to_string();

    let second = run_with_timeout(site.command(&["serve", "--port", &port]), STARTUP);
    second.code(2);
    assert!(second.stderr.contains("已被占用"), "{}", second.stderr);
    assert!(second.stderr.contains("--port"), "{}", second.stderr);
    assert!(!second.stdout.contains("正在预览"), "{}", second.stdout);
    assert_eq!(first.get("/").status, 200, "the first preview keeps serving");
}

#[test]
fn serve_without_content_folder_exits_with_code_2() {
    let site = Site::empty();
    let run = run_with_timeout(site.command(&["serve", "--port", &free_port().to_string()]), STARTUP);
    run.code(2);
    assert!(run.stderr.contains("content/"), "{}", run.stderr);
}

// --- 10. a member removed ----------------------------------------------------------------------

#[test]
fn removed_member_page_is_gone_and_unlisted() {
    let site = Site::minimal();
    let server = Server::start(&site);
    let member = "/nanhe-zhen/dongwang/members/m03/";
    assert_eq!(server.get(member).status, 200);
    for page in ["/nanhe-zhen/dongwang/", ZONES, "/nanhe-zhen/dongwang/posts/"] {
        let body = server.get(page).body;
        assert!(body.contains("张志强") && body.contains("members/m03/"), "{page} lists m03:\n{body}");
    }

    // Remove m03 from the members, and everything that refers to it.
    site.replace(&unit("zones.yaml"), "members: [m03, m04]", "members: [m04]");
    site.replace(
        &unit("posts.yaml"),
        "  - member: m03\n    title: 环境卫生监督岗\n    duties: [督促清理街道垃圾]\n    commitments: [每周巡查一次西街]\n    records:\n      - { date: 2016-07-18, summary: 组织清理西街排水沟 }\n",
        "",
    );
    site.replace(
        &unit("assessments/2016.yaml"),
        "  - member: m03\n    self: 70\n    masses: 66\n    organization: 62\n    action: 帮助\n    note: 支部安排老党员结对帮助\n",
        "",
    );
    site.replace(&unit("unit.yaml"), "  - id: m03\n    name: 张志强\n    group: g2\n    joined: 2005\n", "");

    let gone = server.wait_for(member, "be gone", |r| r.status == 404);
    assert!(gone.body.contains("页面不存在"), "{}", gone.body);
    for page in [
        "/nanhe-zhen/dongwang/",
        ZONES,
        "/nanhe-zhen/dongwang/posts/",
        "/nanhe-zhen/dongwang/assessments/2016/",
    ] {
        let body = server.wait_for(page, "stop listing m03", |r| !r.body.contains("members/m03/")).body;
        assert!(!body.contains("张志强"), "{page} still names m03:\n{body}");
        assert!(!body.contains(OVERLAY), "{page}: {}", body);
    }
    let data = server.get("/nanhe-zhen/dongwang/data.json").body;
    assert!(!data.contains("张志强") && !data.contains("\"m03\""), "{data}");
    let sitemap = server.get("/sitemap.xml").body;
    assert!(!sitemap.contains("members/m03/"), "{sitemap}");
    assert_serves_what_build_writes(&site, &server);
}

// --- incremental rebuilds agree with a full build -----------------------------------------------

/// Serves the site, applies `edit`, and expects the preview to end up serving exactly what a
/// fresh `gongkai build` of the edited content writes, and 404 for every file that build no
/// longer writes.
#[track_caller]
fn edit_matches_a_full_build(site: &Site, edit: impl FnOnce(&Site)) {
    let server = Server::start(site);
    site.run(&["build", "--quiet"]).code(0);
    let before = site.tree("output");

    edit(site);
    assert_serves_what_build_writes(site, &server);
    let after = site.tree("output");
    assert!(after != before, "the edit changes the built site");
    for file in before.keys().filter(|f| !after.contains_key(*f)) {
        server.wait_for(&target_of(file), "be gone", |r| r.status == 404);
    }
    assert!(server.stderr().is_empty(), "{}", server.log());
}

#[test]
fn unit_turning_compliant_updates_the_summaries() {
    // The sample's 新园社区 lacks a zone for m08; giving it one turns its first disclosure green
    // on the home page, the dashboard and its section.
    let site = Site::sample();
    edit_matches_a_full_build(&site, |s| {
        s.replace(
            "content/beiyuan-xiang/xinyuan-shequ/zones.yaml",
            "members: [m01]\n",
            "members: [m01, m08]\n",
        )
    });
}

#[test]
fn unit_rename_updates_every_page_that_names_it() {
    let site = Site::sample();
    edit_matches_a_full_build(&site, |s| {
        s.replace("content/nanhe-zhen/dongwangzhuang-cun/unit.yaml", "name: 东王庄村\n", "name: 东王庄新村\n")
    });
}

#[test]
fn notice_added_to_a_unit_is_published_and_listed() {
    let site = Site::sample();
    edit_matches_a_full_build(&site, |s| {
        s.write(
            "content/nanhe-zhen/dongwangzhuang-cun/notices/2016-12-30-xinnian-zoufang.md",
            "---\ntitle: 东王庄村新年走访安排\ndate: 2016-12-30\n---\n元旦前走访全村困难户。\n",
        )
    });
}

#[test]
fn notice_body_edited_shows_on_its_page_and_in_the_feeds() {
    // Notice bodies are rendered once and kept with the notice; an edit must not show the old one.
    let site = Site::sample();
    let file = "content/nanhe-zhen/dongwangzhuang-cun/notices/2016-12-20-kaohe-jieguo-gongshi.md";
    edit_matches_a_full_build(&site, |s| {
        let text = std::fs::read_to_string(s.path(file)).unwrap();
        std::fs::write(s.path(file), format!("{text}\n补充：公示期内每天上午在村委会接待来访。\n")).unwrap()
    });
}

#[test]
fn notice_removed_from_a_unit_is_gone() {
    let site = Site::sample();
    edit_matches_a_full_build(&site, |s| {
        std::fs::remove_file(
            s.path("content/nanhe-zhen/dongwangzhuang-cun/notices/2016-12-20-kaohe-jieguo-gongshi.md"),
        )
        .unwrap()
    });
}

#[test]
fn unit_added_while_serving_is_published() {
    let site = Site::minimal();
    edit_matches_a_full_build(&site, |s| {
        s.run(&["new", "unit", "nanhe-zhen/xizhuang", "--kind", "village", "--name", "西庄村"]).code(0);
    });
}

#[test]
fn unit_removed_while_serving_is_gone() {
    let site = Site::sample();
    edit_matches_a_full_build(&site, |s| {
        std::fs::remove_dir_all(s.path("content/beiyuan-xiang/houzhuang-cun")).unwrap()
    });
}

#[test]
fn site_settings_edit_rebuilds_everything() {
    let site = Site::minimal();
    edit_matches_a_full_build(&site, |s| {
        s.replace("content/site.yaml", "title: 测试县党员公开平台\n", "title: 测试县公开平台\n")
    });
}

// --- 10. under load -----------------------------------------------------------------------------

/// The sample county with its sections copied until it has 40 units (about 1,000 files).
fn county() -> Site {
    let site = Site::sample();
    for copy in 2..=5 {
        for section in ["beiyuan-xiang", "nanhe-zhen", "xianzhi-jiguan"] {
            common::copy_dir(
                &site.path(&format!("content/{section}")),
                &site.path(&format!("content/{section}-{copy}")),
            );
        }
    }
    site
}

/// Requests in flight at once.
const CONCURRENT: usize = 1_000;
/// Client threads; each opens its share of the connections before reading any answer.
const CLIENTS: usize = 8;
/// The whole burst, edits included, must end within this.
const LOAD: Duration = Duration::from_secs(120);

/// The unit whose zones the editing thread keeps changing, and the page that shows them.
const LOAD_ZONES: &str = "content/nanhe-zhen/dongwangzhuang-cun/zones.yaml";
const LOAD_ZONES_PAGE: &str = "/nanhe-zhen/dongwangzhuang-cun/zones/";
/// The zone name the edits alternate between; every served zones page holds exactly one.
const ZONE_NAMES: [&str; 2] = ["东街片区", "东街甲片区"];

/// Edits one unit's zones (an incremental rebuild) and, every fifth time, the site title (a full
/// rebuild; saved in place and by rename in turn), until `stop`; returns how many edits it made.
fn keep_editing(site: &Site, stop: &std::sync::atomic::AtomicBool) -> usize {
    use std::sync::atomic::Ordering;
    let zones = site.read(LOAD_ZONES);
    let title = "title: 示范县党员“七权七责”公开平台\n";
    let mut edits = 0;
    while !stop.load(Ordering::Relaxed) {
        let (file, text) = if edits % 5 == 4 {
            let text = site.read("content/site.yaml");
            let next = if text.contains(title) {
                text.replace(title, "title: 示范县党员公开平台\n")
            } else {
                text.replace("title: 示范县党员公开平台\n", title)
            };
            ("content/site.yaml", next)
        } else {
            let name = ZONE_NAMES[edits % 2];
            (LOAD_ZONES, zones.replace(&format!("name: {}\n", ZONE_NAMES[0]), &format!("name: {name}\n")))
        };
        // The zones file is saved as most editors do, by rename: a file saved in place can be
        // read half written (Linux grows a file page by page), and a preview can only show what
        // it read until the next change corrects it. `site.yaml` is saved both ways.
        if file == LOAD_ZONES || edits % 10 == 4 {
            site.write(&format!("{file}.tmp"), &text);
            site.rename(&format!("{file}.tmp"), file);
        } else {
            site.write(file, &text);
        }
        edits += 1;
        std::thread::sleep(Duration::from_millis(25));
    }
    edits
}

/// A unit's pages are rendered when asked for, from its files as they are then. Asked for while an
/// editor's in-place save is half done (here: the zones file cut after its first zone), the page
/// waits for the watcher to publish the finished save instead of showing the half file.
#[test]
fn a_page_asked_for_during_a_half_save_shows_the_finished_save() {
    use gongkai::serve::preview::Outcome;
    let site = Site::sample();
    let (pages, mut preview) = site.preview();
    let zones = "content/nanhe-zhen/dongwangzhuang-cun/zones.yaml";
    let whole = site.read(zones).replace("name: 东街片区\n", "name: 东街甲片区\n");
    let half = &whole[..whole.find("  - id: z2").unwrap()];
    site.write(zones, half);
    let page = "nanhe-zhen/dongwangzhuang-cun/zones/index.html";
    std::thread::scope(|scope| {
        let asked = scope.spawn(|| {
            let started = Instant::now();
            (pages.get(page), started.elapsed())
        });
        std::thread::sleep(Duration::from_millis(300));
        site.write(zones, &whole);
        let outcome = preview.apply(&[site.path(zones)], &pages);
        assert!(matches!(outcome, Outcome::Updated { full: false, .. }), "{outcome:?}");
        let (answer, waited) = asked.join().unwrap();
        let html = String::from_utf8(answer.expect("the zones page").to_vec()).unwrap();
        assert!(
            html.contains(">东街甲片区<") && html.contains(">西街片区<"),
            "not the finished save:\n{html}"
        );
        assert!(
            waited >= Duration::from_millis(250),
            "answered after {waited:?}, before the save was finished"
        );
    });
}

/// What one answer of the burst must be: the expected status, a complete body (every HTML page
/// ends with `</html>`: an answer cut short or a page half rendered does not), and for the edited
/// zones page exactly one version of the edited name. Returns the problem, if any.
fn load_problem(target: &str, expected: u16, raw: &[u8]) -> Option<String> {
    let Some(response) = parse_response(raw) else {
        return Some(format!("{target}: not a complete HTTP answer ({} bytes)", raw.len()));
    };
    if response.status != expected {
        return Some(format!("{target}: status {} instead of {expected}", response.status));
    }
    if response.content_type().starts_with("text/html") && !response.body.trim_end().ends_with("</html>") {
        let tail: String =
            response.body.chars().rev().take(80).collect::<Vec<_>>().into_iter().rev().collect();
        return Some(format!("{target}: HTML page does not end with </html>: …{tail}"));
    }
    if target == LOAD_ZONES_PAGE {
        let versions = ZONE_NAMES.iter().filter(|name| response.body.contains(&format!(">{name}<"))).count();
        if versions != 1 {
            return Some(format!("{target}: {versions} versions of the edited zone name"));
        }
    }
    None
}

/// docs/design.md §7 and issue 6: 1,000 requests in flight at once while content files keep changing
/// underneath (unit edits rebuilt incrementally, site edits rebuilt whole, some saved by rename
/// and some in place). Every answer is the expected 200 or 404 with a whole body, no page is
/// half one version and half another, the preview answers normally afterwards and still picks up
/// edits, and it never answers on a non-loopback address.
#[test]
fn a_thousand_concurrent_requests_during_edits_get_whole_pages() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let site = county();
    site.build().code(0);
    let mut targets: Vec<String> = site
        .tree("output")
        .into_keys()
        .filter(|file| file != ".gongkai-output")
        .map(|file| target_of(&file))
        .collect();
    targets.sort();
    assert!(targets.len() > 900, "{} files", targets.len());
    let server = Server::start(&site);
    let address = server.address();

    // Every twentieth request asks for a page that does not exist.
    let requests: Vec<(String, u16)> = (0..CONCURRENT)
        .map(|i| match i {
            _ if i % 20 == 19 => (format!("/nanhe-zhen/no-such-unit-{i}/"), 404),
            _ if i % 10 == 3 => (LOAD_ZONES_PAGE.to_string(), 200),
            _ => (targets[i * 7 % targets.len()].clone(), 200),
        })
        .collect();

    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let (edits, problems) = std::thread::scope(|scope| {
        let editor = scope.spawn(|| keep_editing(&site, &stop));
        // Let a few edits land first, so the burst meets rebuilds in progress.
        std::thread::sleep(Duration::from_millis(100));
        let clients: Vec<_> = requests
            .chunks(CONCURRENT / CLIENTS)
            .map(|share| {
                scope.spawn(move || {
                    // Open every connection and send every request before reading any answer.
                    let mut open = Vec::new();
                    for (target, expected) in share {
                        let mut stream = connect(address);
                        write!(
                            stream,
                            "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
                        )
                        .unwrap();
                        open.push((stream, target, *expected));
                    }
                    let mut problems = Vec::new();
                    for (mut stream, target, expected) in open {
                        let mut raw = Vec::new();
                        if let Err(error) = stream.read_to_end(&mut raw) {
                            problems.push(format!("{target}: reading the answer: {error}"));
                        } else {
                            problems.extend(load_problem(target, expected, &raw));
                        }
                    }
                    problems
                })
            })
            .collect();
        let problems: Vec<String> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
        stop.store(true, Ordering::Relaxed);
        (editor.join().unwrap(), problems)
    });
    let elapsed = started.elapsed();
    eprintln!("{CONCURRENT} concurrent requests with {edits} edits in {elapsed:?}");
    assert!(
        problems.is_empty(),
        "{} bad answers of {CONCURRENT}:\n{}\n{}",
        problems.len(),
        problems.join("\n"),
        server.log()
    );
    assert!(edits >= 3, "only {edits} edits happened during the burst");
    assert!(elapsed < LOAD, "the burst took {elapsed:?}");

    // Afterwards: a last edit shows, without an error overlay, and pages still come whole.
    let text = site
        .read(LOAD_ZONES)
        .replace(&format!("name: {}\n", ZONE_NAMES[1]), &format!("name: {}\n", ZONE_NAMES[0]));
    let text = text.replace(&format!("name: {}\n", ZONE_NAMES[0]), "name: 东街乙片区\n");
    site.write(&format!("{LOAD_ZONES}.tmp"), &text);
    site.rename(&format!("{LOAD_ZONES}.tmp"), LOAD_ZONES);
    let zones = server.wait_for(LOAD_ZONES_PAGE, "show the last edit", |r| r.body.contains(">东街乙片区<"));
    assert!(
        !zones.body.contains(OVERLAY),
        "an error overlay after the burst:\n{}",
        overlay_text(&zones.body)
    );
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.trim_end().ends_with("</html>"));

    // Loopback only, under load as at rest.
    if let Some(ip) = non_loopback_address() {
        let outside = SocketAddr::new(ip, server.port);
        assert!(
            TcpStream::connect_timeout(&outside, Duration::from_secs(5)).is_err(),
            "answers on {outside}"
        );
    }
}

// --- 11. who may ask (issue 18) -------------------------------------------------------------------

/// The start of every refusal's text.
const REFUSED: &str = "403 拒绝访问：";

/// Sends `request` (a whole request head, `\r\n`-separated, without the final empty line) and
/// reads the answer: the whole of it, or only the head for an event stream, which never ends.
fn ask(address: SocketAddr, request: &str) -> Response {
    let mut stream = connect(address);
    write!(stream, "{request}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    let mut buffer = [0; 4096];
    let end = loop {
        if let Some(end) = find(&raw, b"\r\n\r\n") {
            break end;
        }
        let n = stream.read(&mut buffer).unwrap_or(0);
        assert!(n > 0, "no whole answer to\n{request}\ngot {}", String::from_utf8_lossy(&raw));
        raw.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    if head.contains("content-type: text/event-stream") {
        // The head alone, with an empty body in the stream's (chunked) encoding.
        raw.truncate(end + 4);
        if head.contains("transfer-encoding: chunked") {
            raw.extend_from_slice(b"0\r\n\r\n");
        }
    } else {
        stream.read_to_end(&mut raw).unwrap_or_else(|e| panic!("reading the answer to\n{request}\n{e}"));
    }
    parse_response(&raw).unwrap_or_else(|| panic!("not an HTTP answer:\n{}", String::from_utf8_lossy(&raw)))
}

/// `GET <target>` with the given `Host` value and extra header lines.
fn ask_as(server: &Server, target: &str, host: &str, headers: &[&str]) -> Response {
    let mut request = format!("GET {target} HTTP/1.1\r\nHost: {host}");
    for header in headers {
        request.push_str("\r\n");
        request.push_str(header);
    }
    ask(server.address(), &request)
}

/// A refusal: 403, plain text, the Chinese explanation, and nothing from the site.
#[track_caller]
fn assert_refused(response: &Response, why: &str) {
    assert_eq!(response.status, 403, "{why}: {response:?}");
    assert_eq!(response.content_type(), "text/plain; charset=utf-8", "{why}");
    assert!(response.body.starts_with(REFUSED), "{why}: {}", response.body);
    for leak in ["测试县", "东王庄村", "<html", "<title", OVERLAY, "zones.yaml", "EventSource"] {
        assert!(!response.body.contains(leak), "{why}: the refusal shows `{leak}`:\n{}", response.body);
    }
}

/// A page of the site: 200 with the site's title.
#[track_caller]
fn assert_answered(response: &Response, why: &str) {
    assert_eq!(response.status, 200, "{why}: {}", response.body);
    assert!(response.body.contains("<title>测试县党员公开平台</title>"), "{why}: {}", response.body);
}

#[test]
fn answers_this_computers_names_with_or_without_port_in_any_case() {
    let site = Site::minimal();
    let server = Server::start(&site);
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        "127.0.0.1".to_string(),
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("LocalHost:{port}"),
        format!("LOCALHOST.:{port}"),
        format!("127.0.0.1.:{port}"),
        format!("[::1]:{port}"),
        "[::1]".to_string(),
        format!("[0:0:0:0:0:0:0:1]:{port}"),
        // Another port: an SSH tunnel (`ssh -L 8080:localhost:1111`) changes it.
        "localhost:8080".to_string(),
    ] {
        assert_answered(&ask_as(&server, "/", &host, &[]), &host);
    }
}

#[test]
fn refuses_other_hosts_with_403_and_nothing_from_the_site() {
    let site = Site::minimal();
    let server = Server::start(&site);
    let port = server.port;
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("EVIL.EXAMPLE.:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("0.0.0.0:{port}"),
        format!("127.0.0.2:{port}"),
        format!("192.168.1.20:{port}"),
        format!("[::2]:{port}"),
        format!("[::1]x:{port}"),
        format!("localhost:{port}:{port}"),
        "localhost:".to_string(),
        String::new(),
    ] {
        for target in ["/", "/nanhe-zhen/dongwang/", "/assets/style.css", "/no-such-page/", "/../etc/passwd"]
        {
            assert_refused(&ask_as(&server, target, &host, &[]), &format!("Host `{host}`, {target}"));
        }
    }
    let evil = ask_as(&server, "/", &format!("evil.example:{port}"), &[]);
    assert_eq!(
        evil.body,
        format!(
            "403 拒绝访问：gongkai 预览只回应用本机地址打开的请求，不回应“evil.example:{port}”。\n\
请在这台电脑上打开 http://127.0.0.1:{port}/ 。\n\
要在同一网络的手机上预览，请用 gongkai serve --bind 0.0.0.0 --allow-host <这台电脑的局域网地址> 启动。\n\
这样做是为了不让您浏览的其他网站借浏览器读取预览中尚未发布的内容。\n"
        )
    );
    assert_eq!(evil.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(evil.header("cache-control"), Some("no-store"));

    // No Host at all (HTTP/1.0), two of them, or an absolute target naming another host.
    assert_refused(&ask(server.address(), "GET / HTTP/1.0"), "no Host");
    let two = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example");
    assert_eq!(ask(server.address(), &two).status, 403, "two Host headers");
    let absolute = format!("GET http://evil.example:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}");
    assert_refused(&ask(server.address(), &absolute), "absolute target");
    // The ordinary client still gets the page.
    assert_answered(&server.get("/"), "after the refusals");
}

#[test]
fn refused_request_shows_no_error_overlay_or_file_paths() {
    let site = Site::minimal();
    let server = Server::start(&site);
    site.replace(&unit("zones.yaml"), "[m03, m04]", "[m03, m09]");
    server.wait_for(ZONES, "show the error overlay", |r| r.body.contains(OVERLAY));
    for target in [ZONES, "/no-such-page/", "/"] {
        assert_refused(&ask_as(&server, target, "evil.example", &[]), target);
    }
}

#[test]
fn event_stream_obeys_the_host_rule_and_refuses_other_origins() {
    let site = Site::minimal();
    let server = Server::start(&site);
    let port = server.port;
    let own = format!("127.0.0.1:{port}");
    let stream = |host: &str, origin: Option<&str>| {
        let origin = origin.map(|o| format!("Origin: {o}"));
        let mut headers = vec!["Accept: text/event-stream"];
        headers.extend(origin.as_deref());
        ask_as(&server, "/__gongkai/events", host, &headers)
    };
    assert_refused(&stream("evil.example", None), "event stream for another host");
    assert_refused(&stream(&format!("evil.example:{port}"), Some("http://evil.example")), "rebound name");
    for origin in
        ["http://evil.example", "null", &format!("http://localhost:{}", port + 1), &format!("https://{own}")]
    {
        let refused = stream(&own, Some(origin));
        assert_refused(&refused, origin);
        assert!(refused.body.contains("不能使用 gongkai 预览的内部接口"), "{}", refused.body);
    }
    for origin in [None, Some(format!("http://{own}").as_str())] {
        let answered = stream(&own, origin);
        assert_eq!(answered.status, 200, "{origin:?}: {answered:?}");
        assert_eq!(answered.content_type(), "text/event-stream", "{origin:?}");
    }
    // Any other address under /__gongkai/ is refused the same way, before it is looked up.
    assert_refused(&ask_as(&server, "/__gongkai/other", &own, &["Origin: http://evil.example"]), "other");
}

#[test]
fn another_sites_page_cannot_load_the_previews_files() {
    let site = Site::minimal();
    let server = Server::start(&site);
    let own = format!("127.0.0.1:{}", server.port);
    for (site_header, mode) in [("cross-site", "no-cors"), ("same-site", "cors"), ("cross-site", "cors")] {
        let headers = [format!("Sec-Fetch-Site: {site_header}"), format!("Sec-Fetch-Mode: {mode}")];
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        let refused = ask_as(&server, "/assets/style.css", &own, &headers);
        assert_refused(&refused, &format!("{site_header} {mode}"));
        assert!(refused.body.contains("不能载入 gongkai 预览的文件"), "{}", refused.body);
    }
    // Following a link from another site, or the preview's own page loading its files, works.
    let link = ask_as(&server, "/", &own, &["Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate"]);
    assert_answered(&link, "a link from another site");
    let own_file = ask_as(
        &server,
        "/assets/style.css",
        &own,
        &["Sec-Fetch-Site: same-origin", "Sec-Fetch-Mode: no-cors"],
    );
    assert_eq!(own_file.status, 200);
}

#[test]
fn allow_host_admits_the_names_given_and_no_others() {
    let site = Site::minimal();
    let server = Server::start_with(&site, &["--allow-host", "Phone.Lan", "--allow-host", "192.168.1.20"]);
    let port = server.port;
    for host in [format!("phone.lan:{port}"), "PHONE.LAN.".to_string(), format!("192.168.1.20:{port}")] {
        assert_answered(&ask_as(&server, "/", &host, &[]), &host);
    }
    for host in [format!("other.lan:{port}"), format!("x.phone.lan:{port}"), format!("192.168.1.21:{port}")] {
        assert_refused(&ask_as(&server, "/", &host, &[]), &host);
    }
    let stdout = server.stdout();
    for line in
        [format!("也可以打开 http://phone.lan:{port}/"), format!("也可以打开 http://192.168.1.20:{port}/")]
    {
        assert!(stdout.contains(&line), "stdout lacks `{line}`:\n{}", server.log());
    }
    // The event stream too.
    let events = ask_as(&server, "/__gongkai/events", &format!("phone.lan:{port}"), &[]);
    assert_eq!(events.content_type(), "text/event-stream");
}

#[test]
fn allow_host_that_is_no_host_name_exits_with_code_2() {
    let site = Site::minimal();
    let run = run_with_timeout(
        site.command(&["serve", "--port", &free_port().to_string(), "--allow-host", "a b"]),
        STARTUP,
    );
    run.code(2);
    assert_eq!(
        run.stderr,
        "错误: --allow-host a b 不是有效的主机名或 IP 地址；例如 --allow-host 192.168.1.20\n"
    );
}

#[test]
fn bind_that_is_no_ip_address_exits_with_code_2() {
    let site = Site::minimal();
    let run = run_with_timeout(
        site.command(&["serve", "--port", &free_port().to_string(), "--bind", "localhost"]),
        STARTUP,
    );
    run.code(2);
    assert_eq!(
        run.stderr,
        "错误: --bind localhost 不是有效的 IP 地址；例如 --bind 127.0.0.1 或 --bind 0.0.0.0\n"
    );
}

#[test]
fn bind_address_is_answered_by_its_own_name() {
    let site = Site::minimal();
    let ip: IpAddr = "127.0.0.2".parse().unwrap();
    let server = Server::start_at(&site, ip, &["--bind", "127.0.0.2"]);
    let port = server.port;
    for host in [format!("127.0.0.2:{port}"), format!("localhost:{port}")] {
        assert_answered(&ask_as(&server, "/", &host, &[]), &host);
    }
    assert_refused(&ask_as(&server, "/", &format!("127.0.0.3:{port}"), &[]), "127.0.0.3");
}

#[test]
fn ipv6_loopback_bind_answers_its_bracketed_name() {
    if TcpListener::bind("[::1]:0").is_err() {
        eprintln!("no IPv6 loopback on this machine; skipping");
        return;
    }
    let site = Site::minimal();
    let server = Server::start_at(&site, "::1".parse().unwrap(), &["--bind", "::1"]);
    let port = server.port;
    assert_answered(&ask_as(&server, "/", &format!("[::1]:{port}"), &[]), "[::1]");
    assert_refused(&ask_as(&server, "/", &format!("[::2]:{port}"), &[]), "[::2]");
}

#[test]
fn every_address_bind_names_this_computer_and_says_how_to_admit_a_phone() {
    let site = Site::minimal();
    let server = Server::start_at(&site, IpAddr::V4(Ipv4Addr::LOCALHOST), &["--bind", "0.0.0.0"]);
    let port = server.port;
    assert_answered(&server.get("/"), "127.0.0.1");
    // 0.0.0.0 is no name a browser should use, and other addresses of this computer need --allow-host.
    assert_refused(&ask_as(&server, "/", &format!("0.0.0.0:{port}"), &[]), "0.0.0.0");
    if let Some(ip) = non_loopback_address() {
        let host = SocketAddr::new(ip, port).to_string();
        assert_refused(&get_via(SocketAddr::new(ip, port), &host), &host);
    }
    let hint = server.wait_for_stdout("提示：其他设备（如手机）访问时会被拒绝；请加上 --allow-host ");
    assert!(hint.ends_with(&format!(":{port}/ 打开")), "{hint}");
}

/// `GET /` sent to `address` with that address as `Host`.
fn get_via(address: SocketAddr, host: &str) -> Response {
    ask(address, &format!("GET / HTTP/1.1\r\nHost: {host}"))
}
