// The front desk's registration: the date of birth shown back in words as it is typed, so a day
// and month read the other way round (a device set in another language) are seen before the code
// is made. Hooked through data-date-words-for; nothing is sent anywhere.
(function () {
  "use strict";
  document.querySelectorAll("[data-date-words-for]").forEach(function (out) {
    var input = document.getElementById(out.dataset.dateWordsFor);
    if (!input) { return; }
    var lang = document.documentElement.lang || "fr";
    var words = new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    function show() {
      var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.value);
      if (!parts) { out.textContent = ""; return; }
      var day = new Date(Date.UTC(+parts[1], +parts[2] - 1, +parts[3]));
      var text = words.format(day);
      // French writes the first day of a month "1er".
      if (lang.slice(0, 2) === "fr" && +parts[3] === 1) { text = text.replace(/^1 /, "1er "); }
      out.textContent = out.dataset.dateWordsLabel + " " + text;
    }
    input.addEventListener("input", show);
    input.addEventListener("change", show);
    show();
  });
})();
