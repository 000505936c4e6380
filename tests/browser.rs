//! Browser tests: the built site as residents get it, from a static host into a phone's browser.
//!
//! Debian's Chromium runs headless and is driven over the DevTools protocol (`browser/cdp.rs`, a
//! small client over Chromium's debugging pipe). Each test builds a site, serves `output/` from a
//! small static HTTP server on 127.0.0.1 inside the test (as a plain static host would: files,
//! `index.html` for folders, `404.html` for the rest) and loads its pages.
//!
//! 1. axe-core (WCAG 2.1 A and AA rules) finds no violation on any page of the sample county.
//! 2. At 360 × 740 (a phone) no page scrolls sideways, a village of 100+ members included.
//! 3. The printable notice of every unit prints on exactly one A4 page.
//! 4. The QR codes of the notice and the zone signs decode to the unit's and members' addresses.
//! 5. With JavaScript off, a unit page still shows its members and results.
//! 6. XSS payloads in every text field run nothing in the browser (no dialog, no sentinel).
//! 7. Search finds a member by a two-character name and a zone by a street fragment.
//! 11. 长者模式 works without JavaScript on every page type and meets its measures (text, line
//!     spacing, contrast, tap targets); with JavaScript the choice sticks; axe-core in both modes.
//!
//! Needs `/usr/bin/chromium` (`apt-get install chromium`, or `GONGKAI_CHROMIUM=/path`) and axe-core
//! (`npm ci --prefix tests/browser`). When one is missing the tests fail if `CI` is set, and
//! otherwise print a skip line and pass, so `cargo test` works on a machine without them.

#[path = "browser/cdp.rs"]
mod cdp;
mod common;

use common::xss::PAYLOADS;
use common::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The sample county's `base_url`, the prefix of every QR code.
const BASE_URL: &str = "https://gongkai.example.gov.cn/";
/// A phone: the narrowest common width of Android phones in China.
const PHONE: (u32, u32) = (360, 740);
/// How long a page may take to load or a condition to come true.
const PATIENCE: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------
// What the tests need, or a clear skip
// ---------------------------------------------------------------------------------------------

fn chromium_path() -> PathBuf {
    std::env::var_os("GONGKAI_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

fn axe_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/axe-core/axe.min.js")
}

/// Fails under CI, else prints why the test is skipped; `false` means: return now.
fn available(test: &str, need_axe: bool) -> bool {
    let mut missing = Vec::new();
    if !chromium_path().is_file() {
        missing.push(format!("{} (apt-get install chromium)", chromium_path().display()));
    }
    if need_axe && !axe_path().is_file() {
        missing.push(format!("{} (npm ci --prefix tests/browser)", axe_path().display()));
    }
    if missing.is_empty() {
        return true;
    }
    let message = format!("browser test {test} needs {}", missing.join(" and "));
    if std::env::var_os("CI").is_some() {
        panic!("{message}");
    }
    // Straight to stderr: the test harness hides what `eprintln!` prints in a passing test.
    let _ = writeln!(std::io::stderr(), "SKIPPED: {message}");
    false
}

// ---------------------------------------------------------------------------------------------
// A static host on 127.0.0.1
// ---------------------------------------------------------------------------------------------

/// Serves a folder over HTTP/1.1 on a free loopback port until dropped.
struct StaticHost {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticHost {
    fn serve(root: &Path) -> StaticHost {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                std::thread::spawn(move || {
                    let _ = answer(stream, &root);
                });
            }
        });
        StaticHost { addr, stop, thread: Some(thread) }
    }

    /// `http://127.0.0.1:<port>/<path>`.
    fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.addr)
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one request, then closes the connection.
fn answer(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(PATIENCE))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let target = request.split(' ').nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path);
    let (status, location, file) = match decoded {
        Some(decoded) if !decoded.split('/').any(|s| s == ".." || s == ".") => {
            let file = root.join(decoded.trim_start_matches('/'));
            if file.is_dir() && !path.ends_with('/') {
                ("301 Moved Permanently", Some(format!("{path}/")), None)
            } else if file.is_dir() && file.join("index.html").is_file() {
                ("200 OK", None, Some(file.join("index.html")))
            } else if file.is_file() {
                ("200 OK", None, Some(file))
            } else {
                ("404 Not Found", None, Some(root.join("404.html")))
            }
        }
        _ => ("404 Not Found", None, Some(root.join("404.html"))),
    };
    let body = file.as_deref().and_then(|f| std::fs::read(f).ok()).unwrap_or_default();
    let kind = file.as_deref().map_or("text/plain", content_type);
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n",
        body.len()
    );
    if let Some(location) = location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !request.starts_with("HEAD ") {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// `%XX` decoded; `None` when the bytes are not UTF-8 or a slash was encoded.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            let byte = u8::from_str_radix(hex, 16).ok()?;
            if byte == b'/' || byte == b'\\' {
                return None;
            }
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(OsStr::to_str).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

// ---------------------------------------------------------------------------------------------
// Chromium
// ---------------------------------------------------------------------------------------------

/// One headless Chromium with a fresh profile, killed when dropped (also when a test panics).
struct Chrome {
    chromium: Arc<cdp::Chromium>,
    _profile: tempfile::TempDir,
}

impl Chrome {
    fn launch() -> Chrome {
        let profile = tempfile::Builder::new().prefix("gongkai-chromium-").tempdir().unwrap();
        // No network but loopback here: everything that would call home is off.
        let args = [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--disable-extensions",
            "--disable-default-apps",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            "--mute-audio",
            "--window-size=1024,1400",
        ];
        let chromium = cdp::Chromium::launch(&chromium_path(), &args, profile.path(), PATIENCE)
            .unwrap_or_else(|e| panic!("starting {}: {e}", chromium_path().display()));
        // The first call also waits for Chromium to be ready.
        if let Err(e) = chromium.call(None, "Browser.getVersion", json!({})) {
            let log = std::fs::read_to_string(profile.path().join("chromium.log")).unwrap_or_default();
            panic!("{} does not answer: {e}\n{log}", chromium_path().display());
        }
        Chrome { chromium: Arc::new(chromium), _profile: profile }
    }

    /// A new tab, recording the dialogs its pages open (and dismissing them) and counting loads.
    fn window(&self) -> Window {
        let target =
            self.chromium.call(None, "Target.createTarget", json!({ "url": "about:blank" })).unwrap();
        let attached = self
            .chromium
            .call(None, "Target.attachToTarget", json!({ "targetId": target["targetId"], "flatten": true }))
            .unwrap();
        let session = attached["sessionId"].as_str().unwrap().to_string();
        let dialogs = Arc::new(Mutex::new(Vec::new()));
        let loads = Arc::new(AtomicUsize::new(0));
        let (seen, loaded, mine) = (Arc::clone(&dialogs), Arc::clone(&loads), session.clone());
        let chromium = Arc::downgrade(&self.chromium);
        self.chromium.listen(move |event| {
            if event.session != Some(mine.as_str()) {
                return;
            }
            match event.method {
                "Page.loadEventFired" => {
                    loaded.fetch_add(1, Ordering::SeqCst);
                }
                "Page.javascriptDialogOpening" => {
                    let p = event.params;
                    seen.lock().unwrap().push(format!("{} {} on {}", p["type"], p["message"], p["url"]));
                    // A dialog blocks the page until answered.
                    let (chromium, session) = (chromium.clone(), mine.clone());
                    std::thread::spawn(move || {
                        if let Some(chromium) = chromium.upgrade() {
                            let _ = chromium.call(
                                Some(&session),
                                "Page.handleJavaScriptDialog",
                                json!({ "accept": false }),
                            );
                        }
                    });
                }
                _ => {}
            }
        });
        let window = Window { chromium: Arc::clone(&self.chromium), session, dialogs, loads };
        window.call("Page.enable", json!({}));
        window.call("Runtime.enable", json!({}));
        window
    }
}

/// A tab, with the dialogs it opened and a count of its loads.
struct Window {
    chromium: Arc<cdp::Chromium>,
    session: String,
    dialogs: Arc<Mutex<Vec<String>>>,
    loads: Arc<AtomicUsize>,
}

impl Window {
    /// Calls a DevTools method on this tab; fails the test on an error.
    #[track_caller]
    fn call(&self, method: &str, params: Value) -> Value {
        self.chromium.call(Some(&self.session), method, params).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Goes to `url` and waits for its `load` event (stylesheets and images in).
    #[track_caller]
    fn open(&self, url: &str) {
        let before = self.loads.load(Ordering::SeqCst);
        let navigated = self.call("Page.navigate", json!({ "url": url }));
        if let Some(error) = navigated.get("errorText") {
            panic!("opening {url}: {error}");
        }
        self.wait(&format!("the load of {url}"), || self.loads.load(Ordering::SeqCst) > before);
    }

    /// Polls `done` every 5 ms until it is true; fails the test after [`PATIENCE`].
    #[track_caller]
    fn wait(&self, what: &str, mut done: impl FnMut() -> bool) {
        let start = Instant::now();
        while !done() {
            assert!(start.elapsed() < PATIENCE, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The JSON value of a JavaScript expression (promises awaited); fails the test on an exception.
    #[track_caller]
    fn eval(&self, expression: &str) -> Value {
        self.try_eval(expression).unwrap_or_else(|e| panic!("evaluating {expression:.200}:\n{e}"))
    }

    /// Like [`Window::eval`], with the error (a JavaScript exception or a protocol error) returned.
    fn try_eval(&self, expression: &str) -> Result<Value, String> {
        let result = self.chromium.call(
            Some(&self.session),
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        )?;
        if let Some(exception) = result.get("exceptionDetails") {
            let detail = exception["exception"]["description"].as_str();
            return Err(detail.map_or_else(|| exception["text"].to_string(), str::to_string));
        }
        Ok(result["result"].get("value").cloned().unwrap_or(Value::Null))
    }

    /// Emulates a device of `width` × `height` CSS pixels.
    fn viewport(&self, (width, height): (u32, u32), mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": if mobile { 2 } else { 1 }, "mobile": mobile }),
        );
    }

    fn scripts(&self, enabled: bool) {
        self.call("Emulation.setScriptExecutionDisabled", json!({ "value": !enabled }));
    }

    /// A PNG of a rectangle of the page (CSS pixels from the top of the document), enlarged.
    fn screenshot(&self, rect: &Rect, scale: f64) -> Vec<u8> {
        let clip =
            json!({ "x": rect.x, "y": rect.y, "width": rect.width, "height": rect.height, "scale": scale });
        let shot = self.call(
            "Page.captureScreenshot",
            json!({ "format": "png", "clip": clip, "captureBeyondViewport": true }),
        );
        cdp::base64(shot["data"].as_str().unwrap())
    }

    /// The open page printed to PDF, with the page size its CSS asks for.
    fn print(&self) -> Vec<u8> {
        let pdf =
            self.call("Page.printToPDF", json!({ "preferCSSPageSize": true, "printBackground": false }));
        cdp::base64(pdf["data"].as_str().unwrap())
    }

    fn dialogs(&self) -> Vec<String> {
        self.dialogs.lock().unwrap().clone()
    }
}

/// A rectangle in document coordinates.
#[derive(Debug)]
struct Rect {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

// ---------------------------------------------------------------------------------------------
// The pages of a built site
// ---------------------------------------------------------------------------------------------

/// Every HTML page of `output/`, by page type, in path order. `404.html` is listed as the address
/// a static host answers with it.
fn pages_by_type(site: &Site) -> BTreeMap<&'static str, Vec<String>> {
    let mut pages: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let units: BTreeSet<String> = site
        .tree("output")
        .into_keys()
        .filter_map(|p| p.strip_suffix("data.json").map(str::to_string))
        .collect();
    for path in site.tree("output").into_keys() {
        // `__*.html` are the tests' own probe pages.
        if !path.ends_with(".html") || path.starts_with("__") {
            continue;
        }
        let kind = page_type(&path, &units);
        let address = if path == "404.html" { "no/such/page/".to_string() } else { path };
        pages.entry(kind).or_default().push(address);
    }
    pages
}

fn page_type(path: &str, units: &BTreeSet<String>) -> &'static str {
    let folder = path.strip_suffix("index.html").unwrap_or(path);
    let parent = |levels: usize| {
        let trimmed = folder.trim_end_matches('/');
        let mut parts: Vec<&str> = trimmed.split('/').collect();
        parts.truncate(parts.len().saturating_sub(levels));
        let joined = parts.join("/");
        if joined.is_empty() { joined } else { format!("{joined}/") }
    };
    match folder {
        "" => "home",
        "404.html" => "404",
        "about/" => "about",
        "disclosure/" => "disclosure",
        "search/" => "search",
        _ if units.contains(folder) => "unit",
        _ if folder.ends_with("/zones/") => "zones",
        _ if folder.ends_with("/posts/") => "posts",
        _ if folder.ends_with("/notice/") => "print notice",
        _ if units.contains(&parent(2)) && folder.contains("/assessments/") => "assessment",
        _ if units.contains(&parent(2)) && folder.contains("/members/") => "member",
        _ if units.contains(&parent(2)) && folder.contains("/signs/") => "zone sign",
        _ if folder.contains("notices/") => "notice",
        _ => "section",
    }
}

/// The sample county, built.
fn sample() -> Site {
    let site = Site::sample();
    site.build().code(0);
    site
}

/// `data.json` of every unit of a built site, by unit path (`<section>/<unit>/`).
fn unit_data(site: &Site) -> BTreeMap<String, Value> {
    site.tree("output")
        .into_iter()
        .filter_map(|(path, bytes)| {
            let unit = path.strip_suffix("data.json")?.to_string();
            Some((unit, serde_json::from_slice(&bytes).unwrap()))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Accessibility: axe-core
// ---------------------------------------------------------------------------------------------

/// Runs axe-core's WCAG 2.0/2.1 A and AA rules on the open page; one line per violation.
fn axe_violations(window: &Window) -> Vec<String> {
    let found = window.eval(
        "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
                             resultTypes: ['violations'] })
           .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + '\\n' +
              v.nodes.slice(0, 4).map(n => '      ' + n.target.join(' ') + ' — ' +
                (n.failureSummary || '').replace(/\\s+/g, ' ')).join('\\n')))",
    );
    found.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

fn install_axe(window: &Window) {
    let source = std::fs::read_to_string(axe_path()).unwrap();
    window.call("Page.addScriptToEvaluateOnNewDocument", json!({ "source": source }));
}

#[test]
fn axe_core_finds_no_violation_on_any_page() {
    if !available("axe_core_finds_no_violation_on_any_page", true) {
        return;
    }
    let site = sample();
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = chrome.window();
    install_axe(&window);

    // The checker itself: a page with known faults must fail.
    site.write(
        "output/__axe_probe.html",
        "<!DOCTYPE html><html><head><title>t</title></head><body><main><img src=x>\
         <p style=\"color:#bbb;background:#fff\">浅色文字</p><input type=text></main></body></html>",
    );
    window.open(&host.url("__axe_probe.html"));
    let probe = axe_violations(&window).join("\n");
    for rule in ["html-has-lang", "image-alt", "color-contrast", "label"] {
        assert!(probe.contains(rule), "axe-core missed {rule} on the probe page:\n{probe}");
    }

    let pages = pages_by_type(&site);
    for kind in [
        "home",
        "about",
        "disclosure",
        "section",
        "unit",
        "zones",
        "posts",
        "assessment",
        "member",
        "notice",
        "print notice",
        "zone sign",
        "404",
    ] {
        assert!(pages.contains_key(kind), "no {kind} page in the sample county");
    }
    let search_template = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/search.html");
    assert!(!search_template.exists() || pages.contains_key("search"), "no search page in the sample county");
    let mut failures = Vec::new();
    let mut checked = 0;
    // Pages as residents see them, on a phone (where wide tables scroll in their box): every page,
    // but member pages and zone signs (one template, 125 pages) only the first of each unit. The
    // first page of each type also on a desktop screen.
    let mut seen_units = BTreeSet::new();
    let phone_pages: BTreeMap<&str, Vec<&String>> = pages
        .iter()
        .map(|(kind, paths)| {
            let first_of_unit = |path: &&String| {
                let unit = path.split("/members/").next().unwrap().split("/signs/").next().unwrap();
                seen_units.insert((*kind, unit.to_string()))
            };
            (*kind, paths.iter().filter(first_of_unit).collect())
        })
        .collect();
    for (device, size, mobile) in [("phone", PHONE, true), ("desktop", (1280, 900), false)] {
        window.viewport(size, mobile);
        for (kind, paths) in &phone_pages {
            for path in paths.iter().take(if mobile { usize::MAX } else { 1 }) {
                window.open(&host.url(path));
                checked += 1;
                for violation in axe_violations(&window) {
                    failures.push(format!("{kind} {path} ({device}): {violation}"));
                }
            }
        }
    }
    eprintln!(
        "axe-core: {checked} page views of {} types: {:?}",
        pages.len(),
        pages.keys().collect::<Vec<_>>()
    );
    assert!(failures.is_empty(), "{} violations:\n{}", failures.len(), failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 2. 360 px wide
// ---------------------------------------------------------------------------------------------

/// Pages of `paths` wider than the phone: `path: scrollWidth px (widest elements)`.
fn too_wide(window: &Window, host: &StaticHost, paths: &[String]) -> Vec<String> {
    let mut wide = Vec::new();
    for path in paths {
        window.open(&host.url(path));
        let found = window.eval(&format!(
            "(() => {{
               const width = document.documentElement.scrollWidth;
               if (width <= {limit}) return [width];
               const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                 (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
               const wide = [...document.querySelectorAll('body *')]
                 .map(e => [name(e), Math.round(e.getBoundingClientRect().right)])
                 .filter(([, right]) => right > {limit}).slice(-6);
               return [width, wide.map(([n, r]) => n + ' to ' + r + ' px').join(', ')];
             }})()",
            limit = PHONE.0
        ));
        let width = found[0].as_u64().unwrap();
        if width > u64::from(PHONE.0) {
            wide.push(format!("{path}: {width} px ({})", found[1].as_str().unwrap_or("")));
        }
    }
    wide
}

fn phone_window(chrome: &Chrome) -> Window {
    let window = chrome.window();
    window.viewport(PHONE, true);
    window
}

#[test]
fn no_page_of_the_sample_scrolls_sideways_at_360_px() {
    if !available("no_page_of_the_sample_scrolls_sideways_at_360_px", false) {
        return;
    }
    let site = sample();
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);

    // The measure itself: a page with a wide element is caught.
    site.write(
        "output/__wide_probe.html",
        "<!DOCTYPE html><html lang=zh-CN><head><meta name=viewport content=\"width=device-width, initial-scale=1\">\
         <title>t</title></head><body><div style=\"width:500px\">宽</div></body></html>",
    );
    window.open(&host.url("index.html"));
    assert_eq!(window.eval("innerWidth"), 360, "the phone viewport is not 360 px wide");
    assert_eq!(
        too_wide(&window, &host, &["__wide_probe.html".into()]).len(),
        1,
        "a 500 px element went unnoticed"
    );

    let pages: Vec<String> = pages_by_type(&site).into_values().flatten().collect();
    let wide = too_wide(&window, &host, &pages);
    eprintln!("360 px: {} pages checked", pages.len());
    assert!(wide.is_empty(), "pages wider than {} px:\n{}", PHONE.0, wide.join("\n"));
}

#[test]
fn a_village_of_100_members_does_not_scroll_sideways_at_360_px() {
    if !available("a_village_of_100_members_does_not_scroll_sideways_at_360_px", false) {
        return;
    }
    let (site, unit) = common::synth::large_unit_site();
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);
    // Every page type of the large unit, its first few members and signs, and the pages above it.
    let mut pages = Vec::new();
    for (kind, paths) in pages_by_type(&site) {
        let of_unit: Vec<&String> = paths.iter().filter(|p| p.starts_with(&unit)).collect();
        if of_unit.is_empty() {
            pages.extend(paths.iter().take(3).cloned());
        } else {
            pages.extend(
                of_unit
                    .into_iter()
                    .take(if kind == "member" || kind == "zone sign" { 5 } else { 50 })
                    .cloned(),
            );
        }
    }
    let wide = too_wide(&window, &host, &pages);
    eprintln!("360 px, large village {unit}: {} pages checked", pages.len());
    assert!(wide.is_empty(), "pages wider than {} px:\n{}", PHONE.0, wide.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 3. Print: one A4 page
// ---------------------------------------------------------------------------------------------

/// The number of pages of a PDF (page objects, `/Type /Page` but not `/Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page").filter(|(at, m)| !text[at + m.len()..].starts_with('s')).count()
}

/// The page size of a PDF in points, from its first `/MediaBox`.
fn pdf_page_size(pdf: &[u8]) -> (f64, f64) {
    let text = String::from_utf8_lossy(pdf);
    let at = text.find("/MediaBox [").expect("a /MediaBox") + "/MediaBox [".len();
    let numbers: Vec<f64> =
        text[at..].split(']').next().unwrap().split_whitespace().map(|n| n.parse().unwrap()).collect();
    (numbers[2] - numbers[0], numbers[3] - numbers[1])
}

#[test]
fn every_printable_notice_prints_on_one_a4_page() {
    if !available("every_printable_notice_prints_on_one_a4_page", false) {
        return;
    }
    let site = sample();
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = chrome.window();

    // The counter itself: a long page prints on several pages.
    window.open(&host.url("nanhe-zhen/dongwangzhuang-cun/posts/index.html"));
    let long = pdf_pages(&window.print());
    assert!(long > 1, "the posts page of 东王庄村 printed on {long} page");

    let notices = &pages_by_type(&site)["print notice"];
    assert_eq!(notices.len(), 8, "one printable notice per sample unit");
    let mut wrong = Vec::new();
    for path in notices {
        window.open(&host.url(path));
        let pdf = window.print();
        let (pages, (width, height)) = (pdf_pages(&pdf), pdf_page_size(&pdf));
        // A4 is 595.28 × 841.89 points.
        if pages != 1 || (width - 595.3).abs() > 2.0 || (height - 841.9).abs() > 2.0 {
            wrong.push(format!("{path}: {pages} pages of {width:.1} × {height:.1} pt"));
        }
    }
    assert!(wrong.is_empty(), "notices that do not print on one A4 page:\n{}", wrong.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 4. QR codes
// ---------------------------------------------------------------------------------------------

/// Decodes the QR code of each element matching `selector` on the open page (the element itself
/// when it is the `svg.qr`, else the `svg.qr` inside it): (index of the element, its text), in
/// element order.
///
/// Each code is screenshotted alone, clipped to its own SVG (which draws its quiet zone on white),
/// and given a wider white margin in the image. A screenshot of several elements at once also
/// caught the text beside the codes, and how close that text came depended on the CJK fonts the
/// machine had: with Debian's default fallback font a code failed to decode (issue 16).
fn decode_qrs(window: &Window, selector: &str) -> Vec<(usize, String)> {
    let rects = window.eval(&format!(
        "[...document.querySelectorAll({selector:?})].map(e => {{
           const qr = e.matches('svg.qr') ? e : e.querySelector('svg.qr');
           if (!qr) return null;
           const r = qr.getBoundingClientRect();
           return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }})"
    ));
    let rects: Vec<Option<[f64; 4]>> = serde_json::from_value(rects).unwrap();
    assert!(!rects.is_empty(), "no {selector}");
    let scale = 3.0;
    let margin = 40;
    let mut codes = Vec::new();
    for (holder, rect) in rects.into_iter().enumerate() {
        let [x, y, width, height] =
            rect.unwrap_or_else(|| panic!("{selector} number {holder} holds no svg.qr"));
        let png = window.screenshot(&Rect { x, y, width, height }, scale);
        let shot = image::load_from_memory(&png).expect("a PNG").to_luma8();
        let mut framed = image::GrayImage::from_pixel(
            shot.width() + 2 * margin,
            shot.height() + 2 * margin,
            image::Luma([255]),
        );
        image::imageops::replace(&mut framed, &shot, i64::from(margin), i64::from(margin));
        let mut prepared = rqrr::PreparedImage::prepare(framed);
        let grids = prepared.detect_grids();
        assert_eq!(
            grids.len(),
            1,
            "{selector} number {holder}: {} QR codes found in its svg.qr",
            grids.len()
        );
        let (_, content) = grids[0]
            .decode()
            .unwrap_or_else(|e| panic!("{selector} number {holder}: a QR code that does not decode: {e:?}"));
        codes.push((holder, content));
    }
    codes
}

#[test]
fn qr_codes_of_notices_and_zone_signs_decode_to_their_pages() {
    if !available("qr_codes_of_notices_and_zone_signs_decode_to_their_pages", false) {
        return;
    }
    let site = sample();
    assert!(site.read("content/site.yaml").contains(&format!("base_url: {BASE_URL}")));
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = chrome.window();
    let data = unit_data(&site);
    let pages = pages_by_type(&site);

    for path in &pages["print notice"] {
        let unit = path.strip_suffix("notice/index.html").unwrap();
        window.open(&host.url(path));
        assert_eq!(decode_qrs(&window, "svg.qr"), [(0, format!("{BASE_URL}{unit}"))], "{path}");
    }

    let mut codes = 0;
    for path in &pages["zone sign"] {
        let (unit, zone) = path.strip_suffix("/index.html").unwrap().split_once("signs/").unwrap();
        let zone = data[unit]["zones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|z| z["id"] == zone)
            .expect("zone in data.json");
        let expected: BTreeMap<String, String> = zone["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (format!("{BASE_URL}{}", m["url"].as_str().unwrap()), m["name"].as_str().unwrap().to_string())
            })
            .collect();
        window.open(&host.url(path));
        let shown: Vec<String> =
            serde_json::from_value(window.eval("[...document.querySelectorAll('.sign-members li')].map(li => li.querySelector('strong').textContent)"))
                .unwrap();
        assert_eq!(shown.len(), expected.len(), "{path}: members on the sign");
        let decoded: BTreeMap<String, String> = decode_qrs(&window, ".sign-members li")
            .into_iter()
            .map(|(i, url)| (url, shown[i].clone()))
            .collect();
        codes += decoded.len();
        assert_eq!(decoded, expected, "{path}: QR codes (URL → name shown beside the code)");
    }
    eprintln!(
        "QR: {} notices and {codes} member codes on {} signs decoded",
        pages["print notice"].len(),
        pages["zone sign"].len()
    );
}

// ---------------------------------------------------------------------------------------------
// 5. JavaScript off
// ---------------------------------------------------------------------------------------------

/// The visible text of the open page's `<main>`.
fn main_text(window: &Window) -> String {
    window.eval("document.querySelector('main').innerText").as_str().unwrap().to_string()
}

#[test]
fn unit_pages_show_members_and_results_with_javascript_off() {
    if !available("unit_pages_show_members_and_results_with_javascript_off", false) {
        return;
    }
    let site = sample();
    site.write(
        "output/__script_probe.html",
        "<!DOCTYPE html><title>idle</title><script>document.title = 'ran'</script>",
    );
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);
    window.open(&host.url("__script_probe.html"));
    assert_eq!(window.eval("document.title"), "ran", "scripts run before they are turned off");
    window.scripts(false);
    window.open(&host.url("__script_probe.html"));
    assert_eq!(window.eval("document.title"), "idle", "scripts still run");

    // Search cannot work without scripts; its page says how to browse instead, with visible links
    // to the sections.
    if site.exists("output/search/index.html") {
        window.open(&host.url("search/index.html"));
        let links: Vec<String> = serde_json::from_value(window.eval(
            "[...document.querySelectorAll('main a')].filter(a => a.getClientRects().length)
               .map(a => new URL(a.href).pathname)",
        ))
        .unwrap();
        let sections = &pages_by_type(&site)["section"];
        assert!(
            links.iter().any(|l| sections.iter().any(|s| page_path(l) == page_path(&format!("/{s}")))),
            "with JavaScript off the search page links to no section: {links:?}"
        );
    }

    for (unit, data) in unit_data(&site) {
        window.open(&host.url(&format!("{unit}index.html")));
        let text = main_text(&window);
        for member in data["members"].as_array().unwrap() {
            let name = member["name"].as_str().unwrap();
            assert!(text.contains(name), "{unit}: member {name} not shown with JavaScript off:\n{text}");
        }
        let Some(current) = data["assessments"].as_array().unwrap().iter().max_by_key(|a| a["year"].as_u64())
        else {
            continue;
        };
        let mut grades: BTreeMap<&str, usize> = BTreeMap::new();
        for result in current["results"].as_array().unwrap() {
            *grades.entry(result["grade"].as_str().unwrap()).or_default() += 1;
        }
        for (grade, count) in &grades {
            let shown = format!("{grade} {count} 名");
            assert!(text.contains(&shown), "{unit}: “{shown}” not shown with JavaScript off:\n{text}");
        }
        // The results themselves, on the year's page.
        let year = current["year"].as_u64().unwrap();
        window.open(&host.url(&format!("{unit}assessments/{year}/index.html")));
        let text = main_text(&window);
        let names: BTreeMap<&str, &str> = data["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| (m["id"].as_str().unwrap(), m["name"].as_str().unwrap()))
            .collect();
        let rows: Vec<String> = text.lines().map(str::to_string).collect();
        for result in current["results"].as_array().unwrap() {
            let name = names[result["member"].as_str().unwrap()];
            let grade = result["grade"].as_str().unwrap();
            let total = format!("{}", result["total"].as_f64().unwrap());
            assert!(
                rows.iter().any(|row| row.contains(name) && row.contains(grade) && row.contains(&total)),
                "{unit}{year}: no row with {name}, {total}, {grade} with JavaScript off:\n{text}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 6. XSS in the browser
// ---------------------------------------------------------------------------------------------

/// Sites the payloads are spread over.
const GROUPS: usize = 8;

/// What a payload runs: it sets a sentinel and opens a dialog, either of which the test sees.
const RUN: &str = "top.__gkXss=1;alert(1)";

/// A YAML double-quoted scalar holding `text` exactly.
fn yq(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// The minimal fixture with `payload` in every text field of every file (as in `tests/hostile.rs`).
fn payload_site(payload: &str) -> Site {
    const SITE: &str = "content/site.yaml";
    const SECTION: &str = "content/nanhe-zhen/section.yaml";
    const UNIT_YAML: &str = "content/nanhe-zhen/dongwang/unit.yaml";
    const ZONES: &str = "content/nanhe-zhen/dongwang/zones.yaml";
    const POSTS: &str = "content/nanhe-zhen/dongwang/posts.yaml";
    const ASSESSMENT: &str = "content/nanhe-zhen/dongwang/assessments/2016.yaml";
    let site = Site::minimal();
    let v = |k: usize| yq(&format!("字段{k} {payload}"));
    let md = |k: usize| format!("正文{k} {payload}\n\n{payload}\n");
    site.write(
        SITE,
        &format!(
            "title: {}\nbase_url: https://gongkai.example.gov.cn/\nlanguage: zh-CN\ndescription: {}\nassessment:\n  year: 2016\n  grades:\n    - {{ name: {}, min: 90 }}\n    - {{ name: {}, min: 70 }}\n    - {{ name: {}, min: 60 }}\n    - {{ name: {}, min: 0 }}\nrights: [{}]\nresponsibilities: [{}]\ncontact: {{ phone: {}, address: {}, email: {}, mailbox: {} }}\n",
            v(1), v(3), v(4), v(5), v(6), v(7), v(8), v(9), v(10), v(11), v(12), v(13)
        ),
    );
    site.write(SECTION, &format!("name: {}\ndescription: {}\n", v(20), v(21)));
    site.write(
        UNIT_YAML,
        &format!(
            "name: {}\nkind: village\norganization: {}\ncontact: {{ phone: {}, address: {}, email: {} }}\nsupervision: {{ phone: {}, mailbox: {}, address: {}, email: {} }}\ngroups:\n  - {{ id: g1, name: {}, leader: m01 }}\n  - {{ id: g2, name: {}, leader: m04 }}\nmembers:\n  - {{ id: m01, name: {}, group: g1, role: {}, joined: 1993, phone: \"13931601234\" }}\n  - {{ id: m02, name: {}, group: g1, joined: 2001 }}\n  - {{ id: m03, name: {}, group: g2, joined: 2005 }}\n  - {{ id: m04, name: {}, group: g2, role: {}, joined: 1998, consent: false }}\n  - {{ id: m05, name: {}, group: g1, joined: 1962, exempt: {} }}\n",
            v(30), v(31), v(32), v(33), v(34), v(35), v(36), v(37), v(38), v(39), v(40), v(41), v(42),
            v(43), v(44), v(45), v(46), v(47), v(48)
        ),
    );
    site.write(
        ZONES,
        &format!(
            "zones:\n  - id: z1\n    name: {}\n    group: g1\n    members: [m01, m02]\n    area: {}\n    households: 28\n    partners:\n      - {{ name: {}, role: {} }}\n    description: {}\n  - id: z2\n    name: {}\n    group: g2\n    members: [m03, m04]\n    area: {}\n",
            v(50), v(51), v(52), v(53), yq(&md(54)), v(55), v(56)
        ),
    );
    let mut posts = String::from("posts:\n");
    for (i, (member, date)) in
        [("m01", "2016-03-12"), ("m02", "2016-05-06"), ("m03", "2016-07-18"), ("m04", "2016-10-09")]
            .into_iter()
            .enumerate()
    {
        let k = 60 + 5 * i;
        posts.push_str(&format!(
            "  - member: {member}\n    title: {}\n    duties: [{}]\n    commitments: [{}]\n    records:\n      - {{ date: 2015-11-20, summary: {} }}\n      - {{ date: {date}, summary: {} }}\n",
            v(k), v(k + 1), v(k + 2), v(k + 3), v(k + 4)
        ));
    }
    site.write(POSTS, &posts);
    site.write(
        ASSESSMENT,
        &format!(
            "year: 2016\npublished: 2016-12-20\nnotice_days: 7\nobjections: {}\nresults:\n  - {{ member: m01, self: 92, masses: 95, organization: 94, vanguard: true, grade: {} }}\n  - {{ member: m02, self: 80, masses: 85, organization: 88, note: {} }}\n  - {{ member: m03, self: 70, masses: 66, organization: 62, action: 帮助 }}\n  - {{ member: m04, self: 85, masses: 80, organization: 75 }}\n",
            v(80), v(81), v(82)
        ),
    );
    for (file, k) in [
        ("content/notices/2016-03-15-quanxian-tuixing.md", 90),
        ("content/nanhe-zhen/notices/2016-12-08-kaohe-anpai.md", 92),
        ("content/nanhe-zhen/dongwang/notices/2016-12-20-kaohe-gongshi.md", 94),
    ] {
        site.write(file, &format!("---\ntitle: {}\ndate: 2016-12-20\n---\n{}", v(k), md(k + 1)));
    }
    site.write("content/index.md", &md(96));
    site.write("content/nanhe-zhen/dongwang/index.md", &md(97));
    site
}

/// Loads `path` and reports what ran or could run: dialogs, the sentinel, event-handler attributes,
/// links with a scheme other than http(s), mailto and tel, and injected script elements.
fn what_ran(window: &Window, host: &StaticHost, path: &str) -> Vec<String> {
    let dialogs_before = window.dialogs().len();
    window.open(&host.url(path));
    inspect(window, dialogs_before, 30)
}

/// What ran on the open page (see [`what_ran`]) after `settle_ms` more milliseconds, and the
/// dialogs opened since `dialogs_before`.
fn inspect(window: &Window, dialogs_before: usize, settle_ms: u32) -> Vec<String> {
    let found = window.eval(&format!(
        "new Promise(done => {{
           setTimeout(() => {{
             const found = [];
             if (window.__gkXss) found.push('sentinel set');
             for (const f of document.querySelectorAll('iframe')) {{
               try {{ if (f.contentWindow.__gkXss) found.push('sentinel set in a frame'); }} catch (e) {{}}
             }}
             const safe = ['http:', 'https:', 'mailto:', 'tel:'];
             for (const a of document.querySelectorAll('a[href], area[href]')) {{
               if (!safe.includes(a.protocol)) found.push('link ' + a.getAttribute('href'));
             }}
             for (const [sel, attr] of [['iframe', 'src'], ['embed', 'src'], ['object', 'data'], ['form', 'action'],
                                        ['button', 'formaction'], ['base', 'href'], ['img', 'src']]) {{
               for (const e of document.querySelectorAll(sel + '[' + attr + ']')) {{
                 const url = new URL(e.getAttribute(attr), location.href);
                 if (!['http:', 'https:'].includes(url.protocol)) found.push(sel + ' ' + attr + '=' + e.getAttribute(attr));
               }}
             }}
             for (const s of document.querySelectorAll('script')) {{
               if (/alert|__gkXss|evil/.test(s.textContent + (s.src || ''))) found.push('script element ' + s.outerHTML.slice(0, 80));
             }}
             for (const e of document.querySelectorAll('*')) {{
               for (const a of e.attributes) {{
                 if (/^on/i.test(a.name)) found.push('handler ' + e.tagName + ' ' + a.name + '=' + a.value);
               }}
             }}
             done(found);
           }}, {settle_ms});
         }})"
    ));
    let mut ran: Vec<String> =
        found.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    ran.extend(window.dialogs().into_iter().skip(dialogs_before).map(|d| format!("dialog {d}")));
    ran
}

#[test]
fn xss_payloads_run_nothing_in_the_browser() {
    if !available("xss_payloads_run_nothing_in_the_browser", false) {
        return;
    }
    let chrome = Chrome::launch();
    let window = chrome.window();

    // The detector itself: a page where the payload does run is caught, by dialog and sentinel.
    let probe = Site::empty();
    probe.write("out/index.html", &format!("<!DOCTYPE html><title>t</title><img src=x onerror=\"{RUN}\">"));
    let host = StaticHost::serve(&probe.path("out"));
    let ran = what_ran(&window, &host, "index.html");
    assert!(ran.iter().any(|r| r == "sentinel set"), "sentinel not seen: {ran:?}");
    assert!(ran.iter().any(|r| r.starts_with("dialog ")), "dialog not seen: {ran:?}");
    drop(host);

    let mut failures = Vec::new();
    let mut loads = 0;
    // Each site carries every GROUPS-th payload, one per line, in every field: every payload reaches
    // every field in GROUPS builds (one site per payload would take five times as long).
    for group in 0..GROUPS {
        let payload: Vec<String> =
            PAYLOADS.iter().skip(group).step_by(GROUPS).map(|p| p.replace("alert(1)", RUN)).collect();
        let payload = payload.join("\n");
        let site = payload_site(&payload);
        let run = site.build();
        assert_eq!(run.code, 0, "payload {payload:?} stopped the build:\n{}", run.stderr);
        let host = StaticHost::serve(&site.path("output"));
        let pages: Vec<String> = pages_by_type(&site).into_values().flatten().collect();
        assert!(pages.len() >= 15, "{} pages", pages.len());
        let home = site.output("output/index.html");
        assert!(home.contains("字段1"), "payload {payload:?}: the site title is not on the home page");
        for path in &pages {
            loads += 1;
            for what in what_ran(&window, &host, path) {
                failures.push(format!("{payload:?} on {path}: {what}"));
            }
        }
        // Search results are drawn by script from the index, which holds the payloads too.
        if site.exists("output/search/index.html") {
            let dialogs_before = window.dialogs().len();
            window.open(&host.url("search/index.html?q=%E5%AD%97%E6%AE%B5"));
            let results = search_results(&window, Duration::from_secs(10));
            assert!(!results.is_empty(), "payload {payload:?}: searching 字段 found nothing");
            loads += 1;
            for what in inspect(&window, dialogs_before, 500) {
                failures.push(format!("{payload:?} on search/?q=字段: {what}"));
            }
        }
    }
    eprintln!("XSS: {} payloads in {GROUPS} sites, {loads} page loads", PAYLOADS.len());
    assert!(failures.is_empty(), "{} payload effects:\n{}", failures.len(), failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 7. Search
// ---------------------------------------------------------------------------------------------

/// Result links (resolved paths below the host) and their text, once `#results` has any (or after
/// `patience`).
fn search_results(window: &Window, patience: Duration) -> Vec<(String, String)> {
    let mut results = Vec::new();
    let start = Instant::now();
    while start.elapsed() < patience {
        // The page may be between two documents (a submitted form): try again.
        let found = window.try_eval(
            "[...document.querySelectorAll('#results li a')].map(a => [new URL(a.href).pathname, a.textContent])",
        );
        results = serde_json::from_value(found.unwrap_or(json!([]))).unwrap();
        if !results.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    results
}

/// `/a/b/index.html` and `/a/b/` are the same page; fragments are dropped by `pathname`.
fn page_path(pathname: &str) -> String {
    let path = pathname.trim_start_matches('/');
    let path = path.strip_suffix("index.html").unwrap_or(path);
    percent_decode(path).unwrap_or_else(|| path.to_string())
}

#[test]
fn search_finds_a_member_by_name_and_a_zone_by_street() {
    if !available("search_finds_a_member_by_name_and_a_zone_by_street", false) {
        return;
    }
    let site = sample();
    assert!(site.exists("output/search/index.html"), "no search/index.html");
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);
    let data = unit_data(&site);

    // A two-character member name that no one else in the county has.
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for unit in data.values() {
        for m in unit["members"].as_array().unwrap() {
            by_name
                .entry(m["name"].as_str().unwrap().to_string())
                .or_default()
                .push(m["url"].as_str().unwrap().to_string());
        }
    }
    let (name, urls) = by_name
        .iter()
        .find(|(name, urls)| name.chars().count() == 2 && !name.contains('*') && urls.len() == 1)
        .expect("a unique two-character name in the sample county");
    window.open(&host.url("search/index.html"));
    window.eval("document.getElementById('q').focus()");
    window.call("Input.insertText", json!({ "text": name }));
    // Results as you type, or on submit.
    let mut results = search_results(&window, Duration::from_millis(1500));
    if results.is_empty() {
        // Search on submit rather than as you type.
        for kind in ["keyDown", "keyUp"] {
            window.call(
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r" }),
            );
        }
        results = search_results(&window, Duration::from_secs(10));
    }
    assert!(
        results.iter().any(|(href, _)| page_path(href) == urls[0]),
        "typing {name} should list {}; got {results:?}",
        urls[0]
    );

    // A street fragment from a zone's area: the zone (its unit's zones page or its sign) or one of
    // its members is listed.
    let (unit, zone) = data
        .iter()
        .flat_map(|(unit, d)| d["zones"].as_array().unwrap().iter().map(move |z| (unit, z)))
        .find(|(_, z)| z["area"].as_str().is_some_and(|a| a.contains("东大街")))
        .expect("a zone on 东大街 in the sample county");
    let mut expected: BTreeSet<String> =
        zone["members"].as_array().unwrap().iter().map(|m| m["url"].as_str().unwrap().to_string()).collect();
    expected.insert(format!("{unit}zones/"));
    expected.insert(format!("{unit}signs/{}/", zone["id"].as_str().unwrap()));
    window.open(&host.url("search/index.html?q=%E4%B8%9C%E5%A4%A7%E8%A1%97"));
    let results = search_results(&window, Duration::from_secs(10));
    assert!(
        results.iter().any(|(href, _)| expected.contains(&page_path(href))),
        "?q=东大街 should list one of {expected:?}; got {results:?}"
    );
    assert_eq!(window.eval("document.getElementById('q').value"), "东大街", "the query is shown in the box");
}

/// Opens the search page at `url` and waits for the search to end: the status line and the link
/// of each result (with its fragment).
fn searched(window: &Window, url: &str) -> (String, Vec<String>) {
    window.open(url);
    let read = || {
        window
            .try_eval(
                "[document.getElementById('search-status').textContent, \
                 [...document.querySelectorAll('#results li')].map(li => li.querySelector('a').href)]",
            )
            .ok()
            .and_then(|v| serde_json::from_value::<(String, Vec<String>)>(v).ok())
    };
    // The status comes first, then the results it speaks of (a status without 范围 has none to wait for).
    window.wait(&format!("the search of {url}"), || {
        read().is_some_and(|(status, links)| {
            !status.is_empty() && status != "正在搜索……" && (!links.is_empty() || !status.contains("范围"))
        })
    });
    read().unwrap()
}

#[test]
fn search_by_house_number_finds_the_zone_whose_range_covers_it() {
    if !available("search_by_house_number_finds_the_zone_whose_range_covers_it", false) {
        return;
    }
    let site = sample();
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);
    let encoded = |q: &str| q.bytes().map(|b| format!("%{b:02X}")).collect::<String>();
    let zones = "nanhe-zhen/dongwangzhuang-cun/zones/index.html";
    // From a static host and from the folder itself (file://), as residents open it.
    let folder = format!("file://{}/", site.path("output").display());
    for root in [host.url(""), folder] {
        // 东大街1号至36号 is zone z1 of 东王庄村; 东大街38号至64号 is z2.
        let (status, links) =
            searched(&window, &format!("{root}search/index.html?q={}", encoded("东大街20号")));
        assert!(status.starts_with("“东大街20号”在下面 1 个责任区的范围内"), "{root}: {status}");
        assert!(links[0].ends_with(&format!("{zones}#zone-z1")), "{root}: {links:?}");
        let first = window.eval("document.querySelector('#results li').textContent");
        assert!(first.as_str().unwrap().contains("责任党员："), "{first}");

        let (status, links) =
            searched(&window, &format!("{root}search/index.html?q={}", encoded("东大街37号")));
        assert!(
            status.starts_with("没有哪个责任区的范围包括“东大街37号”。下面是东大街上的 2 个责任区"),
            "{root}: {status}"
        );
        assert!(links[0].ends_with(&format!("{zones}#zone-z1")), "{root}: {links:?}");
        assert!(links[1].ends_with(&format!("{zones}#zone-z2")), "{root}: {links:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 8. Results on a phone
// ---------------------------------------------------------------------------------------------

/// What a phone shows of the results tables of the open page, measured in the page:
/// `[problems, number of 总分 and 等次 cells, widest results-table cell "px text"]`.
const RESULTS_IN_VIEW: &str = "(() => {
  const problems = [];
  const width = innerWidth;
  const visible = e => e.getClientRects().length > 0;
  for (const table of document.querySelectorAll('table.results')) {
    const box = table.closest('.table-wrap') || table.parentElement;
    if (box.scrollWidth > box.clientWidth + 1)
      problems.push('a results table scrolls sideways: ' + box.scrollWidth + ' px in ' + box.clientWidth + ' px');
  }
  const cells = [...document.querySelectorAll('table.results td.total, table.results td.grade')];
  for (const cell of cells) {
    const r = cell.getBoundingClientRect();
    if (!visible(cell) || r.width < 1) problems.push('hidden: ' + cell.className + ' ' + cell.textContent.trim());
    else if (r.left < 0 || r.right > width + 0.5)
      problems.push(cell.className + ' ' + cell.textContent.trim() + ' at ' + Math.round(r.left) + '–' + Math.round(r.right) + ' px');
  }
  for (const year of document.querySelectorAll('time, .year a, .year time')) {
    if (visible(year) && year.getClientRects().length > 1)
      problems.push('year wraps: ' + year.textContent.trim());
  }
  let widest = [0, ''];
  for (const cell of document.querySelectorAll('table.results th, table.results td')) {
    const w = cell.getBoundingClientRect().width;
    if (visible(cell) && cell.colSpan === 1 && w > widest[0]) widest = [Math.round(w), cell.textContent.trim().slice(0, 30)];
  }
  return [problems, cells.length, widest[0] + ' px ' + widest[1]];
})()";

#[test]
fn total_and_grade_are_in_view_on_a_phone_and_years_never_wrap() {
    if !available("total_and_grade_are_in_view_on_a_phone_and_years_never_wrap", false) {
        return;
    }
    let site = sample();
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);

    // The measure itself: the old layout (seven columns scrolling in their box) and a wrapped year.
    site.write(
        "output/__results_probe.html",
        "<!DOCTYPE html><html lang=zh-CN><head><meta name=viewport content=\"width=device-width, initial-scale=1\">\
         <title>t</title></head><body style=\"margin:0 16px\"><div class=table-wrap style=\"overflow-x:auto\">\
         <table class=results style=\"white-space:nowrap\"><tr><td>1</td><th>李建国</th><td>党员述评 93</td>\
         <td>群众测评 95</td><td>组织考评 94</td><td class=total>94.2</td><td class=grade>优秀</td></tr></table>\
         </div><p style=\"width:30px\"><time>2016-12-20</time></p></body></html>",
    );
    window.open(&host.url("__results_probe.html"));
    let probe = window.eval(RESULTS_IN_VIEW);
    let problems = probe[0].to_string();
    // (The probe has no stylesheet, so its date in a 30 px box wraps.)
    for caught in ["scrolls sideways", "total 94.2 at", "grade 优秀 at", "year wraps: 2016-12-20"] {
        assert!(problems.contains(caught), "the measure missed {caught:?}: {problems}");
    }

    let pages = pages_by_type(&site);
    let mut failures = Vec::new();
    let mut widest = (0, String::new());
    for kind in ["assessment", "unit", "member", "print notice"] {
        let mut cells = 0;
        for path in &pages[kind] {
            window.open(&host.url(path));
            let found = window.eval(RESULTS_IN_VIEW);
            for problem in found[0].as_array().unwrap() {
                failures.push(format!("{kind} {path}: {}", problem.as_str().unwrap()));
            }
            cells += found[1].as_u64().unwrap();
            let cell = found[2].as_str().unwrap().to_string();
            let px: u32 = cell.split(' ').next().unwrap().parse().unwrap();
            if px > widest.0 {
                widest = (px, format!("{cell} ({path})"));
            }
        }
        if kind != "unit" {
            assert!(cells > 0, "no 总分 or 等次 cell measured on the {kind} pages");
        }
    }
    eprintln!("360 px: widest results-table cell {}", widest.1);
    assert!(failures.is_empty(), "at {} px:\n{}", PHONE.0, failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 9. The notice period up front
// ---------------------------------------------------------------------------------------------

#[test]
fn the_notice_banner_shows_at_the_top_and_goes_once_the_period_is_over() {
    if !available("the_notice_banner_shows_at_the_top_and_goes_once_the_period_is_over", false) {
        return;
    }
    // Built on 2016-12-22, inside the period (2016-12-20 to 12-26); read today, long after.
    let site = Site::minimal();
    site.run_with(&["build"], &[("SOURCE_DATE_EPOCH", &EPOCH_IN_NOTICE_PERIOD.to_string())]).code(0);
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);
    let banner = "(() => { const b = document.querySelector('.notice-banner');
        if (!b) return null;
        const r = b.getBoundingClientRect();
        return [getComputedStyle(b).display, Math.round(r.top + scrollY), Math.round(r.height)]; })()";

    // Without JavaScript the page says what it said on the day it was built: at the top, below
    // the header (whose 长者模式 switch, section 11, takes a row of about 40 px on a phone).
    window.scripts(false);
    for (page, max_top) in
        [("index.html", 160), ("nanhe-zhen/index.html", 300), ("nanhe-zhen/dongwang/index.html", 460)]
    {
        window.open(&host.url(page));
        let found = window.eval(banner);
        assert_eq!(found[0], "block", "{page}: {found}");
        let top = found[1].as_i64().unwrap();
        assert!(top <= max_top, "{page}: the banner starts {top} px down, more than {max_top} px");
        assert!(found[2].as_i64().unwrap() > 40, "{page}: {found}");
    }
    // With JavaScript, read after the period, the banner is gone.
    window.scripts(true);
    for page in ["index.html", "nanhe-zhen/index.html", "nanhe-zhen/dongwang/index.html"] {
        window.open(&host.url(page));
        let found = window.eval(banner);
        assert_eq!(found[0], "none", "{page}: the banner stays after the period: {found}");
    }
}

// ---------------------------------------------------------------------------------------------
// 10. Finding things, and the outcome of the notice period
// ---------------------------------------------------------------------------------------------

#[test]
fn on_a_phone_the_home_page_offers_search_then_townships_then_notices() {
    if !available("on_a_phone_the_home_page_offers_search_then_townships_then_notices", false) {
        return;
    }
    let site = sample();
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);
    let top = "(sel => Math.round(document.querySelector(sel).getBoundingClientRect().top + scrollY))";

    // Without JavaScript the form still takes the resident to the search page with the words.
    window.scripts(false);
    window.open(&host.url("index.html"));
    let search = window.eval(&format!("{top}('#home-q')")).as_i64().unwrap();
    let townships = window.eval(&format!("{top}('#sections-title')")).as_i64().unwrap();
    let notices = window.eval(&format!("{top}('#notices-title')")).as_i64().unwrap();
    // While results are noticed their banner comes first (section 9); then the search box and
    // the townships, within a screen.
    let banner = window
        .eval("(b => b ? Math.round(b.getBoundingClientRect().bottom + scrollY) : 0)(document.querySelector('.notice-banner'))")
        .as_i64()
        .unwrap();
    assert!(search - banner < 200, "the search box starts {search} px down, the banner ends at {banner} px");
    assert!(
        townships - banner < 400,
        "the township list starts {townships} px down, the banner ends at {banner} px"
    );
    assert!(townships < notices, "townships at {townships} px, notices at {notices} px");
    let box_height = window.eval("document.getElementById('home-q').getBoundingClientRect().height");
    assert!(box_height.as_f64().unwrap() >= 40.0, "the search box is {box_height} px high");
    window.eval(
        "document.getElementById('home-q').value = '东大街'; document.querySelector('.home-search').submit()",
    );
    window.wait("the search page", || {
        window.try_eval("location.pathname + location.search").is_ok_and(|v| {
            v.as_str().is_some_and(|s| s.ends_with("search/index.html?q=%E4%B8%9C%E5%A4%A7%E8%A1%97"))
        })
    });

    // With JavaScript, typing and pressing the button lists results.
    window.scripts(true);
    window.open(&host.url("index.html"));
    window.eval("document.getElementById('home-q').focus()");
    window.call("Input.insertText", json!({ "text": "东大街" }));
    window.eval("document.querySelector('.home-search button').click()");
    let results = search_results(&window, Duration::from_secs(10));
    assert!(results.iter().any(|(href, _)| href.contains("/zones/")), "{results:?}");

    // The archive is one tap away and fits the phone.
    window.open(&host.url("index.html"));
    let archive = window
        .eval("[...document.querySelectorAll('a')].find(a => a.textContent.includes('全部通知公告')).href");
    window.open(archive.as_str().unwrap());
    assert_eq!(window.eval("document.querySelector('h1').textContent"), "全县通知公告");
    assert_eq!(window.eval("document.documentElement.scrollWidth"), 360);
}

#[test]
fn after_the_notice_period_the_objection_log_reads_on_a_phone() {
    if !available("after_the_notice_period_the_objection_log_reads_on_a_phone", false) {
        return;
    }
    let site = sample();
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);
    let log = "(() => { const s = document.querySelector('.objection-log');
        if (!s) return null;
        const r = s.getBoundingClientRect();
        return [s.innerText, Math.round(r.left), Math.round(r.right), document.documentElement.scrollWidth]; })()";
    window.open(&host.url("nanhe-zhen/dongwangzhuang-cun/assessments/2015/index.html"));
    let found = window.eval(log);
    let text = found[0].as_str().expect("the objection log on the 2015 results");
    assert!(text.contains("公示期内收到异议 2 件，其中 1 件改变了考核结果。"), "{text}");
    assert!(text.contains("2015年12月23日收到"), "{text}");
    assert!(found[1].as_i64().unwrap() >= 0 && found[2].as_i64().unwrap() <= 360, "{found}");
    assert_eq!(found[3], 360);
    window.open(&host.url("nanhe-zhen/nanhe-shequ/assessments/2015/index.html"));
    let found = window.eval(log);
    assert!(found[0].as_str().unwrap().contains("公示期内未收到异议。"), "{found}");
}

// ---------------------------------------------------------------------------------------------
// 11. 长者模式 (elder-friendly mode)
// ---------------------------------------------------------------------------------------------

/// What falls short of elder mode on the open page, measured: text under 24 px or with line
/// spacing under 1.5; text under 7:1 against the colour behind it (computed colours, the first
/// opaque background among its ancestors); a link, button or field under 60 × 60 px; a page
/// wider than the screen.
const ELDER_SHORTFALLS: &str = "(() => {
  const problems = [];
  const visible = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const rgba = c => { const v = c.match(/[\\d.]+/g).map(Number); return v.length > 3 ? v : v.concat([1]); };
  const luminance = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = e => { for (; e; e = e.parentElement) { const b = rgba(getComputedStyle(e).backgroundColor); if (b[3] > 0) return b; } return [255, 255, 255, 1]; };
  const short = e => e.textContent.trim().replace(/\\s+/g, ' ').slice(0, 24);
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const e = t.parentElement;
    if (!t.textContent.trim() || seen.has(e) || !visible(e) || e.closest('svg, .skip, .visually-hidden, noscript')) continue;
    seen.add(e);
    const s = getComputedStyle(e), size = parseFloat(s.fontSize), line = parseFloat(s.lineHeight);
    if (size < 24) problems.push('text of ' + size + ' px: ' + short(e));
    else if (!(line >= 1.5 * size - 0.5)) problems.push('line height ' + s.lineHeight + ' at ' + size + ' px: ' + short(e));
    const fg = rgba(s.color), bg = behind(e), [a, b] = [luminance(fg), luminance(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 7) problems.push('contrast ' + ratio.toFixed(2) + ':1 (' + s.color + ' on ' + bg.slice(0, 3).join(',') + '): ' + short(e));
  }
  for (const e of document.querySelectorAll('a[href], label.mode-switch, button, input:not(.elder-toggle), select, textarea, summary')) {
    if (!visible(e) || e.closest('.skip')) continue;
    const r = e.getBoundingClientRect();
    if (r.height < 60 || r.width < 60)
      problems.push('tap target ' + Math.round(r.width) + ' × ' + Math.round(r.height) + ' px: ' + e.tagName.toLowerCase() + ' ' + short(e));
  }
  if (document.documentElement.scrollWidth > innerWidth + 1)
    problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px');
  return problems;
})()";

/// Taps the 长者模式 switch (a press at the middle of its label, hit-tested by the browser), so
/// that the test goes through the label and the checkbox rather than setting the state. A press
/// that lands while the browser is still taking a scroll to the top into its hit testing (one run
/// in five after a jump to #main) is tried again, at most three times.
fn tap_elder_switch(window: &Window) {
    let checked = || window.eval("document.getElementById('elder').checked");
    let before = checked();
    for _ in 0..3 {
        window.eval("scrollTo(0, 0)");
        std::thread::sleep(Duration::from_millis(100));
        let at = window.eval(
            "(r => [r.left + r.width / 2, r.top + r.height / 2])(document.querySelector('label.mode-switch').getBoundingClientRect())",
        );
        let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
        for kind in ["mousePressed", "mouseReleased"] {
            window.call(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            );
        }
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(1) {
            if checked() != before {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    panic!("three presses on the 长者模式 switch changed nothing");
}

/// Whether elder mode is on; false also while a page is being replaced (nothing to ask yet).
fn elder_on(window: &Window) -> bool {
    window.try_eval(
        "document.getElementById('elder').checked && getComputedStyle(document.querySelector('main')).fontSize === '24px'",
    ) == Ok(json!(true))
}

/// Whether the open page's address has the path `path` (false while it is being replaced).
fn at_path(window: &Window, path: &str) -> bool {
    window.try_eval("document.readyState === 'complete' ? location.pathname : ''") == Ok(json!(path))
}

/// The visible text of the switch ("长者模式" or "退出长者模式"), or null when there is none.
const SWITCH_TEXT: &str = "(l => l && l.getClientRects().length ? l.innerText.trim() : null)(document.querySelector('label.mode-switch[for=elder]'))";
const NOTE_SHOWN: &str = "(n => !!n && n.getClientRects().length > 0)(document.querySelector('.mode-note'))";

#[test]
fn elder_mode_works_without_script_on_every_page_type_and_meets_its_measures() {
    if !available("elder_mode_works_without_script_on_every_page_type_and_meets_its_measures", false) {
        return;
    }
    let site = sample();
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);
    window.scripts(false);

    // The measure itself: standard mode has small text, text under 7:1 and small targets.
    window.open(&host.url("nanhe-zhen/dongwangzhuang-cun/index.html"));
    let standard = window.eval(ELDER_SHORTFALLS).to_string();
    for shortfall in ["text of 17 px", "contrast ", "tap target "] {
        assert!(standard.contains(shortfall), "the measure misses {shortfall:?}: {standard}");
    }

    let pages = pages_by_type(&site);
    let mut failures = Vec::new();
    for (kind, paths) in &pages {
        let path = &paths[0];
        window.open(&host.url(path));
        assert_eq!(window.eval(SWITCH_TEXT), "长者模式", "{kind} {path}: no visible switch");
        assert!(!elder_on(&window));
        tap_elder_switch(&window);
        window.wait(&format!("elder mode on {path}"), || elder_on(&window));
        assert_eq!(window.eval(SWITCH_TEXT), "退出长者模式", "{kind} {path}: no way back");
        // No script to remember the choice: the page says so (404.html has no script at all,
        // and no note).
        assert_eq!(window.eval(NOTE_SHOWN), *kind != "404", "{kind} {path}: the note on keeping the mode");
        for problem in window.eval(ELDER_SHORTFALLS).as_array().unwrap() {
            failures.push(format!("{kind} {path}: {}", problem.as_str().unwrap()));
        }
        // A link within the page (跳到正文) keeps the mode, as a :target switch would not.
        window.eval("document.querySelector('a.skip').click()");
        assert_eq!(window.eval("location.hash"), "#main");
        assert!(elder_on(&window), "{kind} {path}: the skip link ended elder mode");
        // Paper is not a screen: the A4 sheets print on one page in elder mode too.
        if ["print notice", "zone sign"].contains(kind) {
            assert_eq!(pdf_pages(&window.print()), 1, "{kind} {path} printed in elder mode");
        }
        tap_elder_switch(&window);
        window.wait(&format!("standard mode on {path}"), || !elder_on(&window));
        assert_eq!(window.eval(SWITCH_TEXT), "长者模式");
    }
    // Without script the choice holds for the page only, as the note says.
    window.open(&host.url("index.html"));
    tap_elder_switch(&window);
    window.open(&host.url("about/index.html"));
    assert!(!elder_on(&window));
    eprintln!("elder mode: {} page types measured at 360 px without JavaScript", pages.len());
    assert!(failures.is_empty(), "{} shortfalls in elder mode:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn with_script_the_elder_mode_choice_sticks_across_pages() {
    if !available("with_script_the_elder_mode_choice_sticks_across_pages", false) {
        return;
    }
    let site = sample();
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);
    window.open(&host.url("index.html"));
    window.eval("localStorage.clear()");
    window.open(&host.url("index.html"));
    assert!(!elder_on(&window));
    tap_elder_switch(&window);
    window.wait("elder mode", || elder_on(&window));
    // The choice is kept, so the note about keeping it is not shown.
    assert_eq!(window.eval(NOTE_SHOWN), false);
    // Other pages, reached by following links: still in elder mode.
    for (link, path) in [
        ("a[href$='nanhe-zhen/index.html']", "/nanhe-zhen/index.html"),
        ("a[href$='dongwangzhuang-cun/index.html']", "/nanhe-zhen/dongwangzhuang-cun/index.html"),
    ] {
        window.eval(&format!("document.querySelector(\"{link}\").click()"));
        window.wait(&format!("{path} to open"), || at_path(&window, path));
        window.wait(&format!("elder mode on {path}"), || elder_on(&window));
        assert_eq!(window.eval(SWITCH_TEXT), "退出长者模式");
        assert_eq!(window.eval(NOTE_SHOWN), false);
    }
    // The search page with its results (drawn by search.js) meets the measures too.
    window.open(&host.url("search/index.html?q=东大街"));
    window.wait("elder mode on the search page", || elder_on(&window));
    window.wait("search results", || {
        window.eval("document.querySelectorAll('#results a').length").as_u64() > Some(0)
    });
    assert_eq!(window.eval(ELDER_SHORTFALLS), json!([]), "the search page with results");
    // Back, to a page kept in memory: it takes the latest choice.
    tap_elder_switch(&window);
    window.wait("standard mode", || !elder_on(&window));
    window.eval("history.back()");
    window.wait("the unit page again", || at_path(&window, "/nanhe-zhen/dongwangzhuang-cun/index.html"));
    window.wait("standard mode after going back", || !elder_on(&window));
    window.open(&host.url("about/index.html"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!elder_on(&window), "standard mode sticks too");
}

/// Bytes of the open page's HTML, CSS and JavaScript as loaded (bodies, before any compression).
const PAGE_WEIGHT: &str = "(() => {
  const weight = { html: performance.getEntriesByType('navigation')[0].decodedBodySize, css: 0, js: 0 };
  for (const r of performance.getEntriesByType('resource')) {
    if (r.name.endsWith('.css')) weight.css += r.decodedBodySize;
    else if (r.name.endsWith('.js') && !r.name.includes('axe')) weight.js += r.decodedBodySize;
  }
  return weight;
})()";

/// The widest table cell of the open page (its width in px and its text) and whether any table
/// is wider than its box (and so scrolls in it).
const WIDEST_CELL: &str = "(() => {
  let widest = [0, ''];
  for (const c of document.querySelectorAll('main td, main th')) {
    const w = c.getBoundingClientRect().width;
    if (c.getClientRects().length && w > widest[0]) widest = [Math.round(w), c.textContent.trim().replace(/\\s+/g, ' ').slice(0, 30)];
  }
  const scrolls = [...document.querySelectorAll('main .table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1).length;
  return widest.concat([scrolls]);
})()";

#[test]
fn axe_core_finds_nothing_in_either_mode_and_elder_mode_costs_no_bytes() {
    if !available("axe_core_finds_nothing_in_either_mode_and_elder_mode_costs_no_bytes", true) {
        return;
    }
    let site = sample();
    let host = StaticHost::serve(&site.path("output"));
    let chrome = Chrome::launch();
    let window = phone_window(&chrome);
    install_axe(&window);
    let pages = pages_by_type(&site);
    let mut failures = Vec::new();
    let mut report = Vec::new();
    for (device, size, mobile) in [("360 px", PHONE, true), ("1280 px", (1280, 900), false)] {
        window.viewport(size, mobile);
        for (kind, paths) in &pages {
            let path = &paths[0];
            let mut weights = Vec::new();
            for elder in [false, true] {
                window.open(&host.url(path));
                window.eval(if elder {
                    "localStorage.setItem('gongkai-elder', '1')"
                } else {
                    "localStorage.removeItem('gongkai-elder')"
                });
                window.open(&host.url(path));
                // 404.html loads no script: there the switch is tapped.
                if elder && *kind == "404" {
                    tap_elder_switch(&window);
                }
                window.wait(&format!("the mode on {path}"), || elder_on(&window) == elder);
                let mode = if elder { "elder" } else { "standard" };
                for violation in axe_violations(&window) {
                    failures.push(format!("{kind} {path} ({device}, {mode} mode): {violation}"));
                }
                let weight = window.eval(PAGE_WEIGHT);
                let cell = window.eval(WIDEST_CELL);
                weights.push(weight.clone());
                if mobile {
                    report.push(format!(
                        "{kind:<13} {mode:<8} html {:>6} css {:>5} js {:>6}  widest cell {:>3} px ({}), tables scrolling: {}",
                        weight["html"], weight["css"], weight["js"], cell[0], cell[1].as_str().unwrap(), cell[2]
                    ));
                }
                if mobile && elder {
                    if cell[2] != 0 {
                        failures.push(format!("{kind} {path}: a table scrolls in its box in elder mode"));
                    }
                    for problem in window.eval(ELDER_SHORTFALLS).as_array().unwrap() {
                        failures
                            .push(format!("{kind} {path} (with JavaScript): {}", problem.as_str().unwrap()));
                    }
                }
            }
            assert_eq!(weights[0], weights[1], "{kind} {path}: elder mode loads something more");
        }
    }
    eprintln!("page weight (bytes) and widest table cell at 360 px:\n{}", report.join("\n"));
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
