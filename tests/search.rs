//! Search at `/search/` (docs/design.md §5) and the notice-status script: the index files a build writes,
//! queried by the theme's own `search.js` running in node, as a phone's browser would run it;
//! privacy of the index; shards growing with the site; `serve` keeping the index current; and
//! `status.js` correcting 公示中 / 已结束 on the day a page is read.

mod common;

use common::{Site, UNIT, UNIT_OUT, json};
use gongkai::content::LoadOptions;
use gongkai::serve::preview::{Outcome, Pages};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// Runs `search.js` of a built site in node: loads `assets/search.js`, answers each query like
/// the search page (the shards of the query's terms, then the chunks of the first results), and
/// prints for each query its terms, the number of hits, how far the first page went through
/// them, the index files read and their bytes, and the first page of results.
const QUERY_JS: &str = r#"
const vm = require('vm'), fs = require('fs'), path = require('path');
const out = process.argv[1], queries = JSON.parse(process.argv[2]), method = process.argv[3] || 'find';
const search = require(path.join(out, 'assets/search.js'));
const page = fs.readFileSync(path.join(out, 'search/index.html'), 'utf8');
const shards = Number(/data-shards="(\d+)"/.exec(page)[1]);
let bytes = 0, files = [];
const engine = new search.Engine(shards, (file) => {
  const text = fs.readFileSync(path.join(out, file), 'utf8');
  bytes += Buffer.byteLength(text);
  files.push(file);
  vm.runInNewContext(text, { gongkaiSearch: engine.receiver });
  return Promise.resolve();
});
(async () => {
  const answers = [];
  for (const q of queries) {
    bytes = 0; files = [];
    const found = await engine[method](q);
    const { rows, next } = await engine.page(found, 0, search.PAGE);
    const { address = null, placed = 0 } = found;
    answers.push({ q, terms: found.terms, common: found.common, hits: found.hits.length, next, bytes, files, rows, address, placed });
  }
  console.log(JSON.stringify(answers));
})().catch((e) => { console.error(e); process.exit(1); });
"#;

/// Splits each text with `search.js`: `[terms(t, false), terms(t, true), queryTerms(t), hash(t)]`.
const TERMS_JS: &str = r#"
const search = require(process.argv[1]);
const texts = JSON.parse(process.argv[2]);
console.log(JSON.stringify(texts.map((t) => [search.terms(t, false), search.terms(t, true), search.queryTerms(t), search.hash(t)])));
"#;

fn node(script: &str, args: &[&str]) -> Value {
    let output = Command::new("node")
        .arg("-e")
        .arg(script)
        .args(args)
        .output()
        .expect("node (v18 or later) must be installed to run the search tests");
    assert!(output.status.success(), "node failed:\n{}", String::from_utf8_lossy(&output.stderr));
    json(&String::from_utf8_lossy(&output.stdout))
}

/// The answers of `search.js` over the site's built output.
fn query(site: &Site, queries: &[&str]) -> Vec<Value> {
    query_with(site, queries, "find")
}

/// The answers of `Engine.<method>` (`find`, or `lookup` as the search page asks).
fn query_with(site: &Site, queries: &[&str], method: &str) -> Vec<Value> {
    let out = site.path("output");
    let queries = serde_json::to_string(queries).unwrap();
    let answers = node(QUERY_JS, &[out.to_str().unwrap(), &queries, method]);
    answers.as_array().unwrap().clone()
}

fn hrefs(answer: &Value) -> Vec<&str> {
    answer["rows"].as_array().unwrap().iter().map(|r| r["href"].as_str().unwrap()).collect()
}

/// Every file below `output/search/` as text, by path.
fn search_files(site: &Site) -> Vec<(String, String)> {
    site.tree("output/search")
        .into_iter()
        .map(|(name, bytes)| (name, String::from_utf8(bytes).expect("UTF-8")))
        .collect()
}

const MEMBER_M01: &str = "nanhe-zhen/dongwang/members/m01/index.html";
const ZONE_Z1: &str = "nanhe-zhen/dongwang/zones/index.html#zone-z1";

// --- finding things ------------------------------------------------------------------------

#[test]
fn two_characters_of_a_name_find_the_member() {
    let site = Site::minimal();
    site.build_clean();
    let answers = query(&site, &["建国", "李建国", "李德胜"]);
    let titles: Vec<&Value> = answers.iter().map(|a| &a["rows"][0]["title"]).collect();
    assert_eq!(titles, ["李建国", "李建国", "李德胜"], "{answers:?}");
    assert_eq!(hrefs(&answers[0])[0], MEMBER_M01, "{}", answers[0]);
    assert_eq!(answers[0]["terms"], serde_json::json!(["建国"]));
    assert_eq!(answers[1]["terms"], serde_json::json!(["李建", "建国"]));
    let row = &answers[1]["rows"][0];
    assert_eq!(row["subtitle"], "党员 · 东王庄村 · 第一党小组 · 支部书记 · 责任区：东街片区");
    // The member ranks above the zone that lists the name among its members.
    assert_eq!(hrefs(&answers[1]), [MEMBER_M01, ZONE_Z1]);
    // Exempt members are published, so they are found.
    assert_eq!(hrefs(&answers[2])[0], "nanhe-zhen/dongwang/members/m05/index.html");
}

#[test]
fn a_street_fragment_finds_the_zone_and_its_members() {
    let site = Site::minimal();
    site.build_clean();
    let answers = query(&site, &["东大街", "西大街", "东大街1号"]);
    // The zone is found by its area; its result links the members responsible for it.
    assert_eq!(hrefs(&answers[0]), [ZONE_Z1], "{}", answers[0]);
    let zone = &answers[0]["rows"][0];
    assert_eq!(zone["title"], "东街片区");
    assert_eq!(zone["subtitle"], "责任区 · 东王庄村 · 范围：东大街1号至28号 · 责任党员：李建国、王秀英");
    assert_eq!(
        zone["members"],
        serde_json::json!([
            { "name": "李建国", "href": MEMBER_M01 },
            { "name": "王秀英", "href": "nanhe-zhen/dongwang/members/m02/index.html" },
        ])
    );
    // A member without consent is named as the zones page names them, without a link.
    assert_eq!(
        answers[1]["rows"][0]["members"],
        serde_json::json!([
            { "name": "张志强", "href": "nanhe-zhen/dongwang/members/m03/index.html" },
            { "name": "赵*兰", "href": null },
        ])
    );
    // Every link is to a built page, and a zone's to its place on the zones page.
    for row in answers.iter().flat_map(|a| a["rows"].as_array().unwrap()) {
        let members = row["members"].as_array().unwrap().iter().filter_map(|m| m["href"].as_str());
        for href in members.chain([row["href"].as_str().unwrap()]) {
            let (file, anchor) = href.split_once('#').unwrap_or((href, ""));
            let page = site.output(&format!("output/{file}"));
            assert!(anchor.is_empty() || page.contains(&format!("id=\"{anchor}\"")), "{href}");
        }
    }
    // Digits are words of their own: 东大街1号 is 东大 大街 1, all in zone z1's area.
    assert_eq!(answers[2]["terms"], serde_json::json!(["东大", "大街", "1"]));
    assert_eq!(hrefs(&answers[2]), [ZONE_Z1]);
}

#[test]
fn units_and_sections_are_found_and_rank_first() {
    let site = Site::minimal();
    site.build_clean();
    let answers = query(&site, &["东王庄村", "南河镇", "东王庄 张", "王", "没有这个村"]);
    assert_eq!(hrefs(&answers[0])[0], "nanhe-zhen/dongwang/index.html");
    assert_eq!(answers[0]["rows"][0]["subtitle"], "农村 · 南河镇");
    assert_eq!(hrefs(&answers[1])[..2], ["nanhe-zhen/index.html", "nanhe-zhen/dongwang/index.html"]);
    // A lone character beside a longer term ranks the names holding it first; it filters nothing.
    assert_eq!(
        hrefs(&answers[2])[..2],
        ["nanhe-zhen/dongwang/index.html", "nanhe-zhen/dongwang/members/m03/index.html"]
    );
    assert_eq!(answers[2]["hits"], 7, "{}", answers[2]);
    // A single character alone finds the names that contain it.
    assert_eq!(
        hrefs(&answers[3]),
        ["nanhe-zhen/dongwang/index.html", "nanhe-zhen/dongwang/members/m02/index.html"]
    );
    assert_eq!(answers[4]["hits"], 0);
}

#[test]
fn rust_and_the_browser_split_text_alike() {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let texts = [
        "东大街12号",
        "李建国",
        "3号楼2单元 Room-B",
        "１２号ＡＢ",
        "赵*兰",
        "东王庄 李",
        "abcdefghijklmnop",
        "𠀀𠀁村",
        "",
    ];
    let answers = node(TERMS_JS, &[script.to_str().unwrap(), &serde_json::to_string(&texts).unwrap()]);
    for (text, answer) in texts.iter().zip(answers.as_array().unwrap()) {
        let split = |unigrams| {
            let mut found = Vec::new();
            gongkai::search::terms(text, unigrams, |t| found.push(t.to_string()));
            serde_json::json!(found)
        };
        assert_eq!(answer[0], split(false), "{text}");
        assert_eq!(answer[1], split(true), "{text}");
        assert_eq!(answer[2], serde_json::json!(gongkai::search::query_terms(text)), "{text}");
        let hash = answer[3].as_u64().unwrap() as usize;
        assert_eq!(gongkai::search::shard_of(text, usize::MAX), hash % usize::MAX, "{text}");
        assert_eq!(gongkai::search::shard_of(text, 1024), hash % 1024, "{text}");
    }
}

// --- house numbers -------------------------------------------------------------------------

/// Reads each text of the JSON file `argv[2]` with `address.js`: its places as
/// `name:code@start-end`, then its problems as `kind@start-end`, positions in characters.
const READ_JS: &str = r#"
const address = require(process.argv[1]);
const texts = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
console.log(JSON.stringify(texts.map((t) => {
  const r = address.read(t);
  return r.places.map((p) => `${p.name}:${address.code(p.levels)}@${p.start}-${p.end}`)
    .concat(r.problems.map((p) => `${p.kind}@${p.start}-${p.end}`));
})));
"#;

/// What `gongkai::rules::area::read` makes of a text, written as `READ_JS` writes it.
fn rust_reading(text: &str) -> Vec<String> {
    let reading = gongkai::rules::area::read(text);
    let places = reading.places.iter().map(|p| format!("{}:{}@{}-{}", p.name, p.code(), p.start, p.end));
    let problems = reading.problems.iter().map(|p| format!("{}@{}-{}", p.kind.label(), p.start, p.end));
    places.chain(problems).collect()
}

#[test]
fn rust_and_the_browser_read_areas_alike() {
    let mut texts: Vec<String> = [
        "东大街1号至28号",
        "东大街1-28号、30～36号",
        "东大街１－２８号",
        "东大街1号到28号，西大街单号",
        "东大街1号至49号单号",
        "东大街2-50号（双号）",
        "东大街单号1号至49号",
        "新村住宅区第1排至第6排",
        "3号楼1至2单元",
        "幸福小区3号楼1、2单元",
        "幸福小区3幢2单元1至6层",
        "幸福小区1号至3号楼",
        "机关办公楼3层301至305室",
        "后街全部、村卫生室周边",
        "东大街 1号至10号 12号",
        "东大街1号至10号12号至20号",
        "东大街1号至",
        "东大街至28号",
        "东大街28号至1号",
        "新村1号至6排",
        "东大街1至28",
        "东大街1、2",
        "值班电话139****5678，8:00至17:30",
        "教学楼1层一年级1班至3班教室",
        "𠀀街3号、Ａ3号楼",
        "东王庄 东大街5号",
        "东王庄3村东大街20号",
        "",
    ]
    .map(String::from)
    .to_vec();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let (sample, _) = gongkai::pipeline::load_all(&root, LoadOptions::default());
    let sample = sample.expect("the sample county loads");
    texts.extend(sample.units.iter().flat_map(|u| &u.zones).filter_map(|z| z.area.clone()));
    // Texts made of the pieces the reader looks at, in many orders (a fixed xorshift stream).
    let pieces = [
        "1",
        "28",
        "3",
        "123456",
        "号",
        "号楼",
        "楼",
        "栋",
        "单元",
        "排",
        "层",
        "室",
        "第",
        "至",
        "到",
        "-",
        "～",
        "、",
        "，",
        " ",
        "（",
        "）",
        "(",
        "单号",
        "双号",
        "全部",
        "东大街",
        "幸福小区",
        "个",
        "班",
        "*",
        ":",
        "及",
        "Ａ",
        "𠀀",
        "\u{3000}",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state as usize
    };
    for _ in 0..4000 {
        let len = 1 + next() % 10;
        texts.push((0..len).map(|_| pieces[next() % pieces.len()]).collect());
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("texts.json");
    std::fs::write(&file, serde_json::to_string(&texts).unwrap()).unwrap();
    let script = root.join("themes/default/static/address.js");
    let answers = node(READ_JS, &[script.to_str().unwrap(), file.to_str().unwrap()]);
    let answers = answers.as_array().unwrap();
    assert_eq!(answers.len(), texts.len());
    let (mut places, mut problems) = (0, 0);
    for (text, answer) in texts.iter().zip(answers) {
        let rust = rust_reading(text);
        assert_eq!(answer, &serde_json::json!(rust), "{text:?}");
        places += rust.iter().filter(|r| r.contains(':')).count();
        problems += rust.iter().filter(|r| !r.contains(':')).count();
    }
    // The texts reach both the places and the problems of the reader, many times over.
    assert!(places > 500 && problems > 500, "{places} places, {problems} problems");
}

const ZONE_Z2: &str = "nanhe-zhen/dongwang/zones/index.html#zone-z2";

#[test]
fn a_house_number_finds_the_zone_whose_range_covers_it_first() {
    let site = Site::minimal();
    site.replace(
        &format!("{UNIT}/zones.yaml"),
        "area: 西大街1号至30号",
        "area: 西大街1号至29号单号、东大街30号至50号、小学胡同",
    );
    site.build_clean();
    let queries = [
        "东大街20号",
        "东大街40号",
        "东大街29号",
        "西大街2号",
        "东王庄村东大街20号",
        "东大街",
        "南大街5号",
        "小学胡同5号",
    ];
    let answers = query_with(&site, &queries, "lookup");
    // 20 is in z1's range: z1 first, with its members and unit.
    let covered = &answers[0];
    assert_eq!(covered["address"]["state"], "covered", "{covered}");
    assert_eq!(covered["placed"], 1);
    assert_eq!(covered["address"]["say"], "“东大街20号”在下面 1 个责任区的范围内。");
    assert_eq!(hrefs(covered)[0], ZONE_Z1);
    assert_eq!(
        covered["rows"][0]["subtitle"],
        "责任区 · 东王庄村 · 范围：东大街1号至28号 · 责任党员：李建国、王秀英"
    );
    // 40 is in the second range of z2's area.
    assert_eq!(hrefs(&answers[1])[0], ZONE_Z2, "{}", answers[1]);
    // 29 is in no range on 东大街: the page says so and lists the street's zones.
    assert_eq!(answers[2]["address"]["state"], "not covered", "{}", answers[2]);
    assert_eq!(answers[2]["address"]["streets"], serde_json::json!(["东大街"]));
    assert_eq!(
        answers[2]["address"]["say"],
        "没有哪个责任区的范围包括“东大街29号”。下面是东大街上的 2 个责任区。"
    );
    assert_eq!(answers[2]["placed"], 2);
    assert_eq!(hrefs(&answers[2])[..2], [ZONE_Z1, ZONE_Z2]);
    // 西大街 is covered on its odd side only.
    assert_eq!(answers[3]["address"]["state"], "not covered", "{}", answers[3]);
    assert_eq!(hrefs(&answers[3])[0], ZONE_Z2);
    // The query's street may begin with more than the area's.
    assert_eq!(answers[4]["address"]["state"], "covered");
    assert_eq!(hrefs(&answers[4])[0], ZONE_Z1);
    // A query without a number reads no range file and no address reader.
    assert_eq!(answers[5]["address"], Value::Null);
    let files: Vec<&str> =
        answers[5]["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(files.iter().all(|f| f.starts_with("search/s/") || f.starts_with("search/c/")), "{files:?}");
    // A street no area names has no ranges and, here, no other match either.
    assert_eq!(answers[6]["hits"], 0, "{}", answers[6]);
    // A street an area names without numbers: the page says so and searches for the street.
    assert_eq!(answers[7]["address"]["state"], "unknown street", "{}", answers[7]);
    assert_eq!(
        answers[7]["address"]["say"],
        "没有哪个责任区写明“小学胡同”的门牌范围，下面是搜索“小学胡同”的结果。"
    );
    assert_eq!(hrefs(&answers[7]), [ZONE_Z2]);
    // A query with a number reads the reader and one range file (a small site has one).
    let files: Vec<&str> =
        answers[0]["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(files.contains(&"assets/address.js") && files.contains(&"search/r/0.js"), "{files:?}");
}

#[test]
fn the_other_words_of_a_house_number_query_rank_their_units_zones_first() {
    let site = site_of(3);
    site.run(&["build", "--quiet"]).code(0);
    let answers = query_with(&site, &["东大街20号", "东王庄3村 东大街20号", "东王庄3村东大街20号"], "lookup");
    // Every copy of the unit has 东大街1号至28号: three zones cover the number, in site order.
    assert_eq!(answers[0]["placed"], 3, "{}", answers[0]);
    assert_eq!(hrefs(&answers[0])[0], ZONE_Z1);
    for answer in &answers[1..] {
        assert_eq!(answer["placed"], 3, "{answer}");
        assert_eq!(hrefs(answer)[0], "nanhe-zhen/dongwang-3/zones/index.html#zone-z1", "{answer}");
    }
}

#[test]
fn serve_keeps_the_range_files_current_after_an_area_edit() {
    let site = Site::minimal();
    let (pages, mut preview) = site.preview();
    let ranges = |pages: &Pages| String::from_utf8(pages.get("search/r/0.js").unwrap().to_vec()).unwrap();
    assert!(ranges(&pages).contains(r#""东大街":[[1,1,"h1-28"]]"#), "{}", ranges(&pages));

    site.replace(&format!("{UNIT}/zones.yaml"), "area: 东大街1号至28号", "area: 东大街1号至36号");
    let outcome = preview.apply(&[site.path(&format!("{UNIT}/zones.yaml"))], &pages);
    let Outcome::Updated { changed, full } = outcome else { panic!("{outcome:?}") };
    assert!(!full, "a unit edit is incremental");
    assert!(changed.contains(&"search/r/0.js".to_string()), "{changed:?}");
    assert!(ranges(&pages).contains(r#""东大街":[[1,1,"h1-36"]]"#), "{}", ranges(&pages));
    site.run(&["build", "--quiet"]).code(0);
    for (name, bytes) in site.tree("output/search") {
        assert_eq!(pages.get(&format!("search/{name}")).unwrap()[..], bytes[..], "search/{name}");
    }
}

// --- privacy -------------------------------------------------------------------------------

#[test]
fn members_without_consent_are_not_in_the_index() {
    let site = Site::minimal();
    site.build_clean();
    // m04 赵桂兰 has `consent: false`: the pages show 赵*兰.
    for (name, text) in search_files(&site) {
        assert!(!text.contains("赵桂兰") && !text.contains("桂兰") && !text.contains("赵桂"), "{name}");
        assert!(!text.contains("/members/m04/"), "{name} links the masked member");
    }
    for answer in query(&site, &["赵桂兰", "桂兰", "赵桂", "赵"]) {
        assert_eq!(answer["hits"], 0, "{answer}");
    }
}

#[test]
fn no_phone_or_identity_number_in_search_files() {
    let site = Site::minimal();
    // A mobile number in a zone's text is masked before the model sees it (and warned about).
    site.replace(&format!("{UNIT}/zones.yaml"), "area: 东大街1号至28号", "area: 东大街1号至28号 13912345678");
    site.build().code(0);
    for (name, text) in search_files(&site) {
        assert!(!text.contains("1393160") && !text.contains("12345678"), "{name} has a phone number");
        if name.starts_with("c/") {
            let digits: Vec<&str> =
                text.split(|c: char| !c.is_ascii_digit()).filter(|d| d.len() >= 11).collect();
            assert!(digits.is_empty(), "{name} has long numbers {digits:?}");
        }
        if name.starts_with("s/") {
            // Terms are the keys; postings (the values) are letters and digits of their own.
            let object = text.split_once(',').unwrap().1.trim_end().trim_end_matches(");");
            let terms = json(object);
            for term in terms.as_object().unwrap().keys() {
                assert!(!(term.len() >= 7 && term.bytes().all(|b| b.is_ascii_digit())), "{name}: {term}");
            }
        }
    }
    let chunk = site.output("output/search/c/1.js");
    assert!(chunk.contains("139****5678"), "{chunk}");
}

// --- files and scale -----------------------------------------------------------------------

/// A site of `units` copies of the minimal unit.
fn site_of(units: usize) -> Site {
    let site = Site::minimal();
    for i in 2..=units {
        common::copy_dir(&site.path(UNIT), &site.path(&format!("{UNIT}-{i}")));
        site.replace(&format!("{UNIT}-{i}/unit.yaml"), "name: 东王庄村", &format!("name: 东王庄{i}村"));
    }
    site
}

fn shard_files(site: &Site) -> usize {
    let page = site.output("output/search/index.html");
    let shards: usize =
        page.split("data-shards=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    let files = site.tree("output/search/s").len();
    assert_eq!(files, shards, "the page names as many shards as there are files");
    files
}

#[test]
fn shards_grow_with_the_site_and_stay_small() {
    let small = Site::minimal();
    small.build_clean();
    let large = site_of(120);
    large.run(&["build", "--quiet"]).code(0);
    assert_eq!(shard_files(&small), 1);
    let count = shard_files(&large);
    assert!(count >= 4, "{count} shards for 120 units");
    let sizes: Vec<usize> = large.tree("output/search/s").values().map(|b| b.len()).collect();
    let total: usize = sizes.iter().sum();
    assert!(sizes.iter().all(|s| *s < 3 * total / count), "shards are balanced: {sizes:?}");
    // One chunk per unit and one for the sections; a query reads only some of the files.
    assert_eq!(large.tree("output/search/c").len(), 121);
    let answers = query(&large, &["李建国"]);
    assert_eq!(answers[0]["hits"], 240, "the member and zone z1 in every copy");
    let read = answers[0]["files"].as_array().unwrap().len();
    assert!(read <= 2 + 10, "{}", answers[0]);
}

#[test]
fn common_terms_are_checked_on_the_candidates_other_terms_find() {
    // 250 copies of the unit: 片区 (in every zone's name) and 东王 (in every unit's name) are in
    // more than 1,000 records each, so the index leaves them out as common.
    let site = site_of(250);
    site.run(&["build", "--quiet"]).code(0);
    let answers = query(&site, &["李建国 片区", "李德胜 片区", "东王庄 片区"]);
    // 李建国 is the member of zone 东街片区 in every copy, so each candidate holds 片区.
    assert_eq!(answers[0]["common"], serde_json::json!(["片区"]), "{}", answers[0]);
    assert_eq!(answers[0]["rows"].as_array().unwrap().len(), 10);
    assert_eq!(answers[0]["next"], 10);
    // 李德胜 is exempt and has no zone: no candidate holds 片区, and one page checks at most
    // 50 of the 250 candidates (a few dozen small files) before it stops.
    assert_eq!(answers[1]["hits"], 250);
    assert_eq!(answers[1]["rows"], serde_json::json!([]));
    assert_eq!(answers[1]["next"], 50);
    // Nothing but common terms: the page asks for something more specific.
    assert_eq!(answers[2]["common"], answers[2]["terms"]);
    assert_eq!(answers[2]["hits"], 0);
}

#[test]
fn search_page_works_without_a_server_and_says_how_to_browse_without_javascript() {
    let site = Site::minimal();
    site.build_clean();
    let page = site.output("output/search/index.html");
    for part in [
        "<form role=\"search\" action=\"\" method=\"get\" id=\"search-form\"",
        "<label for=\"q\">搜索</label>",
        "<input type=\"search\" name=\"q\" id=\"q\"",
        "<ol id=\"results\" class=\"results-list\" data-root=\"../\"></ol>",
        "<script src=\"../assets/search.js\" defer></script>",
        "<noscript id=\"search-noscript\">",
        "<a href=\"../index.html\">首页</a>",
        "<a href=\"../nanhe-zhen/index.html\">南河镇</a>",
    ] {
        assert!(page.contains(part), "search page lacks {part}\n{page}");
    }
    // Every page links to search; the index files are scripts (they load from file:// too).
    assert!(site.output("output/index.html").contains("<a href=\"search/index.html\">搜索</a>"));
    assert!(
        site.output(&format!("{UNIT_OUT}/zones/index.html"))
            .contains("<a href=\"../../../search/index.html\">搜索</a>")
    );
    assert!(site.output("output/search/s/0.js").starts_with("gongkaiSearch.shard(0,{"));
    assert!(site.output("output/search/c/1.js").starts_with("gongkaiSearch.chunk(1,["));
}

// --- serve ---------------------------------------------------------------------------------

#[test]
fn serve_keeps_the_index_current_after_a_unit_edit() {
    let site = Site::minimal();
    let (pages, mut preview) = site.preview();
    let shard = |pages: &Pages| String::from_utf8(pages.get("search/s/0.js").unwrap().to_vec()).unwrap();
    assert!(shard(&pages).contains("\"秀英\""));

    site.replace(&format!("{UNIT}/unit.yaml"), "name: 王秀英", "name: 王秀芳");
    let outcome = preview.apply(&[site.path(&format!("{UNIT}/unit.yaml"))], &pages);
    let Outcome::Updated { changed, full } = outcome else { panic!("{outcome:?}") };
    assert!(!full, "a unit edit is incremental");
    assert!(changed.contains(&"search/s/0.js".to_string()), "{changed:?}");
    assert!(changed.contains(&"search/c/1.js".to_string()), "{changed:?}");
    let text = shard(&pages);
    assert!(text.contains("\"秀芳\"") && !text.contains("\"秀英\""), "{text}");

    // What serve holds is what a build writes.
    site.run(&["build", "--quiet"]).code(0);
    for (name, bytes) in site.tree("output/search") {
        assert_eq!(pages.get(&format!("search/{name}")).unwrap()[..], bytes[..], "search/{name}");
    }
}

// --- notice status at view time ------------------------------------------------------------

/// Runs `status.js` in node: `noticeStatus` for dates, `chinaDate` for instants, and `correct`
/// over stand-in elements.
const STATUS_JS: &str = r#"
const status = require(process.argv[1]);
const cases = [
  ['2016-12-20', '2016-12-26', '2016-12-19'], ['2016-12-20', '2016-12-26', '2016-12-20'],
  ['2016-12-20', '2016-12-26', '2016-12-26'], ['2016-12-20', '2016-12-26', '2016-12-27'],
  ['2016-12-20', null, '2016-12-27'], [null, null, '2016-12-27'], ['2016-12-20', null, '2016-12-01'],
];
const label = { textContent: '公示中' };
const element = {
  className: 'notice-period status-open',
  getAttribute: (name) => ({ 'data-first': '2016-12-20', 'data-last': '2016-12-26' })[name],
  querySelector: () => label,
};
const root = { querySelectorAll: () => [element] };
const changedLater = status.correct(root, '2016-12-27');
const changedAgain = status.correct(root, '2016-12-27');
console.log(JSON.stringify({
  statuses: cases.map((c) => status.noticeStatus(c[0], c[1], c[2])),
  // 2016-12-26 16:00 UTC is already 12-27 in China; 15:59:59 is still 12-26.
  dates: [Date.UTC(2016, 11, 26, 16, 0, 0), Date.UTC(2016, 11, 26, 15, 59, 59)].map(status.chinaDate),
  corrected: [changedLater, changedAgain, label.textContent, element.className],
}));
"#;

#[test]
fn status_script_corrects_the_notice_period_on_the_day_it_is_read() {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/status.js");
    let answer = node(STATUS_JS, &[script.to_str().unwrap()]);
    assert_eq!(
        answer["statuses"],
        serde_json::json!(["upcoming", "open", "open", "closed", null, null, "upcoming"]),
        "as the build computes it (views::notice_status)"
    );
    assert_eq!(answer["dates"], serde_json::json!(["2016-12-27", "2016-12-26"]));
    assert_eq!(answer["corrected"], serde_json::json!([1, 0, "已结束", "notice-period status-closed"]));
}

#[test]
fn status_elements_carry_the_period_for_the_script() {
    let site = Site::minimal();
    site.build_clean();
    let results = site.output(&format!("{UNIT_OUT}/assessments/2016/index.html"));
    assert!(
        results.contains(
            "<div class=\"notice-period status-open\" data-first=\"2016-12-20\" data-last=\"2016-12-26\">"
        ),
        "{results}"
    );
    assert!(results.contains("<strong class=\"status-label\">公示中</strong>"));
    assert!(results.contains("<script src=\"../../../../assets/status.js\" defer></script>"));
    let home = site.output(&format!("{UNIT_OUT}/index.html"));
    assert!(
        home.contains("data-first=\"2016-12-20\" data-last=\"2016-12-26\"><span class=\"status-label\">公示中</span>，公示截止 2016-12-26"),
        "{home}"
    );
    assert!(home.contains("<script src=\"../../assets/status.js\" defer></script>"));
    assert!(site.tree("output/assets").contains_key("status.js"));
    // A period with no length has no last day: the script leaves its words alone.
    site.replace(&format!("{UNIT}/assessments/2016.yaml"), "notice_days: 7\n", "");
    site.run(&["build", "--quiet"]).code(0);
    let results = site.output(&format!("{UNIT_OUT}/assessments/2016/index.html"));
    assert!(
        results.contains("<div class=\"notice-period status-unknown\" data-first=\"2016-12-20\">"),
        "{results}"
    );
}
