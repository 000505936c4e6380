#!/usr/bin/env python3
"""Check that the Hugo build shows what gongkai's build shows (bench/run --compare).

    python3 bench/hugo/compare.py GONGKAI_OUTPUT HUGO_PUBLIC

Compares the set of files, the visible text of every HTML page (tags dropped, entities decoded,
whitespace collapsed), every data.json (parsed) and every atom.xml (titles, ids, dates, authors
and the text of each entry). Markup, links and attribute values may differ: the point is equal
work, not identical bytes. Prints a summary and the first differences.
"""

import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")


def files(root):
    found = set()
    for folder, _, names in os.walk(root):
        for name in names:
            found.add(os.path.relpath(os.path.join(folder, name), root))
    return found


def text(path):
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", raw))).strip()


def feed(path):
    """An Atom feed as comparable data: its header and, per entry, the visible text of its content."""
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.parse(path).getroot()

    def fields(node):
        return [node.findtext(f"a:{k}", default="", namespaces=ns).strip() for k in ("title", "id", "updated")] + [
            node.findtext("a:author/a:name", default="", namespaces=ns).strip()]

    entries = [fields(e) + [SPACE.sub(" ", html.unescape(TAG.sub(" ", e.findtext("a:content", default="", namespaces=ns)))).strip()]
               for e in root.findall("a:entry", ns)]
    return fields(root), entries


def nulls_dropped(value):
    """gongkai writes `null` for absent optional fields; the converter leaves some out."""
    if isinstance(value, dict):
        # Zone descriptions: HTML in gongkai's data.json, Markdown in the converter's.
        return {k: nulls_dropped(v) for k, v in value.items()
                if v is not None and k not in ("description", "description_html")}
    if isinstance(value, list):
        return [nulls_dropped(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().split("\n\n")[1])
    ours, theirs = sys.argv[1], sys.argv[2]
    a, b = files(ours), files(theirs)
    a.discard(".gongkai-output")
    # The search index is work gongkai does beyond the Hugo site: not compared.
    a = {rel for rel in a if not rel.startswith(("search/s/", "search/c/"))}
    only_ours, only_theirs = sorted(a - b), sorted(b - a)
    same = differ = 0
    examples = []
    for rel in sorted(a & b):
        if rel.endswith(".html"):
            equal = text(os.path.join(ours, rel)) == text(os.path.join(theirs, rel))
        elif rel.endswith("atom.xml"):
            equal = feed(os.path.join(ours, rel)) == feed(os.path.join(theirs, rel))
        elif rel.endswith(".json"):
            with open(os.path.join(ours, rel), encoding="utf-8") as f1, open(os.path.join(theirs, rel), encoding="utf-8") as f2:
                equal = nulls_dropped(json.load(f1)) == nulls_dropped(json.load(f2))
        else:
            continue
        if equal:
            same += 1
        else:
            differ += 1
            if len(examples) < 10:
                examples.append(rel)
    print(f"compare: {len(a)} files from gongkai, {len(b)} from Hugo; {len(a & b)} paths in both")
    print(f"compare: pages, data files and feeds with the same visible text / data: {same}; different: {differ}")
    for label, paths in (("only gongkai", only_ours), ("only Hugo", only_theirs), ("different", examples)):
        if paths:
            print(f"compare: {label}: " + ", ".join(paths[:10]) + (" …" if len(paths) > 10 else ""))
    return 0 if not (only_ours or only_theirs or differ) else 1


if __name__ == "__main__":
    sys.exit(main())
