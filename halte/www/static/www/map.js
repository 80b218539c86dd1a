// Draws the network map from the bundled GeoJSON layers: no tile server, nothing from outside.
(function () {
  "use strict";
  var el = document.getElementById("network-map");
  var dataEl = document.getElementById("map-sites");
  if (!el || !dataEl || typeof L === "undefined") { return; }
  var sites = JSON.parse(dataEl.textContent);
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Ville de Paris (ODbL) · IGN Admin Express, INSEE (Licence Ouverte)");
  map.setView([48.87, 2.36], 11.5);

  function layer(url, style) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) {
        return L.geoJSON(geo, {
          style: style,
          onEachFeature: function (f, l) { l.bindTooltip(f.properties.name || "", { sticky: true }); }
        }).addTo(map);
      });
  }
  var communes = layer(el.dataset.communes, { color: "#7a8594", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 });
  var arrondissements = communes.then(function () {
    return layer(el.dataset.arrondissements, { color: "#3d4a5c", weight: 1.2, fillColor: "#ffffff", fillOpacity: 1 });
  });

  function colour(site) {
    if (site.status !== "operational" && site.status !== "suspended") { return "#8a4fb8"; }
    return site.open ? "#1f8a4c" : "#b23b3b";
  }
  arrondissements.then(function (arr) {
    var bounds = arr.getBounds();
    sites.forEach(function (site) {
      var marker = L.circleMarker([site.lat, site.lon], {
        radius: site.open ? 10 : 7,
        color: "#ffffff",
        weight: 2,
        fillColor: colour(site),
        fillOpacity: 0.95,
        dashArray: site.approximate ? "3 3" : null
      }).addTo(map);
      var label = site.name + " — " + site.kind + " — " + site.status_label + " — " +
        (site.open ? el.dataset.labelOpen : el.dataset.labelClosed) +
        (site.approximate ? " (" + el.dataset.labelApprox + ")" : "");
      marker.bindTooltip(label);
      marker.on("click", function () { window.location.href = site.url; });
      bounds.extend([site.lat, site.lon]);
    });
    map.fitBounds(bounds, { padding: [10, 10] });
  });
})();
