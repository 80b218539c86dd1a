// The pick-up map: squares of the density grid (counted on the server) coloured by the items
// found, and the latest finds as small points.
(function () {
  "use strict";
  var el = document.getElementById("pickup-map");
  var cellsEl = document.getElementById("pickup-cells");
  var pointsEl = document.getElementById("pickup-points");
  if (!el || !cellsEl || !pointsEl || typeof L === "undefined") { return; }
  var cells = JSON.parse(cellsEl.textContent);
  var points = JSON.parse(pointsEl.textContent);
  var map = L.map(el, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Ville de Paris (ODbL) · IGN Admin Express, INSEE (Licence Ouverte)");
  map.setView([48.884, 2.36], 13.5);
  var colours = ["#fde0c5", "#f9a66c", "#e4572e", "#8a1c16"];
  function level(total) { return total >= 50 ? 3 : total >= 20 ? 2 : total >= 5 ? 1 : 0; }
  fetch(el.dataset.arrondissements, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (geo) {
      L.geoJSON(geo, { style: { color: "#3d4a5c", weight: 1.2, fillColor: "#ffffff", fillOpacity: 1 }, interactive: false }).addTo(map);
      var bounds = L.latLngBounds([]);
      cells.forEach(function (c) {
        var sw = [c.lat - c.dlat, c.lon - c.dlon], ne = [c.lat + c.dlat, c.lon + c.dlon];
        L.rectangle([sw, ne], { weight: 0, fillColor: colours[level(c.total)], fillOpacity: 0.7 })
          .bindTooltip(String(c.total) + " " + el.dataset.labelItems).addTo(map);
        bounds.extend(sw); bounds.extend(ne);
      });
      points.forEach(function (p) {
        L.circleMarker([p.lat, p.lon], { radius: 3, color: "#1d4f91", weight: 1, fillOpacity: 0.9 }).addTo(map);
      });
      if (bounds.isValid()) { map.fitBounds(bounds.pad(0.2)); }
      el.dataset.ready = "1";
    });
})();
