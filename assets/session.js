/* When the session has ended, say so in the page.
 *
 * The sign-in guard (tracker/web/auth.py) answers a callback from a signed-out page with 401;
 * dash-renderer would only log it, and the user would see nothing happen. This wraps
 * window.fetch: on a 401 from _dash-update-component it shows an alert (role="alert", so screen
 * readers announce it) with a link to the sign-in page in a new tab. The page is left as it is, so
 * what the user typed is still there: they sign in in the other tab, come back and try again. The
 * alert goes once a callback succeeds. Served from the app's own origin, so the CSP allows it.
 */
(function () {
  "use strict";

  var ALERT_ID = "session-ended";
  // Not the server's words ("... reload the page ..."): reloading would lose what was typed.
  var MESSAGE = "Your session has ended: sign in again.";

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

  function show() {
    var box = document.getElementById(ALERT_ID);
    if (!box) {
      box = document.createElement("section");
      box.id = ALERT_ID;
      box.className = "session-ended";
      box.setAttribute("aria-label", "Session ended");
      document.body.insertBefore(box, document.body.firstChild);
    }
    // A new alert element each time, so it is announced again.
    var alert = document.createElement("div");
    alert.className = "alert alert-danger mb-0 shadow";
    alert.setAttribute("role", "alert");
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
    box.replaceChildren(alert);
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
  window.fetch = function (resource) {
    var pending = originalFetch.apply(this, arguments);
    if (!isCallback(resource)) {
      return pending;
    }
    return pending.then(function (response) {
      if (response.status === 401) {
        show();
      } else if (response.ok) {
        hide();
      }
      return response;
    });
  };
})();
