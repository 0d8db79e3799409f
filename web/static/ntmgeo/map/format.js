/* Text formatting: message templates, {vi, en} texts, field labels, numbers and shares.
 * Chainage is not formatted here: the API sends it as text (each stretch's and gap's "label",
 * from ntmgeo.linref.chainage_label).
 */

import { LANG, page } from "./page.js";

export function fmt(template, vars) {
  return String(template).replace(/\{(\w+)\}/g, function (m, k) {
    return Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : m;
  });
}
export function tr(obj) {
  if (obj === null || obj === undefined) return "";
  if (typeof obj !== "object") return String(obj);
  return obj[LANG] || obj.vi || obj.en || "";
}
export function label(kind, value) {
  var table = page.labels[kind] || {};
  return table[value] || (value === null || value === undefined ? "" : String(value));
}
export function num(x, digits) {
  if (x === null || x === undefined || isNaN(x)) return "–";
  return Number(x).toLocaleString(LANG === "vi" ? "vi-VN" : "en-GB",
    { maximumFractionDigits: digits === undefined ? 2 : digits });
}
export function pct(share) { return share === null || share === undefined ? "–" : num(share * 100, 1) + "%"; }
