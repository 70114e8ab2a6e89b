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

  function draw() {
    var narrow = holder.clientWidth < 640;
    var height = Math.max(420, Math.min(1000, data.labels.length * 34));
    var trace = {
      type: "sankey",
      arrangement: "snap",
      valueformat: ",.0f",
      valuesuffix: " " + unit,
      node: {
        label: data.labels.map(shorten),
        customdata: data.labels,
        hovertemplate: "%{customdata}<br>%{value:,.0f} " + unit + "<extra></extra>",
        color: data.colours,
        pad: 12,
        thickness: 16,
        line: { width: 0 }
      },
      link: {
        source: data.source,
        target: data.target,
        value: data.value,
        color: data.source.map(function (index) { return data.colours[index] + "55"; }),
        hovertemplate: "%{source.customdata} → %{target.customdata}<br>%{value:,.0f} " +
          unit + "<extra></extra>"
      }
    };
    var layout = {
      height: height,
      margin: { l: 4, r: 4, t: 12, b: 24 },
      font: { size: narrow ? 11 : 13, family: "system-ui, sans-serif" },
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
