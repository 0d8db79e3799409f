/* Drawing the layers: communes coloured by NTM level, the district outline, district roads
 * coloured by their tree-lined ratio with the stretches and gaps over them, the works register
 * by status, project sites by status (clustered); their popups and tooltips (DOM nodes only,
 * dom.js).
 */

import { fmt, label, num, pct, tr } from "./format.js";
import { add, el, popupBox, row } from "./dom.js";
import { M } from "./page.js";
import { groups, map, probe, siteAreas, state, threshold } from "./state.js";

// Hà Tĩnh's palette (BRIEF §6); unknown is drawn hollow with a dashed purple outline.
var COMMUNE_STYLE = {
  kieu_mau: { fillColor: "#d7191c" },
  all_met: { fillColor: "#ffd92f" },
  c16_19: { fillColor: "#1a9641" },
  c12_15: { fillColor: "#8c8c8c" },
  lt_12: { fillColor: "#dedede" },
  unknown: { fillColor: "#ffffff", fillOpacity: 0.15, color: "#7b3294", dashArray: "6 4", weight: 2 }
};
var ROAD_COLOR = { met: "#1a9641", unmet: "#d7301f", unknown: "#6b6b6b" };

// ------------------------------------------------------------------ communes
function communeClass(st) {
  if (!st) return "unknown";
  if (st.level === "ntm_kieu_mau") return "kieu_mau";
  var n = st.criteria_met, total = st.criteria_total;
  if (st.level === "ntm" || st.level === "ntm_nang_cao" || (n !== null && n !== undefined && total && n >= total))
    return "all_met";
  if (n === null || n === undefined) return "unknown";
  if (n >= 16) return "c16_19";
  if (n >= 12) return "c12_15";
  return "lt_12";
}
function communeStyle(cls) {
  var base = { color: "#3d3d3d", weight: 1.2, fillOpacity: 0.55, opacity: 0.9,
    className: "ntm-commune ntm-commune-" + cls };
  var extra = COMMUNE_STYLE[cls] || {};
  Object.keys(extra).forEach(function (k) { base[k] = extra[k]; });
  return base;
}
function communeStatusFor(props) {
  var list = (state.communeStatus && state.communeStatus.communes) || [];
  for (var i = 0; i < list.length; i++) {
    var c = list[i];
    if (String(c.comm_code) === String(props.code) &&
        (!c.valid_from || !props.valid_from || String(c.valid_from) === String(props.valid_from)))
      return c;
  }
  return null;
}
function communePopup(props) {
  var st = communeStatusFor(props);
  var box = popupBox(props.name, M.commune + " · " + M.code + " " + props.code);
  var dl = add(box, el("dl")).lastChild;
  var byCriteria = st && st.level_basis === "criteria";  // not a recognition: marked "*"
  row(dl, "ntm_level", st && st.level ? label("ntm_level", st.level) + (byCriteria ? " *" : "") : M.unknown);
  if (st && st.criteria_met !== null && st.criteria_met !== undefined)
    row(dl, "criteria_met", st.criteria_met + "/" + st.criteria_total);
  row(dl, "as_of", st && st.as_of);
  row(dl, "target", st && st.target ? label("ntm_level", st.target) : null);
  if (byCriteria) add(box, el("p", "muted", M.level_by_criteria));
  add(box, el("h4", null, M.unmet_criteria));
  if (st && st.criteria) {
    var unmet = st.criteria.filter(function (c) { return c.met === false; });
    if (unmet.length) {
      var ul = add(box, el("ul", "unmet-list")).lastChild;
      unmet.forEach(function (c) { add(ul, el("li", null, c.id + ". " + tr(c.name))); });
    } else add(box, el("p", null, M.no_unmet));
  } else add(box, el("p", "muted", M.no_criteria_detail));
  ((st && st.other_sets) || []).forEach(function (o) {
    var p = el("p", "other-set");
    var text = M.other_set + " (" + o.criteria_set + "): " +
      (o.criteria_met !== null && o.criteria_met !== undefined ? o.criteria_met + "/" + o.criteria_total : M.unknown);
    if (o.unmet && o.unmet.length) text += " · " + M.unmet_criteria + ": " + o.unmet.join(", ");
    p.textContent = text;
    add(box, p);
  });
  listPredecessors(box, (st && st.predecessors) || []);
  return box;
}
// The units a commune was formed from, each with its own latest record (theirs, not the
// commune's): name, code, period, level and count, date and source.
function listPredecessors(box, preds) {
  if (!preds.length) return;
  add(box, el("h4", null, fmt(M.formed_from, { date: preds[0].date })));
  var ul = add(box, el("ul", "predecessors")).lastChild;
  preds.forEach(function (p) {
    var text = (p.name || M.pred_not_held) + " (" + p.code + ", " + (p.valid_from || "?") +
      " – " + (p.valid_to || "?") + "): ";
    if (p.as_of) {
      text += (p.level ? label("ntm_level", p.level) : M.unknown) +
        (p.criteria_met !== null && p.criteria_met !== undefined ? " · " + p.criteria_met + "/" + p.criteria_total : "") +
        " (" + M.as_of + " " + p.as_of + (p.source ? "; " + p.source : "") + ")";
    } else text += M.pred_no_record;
    var li = el("li", p.generation > 1 ? "predecessor-earlier" : null, text);
    add(ul, li);
  });
}
export function drawCommunes(fc) {
  groups.communes.clearLayers();
  state.communeLayers = [];
  var layer = L.geoJSON(fc, {
    style: function (f) { return communeStyle(communeClass(communeStatusFor(f.properties))); },
    onEachFeature: function (f, lyr) {
      lyr.bindPopup(function () { return communePopup(f.properties); }, { maxWidth: 320 });
      lyr.bindTooltip(el("span", null, f.properties.name), { sticky: true, direction: "top" });
      state.communeLayers.push(lyr);
    }
  });
  groups.communes.addLayer(layer);
  probe.counts.communes = fc.features.length;
}
export function drawDistrict(fc) {
  groups.district.clearLayers();
  groups.district.addLayer(L.geoJSON(fc, {
    style: { color: "#111", weight: 3, fill: false, dashArray: "10 5", className: "ntm-district" },
    interactive: false
  }));
  probe.counts.district = fc.features.length;
}

// ------------------------------------------------------------------ roads and greening
export function roadKey(p) { return String(p.dist_code) + "|" + String(p.road_code); }
export function indexGreening() {
  state.greeningByRoad = {};
  ((state.greening && state.greening.roads) || []).forEach(function (r) {
    state.greeningByRoad[roadKey(r)] = r;
  });
}
export function roadShare(g) {
  if (!g || !g.length_km) return null;
  return Number(g.greened_km || 0) / Number(g.length_km);
}
export function roadClass(props) {
  var share = roadShare(state.greeningByRoad[roadKey(props)]);
  if (share === null) return "unknown";
  return share >= threshold() - 1e-9 ? "met" : "unmet";
}
function roadPopup(props) {
  var g = state.greeningByRoad[roadKey(props)];
  var box = popupBox(props.road_code + (props.name ? " · " + props.name : ""),
    label("roads.road_class", props.road_class));
  var dl = add(box, el("dl")).lastChild;
  if (props.from_place || props.to_place)
    row(dl, "from_to", (props.from_place || "?") + " → " + (props.to_place || "?"));
  var length = g ? g.length_km : props.official_length_km;
  row(dl, "length", length === null || length === undefined ? null : num(length) + " km");
  if (g) {
    row(dl, "greened", num(g.greened_km) + " km");
    row(dl, "ratio", pct(roadShare(g)) + " (" + M.threshold + " " + pct(threshold()) + ")");
    add(box, el("h4", null, M.stretches));
    listStretches(box, g.stretches);
    add(box, el("h4", null, M.gaps));
    listStretches(box, g.gaps);
  } else row(dl, "ratio", M.unknown);
  return box;
}
function listStretches(box, items) {
  if (!items || !items.length) { add(box, el("p", "muted", M.none)); return; }
  var ul = add(box, el("ul", "chainage")).lastChild;
  items.forEach(function (s) {
    var text = s.label + " (" + num((s.to_m - s.from_m) / 1000) + " km)";
    add(ul, el("li", null, text));
  });
}
export function drawRoads(fc) {
  groups.roads.clearLayers();
  state.roadLayers = [];
  groups.roads.addLayer(state.roadsGeo = L.geoJSON(fc, {
    style: function (f) { return roadStyle(f.properties); },
    onEachFeature: function (f, lyr) {
      lyr.bindPopup(function () { return roadPopup(f.properties); }, { maxWidth: 340 });
      lyr.bindTooltip(el("span", null, f.properties.road_code), { sticky: true });
      state.roadLayers.push(lyr);
    }
  }));
  probe.counts.roads = fc.features.length;
}
function roadStyle(props) {
  var cls = roadClass(props);
  return { color: ROAD_COLOR[cls], weight: 9, opacity: 0.6, lineCap: "round",
    className: "ntm-road ntm-road-" + cls };
}
export function restyleRoads() {
  state.roadLayers.forEach(function (lyr) {
    lyr.setStyle(roadStyle(lyr.feature.properties));
    var hide = state.unmetOnly && roadClass(lyr.feature.properties) === "met";
    if (hide && state.roadsGeo.hasLayer(lyr)) state.roadsGeo.removeLayer(lyr);
    if (!hide && !state.roadsGeo.hasLayer(lyr)) state.roadsGeo.addLayer(lyr);
  });
}
export function drawGreening(fc) {
  groups.stretches.clearLayers();
  groups.gaps.clearLayers();
  var counts = { stretch: 0, gap: 0 };
  fc.features.forEach(function (f) {
    var kind = f.properties.kind === "gap" ? "gap" : "stretch";
    counts[kind] += f.properties.count || 1;
    var style = kind === "gap"
      ? { color: "#7f0000", weight: 3, dashArray: "2 7", lineCap: "round", className: "ntm-gap" }
      : { color: "#00441b", weight: 4, className: "ntm-stretch" };
    var lyr = L.geoJSON(f, { style: style });
    var tip = (kind === "gap" ? M.gap : M.stretch) + " · " + f.properties.road_code + ": " +
      (f.properties.count || 1) + " × · " + num(f.properties.length_km) + " km";
    lyr.bindTooltip(el("span", null, tip), { sticky: true });
    lyr.bindPopup(function () { return roadPopup(roadProps(f.properties)); }, { maxWidth: 340 });
    (kind === "gap" ? groups.gaps : groups.stretches).addLayer(lyr);
  });
  probe.counts.stretches = counts.stretch;
  probe.counts.gaps = counts.gap;
}
function roadProps(p) {
  for (var i = 0; i < state.roadLayers.length; i++) {
    var q = state.roadLayers[i].feature.properties;
    if (roadKey(q) === roadKey(p)) return q;
  }
  return p;
}

// ------------------------------------------------------------------ sites
export function siteState(p) {
  if (p.status !== "completed" && p.deadline && String(p.deadline) < state.date) return "overdue";
  return p.status || "planned";
}
function siteIcon(p) {
  var s = siteState(p);
  var pin = el("div", "site-pin s-" + s);
  add(pin, el("span", null, p.indicator_id || "•"));
  return L.divIcon({ html: pin, className: "site-icon", iconSize: [34, 34], iconAnchor: [17, 17],
    popupAnchor: [0, -15] });
}
function indicatorName(id) {
  var doc = state.status;
  if (!doc || !doc.criteria) return "";
  for (var i = 0; i < doc.criteria.length; i++) {
    var inds = doc.criteria[i].indicators || [];
    for (var j = 0; j < inds.length; j++) if (inds[j].id === id) return tr(inds[j].name);
  }
  return "";
}
function sitePopup(p) {
  var box = popupBox(p.name, label("sites.site_type", p.site_type));
  var dl = add(box, el("dl")).lastChild;
  if (p.indicator_id) row(dl, "indicator", p.indicator_id + (indicatorName(p.indicator_id) ? " · " + indicatorName(p.indicator_id) : ""));
  var s = siteState(p);
  var st = label("sites.status", p.status);
  if (s === "overdue") st += " · " + M.site_overdue + " (" + M.as_of.toLowerCase() + " " + state.date + ")";
  row(dl, "status", st);
  row(dl, "deadline", [p.deadline, p.deadline_note].filter(Boolean).join(" · "));
  row(dl, "grade", p.grade);
  row(dl, "funding", p.funding);
  row(dl, "note", p.note);
  return box;
}
export function drawSites(fc) {
  groups.sites.clearLayers();
  siteAreas.clearLayers();
  state.siteMarkers = [];
  fc.features.forEach(function (f) {
    if (!f.geometry) return;
    var p = f.properties, latlng;
    if (f.geometry.type === "Point") {
      latlng = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
    } else {
      var area = L.geoJSON(f, { style: { color: "#35526b", weight: 2, fillOpacity: 0.1, className: "ntm-site-area" } });
      area.bindPopup(function () { return sitePopup(p); });
      siteAreas.addLayer(area);
      latlng = area.getBounds().getCenter();
    }
    var marker = L.marker(latlng, { icon: siteIcon(p), title: "", keyboard: true });
    marker.feature = f;
    marker.bindPopup(function () { return sitePopup(p); }, { maxWidth: 320 });
    marker.bindTooltip(el("span", null, p.name), { direction: "top", offset: [0, -14] });
    state.siteMarkers.push(marker);
  });
  refreshSites();
  probe.counts.sites = fc.features.length;
}
export function refreshSites() {
  groups.sites.clearLayers();
  var shown = state.siteMarkers.filter(function (m) {
    m.setIcon(siteIcon(m.feature.properties));
    return !(state.unmetOnly && siteState(m.feature.properties) === "completed");
  });
  groups.sites.addLayers(shown);
}
// A cluster shows how many sites it holds, coloured by the most pressing status among them.
var URGENCY = ["completed", "planned", "under_construction", "overdue"];
// The cluster icon, and the sites' areas shown and hidden with the sites layer (map.js calls
// this once, before the first load).
export function installSites() {
  groups.sites.options.iconCreateFunction = function (cluster) {
    var worst = 0;
    cluster.getAllChildMarkers().forEach(function (m) {
      worst = Math.max(worst, URGENCY.indexOf(siteState(m.feature.properties)));
    });
    var box = el("div", "site-cluster s-" + URGENCY[worst]);
    add(box, el("span", null, cluster.getChildCount()));
    return L.divIcon({ html: box, className: "site-icon", iconSize: [40, 40] });
  };
  map.on("overlayremove", function (e) { if (e.layer === groups.sites) map.removeLayer(siteAreas); });
  map.on("overlayadd", function (e) { if (e.layer === groups.sites) map.addLayer(siteAreas); });
}

// ------------------------------------------------------------------ works
// The works register (layer "works"): points, lines (a road widening) and areas coloured by
// status, overdue when the deadline has passed on the map's date; works with no geometry (a
// commune or a road and chainage only) are not drawn. The popup names the funding sources
// and the amount in million VND.
var WORK_COLOR = { planned: "#2c7bb6", under_construction: "#e08214", completed: "#1a9641",
  overdue: "#b2182b", other: "#6b6b6b" };
export function workState(p) {
  var done = p.status === "completed" || p.status === "cancelled";
  if (p.deadline && !done && String(p.deadline) < String(state.date)) return "overdue";
  var drawnAs = ["planned", "under_construction", "completed"];
  return drawnAs.indexOf(p.status) >= 0 ? p.status : "other";
}
function workPopup(p) {
  var box = popupBox(p.name, M.code + " " + p.work_id);
  var dl = add(box, el("dl")).lastChild;
  var s = workState(p);
  var st = p.status ? label("works.status", p.status) : M.work_other;
  if (s === "overdue") st += " · " + M.site_overdue + " (" + M.as_of.toLowerCase() + " " + state.date + ")";
  row(dl, "status", st);
  row(dl, "funding", (p.funding || []).map(function (f) { return label("works.funding", f); }).join("; "));
  row(dl, "amount", p.amount_million_vnd === null || p.amount_million_vnd === undefined ? null : num(p.amount_million_vnd, 3));
  row(dl, "indicator", (p.indicator_ids || []).join(", "));
  row(dl, "deadline", [p.deadline, p.deadline_note].filter(Boolean).join(" · "));
  row(dl, "commune", p.comm_code);
  row(dl, "note", p.note);
  return box;
}
export function drawWorks(fc) {
  groups.works.clearLayers();
  var drawn = 0, byState = {};
  fc.features.forEach(function (f) {
    if (!f.geometry) return;
    var p = f.properties, s = workState(p);
    if (state.unmetOnly && s === "completed") return;
    var color = WORK_COLOR[s];
    var layer = L.geoJSON(f, {
      style: { color: color, weight: 5, opacity: 0.9, fillOpacity: 0.25, className: "ntm-work ntm-work-" + s },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 7, color: "#ffffff", weight: 2, fillColor: color,
          fillOpacity: 0.95, className: "ntm-work ntm-work-" + s });
      }
    });
    layer.bindPopup(function () { return workPopup(p); }, { maxWidth: 320 });
    layer.bindTooltip(el("span", null, p.name), { sticky: true });
    groups.works.addLayer(layer);
    drawn += 1;
    byState[s] = (byState[s] || 0) + 1;
  });
  probe.counts.works = drawn;
  probe.workStates = byState;
}
