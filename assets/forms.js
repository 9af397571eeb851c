/* Form fields (tracker/web/components/forms.py): each control's aria-describedby names its hint and,
 * while the control is invalid, its error message; aria-invalid says it is invalid.
 *
 * dbc controls take no aria-* properties, so each field's wrapper carries data-field-control,
 * data-field-hint and data-field-error (the ids of its control, hint and error slot). A Dash callback
 * marks a control invalid through its `invalid` property, which gives it Bootstrap's is-invalid class;
 * this script follows that class.
 *
 * A refused save shows an error summary (forms.error_summary, class "error-summary"): when one appears
 * or its words change, focus moves to it (WCAG 3.3.1; it may be scrolled out of view), and each of its
 * links moves focus to the field it names. Served from the app's own origin, so the CSP allows it.
 */
(function () {
  "use strict";

  function setOrRemove(element, name, value) {
    if (!value) {
      if (element.hasAttribute(name)) {
        element.removeAttribute(name);
      }
    } else if (element.getAttribute(name) !== value) {
      element.setAttribute(name, value);
    }
  }

  function present(id) {
    // An id with white space cannot be named in an id list; one not in the page is left out.
    return id && !/\s/.test(id) && document.getElementById(id) ? id : null;
  }

  function sync(wrapper) {
    var control = document.getElementById(wrapper.getAttribute("data-field-control"));
    if (!control) {
      return;
    }
    var invalid = control.classList.contains("is-invalid");
    var ids = [present(wrapper.getAttribute("data-field-hint"))];
    if (invalid) {
      ids.push(present(wrapper.getAttribute("data-field-error")));
    }
    setOrRemove(control, "aria-describedby", ids.filter(Boolean).join(" "));
    setOrRemove(control, "aria-invalid", invalid ? "true" : "");
  }

  function syncAll() {
    document.querySelectorAll("[data-field-control]").forEach(sync);
    focusNewSummary();
  }

  var summaries = new WeakMap();  // each error summary -> the words it had when last focused

  function focusNewSummary() {
    document.querySelectorAll(".error-summary").forEach(function (summary) {
      var words = summary.textContent;
      if (summaries.get(summary) === words) {
        return;
      }
      summaries.set(summary, words);
      if (!summary.hasAttribute("tabindex")) {
        summary.setAttribute("tabindex", "-1");
      }
      summary.focus();
      summary.scrollIntoView({block: "center"});
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({block: "center"});
    }
  });

  function start() {
    // Pages and their forms are drawn by Dash after load, and callbacks redraw them: watch for new
    // elements and for class changes (is-invalid). The attributes set here are not watched, so this
    // does not feed itself; the observer hands over each batch of changes at once.
    new MutationObserver(syncAll).observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["class"],
    });
    syncAll();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
