/* The page's own data: messages, language, the names of Folium's Leaflet objects, the API's
 * routes, field labels. They arrive as inert JSON in <script type="application/json"
 * id="ntmgeo-page"> and are read once.
 */

export var page = JSON.parse(document.getElementById("ntmgeo-page").textContent);
export var M = page.messages;
export var LANG = page.lang;
