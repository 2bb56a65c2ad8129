"""The report page's inline style and script: no file, font or request beyond the page itself.

The script only filters the problem list by rule or folder; without it the page reads the same
and every link still jumps to its anchor.
"""

from __future__ import annotations

STYLE = """
:root {
  --ink: #1f2328; --muted: #656d76; --line: #d0d7de; --soft: #f6f8fa; --accent: #0969da;
  --error: #cf222e; --error-bg: #ffebe9; --warning: #9a6700; --warning-bg: #fff8c5;
  --ok: #1a7f37; --ok-bg: #dafbe1;
}
* { box-sizing: border-box; }
html { scroll-padding-top: 1rem; }
body {
  margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
header { background: var(--soft); border-bottom: 1px solid var(--line); padding: 1.5rem 2rem 1rem; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { margin: 2.2rem 0 .6rem; font-size: 1.25rem; border-bottom: 1px solid var(--line);
     padding-bottom: .3rem; }
h3 { margin: 0; font-size: 1rem; font-weight: 600; }
main { padding: 0 2rem 3rem; max-width: 88rem; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
              font-size: .86em; }
.meta { margin: 0; color: var(--muted); overflow-wrap: anywhere; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px;
        padding: .5rem .9rem; min-width: 8rem; }
.card .n { display: block; font-size: 1.5rem; font-weight: 650; }
.card .l { color: var(--muted); font-size: .85rem; }
.card.error .n { color: var(--error); } .card.warning .n { color: var(--warning); }
.card.ok .n { color: var(--ok); }
nav { display: flex; flex-wrap: wrap; gap: 1.2rem; font-weight: 500; }
.clean { background: var(--ok-bg); border: 1px solid #aceebb; border-radius: 8px;
         padding: 1rem; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line);
         vertical-align: top; }
th { background: var(--soft); font-weight: 600; font-size: .85rem; color: var(--muted); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:hover { background: #f3f6fa; }
tr:target { background: #fff8c5; outline: 2px solid #d4a72c; }
.barcell { width: 22%; min-width: 6rem; }
.bar { display: block; height: .6rem; border-radius: 3px; background: #8cb4e8; min-width: 2px; }
.bar.error { background: #ff8182; } .bar.warning { background: #d4a72c; }
.sev { display: inline-block; padding: 0 .45rem; border-radius: 1rem; font-size: .8rem;
       font-weight: 600; }
.sev.error { color: var(--error); background: var(--error-bg); }
.sev.warning { color: var(--warning); background: var(--warning-bg); }
.fix { color: var(--ok); font-size: .82rem; white-space: nowrap; }
.fix.unsafe { color: var(--warning); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem;
        align-items: start; }
.field { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; }
.field p { margin: .2rem 0 .4rem; color: var(--muted); font-size: .85rem; }
.field table { margin: 0; }
tr.outside td { background: var(--error-bg); }
tr.near td:first-child { padding-left: 1.6rem; }
.flag { color: var(--error); font-weight: 600; font-size: .82rem; }
td .flag { display: block; font-weight: 500; }
.unused td { color: var(--muted); }
article.note { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 1rem;
               padding: .6rem .8rem 0; }
article.note h3 { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: baseline; }
article.note .count { color: var(--muted); font-weight: 400; font-size: .85rem; }
article.note table { table-layout: fixed; }
.c-where { width: 6.5rem; } .c-sev { width: 6.5rem; } .c-rule { width: 11rem; }
.c-fix { width: 5.5rem; }
td.where { white-space: nowrap; }
td.message { overflow-wrap: anywhere; }
details > summary { cursor: pointer; color: var(--accent); margin: .2rem 0 .6rem; }
td.message code { display: block; color: var(--muted); white-space: pre-wrap;
                  overflow-wrap: anywhere; margin-top: .15rem; }
#filters { margin: .5rem 0 1rem; }
#filters select { font: inherit; padding: .2rem .4rem; max-width: 100%; }
footer { color: var(--muted); font-size: .85rem; padding: 1rem 2rem 2rem;
         border-top: 1px solid var(--line); }
@media print { #filters, nav { display: none; } article.note { break-inside: avoid; } }
""".strip()

SCRIPT = """
(function () {
  var box = document.getElementById("filters");
  var select = document.getElementById("filter");
  if (!box || !select) return;
  box.hidden = false;
  function apply() {
    var chosen = select.value, colon = chosen.indexOf(":");
    var kind = chosen.slice(0, colon), value = chosen.slice(colon + 1);
    document.querySelectorAll("#problems article.note").forEach(function (note) {
      var shown = 0;
      note.querySelectorAll("tbody tr").forEach(function (row) {
        var keep = !chosen || (kind === "rule" ? row.dataset.rule === value
                                               : note.dataset.folder === value);
        row.hidden = !keep;
        if (keep) shown++;
      });
      note.hidden = shown === 0;
    });
  }
  select.addEventListener("change", apply);
  document.querySelectorAll("[data-filter]").forEach(function (link) {
    link.addEventListener("click", function () { select.value = link.dataset.filter; apply(); });
  });
  window.addEventListener("hashchange", function () {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.closest("[hidden]")) {
      select.value = "";
      apply();
      target.scrollIntoView();
    }
  });
})();
""".strip()
