// Polls the solve's status and moves the progress bar, the best plan, the bound and the gap; reloads the page when the solve is done.
// Without JavaScript the "Rafraîchir" link does the same by hand.
(function () {
  "use strict";
  var box = document.getElementById("solve-progress");
  if (!box || !box.dataset.statusUrl) { return; }
  var bar = box.querySelector("progress");
  var stage = box.querySelector("[data-stage]");
  var pct = box.querySelector("[data-progress]");
  var objective = box.querySelector("[data-objective]");
  var bound = box.querySelector("[data-bound]");
  var gap = box.querySelector("[data-gap]");
  function show(el, value) { if (el) { el.textContent = value === null || value === undefined ? "—" : value; } }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        if (bar) { bar.value = s.progress; bar.textContent = s.progress + " %"; }
        if (stage) { stage.textContent = s.stage_label; }
        if (pct) { pct.textContent = s.progress; }
        show(objective, s.objective);
        show(bound, s.bound);
        show(gap, s.gap_pct);
        if (s.done) { window.location.reload(); } else { window.setTimeout(poll, 1500); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 800);
})();
