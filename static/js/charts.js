// Draws each chart of the page from its figure, which the server put in a JSON script element
// (Django's json_script) named by the chart's data-chart attribute. Loaded with defer after
// plotly.min.js (the strict bundle: no eval), so the page's CSP needs no 'unsafe-eval'.
for (const element of document.querySelectorAll("[data-chart]")) {
  const source = document.getElementById(element.dataset.chart);
  if (source && window.Plotly) {
    const figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout, {
      displayModeBar: false, // its buttons need inline styles; the data table serves instead
      responsive: true,
    });
  }
}
