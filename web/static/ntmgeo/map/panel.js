/* The criteria panel: the district's criteria and indicators with value, source, basis and
 * note, the summaries beside the document's own, the disagreements, the greening line, and a
 * locate button on every unmet indicator.
 */

import { add, el } from "./dom.js";
import { fmt, num, pct, tr } from "./format.js";
import { roadShare } from "./layers.js";
import { M, page } from "./page.js";
import { probe, state } from "./state.js";
import { locate } from "./view.js";

var body = document.getElementById("panel-body");

function badge(met) {
  var cls = met === true ? "met" : met === false ? "unmet" : "unknown";
  return el("span", "badge " + cls, met === true ? M.met : met === false ? M.unmet : M.unknown);
}
function valueText(ind) {
  if (ind.value_text) return ind.value_text;
  if (ind.value === null || ind.value === undefined) return "";
  return num(ind.value) + (ind.unit ? " " + ind.unit : "");
}
function greeningLine() {
  var g = state.greening && state.greening.total;
  if (!g) return null;
  var text = fmt(M.greening_now, { pct: pct(roadShare(g)), g: num(g.greened_km), l: num(g.length_km) }) +
    " · " + (g.as_of ? fmt(M.greening_date, { d: g.as_of }) : M.greening_all);
  var box = el("div", "greening-now", text);
  var un = state.greening.unmatched;
  var count = un && typeof un === "object" && !Array.isArray(un) ? un.count : (un || []).length;
  if (count) add(box, el("div", "small", fmt(M.unmatched, { n: count })));
  return box;
}
function disagreementText(d) {
  var word = function (v) {
    if (v === true || v === "met") return M.met;
    if (v === false || v === "unmet") return M.unmet;
    if (v === "not listed") return M.w_not_listed;
    if (v === "not unmet") return M.w_not_unmet;
    return v === null || v === undefined ? M.unknown : String(v);
  };
  if (d.kind === "summary")
    return fmt(M.dis_summary, { what: M[d.id] || M[d.id + "_w"] || d.id, rep: d.reported, comp: d.computed });
  var key = { indicator: "dis_indicator", indicator_list: "dis_indicator_list",
    criterion_list: "dis_criterion_list" }[d.kind];
  if (!key) return d.note || "";
  return fmt(M[key], { id: d.id, rep: word(d.reported), comp: word(d.computed) });
}
export function renderPanel() {
  body.textContent = "";
  if (state.statusError) {
    add(body, el("p", "panel-error", state.statusError));
    var gl = greeningLine();
    if (gl) add(body, gl);
    return;
  }
  var doc = state.status;
  if (!doc) return;
  var head = add(body, el("div", "unit-head")).lastChild;
  add(head, el("h3", null, doc.unit.name + " (" + doc.unit.code + ")"));
  add(head, el("p", "muted", tr(doc.criteria_set.title) + " · " + M.as_of + " " + doc.as_of));
  var s = doc.summary;
  add(head, el("p", "summary", fmt(M.summary, { im: s.indicators_met, it: s.indicators_total,
    cm: s.criteria_met, ct: s.criteria_total })));
  if (s.table) {
    var tb = s.table;
    add(head, el("p", "summary reported", fmt(M.table_summary, { im: tb.indicators_met,
      it: tb.indicators_total, cm: tb.criteria_met, ct: tb.criteria_total })));
  }
  if (s.reported) {
    var r = s.reported;
    add(head, el("p", "summary reported", fmt(M.reported_summary, { im: r.indicators_met,
      it: r.indicators_total, cm: r.criteria_met, ct: r.criteria_total })));
  }
  var table = add(body, el("table", "criteria")).lastChild;
  var cols = add(table, el("colgroup")).lastChild;
  ["c-name", "c-value", "c-status"].forEach(function (c) { add(cols, el("col", c)); });
  var tbody = add(table, el("tbody")).lastChild;
  var shown = 0;
  doc.criteria.forEach(function (c) {
    var inds = c.indicators || [];
    var visible = state.unmetOnly ? inds.filter(function (i) { return i.met === false; }) : inds;
    if (state.unmetOnly && !visible.length) return;
    var ch = add(tbody, el("tr", "crit")).lastChild;
    var th = add(ch, el("th", null, c.id + ". " + tr(c.name))).lastChild;
    th.colSpan = 2;
    add(add(ch, el("td")).lastChild, badge(c.met));
    if (c.indicators === null) {
      var nr = add(tbody, el("tr", "ind")).lastChild;
      var td = add(nr, el("td", "muted", M.not_in_catalogue)).lastChild;
      td.colSpan = 3;
    }
    visible.forEach(function (ind) { add(tbody, indicatorRow(ind)); shown += 1; });
  });
  probe.counts.panel_rows = shown;
  if (s.disagreements && s.disagreements.length) {
    var box = add(body, el("div", "disagreements")).lastChild;
    add(box, el("h4", null, M.disagreements + " (" + s.disagreements.length + ")"));
    var ul = add(box, el("ul")).lastChild;
    s.disagreements.forEach(function (d) { add(ul, el("li", "dis-" + d.kind, disagreementText(d))); });
  }
}
function indicatorRow(ind) {
  var rowEl = el("tr", "ind " + (ind.met === false ? "is-unmet" : ind.met === true ? "is-met" : "is-unknown"));
  rowEl.dataset.indicator = ind.id;
  var name = add(rowEl, el("td", "ind-name")).lastChild;
  add(name, el("span", "ind-id", ind.id), " ", el("span", null, tr(ind.name)));
  if (ind.threshold) add(name, el("div", "small", M.threshold + ": " + ind.threshold.text));
  var val = add(rowEl, el("td", "ind-value")).lastChild;
  add(val, el("div", null, valueText(ind)));
  var src = [ind.source ? M[ind.source] || ind.source : "", ind.as_of || ""].filter(Boolean).join(" · ");
  if (src) add(val, el("div", "small", src));
  if (ind.source === "computed" && ind.reported) {
    var rep = ind.reported;
    var repText = rep.value_text || (rep.value === null || rep.value === undefined ? "" : num(rep.value));
    add(val, el("div", "small reported-value", M.reported_was + ": " + [repText,
      rep.met === true ? M.met : rep.met === false ? M.unmet : "", rep.as_of].filter(Boolean).join(" · ")));
  }
  // Which condition decided a computed value, and what the layers could not answer
  // ({vi, en} texts of the status document: ntmgeo.computed).
  if (ind.basis) add(val, el("div", "small ind-basis", tr(ind.basis)));
  if (ind.note) add(val, el("div", "small ind-note", tr(ind.note)));
  if (ind.deadline || ind.deadline_text)
    add(val, el("div", "small", M.deadline + ": " + [ind.deadline, ind.deadline_text].filter(Boolean).join(" · ")));
  if (ind.id === page.greening_indicator && !state.asOf) { var gl = greeningLine(); if (gl) add(val, gl); }
  var status = add(rowEl, el("td", "ind-status")).lastChild;
  add(status, badge(ind.met));
  if (ind.met === false) {
    var b = el("button", "locate", M.locate);
    b.type = "button";
    b.addEventListener("click", function (e) { e.stopPropagation(); locate(ind.id, ind); });
    add(name, b);
    rowEl.addEventListener("click", function () { locate(ind.id, ind); });
    rowEl.classList.add("clickable");
  }
  return rowEl;
}

