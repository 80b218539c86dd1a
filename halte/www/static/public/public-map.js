// The public map of the network: the published places from the open data (GeoJSON), over the
// bundled outlines of Paris and its neighbours. No tile server, nothing from outside; the list
// below the map says the same in words.
(function () {
  "use strict";
  var el = document.getElementById("public-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Ville de Paris (ODbL) · IGN Admin Express, INSEE (Licence Ouverte)");
  map.setView([48.87, 2.36], 11.5);
  function get(url) {
    return fetch(url, { credentials: "omit" }).then(function (r) { return r.json(); });
  }
  function outline(url, style) {
    return get(url).then(function (geo) { return L.geoJSON(geo, { style: style, interactive: false }).addTo(map); });
  }
  outline(el.dataset.communes, { color: "#7a8594", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 })
    .then(function () {
      return outline(el.dataset.arrondissements, { color: "#3d4a5c", weight: 1.2, fillColor: "#ffffff", fillOpacity: 1 });
    })
    .then(function (arr) {
      return get(el.dataset.places).then(function (places) {
        var bounds = arr.getBounds();
        places.features.forEach(function (f) {
          var p = f.properties;
          var lonlat = f.geometry.coordinates;
          var marker = L.circleMarker([lonlat[1], lonlat[0]], {
            radius: p.open_now ? 10 : 7, color: "#ffffff", weight: 2,
            fillColor: p.open_now ? "#17713a" : "#6b6b6b", fillOpacity: 0.95
          }).addTo(map);
          marker.bindTooltip(p.name + " — " + (p.open_now ? el.dataset.labelOpen : el.dataset.labelClosed));
          bounds.extend([lonlat[1], lonlat[0]]);
        });
        map.fitBounds(bounds, { padding: [10, 10] });
        el.setAttribute("data-ready", String(places.features.length));
      });
    });
})();
