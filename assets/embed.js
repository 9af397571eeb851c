/* An embedded view (/embed/..., tracker/web/pages/embed.py) tells the page framing it how tall it is,
 * so the host can size its iframe to fit (the snippet is in docs/embedding.md):
 *   window.parent.postMessage({type: "cdp-embed-height", height: <CSS px>, path: <the view's path>}, origin)
 * The origin is the host's, from document.referrer when the browser gives it ("*" otherwise: the
 * message carries nothing but a height). Sent on load and whenever the content's size changes.
 * Served from the app's own origin, so the CSP allows it.
 */
(function () {
  "use strict";

  if (window.parent === window) {
    return;  // not in a frame
  }

  function hostOrigin() {
    try {
      return document.referrer ? new URL(document.referrer).origin : "*";
    } catch (error) {
      return "*";
    }
  }

  var last = -1;

  function report() {
    if (!document.querySelector(".embed-body")) {
      return;
    }
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) {
      return;
    }
    last = height;
    window.parent.postMessage({type: "cdp-embed-height", height: height, path: window.location.pathname},
                              hostOrigin());
  }

  function start() {
    if (window.ResizeObserver) {
      new ResizeObserver(report).observe(document.body);
    }
    new MutationObserver(report).observe(document.body, {subtree: true, childList: true});
    report();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
