/* The territory map (Leaflet): actors by kind, clustered; deposits by family; a proposal.

Data (GET data_url, compact arrays):
  kinds:    [[code, label, colour]]          actors[i][2] indexes it
  families: [[id, label]]                    deposits[i][1] indexes it
  actors:   [[external_id, name, kind, lat, lon]]
  deposits: [[actor index, family index, tonnes per year]]
  proposal: null | {type, resource, explanation, stage, ends: [[lat, lon, name, external_id]],
                    lines: [[[lat, lon], [lat, lon]]], hidden_ends}
*/
(function () {
  "use strict";
  var L = window.L;
  var holder = document.getElementById("map");
  var status = document.getElementById("map-status");
  if (!holder || !L) { return; }
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var text = JSON.parse(document.getElementById("map-text").textContent);
  var lang = document.documentElement.lang || "fr";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
  var FAMILY_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02",
    "#a6761d", "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#fdbf6f", "#6a3d9a", "#b15928",
    "#33a02c", "#ff7f00", "#8dd3c7", "#bebada", "#80b1d3", "#666666"];

  var map = L.map(holder, { preferCanvas: true, zoomControl: true });
  var renderer = L.canvas({ padding: 0.5 });
  L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  map.setView([46.6, 2.4], 6);

  function escape(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }
  function actorLink(externalId, name) {
    var url = config.actor_url.replace("__ID__", encodeURIComponent(externalId));
    return '<a href="' + escape(url) + '">' + escape(name) + "</a>";
  }

  function draw(data) {
    var bounds = [];
    var actors = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 45,
      disableClusteringAtZoom: 16
    });
    var markers = data.actors.map(function (row) {
      var kind = data.kinds[row[2]];
      bounds.push([row[3], row[4]]);
      return L.circleMarker([row[3], row[4]], {
        renderer: renderer, radius: 7, color: "#fff", weight: 1.5,
        fillColor: kind[2], fillOpacity: 0.95
      }).bindPopup(function () {
        return "<strong>" + actorLink(row[0], row[1]) + "</strong><br>" + escape(kind[1]);
      });
    });
    actors.addLayers(markers);
    actors.addTo(map);

    // One layer per family; circles sized by the square root of the tonnes (area ~ mass).
    var largest = data.deposits.reduce(function (m, d) { return Math.max(m, d[2]); }, 1);
    var byFamily = {};
    data.deposits.forEach(function (d) {
      var actor = data.actors[d[0]];
      var family = data.families[d[1]];
      var colour = FAMILY_COLOURS[d[1] % FAMILY_COLOURS.length];
      byFamily[d[1]] = byFamily[d[1]] || L.layerGroup();
      L.circleMarker([actor[3], actor[4]], {
        renderer: renderer, radius: 5 + 25 * Math.sqrt(d[2] / largest),
        color: colour, weight: 2, fillColor: colour, fillOpacity: 0.25
      }).bindPopup(function () {
        return "<strong>" + escape(family[1]) + "</strong><br>" + number.format(d[2]) + " " +
          escape(text.tpy) + "<br>" + actorLink(actor[0], actor[1]);
      }).addTo(byFamily[d[1]]);
    });
    var overlays = {};
    overlays[escape(text.actors)] = actors;
    Object.keys(byFamily).sort(function (a, b) { return a - b; }).forEach(function (index) {
      var colour = FAMILY_COLOURS[index % FAMILY_COLOURS.length];
      // The colour as an SVG attribute, not a style attribute (the CSP forbids those).
      var label = '<svg class="swatch" viewBox="0 0 12 12" aria-hidden="true"><circle cx="6" ' +
        'cy="6" r="4.5" fill="none" stroke-width="2" stroke="' + colour + '"/></svg>' +
        escape(data.families[index][1]);
      overlays[label] = byFamily[index].addTo(map);
    });
    L.control.layers(null, overlays, { collapsed: true }).addTo(map);

    var focus = null;
    if (data.proposal) {
      var p = data.proposal;
      var group = L.featureGroup();
      var popup = "<strong>" + escape(p.type) + " · " + escape(p.resource) + "</strong><br>" +
        escape(p.stage) + (p.explanation ? "<p>" + escape(p.explanation) + "</p>" : "") +
        p.ends.map(function (e) { return actorLink(e[3], e[2]); }).join(" · ") +
        (p.hidden_ends ? "<br><em>" + escape(format(text.hidden, { n: p.hidden_ends })) +
          "</em>" : "");
      var first = null;
      p.lines.forEach(function (line) {
        var drawn = L.polyline(line, { color: "#1d2a24", weight: 4, opacity: 0.85,
          dashArray: "8 6" }).bindPopup(popup).addTo(group);
        first = first || drawn;
      });
      p.ends.forEach(function (e) {
        var end = L.circleMarker([e[0], e[1]], { radius: 10, color: "#1d2a24", weight: 3,
          fillColor: "#fff", fillOpacity: 0.6 }).bindPopup(popup).addTo(group);
        first = first || end;
      });
      group.addTo(map);
      if (first) {
        focus = group.getBounds();
        map.fitBounds(focus, { padding: [40, 40], maxZoom: 15 });
        first.openPopup();
      }
    }
    if (!focus && bounds.length) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 14 });
    }

    var message = data.actors.length
      ? format(text.count, { actors: number.format(data.actors.length),
                            deposits: number.format(data.deposits.length) })
      : text.none;
    if (data.year) { message += " " + format(text.year, { year: data.year }); }
    if (data.unplaced) { message += " " + format(text.unplaced, { n: data.unplaced }); }
    status.textContent = message;
  }

  fetch(config.data_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    })
    .then(draw)
    .catch(function () { status.textContent = text.failed; });
})();
