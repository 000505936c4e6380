/* gongkai search: splits the query like src/search.rs splits the text, loads the index shards of
   its terms and the record chunks of the results it shows. Shards and chunks are scripts calling
   gongkaiSearch.shard(n, {...}) and gongkaiSearch.chunk(slot, [...]), so they load from file://
   as well as from any static host. Format: docs/architecture.md ("Search"). */
(function () {
  'use strict';

  var END = '0123456789abcdefghijklmnopqrstuv';
  var MORE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_';
  var MAX_WORD = 8;
  var PAGE = 10;
  /* The most candidates one page of results checks against common terms (see Engine.page). */
  var MAX_CHECKED = 50;

  function isHan(cp) {
    return cp === 0x3007 || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
  }

  /* Full-width ASCII as ASCII, ASCII lower-cased (as `fold` in src/search.rs). */
  function fold(cp) {
    if (cp >= 0xff01 && cp <= 0xff5e) cp -= 0xfee0;
    if (cp >= 65 && cp <= 90) cp += 32;
    return cp;
  }

  function isWordChar(cp) {
    return (cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122);
  }

  /* The terms of a text: pairs of neighbouring Han characters, single ones if `unigrams`,
     runs of ASCII letters and digits. */
  function terms(text, unigrams) {
    var out = [];
    var previous = null;
    var word = '';
    for (var ch of String(text)) {
      var cp = fold(ch.codePointAt(0));
      var c = String.fromCodePoint(cp);
      if (isHan(cp)) {
        if (word) { out.push(word); word = ''; }
        if (unigrams) out.push(c);
        if (previous !== null) out.push(previous + c);
        previous = c;
        continue;
      }
      previous = null;
      if (isWordChar(cp)) {
        if (word.length < MAX_WORD) word += c;
      } else if (word) {
        out.push(word);
        word = '';
      }
    }
    if (word) out.push(word);
    return out;
  }

  function unique(list) {
    return list.filter(function (t, i) { return list.indexOf(t) === i; });
  }

  /* What a query looks up: pairs and words; single characters only when nothing longer. */
  function queryTerms(query) {
    var found = terms(query, false);
    if (found.length === 0) found = terms(query, true);
    return unique(found);
  }

  /* Lone Han characters beside longer terms (东王庄 李): they do not filter, since a street
     such as 东大街12号 leaves 号 alone, but rank the names that contain them first. */
  function boostTerms(query) {
    if (terms(query, false).length === 0) return [];
    var runs = String(query).split(/[^\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+/u);
    return unique(runs.filter(function (run) { return Array.from(run).length === 1; }));
  }

  /* FNV-1a over UTF-16 code units, as `shard_of` in src/search.rs. */
  function hash(term) {
    var h = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) {
      h = Math.imul(h ^ term.charCodeAt(i), 16777619) >>> 0;
    }
    return h;
  }

  function shardOf(term, shards) {
    return hash(term) % Math.max(1, shards);
  }

  var DIGIT = {};
  for (var d = 0; d < 32; d++) { DIGIT[END.charAt(d)] = d; DIGIT[MORE.charAt(d)] = d + 32; }

  /* Postings text → [[slot, local, title], ...]. */
  function decode(text) {
    var numbers = [];
    var value = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT[text.charAt(i)];
      if (digit >= 32) {
        value = value * 32 + (digit - 32);
      } else {
        numbers.push(value * 32 + digit);
        value = 0;
      }
    }
    var postings = [];
    var slot = 0;
    for (var j = 0; j + 1 < numbers.length; j += 2) {
      slot += numbers[j];
      postings.push([slot, Math.floor(numbers[j + 1] / 2), numbers[j + 1] % 2]);
    }
    return postings;
  }

  /* Records found by every list, most title matches first, then in site order; a record in a
     `boosts` list (title terms) scores one more. */
  function intersect(lists, boosts) {
    if (lists.length === 0) return [];
    lists = lists.slice().sort(function (a, b) { return a.length - b.length; });
    var found = new Map();
    lists[0].forEach(function (p) { found.set(p[0] + ':' + p[1], [p[0], p[1], p[2]]); });
    for (var i = 1; i < lists.length && found.size > 0; i++) {
      var next = new Map();
      lists[i].forEach(function (p) {
        var key = p[0] + ':' + p[1];
        var hit = found.get(key);
        if (hit) { hit[2] += p[2]; next.set(key, hit); }
      });
      found = next;
    }
    (boosts || []).forEach(function (list) {
      list.forEach(function (p) {
        var hit = found.get(p[0] + ':' + p[1]);
        if (hit) hit[2] += 1;
      });
    });
    return Array.from(found.values()).sort(function (a, b) {
      return b[2] - a[2] || a[0] - b[0] || a[1] - b[1];
    });
  }

  /* A result from the rows of its chunk (format: chunk_js in src/search.rs): its title, link
     below the site root, the words after it, and for a zone its members with their links (none
     for a member shown masked). Rows of a unit name the unit once, in row 0, and link members
     and zones by id. */
  function present(rows, local) {
    var row = rows[local];
    if (!row) return null;
    var unit = rows[0];
    var base = unit[2].replace(/index\.html$/, '');
    var memberHref = function (member) { return base + 'members/' + member[2] + '/index.html'; };
    var result;
    switch (row[0]) {
      case 's':
        result = { title: row[1], href: row[2], parts: ['乡镇和系统', row[3]], members: [] };
        break;
      case 'u':
        result = { title: row[1], href: row[2], parts: [row[3], row[4]], members: [] };
        break;
      case 'z':
        result = {
          title: row[1],
          href: base + 'zones/index.html#zone-' + row[2],
          parts: ['责任区', unit[1], row[3] && '范围：' + row[3]],
          members: row[4].map(function (m) {
            if (typeof m !== 'number') return { name: m, href: null };
            return rows[m] ? { name: rows[m][1], href: memberHref(rows[m]) } : null;
          }).filter(Boolean)
        };
        break;
      case 'm': {
        var zones = row[5].map(function (z) { return rows[z] ? rows[z][1] : ''; }).filter(Boolean);
        result = {
          title: row[1],
          href: memberHref(row),
          parts: ['党员', unit[1], row[3], row[4], zones.length && '责任区：' + zones.join('、')],
          members: []
        };
        break;
      }
      default:
        return null;
    }
    result.parts = result.parts.filter(Boolean);
    var names = result.members.map(function (m) { return m.name; }).join('、');
    result.subtitle = result.parts.concat(names ? ['责任党员：' + names] : []).join(' · ');
    return result;
  }

  /* The search over an index whose files `load(path)` runs (returns a Promise); the files hand
     their data to `receiver`. */
  function Engine(shards, load) {
    this.shards = shards;
    this.load = load;
    this.shardData = {};
    this.chunkData = {};
    this.rangeData = {};
    this.reader = null;
    this.loading = {};
    var self = this;
    this.receiver = {
      shard: function (n, data) { self.shardData[n] = data; },
      chunk: function (slot, rows) { self.chunkData[slot] = rows; },
      ranges: function (n, data) { self.rangeData[n] = data; },
      address: function (reader) { self.reader = reader; }
    };
  }

  Engine.prototype.file = function (path) {
    var self = this;
    if (!this.loading[path]) {
      this.loading[path] = this.load(path).catch(function (error) {
        delete self.loading[path]; // try again with the next query
        throw error;
      });
    }
    return this.loading[path];
  };

  /* → Promise of {terms, common, hits: [[slot, local, score], ...]}. */
  Engine.prototype.find = function (query) {
    var self = this;
    var wanted = queryTerms(query);
    var boosts = boostTerms(query);
    var files = unique(wanted.concat(boosts).map(function (t) {
      return 'search/s/' + shardOf(t, self.shards) + '.js';
    }));
    var postingsOf = function (t) {
      var shard = self.shardData[shardOf(t, self.shards)] || {};
      return Object.prototype.hasOwnProperty.call(shard, t) ? shard[t] : undefined;
    };
    return Promise.all(files.map(function (f) { return self.file(f); })).then(function () {
      var lists = [];
      var common = [];
      var missing = false;
      wanted.forEach(function (t) {
        var postings = postingsOf(t);
        if (postings === undefined) missing = true;
        else if (postings === 0) common.push(t);
        else lists.push(decode(postings));
      });
      var boostLists = boosts.map(postingsOf).filter(function (p) { return typeof p === 'string'; }).map(decode);
      var hits = missing ? [] : intersect(lists, boostLists);
      return { terms: wanted, common: common, hits: hits };
    });
  };

  /* → Promise of what find() gives. For a query with a digit, assets/address.js (loaded only
     then) puts first the zones whose ranges cover the house number it names: see `lookup` there. */
  Engine.prototype.lookup = function (query) {
    var self = this;
    var found = this.find(query);
    if (!/[0-9\uff10-\uff19]/.test(query)) return found;
    return Promise.all([found, this.file('assets/address.js')]).then(function (both) {
      if (!self.reader) return both[0];
      return self.reader.lookup(self, query, both[0], { shardOf: shardOf, queryTerms: queryTerms, unique: unique });
    });
  };

  /* → Promise of [{title, subtitle, href}] for some hits; href is below the site root. A hit
     placed by its range (a fourth element) is marked `placed`. */
  Engine.prototype.records = function (hits) {
    var self = this;
    var slots = hits.map(function (h) { return h[0]; })
      .filter(function (s, i, all) { return all.indexOf(s) === i; });
    return Promise.all(slots.map(function (s) { return self.file('search/c/' + s + '.js'); }))
      .then(function () {
        return hits.map(function (h) {
          var row = present(self.chunkData[h[0]] || [], h[1]);
          if (row && h[3]) row.placed = true;
          return row;
        }).filter(Boolean);
      });
  };

  /* Whether a shown result holds every term (as its text gives them to the index). */
  function holds(row, wanted) {
    if (wanted.length === 0) return true;
    var names = row.members.map(function (m) { return m.name; }).join('、');
    var own = terms(row.title, true).concat(terms(row.parts.join(' ') + ' ' + names, false));
    return wanted.every(function (t) { return own.indexOf(t) >= 0; });
  }

  /* → Promise of {rows, next}: up to `count` results from hits[from...], and where to go on.
     Terms the index leaves out as common (found.common) are checked here, on the text of the
     candidates that the other terms found, a few chunks at a time. */
  Engine.prototype.page = function (found, from, count) {
    var self = this;
    var rows = [];
    var next = from;
    var limit = Math.min(found.hits.length, from + (found.common.length ? MAX_CHECKED : count));
    var step = function () {
      if (rows.length >= count || next >= limit) return Promise.resolve({ rows: rows, next: next });
      var batch = found.hits.slice(next, Math.min(limit, next + count - rows.length));
      next += batch.length;
      return self.records(batch).then(function (shown) {
        shown.forEach(function (row) { if (row.placed || holds(row, found.common)) rows.push(row); });
        return step();
      });
    };
    return step();
  };

  var api = {
    terms: terms, queryTerms: queryTerms, boostTerms: boostTerms, hash: hash, shardOf: shardOf, decode: decode,
    intersect: intersect, present: present, holds: holds, Engine: Engine, PAGE: PAGE
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  if (typeof document === 'undefined') return;

  var script = document.currentScript;
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var list = document.getElementById('results');
  var status = document.getElementById('search-status');
  var more = document.getElementById('more');
  if (!script || !form || !input || !list || !status) return;

  var siteRoot = new URL('../', script.src);
  var engine = new Engine(Number(form.getAttribute('data-shards')) || 1, function (path) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement('script');
      element.src = new URL(path, siteRoot).href;
      element.onload = function () { resolve(); };
      element.onerror = function () { reject(new Error(path)); };
      document.head.appendChild(element);
    });
  });
  window.gongkaiSearch = engine.receiver;
  var linkRoot = list.getAttribute('data-root') || '';
  var current = { found: null, query: '', next: 0, shown: 0, run: 0 };

  function say(text) { status.textContent = text; }

  function show(run) {
    var found = current.found;
    var query = current.query;
    return engine.page(found, current.next, PAGE).then(function (page) {
      if (run !== current.run) return;
      var rows = page.rows;
      var link = function (text, href) {
        if (!href) return document.createTextNode(text);
        var a = document.createElement('a');
        a.setAttribute('href', linkRoot + href);
        a.textContent = text;
        return a;
      };
      rows.forEach(function (row) {
        var item = document.createElement('li');
        item.appendChild(link(row.title, row.href));
        item.appendChild(document.createTextNode(' ' + row.parts.join(' · ')));
        if (row.members.length) {
          item.appendChild(document.createTextNode(' · 责任党员：'));
          row.members.forEach(function (m, i) {
            if (i > 0) item.appendChild(document.createTextNode('、'));
            item.appendChild(link(m.name, m.href));
          });
        }
        list.appendChild(item);
      });
      current.next = page.next;
      current.shown += rows.length;
      more.hidden = current.next >= found.hits.length;
      if (found.common.length === 0 || found.address) return;
      // The count of hits is only of candidates: say what is shown instead.
      if (current.shown === 0 && more.hidden) say(notFound(query));
      else if (current.shown === 0) say('前 ' + current.next + ' 个候选结果中没有找到“' + query + '”，可以继续查找。');
      else say('以下是含有“' + query + '”的结果' + (more.hidden ? '。' : '，还可以显示更多。'));
    });
  }

  function notFound(query) {
    return '没有找到“' + query + '”。请检查用字，或换一个说法，例如只输入姓名或街道名。';
  }

  function search(query) {
    var run = ++current.run;
    list.textContent = '';
    more.hidden = true;
    query = query.trim();
    if (!query) { say(''); return Promise.resolve(); }
    say('正在搜索……');
    return engine.lookup(query).then(function (found) {
      if (run !== current.run) return;
      current.found = found;
      current.query = query;
      current.next = 0;
      current.shown = 0;
      if (found.address) {
        say(found.address.say);
        return show(run);
      } else if (found.terms.length === 0) {
        say('请输入汉字、字母或数字。');
      } else if (found.common.length === found.terms.length) {
        say('“' + query + '”太常见了，请再加上村（单位）名称或姓名。');
      } else if (found.hits.length === 0) {
        say(notFound(query));
      } else {
        if (found.common.length === 0) say('找到 ' + found.hits.length + ' 条结果。');
        return show(run);
      }
    }).catch(function () {
      if (run === current.run) say('搜索索引加载失败，请刷新页面重试，或从首页按乡镇和单位查找。');
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var query = input.value;
    try {
      history.replaceState(null, '', '?q=' + encodeURIComponent(query.trim()));
    } catch (e) { /* some browsers refuse this on file:// */ }
    search(query);
  });
  more.addEventListener('click', function () { show(current.run); });

  var initial = new URLSearchParams(location.search).get('q');
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
