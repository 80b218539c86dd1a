// Head counts on the bundled boundary layers: a circle per place, sized by the latest count.
(function () {
  "use strict";
  var el = document.getElementById("counts-map");
  var dataEl = document.getElementById("count-places");
  if (!el || !dataEl || typeof L === "undefined") { return; }
  var places = JSON.parse(dataEl.textContent);
  var map = L.map(el, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Ville de Paris (ODbL) · IGN Admin Express, INSEE (Licence Ouverte)");
  map.setView([48.89, 2.37], 13.5);
  function layer(url, style) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) { return L.geoJSON(geo, { style: style }).addTo(map); });
  }
  layer(el.dataset.communes, { color: "#7a8594", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 })
    .then(function () {
      return layer(el.dataset.arrondissements, { color: "#3d4a5c", weight: 1.2, fillColor: "#ffffff", fillOpacity: 1 });
    })
    .then(function () {
      var bounds = L.latLngBounds([]);
      places.forEach(function (p) {
        var count = p.latest || 0;
        var marker = L.circleMarker([p.lat, p.lon], {
          radius: 6 + Math.sqrt(count) * 1.5, color: "#ffffff", weight: 2,
          fillColor: "#a8322d", fillOpacity: 0.8
        }).addTo(map);
        marker.bindTooltip(p.name + " — " + el.dataset.labelLatest + " : " +
          (p.latest === null ? "—" : p.latest) + " · " + el.dataset.labelPeak + " : " + p.peak);
        bounds.extend([p.lat, p.lon]);
      });
      if (bounds.isValid()) { map.fitBounds(bounds.pad(0.3)); }
    });
})();
