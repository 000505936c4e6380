/* gongkai search by house number: reads a query such as 东大街20号 or 幸福小区3号楼2单元 as
   src/rules/area.rs reads zone areas, character for character, and puts first the zones whose
   ranges cover it. search.js loads this file only for a query with a digit, and this file the
   range files (search/r/<n>.js) of the query's street. Format: docs/architecture.md ("Search"); forms:
   docs/content-format.md, section 8.1. tests/search.rs checks it against the Rust reader. */
(function () {
  'use strict';

  var MAX_DIGITS = 5;
  /* Kinds by their letter in the range files: h 号, r 排, b 号楼/栋/幢, u 单元, f 层, m 室. */
  var RANK = { h: 0, r: 0, b: 0, u: 1, f: 2, m: 3 };
  var ALL = '';
  var ODD = 'o';
  var EVEN = 'e';
  /* Unicode White_Space, as Rust's char::is_whitespace. */
  var SPACES = '\t\n\u000b\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007' +
    '\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
  var BREAKS = '、,;:。"“”《》【】';
  var RANGE_MARKS = '至到-~—–〜';

  function fold(c) {
    var cp = c.codePointAt(0);
    return cp >= 0xff01 && cp <= 0xff5e ? String.fromCodePoint(cp - 0xfee0) : c;
  }

  function isHan(c) {
    if (c === undefined) return false;
    var cp = c.codePointAt(0);
    return cp === 0x3007 || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3134f);
  }

  function isSpace(c) { return c !== undefined && SPACES.indexOf(c) >= 0; }
  function isBreak(c) { return c !== undefined && (isSpace(c) || BREAKS.indexOf(c) >= 0); }
  function isRangeMark(c) { return c !== undefined && RANGE_MARKS.indexOf(c) >= 0; }
  function isDigit(c) { return c !== undefined && c >= '0' && c <= '9'; }
  function isGlue(c) { return c !== undefined && /^[A-Za-z0-9*.\/#_]$/.test(c); }

  function above(before, rank) {
    var out = [];
    for (var k = 0; k < before.length && RANK[before[k].kind] < rank; k++) out.push(before[k]);
    return out;
  }

  /* → {places: [{name, levels: [{kind, from, to, parity}], start, end}], problems: [{kind, start, end}]},
     positions in characters (code points). `to` is null for no end (东大街单号). */
  function read(text) {
    var chars = Array.from(String(text)).map(fold);
    var places = [];
    var problems = [];
    var name = '';
    var nameStart = 0;
    var nameAfterPlace = false;
    var last = null;
    var bare = [];
    var side = ALL;

    function startsWith(i, word) {
      var w = Array.from(word);
      for (var k = 0; k < w.length; k++) if (chars[i + k] !== w[k]) return false;
      return true;
    }
    function digit(i) { return isDigit(chars[i]); }
    function levelStarts(i) { return digit(i) || (chars[i] === '第' && digit(i + 1)); }
    function sideAt(i) {
      var open = chars[i] === '(' ? 1 : 0;
      var found;
      if (startsWith(i + open, '单号')) found = ODD;
      else if (startsWith(i + open, '双号')) found = EVEN;
      else return null;
      if (open === 0) return [found, 2];
      return chars[i + 3] === ')' ? [found, 4] : null;
    }
    function unitAt(i) {
      if (startsWith(i, '号楼')) return ['b', 2];
      if (startsWith(i, '单元')) return ['u', 2];
      var kind = { '号': 'h', '栋': 'b', '幢': 'b', '排': 'r', '层': 'f', '室': 'm' }[chars[i]];
      return kind ? [kind, 1] : null;
    }
    function numberAt(i) {
      var end = i;
      var value = 0;
      while (digit(end)) {
        if (end - i < MAX_DIGITS) value = value * 10 + Number(chars[end]);
        end++;
      }
      var colonBefore = i > 1 && chars[i - 1] === ':' && digit(i - 2);
      var colonAfter = chars[end] === ':' && digit(end + 1);
      var glued = (i > 0 && isGlue(chars[i - 1])) || isGlue(chars[end]) || colonBefore || colonAfter;
      return [end - i <= MAX_DIGITS && !glued ? value : null, end];
    }
    function skipUnknown(i) {
      if (!isRangeMark(chars[i]) || !levelStarts(i + 1)) return i;
      var end = numberAt(i + 1 + (chars[i + 1] === '第' ? 1 : 0))[1];
      var unit = isHan(chars[end]) && !isRangeMark(chars[end]);
      return end + (unit ? 1 : 0);
    }
    function skipGlued(i) {
      while (isGlue(chars[i]) || (chars[i] === ':' && digit(i + 1))) i++;
      return skipUnknown(i);
    }
    function problem(kind, start, end) { problems.push({ kind: kind, start: start, end: end }); }
    function dropName() { name = ''; nameAfterPlace = true; side = ALL; }
    function endName() {
      if (name && !nameAfterPlace) last = { name: name, levels: [], start: nameStart };
      name = '';
      nameAfterPlace = false;
      side = ALL;
    }
    function flushBare() {
      bare.forEach(function (b) { problem('no-unit', b.start, b.end); });
      bare = [];
    }
    function place(placeName, start, levels, end) {
      last = { name: placeName, levels: levels, start: start };
      places.push({ name: placeName, levels: levels, start: start, end: end });
      dropName();
    }

    /* One level at i: {level, next}, {bare, end} or {stop}. */
    function level(i) {
      var number = numberAt(i + (chars[i] === '第' ? 1 : 0));
      var from = number[0];
      var after = number[1];
      if (from === null) return { stop: skipGlued(after) };
      var firstUnit = unitAt(after);
      var end = after + (firstUnit ? firstUnit[1] : 0);
      var second = null;
      if (isRangeMark(chars[end])) {
        var start = end + 1 + (chars[end + 1] === '第' ? 1 : 0);
        if (!digit(start)) {
          problem('no-end', i, end + 1);
          return { stop: end + 1 };
        }
        var other = numberAt(start);
        if (other[0] === null) return { stop: skipGlued(other[1]) };
        var unit = unitAt(other[1]);
        end = other[1] + (unit ? unit[1] : 0);
        second = { to: other[0], kind: unit ? unit[0] : null };
      }
      var next = chars[end];
      var unknown = isHan(next) && !isRangeMark(next);
      var u1 = firstUnit ? firstUnit[0] : null;
      var u2 = second ? second.kind : null;
      var kind;
      if (u1 !== null && !second) kind = u1;
      else if (u1 === null && u2 === null && unknown) return { stop: skipUnknown(end + 1) };
      else if (u1 === null && !second) {
        if (next === undefined || isBreak(next) || next === '(' || next === ')') return { bare: from, end: end };
        return { stop: end };
      } else if (u1 === null && u2 === null) {
        problem('no-unit', i, end);
        return { stop: end };
      } else if (u1 !== null && u2 === null && !unknown) kind = u1;
      else if (u1 === null) kind = u2;
      else if (u1 === u2) kind = u1;
      else if (u1 === 'h' && u2 === 'b') kind = 'b';
      else {
        problem('mixed', i, end);
        return { stop: end };
      }
      var to = second ? second.to : from;
      if (to < from) {
        problem('reversed', i, end);
        return { stop: end };
      }
      var found = { kind: kind, from: from, to: to, parity: ALL };
      var sided = kind === 'h' ? sideAt(end) : null;
      if (sided) {
        found.parity = sided[0];
        end += sided[1];
      }
      return { level: found, next: end };
    }

    function levels(start) {
      var own = name !== '';
      var nameChars = Array.from(name);
      if (own && isRangeMark(nameChars[nameChars.length - 1])) {
        var after = numberAt(start + (chars[start] === '第' ? 1 : 0))[1];
        var unit = unitAt(after);
        var stop = after + (unit ? unit[1] : 0);
        problem('no-start', start - 1, stop);
        dropName();
        return stop;
      }
      if (own) flushBare();
      var placeName = '';
      var placeStart = start;
      var before = [];
      if (own) {
        placeName = name;
        placeStart = nameStart;
      } else if (last) {
        placeName = last.name;
        placeStart = last.start;
        before = last.levels;
      }
      var found = [];
      var pending = null;
      var i = start;
      for (;;) {
        var step = level(i);
        if (step.level) {
          var previous = found[found.length - 1];
          if (previous && RANK[step.level.kind] <= RANK[previous.kind]) break;
          found.push(step.level);
          i = step.next;
        } else if (step.bare !== undefined) {
          pending = { start: i, end: step.end, value: step.bare };
          i = step.end;
          break;
        } else {
          i = step.stop;
          break;
        }
        if (!levelStarts(i)) break;
      }
      if (found.length && found[0].kind === 'h' && found[0].parity === ALL) found[0].parity = side;
      var context = found.length ? above(before, RANK[found[0].kind]).concat(found) : before;
      if (pending) {
        bare.push({
          start: pending.start, end: pending.end, value: pending.value,
          name: placeName, context: context, nameStart: placeStart
        });
        last = { name: placeName, levels: context, start: placeStart };
        dropName();
        return i;
      }
      if (found.length === 0) {
        dropName();
        return i;
      }
      var kind = found[0].kind;
      if (!own) {
        bare.forEach(function (b) {
          var bareLevels = above(b.context, RANK[kind]);
          bareLevels.push({ kind: kind, from: b.value, to: b.value, parity: ALL });
          places.push({ name: b.name, levels: bareLevels, start: b.nameStart, end: b.end });
        });
        bare = [];
      }
      place(placeName, placeStart, context, i);
      return i;
    }

    var i = 0;
    while (i < chars.length) {
      var c = chars[i];
      var joins = (c === '及' || c === '和' || c === '与') && levelStarts(i + 1);
      if (isBreak(c) || joins) {
        endName();
        i++;
        continue;
      }
      var sided = name ? sideAt(i) : null;
      if (sided) {
        var next = i + sided[1];
        while (isSpace(chars[next])) next++;
        if (levelStarts(next)) {
          side = sided[0];
          i = next;
        } else {
          place(name, nameStart, [{ kind: 'h', from: 1, to: null, parity: sided[0] }], i + sided[1]);
          i += sided[1];
        }
      } else if (c === '(') {
        var close = chars.indexOf(')', i);
        i = close < 0 ? chars.length : close + 1;
      } else if (name && startsWith(i, '全部')) {
        place(name, nameStart, [], i + 2);
        i += 2;
      } else if (levelStarts(i)) {
        i = levels(i);
      } else {
        flushBare();
        if (!name) nameStart = i;
        name += c;
        i++;
      }
    }
    endName();
    flushBare();
    return { places: places, problems: problems };
  }

  /* A place's levels as the range files write them (`b5u1-2`, `h1-49o`, `h1-o`); see code() in
     src/rules/area.rs. */
  function code(levels) {
    return levels.map(function (l) {
      var range = l.to === l.from ? '' : '-' + (l.to === null ? '' : l.to);
      return l.kind + l.from + range + l.parity;
    }).join('');
  }

  function levelsOf(text) {
    var levels = [];
    var pattern = /([hrbufm])(\d+)(-(\d*))?([oe]?)/g;
    var m;
    while ((m = pattern.exec(text)) !== null) {
      var from = Number(m[2]);
      var to = m[3] === undefined ? from : (m[4] === '' ? null : Number(m[4]));
      levels.push({ kind: m[1], from: from, to: to, parity: m[5] });
    }
    return levels;
  }

  function contains(level, n) {
    var onSide = level.parity === ALL || (level.parity === ODD ? n % 2 === 1 : n % 2 === 0);
    return onSide && n >= level.from && (level.to === null || n <= level.to);
  }

  /* 2 when a zone's levels cover the query's address, 1 when they cover part of it (a stairwell
     of the building asked for), 0 when not. */
  function covers(zone, query) {
    for (var k = 0; k < Math.min(zone.length, query.length); k++) {
      if (zone[k].kind !== query[k].kind || !contains(zone[k], query[k].from)) return 0;
    }
    return zone.length <= query.length ? 2 : 1;
  }

  /* The address a query names: one place of single numbers (东大街20号, 3号楼2单元), read
     without a problem; its street, levels, its own text and the query's other words. */
  function addressOf(query) {
    var reading = read(query);
    if (reading.problems.length || reading.places.length !== 1) return null;
    var place = reading.places[0];
    if (place.levels.length === 0) return null;
    var single = place.levels.every(function (l) { return l.to === l.from && l.parity === ALL; });
    if (!single) return null;
    var chars = Array.from(String(query));
    return {
      name: place.name,
      levels: place.levels,
      text: chars.slice(place.start, place.end).join(''),
      rest: (chars.slice(0, place.start).join('') + ' ' + chars.slice(place.end).join('')).trim()
    };
  }

  /* The characters a street's range file is chosen by (src/search/ranges.rs, `tail`): a query's
     street may end with an area's, so the files of its last three and last two characters. */
  function tails(name) {
    var chars = Array.from(name);
    if (chars.length < 3) return [name];
    return [chars.slice(-3).join(''), chars.slice(-2).join('')];
  }

  /* Whether an area's street is the query's: the same, or the end of it (东王庄村东大街 → 东大街). */
  function matches(street, name) {
    return street === name || (Array.from(street).length >= 2 && name.slice(-street.length) === street);
  }

  /* How many range files (search/r/<n>.js) a site has: `file_count` in src/search/ranges.rs. */
  function rangeFiles(shards) {
    return Math.max(1, Math.floor(shards / 8));
  }

  /* The zones on the street a query names, from the range files: → Promise of null when the
     query names no address, else {place, streets, covering, others}: `covering` the zones whose
     ranges cover the address, `others` the street's other zones, as hits [slot, local, cover,
     true]. Zones holding the query's other words (东王庄村 in 东王庄村东大街20号) come first,
     then whole covers before partial ones (a stairwell of the building asked for), then site
     order. `engine` is search.js's Engine; `tools` its shardOf, queryTerms and unique. */
  function zonesOn(engine, query, tools) {
    var place = addressOf(query);
    if (!place) return Promise.resolve(null);
    var files = rangeFiles(engine.shards);
    var numbers = tools.unique(tails(place.name).map(function (t) { return tools.shardOf(t, files); }));
    var loads = numbers.map(function (n) { return engine.file('search/r/' + n + '.js'); });
    return Promise.all(loads).then(function () {
      var zones = new Map();
      var streets = [];
      numbers.forEach(function (n) {
        var data = engine.rangeData[n] || {};
        Object.keys(data).forEach(function (street) {
          if (!matches(street, place.name)) return;
          streets.push(street);
          data[street].forEach(function (entry) {
            var cover = 0;
            entry.slice(2).forEach(function (c) { cover = Math.max(cover, covers(levelsOf(c), place.levels)); });
            var key = entry[0] + ':' + entry[1];
            var known = zones.get(key);
            if (!known || known[2] < cover) zones.set(key, [entry[0], entry[1], cover, true]);
          });
        });
      });
      var result = { place: place, streets: streets.sort(), covering: [], others: [], words: '' };
      if (streets.length === 0) return result;
      // The query's other words, and what its street has before the longest street found.
      var longest = streets.reduce(function (a, b) { return b.length > a.length ? b : a; });
      var words = (place.rest + ' ' + place.name.slice(0, place.name.length - longest.length)).trim();
      result.words = words;
      var held = tools.queryTerms(words).length ? engine.find(words) : Promise.resolve({ hits: [] });
      return held.then(function (other) {
        var holding = new Set(other.hits.map(function (h) { return h[0] + ':' + h[1]; }));
        var rank = function (h) { return holding.has(h[0] + ':' + h[1]) ? 1 : 0; };
        var all = Array.from(zones.values()).sort(function (a, b) {
          return rank(b) - rank(a) || b[2] - a[2] || a[0] - b[0] || a[1] - b[1];
        });
        result.covering = all.filter(function (h) { return h[2] > 0; });
        result.others = all.filter(function (h) { return h[2] === 0; });
        return result;
      });
    });
  }

  /* What the search page says above results that a house number placed. Many zones in
     different villages can cover 东大街20号: without other words, say how to narrow it. */
  function say(address, others) {
    var then = others ? '，其后是其他搜索结果' : '';
    var narrow = address.count > 10 && !address.words ? '加上村（社区）名称，那里的责任区会排在最前面。' : '';
    switch (address.state) {
      case 'covered':
        return '“' + address.text + '”在下面 ' + address.count + ' 个责任区的范围内' + then + '。' + narrow;
      case 'not covered':
        return '没有哪个责任区的范围包括“' + address.text + '”。下面是' + address.streets.join('、') +
          '上的 ' + address.count + ' 个责任区' + then + '。' + narrow;
      default:
        return '没有哪个责任区写明“' + address.name + '”的门牌范围，下面是搜索“' + address.name + '”的结果。';
    }
  }

  /* Engine.lookup for a query with a digit: → Promise of `found` (search.js's find) with the
     zones on the query's street first, covering ones if any, else all of them. Then `found.placed`
     counts them and `found.address` says how they were found ({state, text, name, streets,
     count, say}). A query whose street has no ranges, and that finds nothing else, is searched
     for by its street alone. */
  function lookup(engine, query, found, tools) {
    return zonesOn(engine, query, tools).then(function (zones) {
      if (!zones) return found;
      var place = zones.place;
      var first = zones.covering.length ? zones.covering : zones.others;
      if (first.length === 0) {
        if (found.hits.length || !place.name) return found;
        return engine.find(place.name).then(function (named) {
          if (named.hits.length === 0) return found;
          var address = { state: 'unknown street', text: place.text, name: place.name, streets: [], count: 0 };
          address.say = say(address, false);
          named.address = address;
          named.placed = 0;
          return named;
        });
      }
      var seen = new Set(first.map(function (h) { return h[0] + ':' + h[1]; }));
      var rest = found.hits.filter(function (h) { return !seen.has(h[0] + ':' + h[1]); });
      var address = {
        state: zones.covering.length ? 'covered' : 'not covered',
        text: place.text,
        name: place.name,
        streets: zones.streets,
        count: first.length,
        words: zones.words
      };
      address.say = say(address, rest.length > 0);
      return { terms: found.terms, common: found.common, hits: first.concat(rest), placed: first.length, address: address };
    });
  }

  var api = {
    read: read, code: code, levelsOf: levelsOf, covers: covers, addressOf: addressOf, tails: tails,
    matches: matches, rangeFiles: rangeFiles, lookup: lookup
  };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else if (typeof gongkaiSearch === 'object') gongkaiSearch.address(api);
})();
