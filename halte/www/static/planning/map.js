// Draws a planning scenario on the bundled GeoJSON layers: candidates, demand points coloured
// covered / not covered, and a line from each demand point to its site. Nothing from outside.
(function () {
  "use strict";
  var el = document.getElementById("planning-map");
  var dataEl = document.getElementById("planning-data");
  if (!el || !dataEl || typeof L === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var d = el.dataset;
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Ville de Paris (ODbL) · IGN Admin Express, INSEE (Licence Ouverte)");
  map.setView([48.87, 2.36], 12);

  function layer(url, style) {
    return fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (geo) { return L.geoJSON(geo, { style: style, interactive: false }).addTo(map); });
  }
  var communes = layer(d.communes, { color: "#7a8594", weight: 1, fillColor: "#eef1f4", fillOpacity: 1 });
  var ready = communes.then(function () {
    return layer(d.arrondissements, { color: "#3d4a5c", weight: 1.2, fillColor: "#ffffff", fillOpacity: 1 });
  });

  var byIndex = {};
  data.candidates.forEach(function (c) { byIndex[c.index] = c; });

  ready.then(function () {
    var points = [];
    data.demand.forEach(function (p) {
      var site = p.site === null ? null : byIndex[p.site];
      if (site && p.solved) {
        L.polyline([[p.lat, p.lon], [site.lat, site.lon]], {
          color: p.covered ? "#1f8a4c" : "#b23b3b", weight: 1.5, opacity: 0.6,
          dashArray: p.covered ? null : "4 4"
        }).addTo(map);
      }
    });
    data.demand.forEach(function (p) {
      var colour = !p.solved ? "#4d5966" : (p.covered ? "#1f8a4c" : "#b23b3b");
      var marker = L.circleMarker([p.lat, p.lon], {
        radius: Math.max(4, Math.min(14, 3 + Math.sqrt(p.weight))),
        color: "#ffffff", weight: 1, fillColor: colour, fillOpacity: 0.85
      }).addTo(map);
      var text = p.label + " — " + Math.round(p.weight) + " " + d.labelPeople;
      if (p.solved) {
        text += " — " + (p.covered ? d.labelCovered : d.labelUncovered);
        if (p.walk_m !== null) { text += " (" + Math.round(p.walk_m) + " m)"; }
      }
      marker.bindTooltip(text);
      points.push([p.lat, p.lon]);
    });
    data.candidates.forEach(function (c) {
      var marker = L.circleMarker([c.lat, c.lon], {
        radius: c.chosen ? 11 : 8,
        color: c.near_school ? "#8a5a00" : "#14324f",
        weight: c.near_school ? 4 : 2,
        fillColor: c.chosen ? "#8a4fb8" : (c.forbidden ? "#c9d1da" : "#ffffff"),
        fillOpacity: 0.95,
        dashArray: c.approximate ? "3 3" : null
      }).addTo(map);
      var tags = [c.chosen ? d.labelChosen : d.labelCandidate];
      if (c.must_open) { tags.push(d.labelMust); }
      if (c.forbidden) { tags.push(d.labelForbidden); }
      if (c.near_school) { tags.push(d.labelSchool); }
      if (c.too_many_reports) { tags.push(d.labelReports + " (" + c.nearby_reports + ")"); }
      if (c.approximate) { tags.push(d.labelApprox); }
      marker.bindTooltip(c.label + " — " + tags.join(", "));
      points.push([c.lat, c.lon]);
    });
    // The school rule: each candidate's nearest school, a line to it with the distance, and the
    // rule's radius around the schools that are too close.
    var schoolsDrawn = {};
    var rule = data.school_min_distance_m || 0;
    data.candidates.forEach(function (c) {
      var s = c.school;
      if (!s) { return; }
      var near = rule > 0 && s.distance_m < rule;
      var key = s.lat + "," + s.lon;
      L.polyline([[c.lat, c.lon], [s.lat, s.lon]], {
        color: near ? "#8a5a00" : "#6b7785", weight: near ? 2.5 : 1.5, opacity: 0.8, dashArray: "2 5"
      }).addTo(map).bindTooltip(c.label + " → " + s.name + " : " + s.distance_m + " m", { sticky: true });
      if (schoolsDrawn[key]) { return; }
      schoolsDrawn[key] = true;
      if (near) {
        L.circle([s.lat, s.lon], {
          radius: rule, color: "#8a5a00", weight: 1, fillColor: "#f2c46d", fillOpacity: 0.15, interactive: false
        }).addTo(map);
      }
      L.circleMarker([s.lat, s.lon], {
        radius: 5, color: "#8a5a00", weight: 2, fillColor: "#ffe9b8", fillOpacity: 1
      }).addTo(map).bindTooltip(d.labelSchoolName + " : " + s.name + " — " + s.distance_m + " m");
    });
    if (points.length) { map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 15 }); }
  });
})();
