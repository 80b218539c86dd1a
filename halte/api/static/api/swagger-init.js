// Starts Swagger UI on the API documentation page from its JSON block: no inline script, so the
// page runs under the same Content-Security-Policy as every other.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var configEl = document.getElementById("swagger-config");
  if (!root || !configEl || typeof SwaggerUIBundle === "undefined") { return; }
  var config = JSON.parse(configEl.textContent);
  var csrfToken = root.dataset.csrfToken;
  config.domNode = root;
  config.presets = [SwaggerUIBundle.presets.apis];
  // "Try it out" with the browser's session: the API checks the CSRF token, as a form would.
  config.requestInterceptor = function (request) {
    var target = new URL(request.url, window.location.href);
    if (csrfToken && target.origin === window.location.origin) {
      request.headers["X-CSRFToken"] = csrfToken;
    }
    return request;
  };
  SwaggerUIBundle(config);
}());
