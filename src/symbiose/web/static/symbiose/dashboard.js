/* The territory's metabolism as a Sankey diagram (plotly.js), from the page's JSON. */
(function () {
  "use strict";
  var holder = document.getElementById("sankey");
  var source = document.getElementById("sankey-data");
  if (!holder || !source || !window.Plotly) { return; }
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "fr";
  var unit = lang.indexOf("en") === 0 ? "t/year" : "t/an";
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });

  // Long NACE headings would cover the links: shorten the drawn label, keep it whole on hover.
  function shorten(label) {
    return label.length > 38 ? label.slice(0, 36).trim() + "…" : label;
  }

  // plotly places a node by its longest path from a source, so a sector that only rejects
  // would sit with the inputs at the left edge, and one that only consumes with the outputs
  // at the right. A hair-thin, invisible flow from a blank node before it (or to one
  // after it) keeps every sector in the middle column.
  function anchored() {
    var labels = data.labels.slice(), colours = data.colours.slice();
    var customdata = data.labels.slice();
    var source = data.source.slice(), target = data.target.slice(), value = data.value.slice();
    var linkColours = source.map(function (index) { return data.colours[index] + "55"; });
    var total = value.reduce(function (sum, v) { return sum + v; }, 0);
    var hair = Math.max(total * 1e-6, 1e-6);
    var blank = { before: -1, after: -1 };
    function blankNode(side) {
      if (blank[side] < 0) {
        blank[side] = labels.length;
        labels.push(""); customdata.push(""); colours.push("rgba(0,0,0,0)");
      }
      return blank[side];
    }
    (data.columns || []).forEach(function (column, index) {
      if (column !== 1) { return; }
      if (data.target.indexOf(index) < 0) {
        source.push(blankNode("before")); target.push(index);
        value.push(hair); linkColours.push("rgba(0,0,0,0)");
      }
      if (data.source.indexOf(index) < 0) {
        source.push(index); target.push(blankNode("after"));
        value.push(hair); linkColours.push("rgba(0,0,0,0)");
      }
    });
    return { labels: labels, customdata: customdata, colours: colours, source: source,
             target: target, value: value, linkColours: linkColours };
  }
  var graph = anchored();

  function draw() {
    var height = Math.max(420, Math.min(1000, data.labels.length * 34));
    var trace = {
      type: "sankey",
      arrangement: "snap",
      valueformat: ",.0f",
      valuesuffix: " " + unit,
      node: {
        label: graph.labels.map(shorten),
        customdata: graph.customdata,
        hovertemplate: "%{customdata}<br>%{value:,.0f} " + unit + "<extra></extra>",
        color: graph.colours,
        pad: 18,
        thickness: 16,
        line: { width: 0 }
      },
      link: {
        source: graph.source,
        target: graph.target,
        value: graph.value,
        color: graph.linkColours,
        hovertemplate: "%{source.customdata} → %{target.customdata}<br>%{value:,.0f} " +
          unit + "<extra></extra>"
      }
    };
    var layout = {
      height: height,
      margin: { l: 4, r: 4, t: 12, b: 24 },
      font: { size: 13, family: "system-ui, sans-serif" },
      separators: number.format(1000.5).indexOf(",") === 1 ? ".," : ", "
    };
    window.Plotly.react(holder, [trace], layout, { displayModeBar: false, responsive: true });
  }

  draw();
  var resizing;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(draw, 200);
  });
})();
