/* ntmgeo map page: draws the API's data into the Leaflet skeleton Folium made (the entry
 * module; the others are in map/).
 *
 * Safety rule of these modules: text from the data is only ever put into the page with
 * textContent / createTextNode (never innerHTML), popups and tooltips are DOM nodes, and the
 * page's own data arrive as JSON in <script type="application/json">.
 *
 *   map/page.js    the page's JSON (messages, language, names, routes, labels)
 *   map/state.js   the map, its overlay groups, the shared state, the test probe
 *   map/api.js     the requests to the JSON API
 *   map/format.js  text: templates, {vi, en}, labels, numbers (chainage comes from the API)
 *   map/dom.js     DOM nodes built with textContent
 *   map/layers.js  communes, district, roads and greening, works, sites: drawing and popups
 *   map/view.js    the map message, the panel opened or closed, locating an indicator
 *   map/panel.js   the criteria panel
 *   map.js         loading, the controls, start-up (this file)
 */

import { api, layerUrl } from "./map/api.js";
import {
  drawCommunes, drawDistrict, drawGreening, drawRoads, drawSites, drawWorks, indexGreening,
  installSites, refreshSites, restyleRoads, roadShare, siteState
} from "./map/layers.js";
import { M, page } from "./map/page.js";
import { renderPanel } from "./map/panel.js";
import { map, mark, probe, state } from "./map/state.js";
import { locate, say, setPanel } from "./map/view.js";

mark("script");
installSites();

// The browser tests' hooks (window.__ntmgeo).
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
var panelMsg = document.getElementById("panel-msg");
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
    state.sitesFc ? Promise.resolve(state.sitesFc) : api(layerUrl("sites"), {}),
    state.worksFc ? Promise.resolve(state.worksFc) : api(layerUrl("works"), {})
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
    if (res[7].ok) { state.worksFc = res[7].v; drawWorks(res[7].v); }
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
  if (state.worksFc) drawWorks(state.worksFc);
});
var panel = document.getElementById("panel");
document.getElementById("panel-open").addEventListener("click", function () {
  setPanel(!panel.classList.contains("open"));
});
document.getElementById("panel-close").addEventListener("click", function () { setPanel(false); });
document.getElementById("map-msg").addEventListener("click", function () { say(""); });
setPanel(!window.matchMedia("(max-width: 700px)").matches);
map.invalidateSize();
fitDistrict();
loadAll();
