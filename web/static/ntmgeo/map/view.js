/* Moving the view: the message over the map, opening and closing the panel, and locating an
 * unmet indicator (zoom to its roads, sites or communes).
 */

import { fmt } from "./format.js";
import { roadClass, roadKey } from "./layers.js";
import { M, page } from "./page.js";
import { groups, map, state } from "./state.js";

export function say(text, kind) {
  var box = document.getElementById("map-msg");
  box.textContent = text || "";
  box.className = "map-msg" + (kind ? " " + kind : "");
  box.hidden = !text;
}

// The panel opens beside the map (on a phone, over it).
var panel = document.getElementById("panel");
export function setPanel(open) {
  panel.classList.toggle("open", open);
  panel.classList.toggle("closed", !open);
  document.getElementById("panel-open").setAttribute("aria-expanded", open ? "true" : "false");
  setTimeout(function () { map.invalidateSize(); }, 250);
}

// ------------------------------------------------------------------ locating an indicator
export function locate(id, ind) {
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
