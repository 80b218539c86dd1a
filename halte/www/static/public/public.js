// The public orientation page: the language list changes the page at once, and "use my
// position" asks the phone, rounds the point to about a hundred metres and sends it in the body
// of a POST (never in an address). Nothing is kept on the phone or on the server.
(function () {
  "use strict";
  document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Offline tolerance: a service worker keeps the last pages seen (halte/www/static/public/sw.js).
  if ("serviceWorker" in navigator && document.body.dataset.sw) {
    navigator.serviceWorker.register(document.body.dataset.sw, { scope: "/orientation/" }).catch(function () {});
  }
  var notice = document.querySelector("[data-offline]");
  function showOffline() { if (notice) { notice.hidden = navigator.onLine; } }
  window.addEventListener("online", showOffline);
  window.addEventListener("offline", showOffline);
  showOffline();
  var button = document.querySelector("[data-geolocate]");
  if (!button || !("geolocation" in navigator)) { return; }
  var form = button.form;
  var status = form.querySelector("[data-geo-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      form.elements.lat.value = position.coords.latitude.toFixed(3);
      form.elements.lon.value = position.coords.longitude.toFixed(3);
      form.elements.lieu.value = "";
      form.submit();
    }, function () {
      button.disabled = false;
      status.textContent = button.getAttribute("data-error");
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 });
  });
})();
