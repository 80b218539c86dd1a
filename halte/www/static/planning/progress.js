// Polls the solve's status and moves the progress bar; reloads the page when the solve is done.
// Without JavaScript the "Rafraîchir" link does the same by hand.
(function () {
  "use strict";
  var box = document.getElementById("solve-progress");
  if (!box || !box.dataset.statusUrl) { return; }
  var bar = box.querySelector("progress");
  var stage = box.querySelector("[data-stage]");
  var pct = box.querySelector("[data-progress]");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        if (bar) { bar.value = s.progress; bar.textContent = s.progress + " %"; }
        if (stage) { stage.textContent = s.stage_label; }
        if (pct) { pct.textContent = s.progress; }
        if (s.done) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 800);
})();
