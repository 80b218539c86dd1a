// Pick where: touch the small map, or use the phone's position; the point goes into the form's
// hidden lon/lat fields (the address field stays for a typed street). Hooked by data-where.
(function () {
  "use strict";
  document.querySelectorAll("[data-where]").forEach(function (box) {
    var form = box.closest("form");
    var lon = form.querySelector("input[name=lon]");
    var lat = form.querySelector("input[name=lat]");
    var status = box.querySelector("[data-where-status]");
    var locate = box.querySelector("[data-where-locate]");
    var el = box.querySelector("[data-where-map]");
    var map = null;
    var marker = null;
    function put(latlng, text) {
      lon.value = latlng.lng.toFixed(6);
      lat.value = latlng.lat.toFixed(6);
      if (status) { status.textContent = text; }
      if (!map) { return; }
      if (marker) { marker.setLatLng(latlng); } else {
        marker = L.circleMarker(latlng, { radius: 9, color: "#ffffff", weight: 2, fillColor: "#1d4f91", fillOpacity: 0.95 }).addTo(map);
      }
      map.setView(latlng, Math.max(map.getZoom(), 16));
    }
    if (el && typeof L !== "undefined") {
      map = L.map(el, { zoomSnap: 0.5 });
      map.attributionControl.setPrefix(false);
      map.attributionControl.addAttribution("Ville de Paris (ODbL)");
      map.setView([48.884, 2.36], 14);
      fetch(el.dataset.arrondissements, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (geo) {
          L.geoJSON(geo, { style: { color: "#3d4a5c", weight: 1.2, fillColor: "#ffffff", fillOpacity: 1 }, interactive: false }).addTo(map);
          el.dataset.ready = "1";
        });
      map.on("click", function (event) { put(event.latlng, locate.dataset.labelPicked); });
      if (lon.value && lat.value) { put(L.latLng(parseFloat(lat.value), parseFloat(lon.value)), locate.dataset.labelPicked); }
    }
    if (locate) {
      locate.addEventListener("click", function () {
        if (!navigator.geolocation) { status.textContent = locate.dataset.labelFail; return; }
        status.textContent = locate.dataset.labelWait;
        navigator.geolocation.getCurrentPosition(function (pos) {
          var latlng = { lat: pos.coords.latitude, lng: pos.coords.longitude };
          put(typeof L !== "undefined" ? L.latLng(latlng.lat, latlng.lng) : latlng, locate.dataset.labelDone);
        }, function () { status.textContent = locate.dataset.labelFail; }, { enableHighAccuracy: true, timeout: 10000 });
      });
    }
  });
})();
