// Small helpers for the live screens, hooked through data-* attributes (no inline code).
(function () {
  "use strict";
  // data-refresh-url + data-refresh-seconds: reload that part of the page in place, unless the
  // person is typing in it; until what comes back says there is nothing more to follow (an element
  // with data-refresh-stop: the job has ended).
  document.querySelectorAll("[data-refresh-url]").forEach(function (box) {
    var seconds = parseInt(box.dataset.refreshSeconds || "20", 10);
    var timer = window.setInterval(function () {
      if (box.contains(document.activeElement) && document.activeElement.tagName !== "BODY") { return; }
      fetch(box.dataset.refreshUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          box.innerHTML = html;
          if (box.querySelector("[data-refresh-stop]")) { window.clearInterval(timer); }
        })
        .catch(function () { /* offline for a moment: keep what is shown */ });
    }, seconds * 1000);
  });
  // data-scan-target: read a card's QR code with the camera where the browser can.
  var button = document.querySelector("[data-scan-target]");
  var video = document.querySelector("[data-scanner]");
  if (button && video && "BarcodeDetector" in window && navigator.mediaDevices) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream; video.hidden = false; video.play();
        var timer = window.setInterval(function () {
          detector.detect(video).then(function (codes) {
            if (!codes.length) { return; }
            window.clearInterval(timer);
            stream.getTracks().forEach(function (t) { t.stop(); });
            video.hidden = true;
            var input = document.getElementById(button.dataset.scanTarget);
            input.value = codes[0].rawValue;
            input.form.submit();
          });
        }, 300);
      });
    });
  }
})();
