"""Style and script of the HTML report, inlined into the page.

Kept as Python strings (not package data files) so the report is complete in any
installation — wheel, zipapp, editable — with no packaging step to forget. The page
loads nothing from anywhere: its Content-Security-Policy allows no network at all.
"""

from __future__ import annotations

CSS = """
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #f6f8fa; --card: #ffffff;
  --accent: #1f4e79;
  --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9;
  --warn: #9a6700; --warn-bg: #fff8c5; --none: #57606a; --none-bg: #eaeef2;
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
       sans-serif; color: var(--ink); background: var(--bg); }
header.top { background: var(--accent); color: #fff; padding: 18px 28px 16px; }
header.top h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header.top .meta { margin: 0; opacity: .85; font-size: 13px; }
main { padding: 18px 28px 40px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
        padding: 10px 16px; min-width: 150px; cursor: pointer; text-align: left;
        font: inherit; color: inherit; border-top: 4px solid var(--none); }
.card:hover { box-shadow: 0 1px 4px rgba(0,0,0,.12); }
.card[aria-pressed="true"] { outline: 2px solid var(--accent); }
.card .n { display: block; font-size: 26px; font-weight: 650; line-height: 1.1; }
.card .t { color: var(--muted); font-size: 12.5px; }
.card.all { border-top-color: var(--accent); }
.card.PASSED { border-top-color: var(--ok); } .card.FAILED { border-top-color: var(--bad); }
.card.INDETERMINATE, .card.NO_SIGNATURE { border-top-color: var(--warn); }
.card.ERROR { border-top-color: #8250df; }
.controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 10px; }
.controls input[type=search] { flex: 1 1 320px; max-width: 520px; padding: 7px 10px;
        border: 1px solid var(--line); border-radius: 6px; font: inherit; }
.controls select { max-width: 22em; }
.controls select, .controls button { padding: 6px 10px; border: 1px solid var(--line);
        border-radius: 6px; background: #fff; font: inherit; cursor: pointer; }
#count { color: var(--muted); margin-left: auto; }
table.docs { width: 100%; border-collapse: collapse; background: var(--card);
        border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
table.docs th { text-align: left; background: #eef2f6; border-bottom: 1px solid var(--line);
        padding: 0; font-weight: 600; vertical-align: bottom; }
table.docs th button { all: unset; display: block; padding: 8px 10px; cursor: pointer; }
table.docs th button::after { content: " ↕"; color: #9aa4ae; font-weight: 400; }
table.docs th[aria-sort=ascending] button::after { content: " ▲"; color: var(--accent); }
table.docs th[aria-sort=descending] button::after { content: " ▼"; color: var(--accent); }
table.docs td { padding: 8px 10px; border-top: 1px solid #eaeef2; vertical-align: top; }
tbody.doc > tr.main:hover { background: #f6f9fc; }
tbody.doc > tr.main { cursor: pointer; }
.toggle { all: unset; display: inline-block; width: 1.1em; color: var(--muted); }
.file { font-weight: 600; word-break: break-all; }
table.docs { font-size: 13px; }
tr.main > td:first-child { min-width: 11em; }
td.number { white-space: nowrap; font-weight: 600; }
td.date { white-space: nowrap; }
td.subject { min-width: 14em; }
td.agency, td.printed { min-width: 8em; }
.dir { color: var(--muted); font-size: 12px; word-break: break-all; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12.5px;
        font-weight: 600; white-space: nowrap; background: var(--none-bg); color: var(--none); }
.badge.PASSED, .badge.OK { background: var(--ok-bg); color: var(--ok); }
.badge.FAILED { background: var(--bad-bg); color: var(--bad); }
.badge.INDETERMINATE, .badge.NO_SIGNATURE, .badge.WARNING { background: var(--warn-bg);
        color: var(--warn); }
.sub { color: var(--muted); font-size: 12px; display: block; overflow-wrap: anywhere; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.detail > td { background: #fbfcfd; padding: 12px 16px 16px; }
.problems { margin: 0 0 10px; padding: 8px 12px; border-left: 4px solid var(--bad);
        background: var(--bad-bg); border-radius: 4px; }
ul.findings { margin: 4px 0 0; padding-left: 18px; }
details.notes { margin-top: 4px; color: var(--muted); font-size: 13px; }
details.notes summary { cursor: pointer; }
ul.findings li { margin: 2px 0; }
li.ERROR { color: var(--bad); } li.WARNING { color: var(--warn); } li.INFO { color: var(--muted); }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.sigs { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px;
        margin-top: 10px; }
.sig { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px;
       border-left: 4px solid var(--none); }
.sig.PASSED { border-left-color: var(--ok); } .sig.FAILED { border-left-color: var(--bad); }
.sig.INDETERMINATE { border-left-color: var(--warn); }
.sig h3 { margin: 0 0 6px; font-size: 14px; display: flex; gap: 8px; align-items: baseline;
        flex-wrap: wrap; }
.sig h3 .who { font-weight: 650; }
.sig dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 6px 0 0;
        font-size: 13px; }
.sig dt { color: var(--muted); } .sig dd { margin: 0; word-break: break-word; }
.thumb { display: block; margin: 4px 0 6px; max-width: 100%; max-height: 170px;
        border: 1px solid #e4e8ec; border-radius: 4px; background: #fff; }
.nothumb { color: var(--muted); font-size: 12px; font-style: italic; margin: 2px 0 6px; }
#empty { padding: 24px; text-align: center; color: var(--muted); }
footer { margin-top: 18px; color: var(--muted); font-size: 12px; }
@media print { .controls, .toggle { display: none; } tr.detail[hidden] { display: table-row; } }
"""

JS = """
(function () {
  'use strict';
  var q = document.getElementById('q');
  var verdict = document.getElementById('verdict');
  var count = document.getElementById('count');
  var empty = document.getElementById('empty');
  var table = document.getElementById('docs');
  var docs = Array.prototype.slice.call(table.querySelectorAll('tbody.doc'));
  var cards = Array.prototype.slice.call(document.querySelectorAll('.card'));
  var fieldFilters = Array.prototype.slice.call(document.querySelectorAll('select[data-field]'));
  var countTemplate = count.getAttribute('data-template');

  function matches(doc, text, v) {
    if (v && v !== 'all') {
      if (v === 'ERROR') { if (!doc.dataset.error) return false; }
      else if (doc.dataset.verdict !== v) return false;
    }
    for (var i = 0; i < fieldFilters.length; i++) {
      var f = fieldFilters[i];
      if (f.value && (doc.dataset[f.dataset.field] || '') !== f.value) return false;
    }
    return !text || doc.dataset.search.indexOf(text) !== -1;
  }
  function apply() {
    var text = q.value.trim().toLowerCase();
    var v = verdict.value;
    var shown = 0;
    docs.forEach(function (doc) {
      var ok = matches(doc, text, v);
      doc.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = countTemplate.replace('{shown}', shown).replace('{total}', docs.length);
    empty.hidden = shown !== 0;
    cards.forEach(function (c) {
      c.setAttribute('aria-pressed', String(c.dataset.filter === v));
    });
  }
  q.addEventListener('input', apply);
  verdict.addEventListener('change', apply);
  fieldFilters.forEach(function (f) { f.addEventListener('change', apply); });
  cards.forEach(function (c) {
    c.addEventListener('click', function () {
      verdict.value = (verdict.value === c.dataset.filter) ? 'all' : c.dataset.filter;
      apply();
    });
  });

  function toggle(doc, open) {
    var detail = doc.querySelector('tr.detail');
    var button = doc.querySelector('.toggle');
    if (open === undefined) open = detail.hidden;
    detail.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? '\\u25BE' : '\\u25B8';
  }
  docs.forEach(function (doc) {
    doc.querySelector('tr.main').addEventListener('click', function () { toggle(doc); });
  });
  var expanded = false;
  document.getElementById('expand').addEventListener('click', function () {
    expanded = !expanded;
    docs.forEach(function (doc) { toggle(doc, expanded); });
  });

  var headers = Array.prototype.slice.call(table.querySelectorAll('th[data-key]'));
  headers.forEach(function (th) {
    th.querySelector('button').addEventListener('click', function () {
      var key = th.dataset.key, numeric = th.dataset.type === 'num';
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      docs.sort(function (a, b) {
        var x = a.dataset[key] || '', y = b.dataset[key] || '';
        if (numeric) { x = parseFloat(x) || 0; y = parseFloat(y) || 0;
                       return (x - y) * dir; }
        return x.localeCompare(y, document.documentElement.lang, {numeric: true}) * dir;
      });
      docs.forEach(function (doc) { table.appendChild(doc); });
    });
  });
  apply();
})();
"""
