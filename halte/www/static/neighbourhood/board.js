// The board of a site's surroundings: the site, the radius the coordinator set, the year's finds
// (circles sized by the items found) and the schools nearby, on the bundled layers. Nothing from
// outside.
(function () {
  "use strict";
  var el = document.getElementById("board-map");
  var dataEl = document.getElementById("board-data");
  if (!el || !dataEl || typeof L === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var d = el.dataset;
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Ville de Paris (ODbL) · IGN Admin Express, INSEE (Licence Ouverte)");
  var centre = [data.site.lat, data.site.lon];
  map.setView(centre, 16);

  function layer(url, style) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) { return L.geoJSON(geo, { style: style, interactive: false }).addTo(map); });
  }
  layer(d.communes, { color: "#7a8594", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 })
    .then(function () {
      return layer(d.arrondissements, { color: "#3d4a5c", weight: 1.2, fillColor: "#ffffff", fillOpacity: 1 });
    })
    .then(draw, draw);

  function draw() {
    var bounds = L.latLngBounds([centre, centre]);
    if (data.radius_m) {
      var circle = L.circle(centre, {
        radius: data.radius_m, color: "#14324f", weight: 1.5, fillColor: "#9fb6cc", fillOpacity: 0.12,
        interactive: false
      }).addTo(map);
      bounds.extend(circle.getBounds());
    }
    data.finds.forEach(function (f) {
      L.circleMarker([f.lat, f.lon], {
        radius: Math.max(3, Math.min(14, 2 + Math.sqrt(f.n) * 1.5)),
        color: "#ffffff", weight: 1, fillColor: "#b23b3b", fillOpacity: 0.75
      }).addTo(map).bindTooltip(f.n + " " + d.labelItems);
    });
    data.schools.forEach(function (s) {
      L.circleMarker([s.lat, s.lon], {
        radius: 6, color: "#8a5a00", weight: 2, fillColor: "#ffe9b8", fillOpacity: 1
      }).addTo(map).bindTooltip(d.labelSchool + " : " + s.name + " — " + s.distance_m + " m");
      bounds.extend([s.lat, s.lon]);
    });
    L.circleMarker(centre, { radius: 9, color: "#14324f", weight: 3, fillColor: "#8a4fb8", fillOpacity: 1 })
      .addTo(map).bindTooltip(data.site.name);
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
  }
})();
