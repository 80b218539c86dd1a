// Touch the map to add a point to the demand or candidate list of the scenario form.
(function () {
  "use strict";
  var el = document.getElementById("pick-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Ville de Paris (ODbL) · IGN Admin Express, INSEE (Licence Ouverte)");
  map.setView([48.87, 2.36], 12);
  function layer(url, style) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (geo) { return L.geoJSON(geo, { style: style, interactive: false }).addTo(map); });
  }
  layer(el.dataset.communes, { color: "#7a8594", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 })
    .then(function () { return layer(el.dataset.arrondissements, { color: "#3d4a5c", weight: 1.2, fillColor: "#ffffff", fillOpacity: 1 }); });
  map.on("click", function (event) {
    var chosen = document.querySelector("input[name=pick]:checked");
    var target = chosen && document.getElementById(chosen.value);
    if (!target) { return; }
    var line = event.latlng.lng.toFixed(5) + ", " + event.latlng.lat.toFixed(5);
    target.value = (target.value.trim() ? target.value.trim() + "\n" : "") + line;
    var isCandidate = chosen.value === "id_candidate_lines";
    L.circleMarker(event.latlng, { radius: 7, color: "#ffffff", weight: 2, fillColor: isCandidate ? "#8a4fb8" : "#1d4f91", fillOpacity: 0.95 })
      .bindTooltip(el.dataset.label).addTo(map);
  });
})();
