/* Building DOM nodes. Text from the data only ever enters the page through these helpers, as
 * textContent / createTextNode (never innerHTML).
 */

import { M } from "./page.js";

export function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
export function add(parent) {
  for (var i = 1; i < arguments.length; i++) {
    var c = arguments[i];
    if (c === null || c === undefined) continue;
    parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return parent;
}
export function row(dl, key, value) {
  if (value === null || value === undefined || value === "") return;
  add(dl, el("dt", null, M[key] || key), el("dd", null, value));
}
export function popupBox(title, subtitle) {
  var box = el("div", "ntm-popup");
  add(box, el("h3", null, title));
  if (subtitle) add(box, el("p", "sub", subtitle));
  return box;
}
