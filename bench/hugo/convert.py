#!/usr/bin/env python3
"""Turn a gongkai content/ folder into a Hugo site with the same pages, for bench/run.

Every HTML page gongkai builds gets one Hugo content file whose front matter (JSON) already holds
what that page shows: masked names and phones, totals, grades, ranks, compliance checks, the
notice-period status, feed entries. The layouts in bench/hugo/layouts only render it; Markdown
(notices, zone descriptions, introductions, feed entries) is left for Hugo to render, as gongkai
renders it. Unit home pages also output data.json and atom.xml; section and home pages atom.xml.

Not equivalent: Hugo 0.111 cannot draw QR codes (`images.QR` came in Hugo 0.141), so the printable
notice and zone signs get an empty <svg> with the same label where gongkai draws a QR code.

    python3 bench/hugo/convert.py --content SITE/content --out HUGO_SITE [--static DIR]

This is benchmark plumbing, not a supported exporter: it assumes content that `gongkai check`
accepts (bench/run builds with gongkai first) and does not validate anything itself.
"""

import argparse
import datetime
import json
import math
import os
import sys
import time
from multiprocessing import Pool

try:
    import yaml
except ImportError:
    sys.exit("convert.py: PyYAML is missing; install it with `pip install pyyaml` (or `apt-get install python3-yaml`)")

# libyaml's C parser when PyYAML was built with it: 5-10x faster than the pure-Python one.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KIND_LABEL = {"village": "农村", "community": "社区", "agency": "机关", "enterprise": "企事业单位", "school": "学校"}
ZONE_TERM = {"village": "片区", "community": "楼栋单元", "agency": "科室", "enterprise": "岗位", "school": "年级"}
CATEGORY_LABEL = {"teacher": "教师党员", "staff": "职工党员", "student": "学生党员"}
STATUS_LABEL = {"upcoming": "待公示", "open": "公示中", "closed": "已结束", "unknown": "未写公示期"}
CHECK_LABELS = ["责任区和党小组", "定岗履责", "考核评比结果", "群众监督渠道"]
DEFAULT_GRADES = [
    {"name": "优秀", "min": 90},
    {"name": "合格", "min": 70},
    {"name": "基本合格", "min": 60},
    {"name": "不合格", "min": 0},
]


def load_yaml(path):
    with open(path, encoding="utf-8-sig") as f:
        return yaml.load(f, Loader=LOADER) or {}


def day(value):
    """YAML dates arrive as datetime.date; keep them as ISO strings."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else str(value)


def to_date(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def mask_phone(phone):
    digits = "".join(c for c in str(phone) if c.isdigit())
    if len(digits) == 11 and digits[0] == "1":
        return f"{digits[:3]}****{digits[7:]}"
    return str(phone)


def mask_name(name):
    chars = name.strip()
    if len(chars) <= 1:
        return "*" if chars else ""
    if len(chars) == 2:
        return chars[0] + "*"
    return chars[0] + "*" * (len(chars) - 2) + chars[-1]


def round1(x):
    """Rust's f64::round (half away from zero) to one decimal, not Python's banker's rounding."""
    return math.floor(x * 10 + 0.5) / 10


def fmt_score(x):
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def few(names):
    shown = "、".join(names[:3])
    return f"{shown} 等 {len(names)} 人" if len(names) > 3 else shown


def read_notices(folder, level_url, source):
    """Notices of one level, drafts left out (as `gongkai build`)."""
    notices = []
    if not os.path.isdir(folder):
        return notices
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".md") or name.startswith("."):
            continue
        with open(os.path.join(folder, name), encoding="utf-8-sig") as f:
            text = f.read()
        _, front, body = text.split("---", 2)
        meta = yaml.load(front, Loader=LOADER) or {}
        if meta.get("draft"):
            continue
        slug = name[:-3]
        notices.append(
            {
                "title": meta["title"],
                "date": day(meta["date"]),
                "url": f"/{level_url}notices/{slug}/",
                "source": source,
                "slug": slug,
                "body": body.lstrip("\n"),
            }
        )
    notices.sort(key=lambda n: n["slug"])
    notices.sort(key=lambda n: n["date"], reverse=True)  # newest first, as gongkai lists them
    return notices


def notice_ref(n):
    return {"title": n["title"], "date": n["date"], "url": n["url"], "source": n["source"]}


def write_page(path, front, body=""):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(front, ensure_ascii=False, separators=(",", ":")))
        f.write("\n")
        f.write(body)


def write_notice_pages(out, notices, crumbs, feed="/atom.xml"):
    for n in notices:
        path = os.path.join(out, "content", n["url"].strip("/") + ".md")
        front = {"title": n["title"], "date": n["date"], "layout": "notice", "url": n["url"],
                 "d": {"crumbs": crumbs, "notice": notice_ref(n), "feed": feed}}
        write_page(path, front, n["body"])


FEED_LENGTH = 50  # gongkai's render/feed.rs keeps the newest 50 entries


def notice_entry(n):
    return {"title": n["title"], "url": n["url"][1:], "date": n["date"], "source": n["source"], "markdown": n["body"]}


def feed(title, level_url, entries):
    """An Atom feed's front matter: newest first, ties by URL, as gongkai's render/feed.rs."""
    entries = sorted(entries, key=lambda e: e["url"])
    entries.sort(key=lambda e: e["date"], reverse=True)
    entries = entries[:FEED_LENGTH]
    return {"title": title, "url": level_url, "updated": entries[0]["date"] if entries else "2000-01-01",
            "entries": entries}


# --- one unit -------------------------------------------------------------------------------

def convert_unit(job):
    """Reads one unit folder, writes its pages, returns what section, home and dashboard pages need."""
    content, out, upath, section_name, section_crumbs, config = job
    udir = os.path.join(content, upath)
    info = load_yaml(os.path.join(udir, "unit.yaml"))
    has_zones = os.path.isfile(os.path.join(udir, "zones.yaml"))
    has_posts = os.path.isfile(os.path.join(udir, "posts.yaml"))
    zones = (load_yaml(os.path.join(udir, "zones.yaml")) if has_zones else {}).get("zones") or []
    posts = (load_yaml(os.path.join(udir, "posts.yaml")) if has_posts else {}).get("posts") or []
    adir = os.path.join(udir, "assessments")
    assessments = []
    if os.path.isdir(adir):
        for name in sorted(os.listdir(adir)):
            if name.endswith(".yaml"):
                assessments.append(load_yaml(os.path.join(adir, name)))
    assessments.sort(key=lambda a: a["year"])
    intro = None
    if os.path.isfile(os.path.join(udir, "index.md")):
        with open(os.path.join(udir, "index.md"), encoding="utf-8-sig") as f:
            intro = f.read()

    weights, grades, year, today = config["weights"], config["grades"], config["year"], config["today"]
    base, site_title = config["base"], config["title"]
    today = datetime.date.fromisoformat(today)
    url = f"/{upath}/"
    kind = info["kind"]
    groups = info.get("groups") or []
    members = info.get("members") or []
    group_name = {g["id"]: g["name"] for g in groups}

    def mref(m):
        return {
            "id": m["id"],
            "name": m["name"] if m.get("consent", True) else mask_name(m["name"]),
            "url": f"{url}members/{m['id']}/",
            "role": m.get("role"),
            "group": m["group"],
            "group_name": group_name.get(m["group"], ""),
            "exempt": m.get("exempt"),
            "category": CATEGORY_LABEL.get(m.get("category")),
            "phone": mask_phone(m["phone"]) if m.get("phone") else None,
            "joined": m.get("joined"),
        }

    refs = {m["id"]: mref(m) for m in members}
    short = {i: {"id": r["id"], "name": r["name"], "url": r["url"]} for i, r in refs.items()}
    active = [m for m in members if not m.get("exempt")]

    def zone_view(z):
        return {
            "id": z["id"],
            "name": z["name"],
            "group": z["group"],
            "group_name": group_name.get(z["group"], ""),
            "area": z.get("area"),
            "households": z.get("households"),
            "members": [short[i] for i in z.get("members") or [] if i in short],
            "partners": [{"name": mask_name(p["name"]), "role": p.get("role")} for p in z.get("partners") or []],
            "description": z.get("description"),
        }

    zone_views = [zone_view(z) for z in zones]
    post_of = {p["member"]: p for p in posts}

    # Assessments: totals, grades, ranks per group, as gongkai's rules/scoring.rs.
    aviews = []
    results_of = {}  # member id -> [(year, row)]
    for a in assessments:
        rows = []
        for r in a.get("results") or []:
            total = round1(r["self"] * weights["self"] + r["masses"] * weights["masses"]
                           + r["organization"] * weights["organization"])
            computed = next((g["name"] for g in grades if total >= g["min"]), grades[-1]["name"])
            rows.append({"r": r, "total": total, "grade": r.get("grade") or computed,
                         "group": refs[r["member"]]["group"] if r["member"] in refs else ""})
        by_group = {}
        for row in rows:
            by_group.setdefault(row["group"], []).append(row["total"])
        for row in rows:
            row["rank"] = 1 + sum(1 for t in by_group[row["group"]] if t > row["total"])
        published = to_date(a.get("published"))
        if a.get("until"):
            last = to_date(a["until"])
        elif published and a.get("notice_days"):
            last = published + datetime.timedelta(days=max(int(a["notice_days"]), 1) - 1)
        else:
            last = None
        if published and today < published:
            status = "upcoming"
        elif published and last and today <= last:
            status = "open"
        elif published and last:
            status = "closed"
        else:
            status = "unknown"
        views = []
        for row in rows:
            r = row["r"]
            if r["member"] not in refs:
                continue
            views.append({
                "member": short[r["member"]],
                "group": row["group"],
                "self_review": fmt_score(r["self"]),
                "masses": fmt_score(r["masses"]),
                "organization": fmt_score(r["organization"]),
                "total": fmt_score(row["total"]),
                "grade": row["grade"],
                "group_rank": row["rank"],
                "vanguard": bool(r.get("vanguard")),
                "action": r.get("action"),
                "note": r.get("note"),
            })
            results_of.setdefault(r["member"], []).append((a["year"], row, r))
        result_groups = []
        for g in groups:
            grows = sorted((v for v in views if v["group"] == g["id"]), key=lambda v: (v["group_rank"], v["member"]["id"]))
            if grows:
                result_groups.append({"name": g["name"], "rows": grows})
        aviews.append({
            "year": a["year"],
            "url": f"{url}assessments/{a['year']}/",
            "published": day(published),
            "last_day": day(last),
            "status": status,
            "status_label": STATUS_LABEL[status],
            "objections": a.get("objections"),
            "weights": {"self_review": weights["self"], "masses": weights["masses"], "organization": weights["organization"]},
            "groups": result_groups,
            "grade_counts": [{"name": g["name"], "count": sum(1 for v in views if v["grade"] == g["name"])} for g in grades],
            "vanguards": [v["member"] for v in views if v["vanguard"]],
            "follow_ups": [v for v in views if v["action"]],
            "assessed": len(views),
            "raw": a,
            "rows": rows,
        })
    current = next((a for a in aviews if a["year"] == year), aviews[-1] if aviews else None)

    # Compliance, as gongkai's rules/compliance.rs.
    zoned = {i for z in zones for i in z.get("members") or []}
    zchecks = []
    if not has_zones:
        zchecks.append("没有 zones.yaml（责任区）")
    else:
        without = [refs[m["id"]]["name"] for m in active if m["id"] not in zoned]
        if without:
            zchecks.append(f"{few(without)} 没有划分责任区")
        for z in zones:
            if not z.get("members"):
                zchecks.append(f"责任区“{z['name']}”没有责任党员")
            if z["group"] not in group_name:
                zchecks.append(f"责任区“{z['name']}”没有所属党小组")
    pchecks = []
    if not has_posts:
        pchecks.append("没有 posts.yaml（定岗履责）")
    else:
        no_post, no_duty, no_record = [], [], []
        for m in active:
            p = post_of.get(m["id"])
            if p is None:
                no_post.append(refs[m["id"]]["name"])
                continue
            if not p.get("duties"):
                no_duty.append(refs[m["id"]]["name"])
            if year and not any(to_date(r["date"]).year == year for r in p.get("records") or []):
                no_record.append(refs[m["id"]]["name"])
        if no_post:
            pchecks.append(f"{few(no_post)} 没有岗位")
        if no_duty:
            pchecks.append(f"{few(no_duty)} 岗位没有写职责")
        if no_record:
            pchecks.append(f"{few(no_record)} 没有 {year} 年的履责记录")
    achecks = []
    this_year = next((a for a in aviews if a["year"] == year), None) if year else None
    if this_year is None:
        achecks.append(f"没有 {year} 年的考核结果（assessments/{year}.yaml）" if year else "没有考核结果")
    else:
        if not this_year["published"] or not this_year["last_day"]:
            achecks.append(f"{year} 年考核结果没有写公示期（published 和 notice_days 或 until）")
        if not (this_year["objections"] or "").strip():
            achecks.append(f"{year} 年考核结果没有写异议受理渠道（objections）")
        assessed = {row["r"]["member"] for row in this_year["rows"]}
        missing = [refs[m["id"]]["name"] for m in active if m["id"] not in assessed]
        if missing:
            achecks.append(f"{few(missing)} 没有 {year} 年考核结果")
    supervision = {k: v for k, v in (info.get("supervision") or {}).items() if v}
    schecks = [] if supervision else ["unit.yaml 没有写群众监督渠道（supervision）"]
    checks = [{"label": label, "ok": not reasons, "reasons": reasons}
              for label, reasons in zip(CHECK_LABELS, [zchecks, pchecks, achecks, schecks])]
    ok = all(c["ok"] for c in checks)

    contact = {k: v for k, v in (info.get("contact") or {}).items() if v} or None
    header = {
        "name": info["name"],
        "url": url,
        "kind": kind,
        "kind_label": KIND_LABEL[kind],
        "zone_term": ZONE_TERM[kind],
        "organization": info.get("organization"),
        "section": section_name,
        "section_url": "/" + upath.rsplit("/", 1)[0] + "/",
        "contact": contact,
        "supervision": supervision or None,
        "assessment_years": [a["year"] for a in reversed(aviews)],
    }
    crumbs = section_crumbs + [{"title": info["name"], "url": url}]
    page_dir = os.path.join(out, "content", upath)
    common = {"unit": header, "checks": checks, "crumbs": crumbs, "feed": f"{url}atom.xml"}

    def page(name, title, layout, d, body="", **extra):
        front = {"title": title, "layout": layout, "d": {**common, **d}}
        front.update(extra)
        write_page(os.path.join(page_dir, name), front, body)

    def leader_of(g):
        return short.get(g.get("leader"))

    notices = read_notices(os.path.join(udir, "notices"), f"{upath}/", info["name"])
    entries = [notice_entry(n) for n in notices]
    for a in aviews:
        if a["published"]:
            period = f"公示期 {a['published']} 至 {a['last_day']}。" if a["last_day"] else ""
            entries.append({"title": f"{info['name']}{a['year']}年党员考核评比结果公示", "url": a["url"][1:],
                            "date": a["published"], "source": info["name"], "html": f"<p>{period}</p>"})
    current_ref = None
    if current:
        current_ref = {k: current[k] for k in ("year", "url", "status_label", "last_day", "grade_counts")}

    # data.json, as gongkai's UnitData: full member references with site-relative URLs. Zone
    # descriptions stay Markdown here (gongkai writes them as HTML).
    data_refs = {i: {**r, "url": r["url"][1:]} for i, r in refs.items()}
    data = {
        "format": "gongkai-unit-1",
        "name": info["name"],
        "kind": kind,
        "section": section_name,
        "organization": info.get("organization"),
        "contact": contact,
        "supervision": supervision or None,
        "groups": [{"id": g["id"], "name": g["name"], "leader": g.get("leader")} for g in groups],
        "members": [data_refs[m["id"]] for m in members],
        "zones": [{**z, "members": [data_refs[m["id"]] for m in z["members"]]} for z in zone_views],
        "posts": [{"member": p["member"], "title": p["title"], "duties": p.get("duties") or [],
                   "commitments": p.get("commitments") or [],
                   "records": [{"date": day(r["date"]), "summary": r["summary"]} for r in p.get("records") or []]}
                  for p in posts],
        "assessments": [{"year": a["year"], "published": a["published"], "last_day": a["last_day"],
                         "objections": a["objections"],
                         "results": [{"member": row["r"]["member"], "self": row["r"]["self"],
                                      "masses": row["r"]["masses"], "organization": row["r"]["organization"],
                                      "total": row["total"], "grade": row["grade"], "group_rank": row["rank"],
                                      "vanguard": bool(row["r"].get("vanguard")), "action": row["r"].get("action")}
                                     for row in a["rows"]]}
                        for a in aviews],
        "compliance": {key: {"ok": c["ok"], "reasons": c["reasons"]}
                       for key, c in zip(["zones", "posts", "assessment", "supervision"], checks)},
    }

    # Unit home (+ data.json).
    page("unit.md", info["name"], "unit", {
        "crumbs": crumbs[:-1],
        "groups": [{"id": g["id"], "name": g["name"], "leader": leader_of(g),
                    "members": [refs[m["id"]] for m in members if m["group"] == g["id"]]} for g in groups],
        "zone_count": len(zones),
        "post_count": len(posts),
        "member_count": len(members),
        "exempt_count": len(members) - len(active),
        "current": current_ref,
        "notices": [notice_ref(n) for n in notices],
        "data": data,
        "atom": feed(f"{info['name']} - {site_title}", url[1:], entries),
    }, intro or "", url=url, outputs=["html", "unitdata", "atom"])

    # Disclosure 1: zones.
    page("zones.md", f"责任区 - {info['name']}", "zones", {
        "groups": [{"id": g["id"], "name": g["name"], "leader": leader_of(g),
                    "zones": [z for z in zone_views if z["group"] == g["id"]]} for g in groups],
        "exempt": [refs[m["id"]] for m in members if m.get("exempt")],
    })

    # Disclosure 2: posts, with the assessment year's records newest first.
    def year_records(p):
        rs = [r for r in p.get("records") or [] if not year or to_date(r["date"]).year == year]
        rs.sort(key=lambda r: to_date(r["date"]), reverse=True)
        return [{"date": day(r["date"]), "summary": r["summary"]} for r in rs]

    page("posts.md", f"定岗履责 - {info['name']}", "posts", {
        "year": year,
        "posts": [{"member": short[p["member"]], "title": p["title"], "duties": p.get("duties") or [],
                   "commitments": p.get("commitments") or [], "records": year_records(p)}
                  for p in posts if p["member"] in short],
    })

    # Disclosure 3: one page a year.
    for a in aviews:
        view = {k: v for k, v in a.items() if k not in ("raw", "rows")}
        page(f"assessments/{a['year']}.md", f"{a['year']} 年考核结果 - {info['name']}", "assessment",
             {"assessment": view})

    # Members.
    zones_of = {}
    for z in zone_views:
        for m in z["members"]:
            zones_of.setdefault(m["id"], []).append(z)
    for m in members:
        p = post_of.get(m["id"])
        record_years = []
        if p:
            for r in sorted(p.get("records") or [], key=lambda r: to_date(r["date"]), reverse=True):
                y = to_date(r["date"]).year
                if not record_years or record_years[-1]["year"] != y:
                    record_years.append({"year": y, "records": []})
                record_years[-1]["records"].append({"date": day(r["date"]), "summary": r["summary"]})
        history = results_of.get(m["id"], [])
        results = [{"year": y, "url": f"{url}assessments/{y}/", "total": fmt_score(row["total"]),
                    "grade": row["grade"], "group_rank": row["rank"], "vanguard": bool(r.get("vanguard")),
                    "action": r.get("action"), "note": r.get("note")} for y, row, r in reversed(history)]
        trend = [{"year": y, "total": row["total"], "label": fmt_score(row["total"])} for y, row, r in history]
        page(f"members/{m['id']}.md", f"{refs[m['id']]['name']} - {info['name']}", "member", {
            "member": refs[m["id"]],
            "zones": zones_of.get(m["id"], []),
            "post": {"title": p["title"], "duties": p.get("duties") or [], "commitments": p.get("commitments") or []} if p else None,
            "record_years": record_years,
            "results": results,
            "trend": trend if len(trend) >= 2 else None,
        })

    # The printable A4 notice of the current results, and a printable sign per zone; gongkai
    # leaves both out of the sitemap, and so does `_build: list: never` here.
    unlisted = {"list": "never"}
    current_view = {k: v for k, v in current.items() if k not in ("raw", "rows")} if current else None
    page("notice.md", f"公示 - {info['name']}", "print_notice", {
        "current": current_view,
        "unit_link": f"{base}{upath}/",
        "qr_label": f"扫码打开{info['name']}的公开页面",
    }, _build=unlisted)
    for z in zone_views:
        signers = []
        for m in z["members"]:
            r = refs[m["id"]]
            signers.append({"member": {"name": r["name"], "role": r["role"]}, "link": f"{base}{r['url'][1:]}",
                            "label": f"扫码查看{r['name']}的岗位和履责记录"})
        page(f"signs/{z['id']}.md", f"{z['name']} 公示牌 - {info['name']}", "zone_sign",
             {"zone": z, "sign_members": signers}, _build=unlisted)

    write_notice_pages(out, notices, crumbs, f"{url}atom.xml")

    year_grades = [g["count"] for g in this_year["grade_counts"]] if this_year else [0] * len(grades)
    return {
        "path": upath,
        "summary": {"name": info["name"], "url": url, "kind_label": KIND_LABEL[kind], "section": section_name,
                    "members": len(members), "zones": len(zones), "ok": ok, "checks": checks},
        "check_ok": [c["ok"] for c in checks],
        "members": len(members),
        "year_grades": year_grades,
        "notices": [notice_ref(n) for n in notices],
        "entries": entries,
        "pages": 4 + len(aviews) + len(members) + len(notices) + len(zone_views),
    }


# --- the site ------------------------------------------------------------------------------

def find_sections(content):
    """Sections in walk order (sorted names, depth first) and the units below each, like gongkai's loader."""
    sections, units = [], []

    def visit(rel, parent):
        folder = os.path.join(content, rel)
        for name in sorted(os.listdir(folder)):
            full = os.path.join(folder, name)
            if name.startswith(".") or name == "notices" or not os.path.isdir(full):
                continue
            path = f"{rel}/{name}" if rel else name
            if os.path.isfile(os.path.join(full, "unit.yaml")):
                if parent is not None:
                    units.append((path, parent))
                    sections[parent]["units"].append(path)
            elif os.path.isfile(os.path.join(full, "section.yaml")):
                info = load_yaml(os.path.join(full, "section.yaml"))
                index = len(sections)
                sections.append({"path": path, "name": info["name"], "description": info.get("description"),
                                 "parent": parent, "subsections": [], "units": []})
                if parent is not None:
                    sections[parent]["subsections"].append(index)
                visit(path, index)

    visit("", None)
    return sections, units


def section_crumbs(sections, s):
    chain = []
    while s is not None:
        chain.append({"title": sections[s]["name"], "url": f"/{sections[s]['path']}/"})
        s = sections[s]["parent"]
    return list(reversed(chain))


def units_below(sections, s):
    found = list(sections[s]["units"])
    for sub in sections[s]["subsections"]:
        found.extend(units_below(sections, sub))
    return found


def summary(unit_results):
    """County or section compliance figures (partials/summary.html)."""
    tallies = [{"label": label, "ok": sum(1 for u in unit_results if u["check_ok"][i]), "total": len(unit_results)}
               for i, label in enumerate(CHECK_LABELS)]
    return {"unit_count": len(unit_results), "ok_count": sum(1 for u in unit_results if u["summary"]["ok"]),
            "member_total": sum(u["members"] for u in unit_results), "tallies": tallies}


def section_link(sections, s, by_path):
    below = [by_path[p] for p in units_below(sections, s)]
    return {"name": sections[s]["name"], "url": f"/{sections[s]['path']}/", "description": sections[s]["description"],
            "units": len(below), "ok": sum(1 for u in below if u["summary"]["ok"])}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", required=True, help="gongkai content/ folder")
    parser.add_argument("--out", required=True, help="Hugo site folder to create (must not exist)")
    parser.add_argument("--static", help="folder copied to the site's static/assets/ (the theme's CSS)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    started = time.monotonic()
    content, out = args.content, args.out
    if os.path.exists(out):
        sys.exit(f"convert.py: {out} exists; give a new folder")

    site = load_yaml(os.path.join(content, "site.yaml"))
    rules = site.get("assessment") or {}
    w = rules.get("weights") or {}
    weights = {"self": w.get("self", 0.2), "masses": w.get("masses", 0.4), "organization": w.get("organization", 0.4)}
    grades = rules.get("grades") or DEFAULT_GRADES
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.strip().isdigit() else int(time.time())
    today = datetime.datetime.fromtimestamp(seconds + 8 * 3600, datetime.timezone.utc).date()  # Beijing time

    sections, units = find_sections(content)
    year = rules.get("year")
    if year is None:  # the latest year any unit has, as gongkai does without assessment.year
        years = [int(n[:-5]) for p, _ in units for n in os.listdir(os.path.join(content, p, "assessments"))
                 if n.endswith(".yaml") and n[:-5].isdigit()] if units else []
        year = max(years) if years else None
    base = site["base_url"].strip().rstrip("/") + "/"
    config = {"weights": weights, "grades": grades, "year": year, "today": today.isoformat(),
              "base": base, "title": site["title"]}
    os.makedirs(os.path.join(out, "content"))

    jobs = [(content, out, path, sections[s]["name"], section_crumbs(sections, s), config) for path, s in units]
    if args.jobs > 1 and len(jobs) > 1:
        with Pool(args.jobs) as pool:
            results = pool.map(convert_unit, jobs, chunksize=max(1, len(jobs) // (args.jobs * 8)))
    else:
        results = [convert_unit(j) for j in jobs]
    by_path = {r["path"]: r for r in results}
    pages = sum(r["pages"] for r in results)

    title = site["title"]
    county_notices = read_notices(os.path.join(content, "notices"), "", title)
    write_notice_pages(out, county_notices, [])
    pages += len(county_notices)
    all_notices = [notice_ref(n) for n in county_notices]
    all_entries = [notice_entry(n) for n in county_notices]

    # Sections.
    for s, sec in enumerate(sections):
        crumbs = section_crumbs(sections, s)
        notices = read_notices(os.path.join(content, sec["path"], "notices"), f"{sec['path']}/", sec["name"])
        write_notice_pages(out, notices, crumbs, f"/{sec['path']}/atom.xml")
        all_notices.extend(notice_ref(n) for n in notices)
        section_entries = [notice_entry(n) for n in notices]
        all_entries.extend(section_entries)
        below = [by_path[p] for p in units_below(sections, s)]
        counts = [sum(u["year_grades"][i] for u in below) for i in range(len(grades))]
        for u in below:
            section_entries.extend(u["entries"])
        front = {"title": sec["name"], "layout": "section", "url": f"/{sec['path']}/", "outputs": ["html", "atom"], "d": {
            "crumbs": crumbs[:-1],
            "feed": f"/{sec['path']}/atom.xml",
            "atom": feed(f"{sec['name']} - {title}", f"{sec['path']}/", section_entries),
            "section": {"name": sec["name"], "url": f"/{sec['path']}/", "description": sec["description"]},
            "subsections": [section_link(sections, i, by_path) for i in sec["subsections"]],
            "units": [by_path[p]["summary"] for p in sec["units"]],
            "notices": [notice_ref(n) for n in notices],
            "summary": summary(below),
            "year": year,
            "grade_total": sum(counts),
            "grade_counts": [{"name": g["name"], "count": c} for g, c in zip(grades, counts)],
        }}
        write_page(os.path.join(out, "content", sec["path"], "section.md"), front)
        pages += 1 + len(notices)
    for r in results:
        all_notices.extend(r["notices"])
        all_entries.extend(r["entries"])
    all_notices.sort(key=lambda n: n["url"])
    all_notices.sort(key=lambda n: n["date"], reverse=True)

    county = summary(results)
    intro = ""
    if os.path.isfile(os.path.join(content, "index.md")):
        with open(os.path.join(content, "index.md"), encoding="utf-8-sig") as f:
            intro = f.read()
    write_page(os.path.join(out, "content", "_index.md"), {"title": title, "outputs": ["html", "atom"], "d": {
        "atom": feed(title, "", all_entries),
        "sections": [section_link(sections, s, by_path) for s, sec in enumerate(sections) if sec["parent"] is None],
        "notices": all_notices[:10],
        "summary": county,
    }}, intro)
    write_page(os.path.join(out, "content", "about.md"), {"title": "关于七权七责", "layout": "about", "d": {
        "rights": site.get("rights") or [],
        "responsibilities": site.get("responsibilities") or [],
        "weights": {"self_review": weights["self"], "masses": weights["masses"], "organization": weights["organization"]},
        "grades": grades,
    }})
    write_page(os.path.join(out, "content", "disclosure.md"), {"title": "公开情况", "layout": "disclosure", "d": {
        "year": year,
        "summary": county,
        "sections": [{**section_link(sections, s, by_path),
                      "failing": [by_path[p]["summary"] for p in sec["units"] if not by_path[p]["summary"]["ok"]]}
                     for s, sec in enumerate(sections) if sec["units"]],
    }})
    # The search page; its index (search/s/*.js, search/c/*.js) is gongkai's own and has no Hugo twin.
    write_page(os.path.join(out, "content", "search.md"), {"title": "搜索", "layout": "search", "d": {
        "sections": [section_link(sections, s, by_path) for s, sec in enumerate(sections) if sec["parent"] is None],
    }})
    pages += 4 + 1  # home, about, disclosure, search; 404 comes from layouts/404.html

    hugo_config = {
        "baseURL": site["base_url"],
        "languageCode": site.get("language", "zh-CN"),
        "title": title,
        "disableKinds": ["section", "taxonomy", "term", "RSS"],
        "enableRobotsTXT": True,
        "mediaTypes": {"application/atom+xml": {"suffixes": ["xml"]}},
        "outputFormats": {
            "unitdata": {"mediaType": "application/json", "baseName": "data", "isPlainText": True,
                         "notAlternative": True},
            "atom": {"mediaType": "application/atom+xml", "baseName": "atom", "isPlainText": True,
                     "notAlternative": True},
        },
        "markup": {"goldmark": {"renderer": {"unsafe": False}}},
        "params": {"site_title": title, "contact": site.get("contact")},
    }
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(hugo_config, f, ensure_ascii=False, indent=2)
    if args.static:
        import shutil
        shutil.copytree(args.static, os.path.join(out, "static", "assets"))
    print(f"convert.py: {len(units)} units, {len(sections)} sections, {pages} HTML pages in {out} "
          f"({time.monotonic() - started:.1f} s)")


if __name__ == "__main__":
    main()
