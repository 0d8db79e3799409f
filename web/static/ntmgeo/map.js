/* ntmgeo map page: draws the API's data into the Leaflet skeleton Folium made.
 *
 * Safety rule of this file: text from the data is only ever put into the page with
 * textContent / createTextNode (never innerHTML), popups and tooltips are DOM nodes, and the
 * page's own data arrive as JSON in <script type="application/json">.
 */
(function () {
  "use strict";

  var page = JSON.parse(document.getElementById("ntmgeo-page").textContent);
  var M = page.messages;
  var LANG = page.lang;
  var map = window[page.names.map];
  var groups = {};
  ["district", "communes", "roads", "gaps", "stretches", "sites"].forEach(function (k) {
    groups[k] = window[page.names[k]];
  });
  var siteAreas = L.layerGroup().addTo(map);
  var THRESHOLD = typeof page.greening_threshold === "number" ? page.greening_threshold : 0.5;
  function threshold() {  // the greening document's own threshold, else the catalogue's
    var t = state.greening && state.greening.total && state.greening.total.threshold;
    return typeof t === "number" ? t : THRESHOLD;
  }

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

  var state = {
    asOf: null, // a date the user chose, or null for the latest
    date: page.as_of,
    status: null, statusError: null,
    communeStatus: null,
    greening: null, greeningError: null,
    unmetOnly: false,
    roadLayers: [], siteMarkers: [], communeLayers: [], greeningByRoad: {}
  };
  var probe = (window.__ntmgeo = { ready: false, loads: 0, counts: {}, errors: [], marks: [] });
  function mark(label) { probe.marks.push([label, Math.round(performance.now())]); }
  mark("script");

  // ------------------------------------------------------------------ small helpers
  function fmt(template, vars) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : m;
    });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return parent;
  }
  function tr(obj) {
    if (obj === null || obj === undefined) return "";
    if (typeof obj !== "object") return String(obj);
    return obj[LANG] || obj.vi || obj.en || "";
  }
  function label(kind, value) {
    var table = page.labels[kind] || {};
    return table[value] || (value === null || value === undefined ? "" : String(value));
  }
  function num(x, digits) {
    if (x === null || x === undefined || isNaN(x)) return "–";
    return Number(x).toLocaleString(LANG === "vi" ? "vi-VN" : "en-GB",
      { maximumFractionDigits: digits === undefined ? 2 : digits });
  }
  function pct(share) { return share === null || share === undefined ? "–" : num(share * 100, 1) + "%"; }
  function chainage(m) {
    if (m === null || m === undefined) return "";
    var v = Math.round(Number(m));
    var rest = String(v % 1000);
    while (rest.length < 3) rest = "0" + rest;
    return "Km" + Math.floor(v / 1000) + "+" + rest;
  }
  function row(dl, key, value) {
    if (value === null || value === undefined || value === "") return;
    add(dl, el("dt", null, M[key] || key), el("dd", null, value));
  }
  function popupBox(title, subtitle) {
    var box = el("div", "ntm-popup");
    add(box, el("h3", null, title));
    if (subtitle) add(box, el("p", "sub", subtitle));
    return box;
  }
  function say(text, kind) {
    var box = document.getElementById("map-msg");
    box.textContent = text || "";
    box.className = "map-msg" + (kind ? " " + kind : "");
    box.hidden = !text;
  }
  function api(url, params) {
    var qs = [];
    Object.keys(params || {}).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined && params[k] !== "")
        qs.push(encodeURIComponent(k) + "=" + encodeURIComponent(params[k]));
    });
    var full = url + (qs.length ? "?" + qs.join("&") : "");
    return fetch(full, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (!r.ok) {
            var err = new Error(body.message || r.statusText || String(r.status));
            err.status = r.status;
            throw err;
          }
          return body;
        });
      });
  }
  function layerUrl(name) { return page.api.layers.replace("__NAME__", encodeURIComponent(name)); }

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
    row(dl, "ntm_level", st && st.level ? label("ntm_level", st.level) : M.unknown);
    if (st && st.criteria_met !== null && st.criteria_met !== undefined)
      row(dl, "criteria_met", st.criteria_met + "/" + st.criteria_total);
    row(dl, "as_of", st && st.as_of);
    row(dl, "target", st && st.target ? label("ntm_level", st.target) : null);
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
    return box;
  }
  function drawCommunes(fc) {
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
  function drawDistrict(fc) {
    groups.district.clearLayers();
    groups.district.addLayer(L.geoJSON(fc, {
      style: { color: "#111", weight: 3, fill: false, dashArray: "10 5", className: "ntm-district" },
      interactive: false
    }));
    probe.counts.district = fc.features.length;
  }

  // ------------------------------------------------------------------ roads and greening
  function roadKey(p) { return String(p.dist_code) + "|" + String(p.road_code); }
  function indexGreening() {
    state.greeningByRoad = {};
    ((state.greening && state.greening.roads) || []).forEach(function (r) {
      state.greeningByRoad[roadKey(r)] = r;
    });
  }
  function roadShare(g) {
    if (!g || !g.length_km) return null;
    return Number(g.greened_km || 0) / Number(g.length_km);
  }
  function roadClass(props) {
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
      var text = (s.label || chainage(s.from_m) + " → " + chainage(s.to_m)) +
        " (" + num((s.to_m - s.from_m) / 1000) + " km)";
      add(ul, el("li", null, text));
    });
  }
  function drawRoads(fc) {
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
  function restyleRoads() {
    state.roadLayers.forEach(function (lyr) {
      lyr.setStyle(roadStyle(lyr.feature.properties));
      var hide = state.unmetOnly && roadClass(lyr.feature.properties) === "met";
      if (hide && state.roadsGeo.hasLayer(lyr)) state.roadsGeo.removeLayer(lyr);
      if (!hide && !state.roadsGeo.hasLayer(lyr)) state.roadsGeo.addLayer(lyr);
    });
  }
  function drawGreening(fc) {
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
  function siteState(p) {
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
  function drawSites(fc) {
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
  // A cluster shows how many sites it holds, coloured by the most pressing status among them.
  var URGENCY = ["completed", "planned", "under_construction", "overdue"];
  groups.sites.options.iconCreateFunction = function (cluster) {
    var worst = 0;
    cluster.getAllChildMarkers().forEach(function (m) {
      worst = Math.max(worst, URGENCY.indexOf(siteState(m.feature.properties)));
    });
    var box = el("div", "site-cluster s-" + URGENCY[worst]);
    add(box, el("span", null, cluster.getChildCount()));
    return L.divIcon({ html: box, className: "site-icon", iconSize: [40, 40] });
  };
  function refreshSites() {
    groups.sites.clearLayers();
    var shown = state.siteMarkers.filter(function (m) {
      m.setIcon(siteIcon(m.feature.properties));
      return !(state.unmetOnly && siteState(m.feature.properties) === "completed");
    });
    groups.sites.addLayers(shown);
  }
  map.on("overlayremove", function (e) { if (e.layer === groups.sites) map.removeLayer(siteAreas); });
  map.on("overlayadd", function (e) { if (e.layer === groups.sites) map.addLayer(siteAreas); });

  // ------------------------------------------------------------------ the panel
  var panel = document.getElementById("panel");
  var body = document.getElementById("panel-body");
  var panelMsg = document.getElementById("panel-msg");

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
  function renderPanel() {
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

  // ------------------------------------------------------------------ locating an indicator
  function locate(id, ind) {
    var bounds = L.latLngBounds([]);
    var n = 0, sites = [];
    var feats = ((ind && ind.features) || []).map(String);
    var listed = function (prefix) {
      return feats.filter(function (f) { return f.indexOf(prefix + ":") === 0; })
        .map(function (f) { return f.slice(prefix.length + 1); });
    };
    var roadIds = listed("roads").map(function (r) { return r.replace("/", "|"); });
    var unitIds = listed("admin_units").concat(feats.filter(function (f) { return f.indexOf(":") < 0; }));
    var siteIds = listed("sites");
    var isRoadIndicator = page.road_indicators.indexOf(id) >= 0;
    state.roadLayers.forEach(function (lyr) {
      var p = lyr.feature.properties;
      var wanted = roadIds.length ? roadIds.indexOf(roadKey(p)) >= 0 : isRoadIndicator;
      if (!wanted) return;
      if (id === page.greening_indicator && roadClass(p) === "met") return;
      bounds.extend(lyr.getBounds());
      n += 1;
    });
    state.siteMarkers.forEach(function (m) {
      var p = m.feature.properties;
      if (String(p.indicator_id || "") === id || siteIds.indexOf(String(p.site_id)) >= 0) {
        bounds.extend(m.getLatLng()); sites.push(m); n += 1;
      }
    });
    state.communeLayers.forEach(function (lyr) {
      if (unitIds.indexOf(String(lyr.feature.properties.code)) >= 0) { bounds.extend(lyr.getBounds()); n += 1; }
    });
    if (!n) { say(fmt(M.no_location, { id: id }), "warn"); return 0; }
    say(fmt(M.located, { id: id, n: n }), "info");
    if (window.matchMedia("(max-width: 700px)").matches) setPanel(false);
    if (sites.length === 1 && n === 1) {
      groups.sites.zoomToShowLayer(sites[0], function () { sites[0].openPopup(); });
    } else {
      map.fitBounds(bounds.pad(0.15), { maxZoom: 15 });
    }
    return n;
  }
  probe.locate = locate;
  probe.siteStates = function () {
    var out = {};
    state.siteMarkers.forEach(function (m) { out[m.feature.properties.site_id] = siteState(m.feature.properties); });
    return out;
  };
  probe.roadShares = function () {
    var out = {};
    Object.keys(state.greeningByRoad).forEach(function (k) { out[k] = roadShare(state.greeningByRoad[k]); });
    return out;
  };

  // ------------------------------------------------------------------ loading
  function setPanel(open) {
    panel.classList.toggle("open", open);
    panel.classList.toggle("closed", !open);
    document.getElementById("panel-open").setAttribute("aria-expanded", open ? "true" : "false");
    setTimeout(function () { map.invalidateSize(); }, 250);
  }
  function loadAll() {
    probe.ready = false;
    document.documentElement.dataset.ready = "0";
    var date = state.asOf || page.as_of;
    state.date = date;
    panelMsg.textContent = M.loading;
    var simplify = page.simplify;
    var jobs = [
      api(page.api.status, { level: "district", as_of: date, unit: page.unit || null })
        .then(function (d) { state.status = d; state.statusError = null; },
              function (e) {
                state.status = null;
                state.statusError = (e.status === 404 ? M.no_district : M.load_error) + ": " + e.message;
              }),
      api(page.api.status, { level: "commune", as_of: date })
        .then(function (d) { state.communeStatus = d; }, function () { state.communeStatus = null; }),
      api(layerUrl("admin_units"), { level: "commune", as_of: date, simplify: simplify.polygons }),
      api(layerUrl("admin_units"), { level: "district", as_of: date, simplify: simplify.polygons,
        code: page.unit || null }),
      state.roadsFc ? Promise.resolve(state.roadsFc) :
        api(layerUrl("roads"), { road_class: "ĐH", simplify: simplify.roads }),
      api(page.api.greening_geojson, { as_of: state.asOf, simplify: simplify.roads })
        .then(function (fc) {  // the greening document's figures travel with the geometry
          state.greening = { roads: fc.roads, total: fc.total, unmatched: fc.unmatched };
          return fc;
        }, function (e) { state.greening = null; throw e; }),
      state.sitesFc ? Promise.resolve(state.sitesFc) : api(layerUrl("sites"), {})
    ];
    var settled = jobs.map(function (p) {
      return p.then(function (v) { return { ok: true, v: v }; },
                    function (e) { probe.errors.push(e.message); return { ok: false, e: e }; });
    });
    mark("requests sent");
    return Promise.all(settled).then(function (res) {
      mark("data received");
      indexGreening();
      if (res[2].ok) drawCommunes(res[2].v);
      if (res[3].ok) drawDistrict(res[3].v);
      if (res[4].ok) { state.roadsFc = res[4].v; drawRoads(res[4].v); }
      if (res[5].ok) drawGreening(res[5].v);
      if (res[6].ok) { state.sitesFc = res[6].v; drawSites(res[6].v); }
      mark("layers drawn");
      renderPanel();
      restyleRoads();
      mark("panel drawn");
      var failed = res.filter(function (r) { return !r.ok; });
      panelMsg.textContent = failed.length ? M.load_error + ": " + failed.map(function (r) { return r.e.message; }).join("; ") : "";
      probe.loads += 1;
      probe.ready = true;
      probe.date = date;
      document.documentElement.dataset.ready = "1";
      document.documentElement.dataset.loads = String(probe.loads);
    });
  }

  // ------------------------------------------------------------------ controls
  var legend = document.getElementById("legend");
  var Legend = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function () {
      legend.hidden = false;
      L.DomEvent.disableClickPropagation(legend);
      L.DomEvent.disableScrollPropagation(legend);
      return legend;
    }
  });
  new Legend().addTo(map);
  document.getElementById("legend-toggle").addEventListener("click", function () {
    var open = legend.classList.toggle("collapsed");
    this.setAttribute("aria-expanded", open ? "false" : "true");
  });
  if (window.matchMedia("(max-width: 700px)").matches) legend.classList.add("collapsed");

  // Fit the district beside the legend rather than under it.
  function fitDistrict() {
    if (!page.bounds) return;
    var left = legend.classList.contains("collapsed") ? 10 : legend.offsetWidth + 20;
    map.fitBounds(page.bounds, { paddingTopLeft: [left, 10], paddingBottomRight: [10, 10], animate: false });
  }

  var asOfInput = document.getElementById("asof");
  asOfInput.value = page.as_of;
  document.getElementById("asof-form").addEventListener("submit", function (e) {
    e.preventDefault();
    if (!asOfInput.value) return;
    state.asOf = asOfInput.value;
    loadAll();
  });
  document.getElementById("asof-latest").addEventListener("click", function () {
    state.asOf = null;
    asOfInput.value = page.as_of;
    loadAll();
  });
  document.getElementById("unmet-only").addEventListener("change", function () {
    state.unmetOnly = this.checked;
    renderPanel();
    restyleRoads();
    refreshSites();
  });
  document.getElementById("panel-open").addEventListener("click", function () {
    setPanel(!panel.classList.contains("open"));
  });
  document.getElementById("panel-close").addEventListener("click", function () { setPanel(false); });
  document.getElementById("map-msg").addEventListener("click", function () { say(""); });
  setPanel(!window.matchMedia("(max-width: 700px)").matches);
  map.invalidateSize();
  fitDistrict();
  loadAll();
})();
