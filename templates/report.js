/* schemac report: paged, filterable tables and the side-by-side object view, rendered from
   the JSON data island. Text goes into the page only as text nodes (textContent), never as
   HTML. Data layout (arrays keep the island lean):
   files[i]    = source file name
   objects[i]  = [kind, name, schema, file, line, status, outFile, outLine, hours, complexity, [finding]]
   findings[i] = [code, severity, category, message, file, line, column, object (-1: none), kind, schema, hours, objectName]
   texts[i]    = [source, firstLine, [start, end, finding, ...] (UTF-16 offsets), output, firstOutputLine]
   codes[i]    = [code, name, severity, category, hoursEach] */
(function () {
  'use strict';
  var doc = document;
  var $ = function (id) { return doc.getElementById(id); };
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function link(href, text, cls) {
    var a = el('a', cls, text);
    a.setAttribute('href', href);
    return a;
  }
  function num(h) { return String(Math.round(Number(h) * 100) / 100); }
  function badge(v) { return el('span', 'sev ' + (/^[a-z]+$/.test(v) ? v : ''), v); }

  var D = JSON.parse($('schemac-data').textContent);
  var SEV = ['info', 'review', 'manual', 'blocker'];
  var STATUS = ['converted', 'review', 'manual', 'blocker'];
  var CX = ['simple', 'medium', 'complex'];
  var PAGE_SIZES = [50, 100, 500];

  function distinct(list, order) {
    var seen = Object.create(null), out = [];
    list.forEach(function (v) { if (!(('k' + v) in seen)) { seen['k' + v] = 1; out.push(v); } });
    if (order) {
      out.sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
    } else {
      out.sort(function (a, b) { return a < b ? -1 : a > b ? 1 : 0; });
    }
    return out;
  }

  /* A filter select: options are indices into `values`, so any value (even '') is safe. */
  function Select(id, values, label) {
    var s = $(id);
    values.forEach(function (v, i) {
      var o = el('option', null, label ? label(v) : v);
      o.value = String(i);
      s.appendChild(o);
    });
    return {
      el: s,
      get: function () { return s.value === '' ? null : values[Number(s.value)]; },
      set: function (v) {
        var i = v === null || v === undefined ? -1 : values.indexOf(v);
        s.value = i < 0 ? '' : String(i);
        return i >= 0 || v === null || v === undefined;
      }
    };
  }
  var schemaLabel = function (v) { return v === '' ? '(no schema)' : v; };

  /* A paged table over `count` items: `match(i)` filters, `row(i)` builds a <tr>. */
  function Paged(tbodyId, pagerId, count, match, row) {
    var tbody = $(tbodyId), pager = $(pagerId);
    var self = { rows: [], page: 0, size: 100 };
    self.refresh = function () {
      var rows = [];
      for (var i = 0; i < count; i++) { if (match(i)) { rows.push(i); } }
      self.rows = rows;
      self.page = 0;
      self.draw();
      return rows.length;
    };
    self.draw = function () {
      var pages = Math.max(1, Math.ceil(self.rows.length / self.size));
      if (self.page >= pages) { self.page = pages - 1; }
      var from = self.page * self.size, to = Math.min(self.rows.length, from + self.size);
      tbody.textContent = '';
      var frag = doc.createDocumentFragment();
      for (var k = from; k < to; k++) { frag.appendChild(row(self.rows[k])); }
      tbody.appendChild(frag);
      pager.textContent = '';
      pager.appendChild(el('span', 'count', self.rows.length === 0 ? 'No rows' :
        'Rows ' + (from + 1) + '\u2013' + to + ' of ' + self.rows.length));
      var prev = el('button', null, '\u2039 Previous'), next = el('button', null, 'Next \u203a');
      prev.type = next.type = 'button';
      prev.disabled = self.page === 0;
      next.disabled = self.page >= pages - 1;
      prev.addEventListener('click', function () { self.page--; self.draw(); });
      next.addEventListener('click', function () { self.page++; self.draw(); });
      var size = el('select');
      PAGE_SIZES.forEach(function (n) {
        var o = el('option', null, n + ' per page');
        o.value = String(n);
        size.appendChild(o);
      });
      size.value = String(self.size);
      size.addEventListener('change', function () { self.size = Number(size.value); self.page = 0; self.draw(); });
      pager.appendChild(prev);
      pager.appendChild(el('span', null, 'page ' + (self.page + 1) + ' of ' + pages));
      pager.appendChild(next);
      pager.appendChild(size);
    };
    return self;
  }

  function loc(file, line, col) {
    var name = D.files[file] || '';
    return name + ':' + line + (col ? ':' + col : '');
  }
  function lower(s) { return String(s).toLowerCase(); }

  /* ---- Findings ---- */
  var F = D.findings;
  var fsel = {
    code: Select('f-code', distinct(F.map(function (f) { return f[0]; }))),
    severity: Select('f-severity', distinct(F.map(function (f) { return f[1]; }), SEV)),
    category: Select('f-category', distinct(F.map(function (f) { return f[2]; }))),
    schema: Select('f-schema', distinct(F.map(function (f) { return f[9]; })), schemaLabel),
    kind: Select('f-kind', distinct(F.map(function (f) { return f[8]; })))
  };
  var ftext = $('f-text');
  function findingMatches(i) {
    var f = F[i];
    var code = fsel.code.get(), sev = fsel.severity.get(), cat = fsel.category.get(),
      schema = fsel.schema.get(), kind = fsel.kind.get(), q = lower(ftext.value.trim());
    if (code !== null && f[0] !== code) { return false; }
    if (sev !== null && f[1] !== sev) { return false; }
    if (cat !== null && f[2] !== cat) { return false; }
    if (schema !== null && f[9] !== schema) { return false; }
    if (kind !== null && f[8] !== kind) { return false; }
    if (q && lower(f[3]).indexOf(q) < 0 && lower(f[11]).indexOf(q) < 0 &&
        lower(D.files[f[4]] || '').indexOf(q) < 0) { return false; }
    return true;
  }
  function findingRow(i) {
    var f = F[i], tr = el('tr');
    tr.setAttribute('data-finding', String(i));
    var c = el('td');
    c.appendChild(link('#code-' + f[0], f[0]));
    tr.appendChild(c);
    c = el('td');
    c.appendChild(badge(f[1]));
    tr.appendChild(c);
    tr.appendChild(el('td', null, f[2]));
    c = el('td', 'mono');
    var where = loc(f[4], f[5], f[6]);
    c.appendChild(f[7] >= 0 ? link('#obj-' + f[7] + '/f-' + i, where) : el('span', null, where));
    tr.appendChild(c);
    tr.appendChild(el('td', null, f[11]));
    tr.appendChild(el('td', null, f[8]));
    tr.appendChild(el('td', null, f[9]));
    tr.appendChild(el('td', 'n', num(f[10])));
    tr.appendChild(el('td', 'msg', f[3]));
    return tr;
  }
  /* Paged() takes the table's tbody: look it up from the table ids. */
  function pagedTable(tableId, pagerId, count, match, row) {
    var t = $(tableId);
    var body = t.tBodies[0];
    if (!body.id) { body.id = tableId + '-body'; }
    return Paged(body.id, pagerId, count, match, row);
  }
  var ftable = pagedTable('findings-table', 'f-pager', F.length, findingMatches, findingRow);

  /* ---- Objects ---- */
  var O = D.objects;
  var osel = {
    kind: Select('o-kind', distinct(O.map(function (o) { return o[0]; }))),
    status: Select('o-status', distinct(O.map(function (o) { return o[5]; }), STATUS)),
    schema: Select('o-schema', distinct(O.map(function (o) { return o[2]; })), schemaLabel),
    complexity: Select('o-complexity', distinct(O.map(function (o) { return o[9]; }), CX))
  };
  var otext = $('o-text');
  function objectMatches(i) {
    var o = O[i];
    var kind = osel.kind.get(), status = osel.status.get(), schema = osel.schema.get(),
      cx = osel.complexity.get(), q = lower(otext.value.trim());
    if (kind !== null && o[0] !== kind) { return false; }
    if (status !== null && o[5] !== status) { return false; }
    if (schema !== null && o[2] !== schema) { return false; }
    if (cx !== null && o[9] !== cx) { return false; }
    if (q && lower(o[1]).indexOf(q) < 0 && lower(D.files[o[3]] || '').indexOf(q) < 0) { return false; }
    return true;
  }
  function objectRow(i) {
    var o = O[i], tr = el('tr');
    tr.setAttribute('data-object', String(i));
    tr.appendChild(el('td', null, o[0]));
    var c = el('td');
    c.appendChild(link('#obj-' + i, o[1] === '' ? '(' + o[0] + ')' : o[1]));
    tr.appendChild(c);
    tr.appendChild(el('td', null, o[2]));
    c = el('td');
    c.appendChild(badge(o[5]));
    tr.appendChild(c);
    c = el('td');
    c.appendChild(badge(o[9]));
    tr.appendChild(c);
    tr.appendChild(el('td', 'n', num(o[8])));
    tr.appendChild(el('td', 'mono', loc(o[3], o[4])));
    tr.appendChild(el('td', 'mono', o[6] ? o[6] + ':' + o[7] : '\u2014'));
    c = el('td');
    distinct(o[10].map(function (k) { return F[k][0]; })).forEach(function (code) {
      c.appendChild(link('#code-' + code, code));
      c.appendChild(doc.createTextNode(' '));
    });
    tr.appendChild(c);
    return tr;
  }
  var otable = pagedTable('objects-table', 'o-pager', O.length, objectMatches, objectRow);

  function debounce(fn) {
    var t = null;
    return function () { if (t) { clearTimeout(t); } t = setTimeout(fn, 150); };
  }
  Object.keys(fsel).forEach(function (k) { fsel[k].el.addEventListener('change', function () { ftable.refresh(); }); });
  ftext.addEventListener('input', debounce(function () { ftable.refresh(); }));
  $('f-reset').addEventListener('click', function () { filterFindings({}); });
  Object.keys(osel).forEach(function (k) { osel[k].el.addEventListener('change', function () { otable.refresh(); }); });
  otext.addEventListener('input', debounce(function () { otable.refresh(); }));
  $('o-reset').addEventListener('click', function () { filterObjects({}); });

  /* Sets the findings filters ({code, severity, category, schema, kind, text}; missing = all)
     and returns how many findings match; false for a value that is not in the data. */
  function filterFindings(f) {
    var ok = true;
    Object.keys(fsel).forEach(function (k) { ok = fsel[k].set(f[k]) && ok; });
    ftext.value = f.text || '';
    var n = ftable.refresh();
    return ok ? n : -1;
  }
  function filterObjects(f) {
    var ok = true;
    Object.keys(osel).forEach(function (k) { ok = osel[k].set(f[k]) && ok; });
    otext.value = f.text || '';
    var n = otable.refresh();
    return ok ? n : -1;
  }

  /* ---- Side-by-side view of one object ---- */
  var SEVRANK = { info: 0, review: 1, manual: 2, blocker: 3 };
  var MAX_MARKS = 500;

  function lineNumbers(first, text) {
    var n = text.split('\n').length, out = [];
    for (var i = 0; i < n; i++) { out.push(first + i); }
    return out.join('\n');
  }
  function codeBlock(first, fill) {
    var grid = el('div', 'code');
    var code = el('pre', 'src');
    var count = fill(code);
    grid.appendChild(el('pre', 'ln', lineNumbers(first, count)));
    grid.appendChild(code);
    return grid;
  }
  /* The source with the findings' spans as <mark> elements (overlaps split into segments). */
  function markedSource(pre, src, marks) {
    var ms = [];
    for (var k = 0; k + 2 < marks.length && ms.length < MAX_MARKS; k += 3) {
      var s = Math.max(0, Math.min(src.length, marks[k])), e = Math.max(s, Math.min(src.length, marks[k + 1]));
      if (e > s) { ms.push([s, e, marks[k + 2]]); }
    }
    var cuts = [0, src.length];
    ms.forEach(function (m) { cuts.push(m[0], m[1]); });
    cuts = distinct(cuts, null).sort(function (a, b) { return a - b; });
    var seenFinding = Object.create(null);
    for (var c = 0; c + 1 < cuts.length; c++) {
      var a = cuts[c], b = cuts[c + 1];
      if (b <= a) { continue; }
      var text = src.slice(a, b), cover = ms.filter(function (m) { return m[0] <= a && m[1] >= b; });
      if (cover.length === 0) { pre.appendChild(doc.createTextNode(text)); continue; }
      var worst = 'info', codes = [];
      cover.forEach(function (m) {
        var f = F[m[2]];
        if (!f) { return; }
        if (SEVRANK[f[1]] > SEVRANK[worst]) { worst = f[1]; }
        codes.push(f[0] + ' ' + f[1] + ': ' + f[3]);
      });
      var mk = el('mark', 'sev-' + worst, text);
      mk.title = codes.join('\n');
      cover.forEach(function (m) {
        if (!seenFinding[m[2]]) { seenFinding[m[2]] = 1; if (!mk.id) { mk.id = 'm-' + m[2]; } }
      });
      mk.setAttribute('data-findings', cover.map(function (m) { return m[2]; }).join(' '));
      pre.appendChild(mk);
    }
    return src;
  }
  /* The converted SQL; the finding comment lines of the object's codes are highlighted. */
  function markedOutput(pre, out, codes) {
    var lines = out.split('\n');
    lines.forEach(function (line, i) {
      var m = /^-- ([A-Z]+[0-9]+) (info|review|manual|blocker): /.exec(line);
      if (m && codes.indexOf(m[1]) >= 0) {
        pre.appendChild(el('span', 'finding-line', line));
      } else {
        pre.appendChild(doc.createTextNode(line));
      }
      if (i + 1 < lines.length) { pre.appendChild(doc.createTextNode('\n')); }
    });
    return out;
  }

  function showObject(i, current) {
    var o = O[i], t = D.texts[i] || ['', 1, [], '', 0];
    var sec = $('detail');
    if (!o) { sec.hidden = true; return false; }
    sec.textContent = '';
    sec.hidden = false;
    sec.setAttribute('data-object', String(i));
    var h = el('h2', null, o[0] + ' ' + (o[1] === '' ? '(no name)' : o[1]));
    sec.appendChild(h);
    var meta = el('p', 'meta');
    meta.appendChild(badge(o[5]));
    meta.appendChild(doc.createTextNode(' '));
    meta.appendChild(badge(o[9]));
    meta.appendChild(doc.createTextNode(' ' + num(o[8]) + ' h \u00b7 source ' + loc(o[3], o[4]) +
      ' \u00b7 output ' + (o[6] ? o[6] + ':' + o[7] : 'none') + ' \u00b7 '));
    meta.appendChild(link('#objects', 'back to the objects'));
    sec.appendChild(meta);
    if (o[10].length) {
      var tbl = el('table', 'wide');
      var head = el('tr');
      ['Code', 'Severity', 'Location', 'Hours', 'Message'].forEach(function (x) { head.appendChild(el('th', null, x)); });
      tbl.appendChild(head);
      o[10].forEach(function (k) {
        var f = F[k], tr = el('tr');
        var c = el('td');
        c.appendChild(link('#code-' + f[0], f[0]));
        tr.appendChild(c);
        c = el('td');
        c.appendChild(badge(f[1]));
        tr.appendChild(c);
        c = el('td', 'mono');
        c.appendChild(link('#obj-' + i + '/f-' + k, loc(f[4], f[5], f[6])));
        tr.appendChild(c);
        tr.appendChild(el('td', 'n', num(f[10])));
        tr.appendChild(el('td', 'msg', f[3]));
        tbl.appendChild(tr);
      });
      sec.appendChild(tbl);
    } else {
      sec.appendChild(el('p', null, 'No findings: converted as is.'));
    }
    var side = el('div', 'side');
    var left = el('div', 'pane'), right = el('div', 'pane');
    left.appendChild(el('h4', null, 'Source \u00b7 ' + (D.files[o[3]] || '') + ':' + t[1]));
    left.appendChild(codeBlock(t[1], function (pre) { return markedSource(pre, t[0], t[2]); }));
    right.appendChild(el('h4', null, 'Converted \u00b7 ' + (o[6] ? o[6] + ':' + t[4] : 'not emitted')));
    var codes = o[10].map(function (k) { return F[k][0]; });
    right.appendChild(codeBlock(t[4] || 1, function (pre) { return markedOutput(pre, t[3], codes); }));
    side.appendChild(left);
    side.appendChild(right);
    sec.appendChild(side);
    var target = current !== undefined ? $('m-' + current) : null;
    if (target) {
      target.classList.add('current');
      target.scrollIntoView({ block: 'center' });
    } else if (sec.scrollIntoView) {
      sec.scrollIntoView();
    }
    return true;
  }

  /* ---- Navigation: #obj-N[/f-M], #findings?code=X&severity=Y... ---- */
  function route() {
    var h = location.hash;
    var m = /^#obj-(\d+)(?:\/f-(\d+))?$/.exec(h);
    if (m) { showObject(Number(m[1]), m[2] === undefined ? undefined : Number(m[2])); return; }
    var q = /^#findings\?(.*)$/.exec(h);
    if (q) {
      var f = {};
      q[1].split('&').forEach(function (kv) {
        var p = kv.split('=');
        if (p.length === 2) {
          try { f[decodeURIComponent(p[0])] = decodeURIComponent(p[1]); } catch (e) { /* ignore */ }
        }
      });
      filterFindings(f);
      var anchor = $('findings');
      if (anchor && anchor.scrollIntoView) { anchor.scrollIntoView(); }
    }
  }
  window.addEventListener('hashchange', route);

  ftable.refresh();
  otable.refresh();
  route();

  window.schemacReport = {
    data: D,
    filterFindings: filterFindings,
    filterObjects: filterObjects,
    showObject: showObject,
    shownFindings: function () { return ftable.rows.length; },
    shownObjects: function () { return otable.rows.length; }
  };
  doc.documentElement.setAttribute('data-ready', '1');
}());
