// "Where to go": fill the position from the tablet's location and search (no inline code).
(function () {
  "use strict";
  var button = document.querySelector("[data-geolocate]");
  if (!button || !("geolocation" in navigator)) { return; }
  var form = document.getElementById(button.dataset.geolocate);
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
      form.querySelector("[name=lon]").value = pos.coords.longitude.toFixed(6);
      // The position replaces a typed place, so the answer says "your position".
      var typed = form.querySelector("[name=address]");
      if (typed) { typed.value = ""; }
      form.submit();
    }, function () { button.disabled = false; }, { enableHighAccuracy: true, timeout: 15000 });
  });
  // A typed place replaces a previous position.
  var address = form.querySelector("[name=address]");
  if (address) {
    address.addEventListener("input", function () {
      form.querySelector("[name=lat]").value = "";
      form.querySelector("[name=lon]").value = "";
    });
  }
})();
