/* When the server refuses a callback, say so in the page.
 *
 * dash-renderer only logs a refused callback, and the user would see nothing happen. This wraps
 * window.fetch and, for an answer from _dash-update-component, shows an alert (role="alert", so
 * screen readers announce it):
 * - 401, the session has ended (tracker/web/auth.py): with a link to the sign-in page in a new tab;
 *   they sign in there, come back and try again;
 * - 400 or 413 with the X-Tracker-Refused header (an expired page's CSRF token, a request the
 *   server could not use, one too large: tracker/web/security.py): the server's own message. After
 *   an expired token the answer brought a fresh one, so trying again works.
 * The page is left as it is, so what the user typed is still there. The alert goes once a callback
 * sent after the refusal succeeds: one already on its way (sent with the old token or session, such
 * as the page's first callbacks) proves nothing about the next try. Served from the app's own
 * origin, so the CSP allows it.
 */
(function () {
  "use strict";

  var ALERT_ID = "session-ended";
  // Not the server's words ("... reload the page ..."): reloading would lose what was typed.
  var MESSAGE = "Your session has ended: sign in again.";
  var FALLBACK = "That was not done: try again, or reload the page.";

  function prefix() {
    // Dash writes its config, the path prefix included, into the page.
    try {
      var config = JSON.parse(document.getElementById("_dash-config").textContent);
      return config.requests_pathname_prefix || config.url_base_pathname || "/";
    } catch (error) {
      return "/";
    }
  }

  function signInUrl() {
    var here = window.location.pathname + window.location.search;
    return prefix() + "login?next=" + encodeURIComponent(here);
  }

  function box() {
    var area = document.getElementById(ALERT_ID);
    if (!area) {
      area = document.createElement("section");
      area.id = ALERT_ID;
      area.className = "session-ended";
      document.body.insertBefore(area, document.body.firstChild);
    }
    return area;
  }

  function alertBox() {
    // A new alert element each time, so it is announced again.
    var alert = document.createElement("div");
    alert.className = "alert alert-danger mb-0 shadow";
    alert.setAttribute("role", "alert");
    return alert;
  }

  function showRefused(message) {
    var alert = alertBox();
    var text = document.createElement("p");
    text.className = "mb-0 fw-semibold";
    text.id = "request-refused";
    text.textContent = message;
    alert.appendChild(text);
    var area = box();
    area.setAttribute("aria-label", "Not done");
    area.replaceChildren(alert);
  }

  function show() {
    var alert = alertBox();
    var text = document.createElement("p");
    text.className = "mb-1 fw-semibold";
    text.textContent = MESSAGE;
    var next = document.createElement("p");
    next.className = "mb-0";
    var link = document.createElement("a");
    link.href = signInUrl();
    link.target = "_blank";
    link.rel = "noopener";
    link.className = "alert-link";
    link.id = "session-sign-in";
    link.textContent = "Open the sign-in page in a new tab";
    next.appendChild(link);
    next.appendChild(document.createTextNode(
      ", then come back to this tab and try again: what you typed here is kept."));
    alert.appendChild(text);
    alert.appendChild(next);
    var area = box();
    area.setAttribute("aria-label", "Session ended");
    area.replaceChildren(alert);
  }

  function hide() {
    var box = document.getElementById(ALERT_ID);
    if (box) {
      box.remove();
    }
  }

  function isCallback(resource) {
    var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
    return url.indexOf("_dash-update-component") !== -1;
  }

  var originalFetch = window.fetch;
  if (typeof originalFetch !== "function") {
    return;
  }
  var sentCount = 0;  // callbacks sent so far, numbering each one
  var sentBeforeRefusal = 0;  // how many had been sent when the latest refusal came back
  window.fetch = function (resource) {
    var pending = originalFetch.apply(this, arguments);
    if (!isCallback(resource)) {
      return pending;
    }
    var number = ++sentCount;
    return pending.then(function (response) {
      var refused = response.status === 401 ||
        ((response.status === 400 || response.status === 413) && response.headers.get("X-Tracker-Refused"));
      if (refused) {
        sentBeforeRefusal = sentCount;
      }
      if (response.status === 401) {
        show();
      } else if (refused) {
        // Read a copy: dash-renderer reads the answer itself.
        response.clone().json().then(function (body) {
          showRefused((body && body.message) || FALLBACK);
        }, function () {
          showRefused(FALLBACK);
        });
      } else if (response.ok && number > sentBeforeRefusal) {
        hide();
      }
      return response;
    });
  };
})();
