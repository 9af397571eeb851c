/* The navigation menu on narrow screens (tracker/web/layout.py menu_button): the button opens and
 * closes it and says which with aria-expanded; Escape closes it and puts focus back on the button;
 * following a link closes it. Event delegation, because Dash draws the navbar after load. Served
 * from the app's own origin, so the CSP allows it.
 */
(function () {
  "use strict";

  function parts() {
    return {button: document.getElementById("nav-toggle"), menu: document.getElementById("nav-menu")};
  }

  function setOpen(open) {
    var p = parts();
    if (!p.button || !p.menu) {
      return;
    }
    p.button.setAttribute("aria-expanded", open ? "true" : "false");
    p.menu.classList.toggle("show", open);
  }

  document.addEventListener("click", function (event) {
    var p = parts();
    if (!p.button) {
      return;
    }
    if (p.button.contains(event.target)) {
      setOpen(p.button.getAttribute("aria-expanded") !== "true");
    } else if (p.menu && p.menu.contains(event.target) && event.target.closest("a")) {
      setOpen(false);
    }
  });

  document.addEventListener("keydown", function (event) {
    var p = parts();
    if (event.key !== "Escape" || !p.button || p.button.getAttribute("aria-expanded") !== "true") {
      return;
    }
    setOpen(false);
    p.button.focus();
  });
})();
