// Every outreach page: register the service worker (scope /rue/), and ask before logging out
// while recorded items still wait to be sent (logging out erases them from the phone).
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/rue/sw.js", { scope: "/rue/" }).catch(function () { return null; });
  }
  var logout = document.querySelector("form[action$='/deconnexion/']");
  if (!logout || !window.HalteOutbox || !window.indexedDB) { return; }
  var confirmed = false;
  var textEl = document.querySelector("[data-logout-confirm]");
  var question = textEl ? textEl.dataset.logoutConfirm : "{n} ?";
  logout.addEventListener("submit", function (event) {
    if (confirmed) { return; }
    event.preventDefault();
    window.HalteOutbox.all().then(function (items) {
      var n = items.length;
      if (n === 0 || window.confirm(question.replace("{n}", n))) {
        confirmed = true;
        logout.submit();
      }
    }, function () { confirmed = true; logout.submit(); });
  });
})();
