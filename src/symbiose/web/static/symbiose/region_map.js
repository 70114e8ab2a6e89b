/* The regional map (Leaflet): one circle per territory, at the centre of its actors,
sized by its actor count; the popup says its actors and operational synergies (each
null when too few actors stand behind it: k-anonymity applied by the server).

Data (#map-config): territories: [[name, lat, lon, actors|null, operational|null]]
*/
(function () {
  "use strict";
  var L = window.L;
  var holder = document.getElementById("map");
  if (!holder || !L) { return; }
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var text = JSON.parse(document.getElementById("map-text").textContent);
  var map = L.map(holder, { zoomControl: true });
  L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  function escape(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  var bounds = [];
  config.territories.forEach(function (t) {
    var actors = t[3], operational = t[4];
    var radius = 6 + Math.sqrt(actors || 1) * 1.5;
    var popup = "<strong>" + escape(t[0]) + "</strong><br>" +
      escape(actors === null ? text.hidden : actors) + " " + escape(text.actors) + "<br>" +
      escape(operational === null ? text.hidden : operational) + " " + escape(text.operational);
    L.circleMarker([t[1], t[2]], { radius: Math.min(radius, 40), color: "#2f7d8c",
      fillColor: "#2f7d8c", fillOpacity: 0.45, weight: 2 }).bindPopup(popup).addTo(map);
    bounds.push([t[1], t[2]]);
  });
  if (bounds.length) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 11 }); }
  else { map.setView([46.6, 2.4], 6); }
}());
