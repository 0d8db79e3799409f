/* What the modules share: the Leaflet map and overlay groups Folium made, the page's state
 * (date, documents, drawn layers) and the probe the browser tests read (window.__ntmgeo).
 */

import { page } from "./page.js";

export var map = window[page.names.map];
export var groups = {};
["district", "communes", "roads", "gaps", "stretches", "works", "sites"].forEach(function (k) {
  groups[k] = window[page.names[k]];
});
export var siteAreas = L.layerGroup().addTo(map);
var THRESHOLD = typeof page.greening_threshold === "number" ? page.greening_threshold : 0.5;
export function threshold() {  // the greening document's own threshold, else the catalogue's
  var t = state.greening && state.greening.total && state.greening.total.threshold;
  return typeof t === "number" ? t : THRESHOLD;
}

export var state = {
  asOf: null, // a date the user chose, or null for the latest
  date: page.as_of,
  status: null, statusError: null,
  communeStatus: null,
  greening: null, greeningError: null,
  unmetOnly: false,
  roadLayers: [], siteMarkers: [], communeLayers: [], greeningByRoad: {}
};
export var probe = (window.__ntmgeo = { ready: false, loads: 0, counts: {}, errors: [], marks: [] });
export function mark(label) { probe.marks.push([label, Math.round(performance.now())]); }
