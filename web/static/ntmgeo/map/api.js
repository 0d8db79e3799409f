/* The JSON API: every request the page makes (same origin, JSON, an error carries its HTTP
 * status).
 */

import { page } from "./page.js";

export function api(url, params) {
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
export function layerUrl(name) { return page.api.layers.replace("__NAME__", encodeURIComponent(name)); }
