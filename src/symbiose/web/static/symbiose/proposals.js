/* Proposals: the small map of a proposal's actors, and adding pooling members by search. */
(function () {
  "use strict";

  // Leaflet reads a string given to a tooltip or a popup as HTML: an actor's name comes
  // from a stranger's spreadsheet, so it is given as an element holding text only.
  function textOnly(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function proposalMap() {
    var holder = document.getElementById("proposal-map");
    var data = document.getElementById("proposal-map-data");
    if (!holder || !data || typeof L === "undefined") return;
    var info = JSON.parse(data.textContent);
    var map = L.map(holder, { scrollWheelZoom: false });
    L.tileLayer(info.tiles, { attribution: info.attribution, maxZoom: 18 }).addTo(map);
    var points = [];
    var colours = { supplier: "#1f7a4d", receiver: "#a4410e", member: "#2b5d8a" };
    info.sides.forEach(function (side) {
      var at = [side.lat, side.lon];
      points.push(at);
      L.circleMarker(at, {
        radius: 9, weight: 2, color: "#fff", fillOpacity: 0.95,
        fillColor: colours[side.role] || colours.member
      }).bindTooltip(textOnly(side.name), { permanent: info.sides.length <= 4, direction: "top", offset: [0, -8] })
        .addTo(map);
    });
    if (info.type !== "pooling" && points.length === 2) {
      L.polyline(points, { color: "#1f7a4d", weight: 3, dashArray: "6 6" }).addTo(map);
    }
    if (points.length === 1) {
      map.setView(points[0], 12);
    } else {
      map.fitBounds(points, { padding: [40, 40], maxZoom: 14 });
    }
  }

  function memberPicker() {
    var search = document.getElementById("id_member_search");
    if (!search) return;
    var target = document.getElementById(search.getAttribute("data-add-to"));
    var options = document.getElementById("actor-options");
    search.addEventListener("change", function () {
      var value = search.value.trim();
      if (!value || !target) return;
      var known = Array.prototype.some.call(options.options, function (o) { return o.value === value; });
      if (!known) return;
      var lines = target.value.split("\n").filter(function (l) { return l.trim(); });
      if (lines.indexOf(value) === -1) lines.push(value);
      target.value = lines.join("\n");
      search.value = "";
    });
  }

  function typeFields() {
    var type = document.getElementById("id_type");
    if (!type) return;
    function sync() {
      var pooling = type.value === "pooling";
      document.querySelectorAll(".field-supplier, .field-receiver").forEach(function (el) { el.hidden = pooling; });
      document.querySelectorAll(".field-members").forEach(function (el) { el.hidden = !pooling; });
    }
    type.addEventListener("change", sync);
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    proposalMap();
    memberPicker();
    typeFields();
  });
})();
