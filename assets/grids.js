/* AG Grid and the keyboard (WCAG 2.1.1, 2.4.3, 2.5.7), for every grid in the app.
 *
 * - One Tab stop: Tab into a grid lands on its header (or the cell last focused, AG Grid's own tab
 *   guards do that); arrow keys move between headers and cells; Tab or Shift+Tab from anywhere in the
 *   grid leaves it for the next or previous control on the page. AG Grid would otherwise walk Tab
 *   through every header and cell, and its rows and in-cell links are Tab stops too: those are taken
 *   out of the Tab order here (tabindex -1), as AG Grid draws them.
 * - Enter on a cell that holds a link follows the link, since the link itself is no longer a Tab stop.
 * - Column widths without dragging: the "Column widths" controls (plan_grid.column_width_controls,
 *   data-grid names the grid) make the chosen column narrower or wider, fit all to the width, or reset.
 *
 * Event delegation, because Dash draws the grids after load. Served from the app's own origin, so the
 * CSP allows it.
 */
(function () {
  "use strict";

  var GRID = ".ag-root-wrapper";
  // Inside these, Tab keeps AG Grid's meaning (a filter's own inputs and buttons, an editor).
  var KEEP_TAB = ".ag-popup, .ag-popup-child, .ag-menu, .ag-filter, .ag-cell-inline-editing";
  // The rows and in-cell links. (The scroll areas, which Chromium makes Tab stops of, are not given a
  // tabindex: ARIA allows a grid no focusable child that is not a row. Tab never reaches them, since
  // Tab from inside the grid is handled here and Tab from outside lands on AG Grid's guards.)
  var NOT_TAB_STOPS = ".ag-row, .ag-header-row, .ag-cell a";
  var FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
  var STEP = 40;  // px per "Narrower" / "Wider"

  function visible(el) {
    return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  }

  function untab(root) {
    var found = root.querySelectorAll ? root.querySelectorAll(NOT_TAB_STOPS) : [];
    for (var i = 0; i < found.length; i++) {
      untabOne(found[i]);
    }
  }

  // The next (or previous) control on the page outside `grid`, in document order.
  function beside(grid, backwards) {
    var all = document.querySelectorAll(FOCUSABLE);
    var candidates = [];
    for (var i = 0; i < all.length; i++) {
      if (!grid.contains(all[i]) && visible(all[i])) {
        candidates.push(all[i]);
      }
    }
    if (backwards) {
      for (var j = candidates.length - 1; j >= 0; j--) {
        if (candidates[j].compareDocumentPosition(grid) & Node.DOCUMENT_POSITION_FOLLOWING) {
          return candidates[j];
        }
      }
      return null;
    }
    for (var k = 0; k < candidates.length; k++) {
      if (candidates[k].compareDocumentPosition(grid) & Node.DOCUMENT_POSITION_PRECEDING) {
        return candidates[k];
      }
    }
    return null;
  }

  // Capture phase: runs before AG Grid's own key handling on the grid's elements.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target || !target.closest || event.ctrlKey || event.altKey || event.metaKey) {
      return;
    }
    var grid = target.closest(GRID);
    if (!grid || target.closest(KEEP_TAB)) {
      return;
    }
    if (event.key === "Tab") {
      var next = beside(grid, event.shiftKey);
      if (next) {
        event.preventDefault();
        event.stopPropagation();
        next.focus();
      }
    } else if (event.key === "Enter" && target.classList.contains("ag-cell")) {
      var link = target.querySelector("a[href]");
      if (link) {
        event.preventDefault();
        event.stopPropagation();
        link.click();
      }
    }
  }, true);

  function untabOne(node) {
    if (node.matches(NOT_TAB_STOPS) && node.getAttribute("tabindex") !== "-1") {
      node.setAttribute("tabindex", "-1");
    }
  }

  new MutationObserver(function (changes) {
    for (var i = 0; i < changes.length; i++) {
      if (changes[i].type === "attributes") {
        untabOne(changes[i].target);
        continue;
      }
      for (var j = 0; j < changes[i].addedNodes.length; j++) {
        var added = changes[i].addedNodes[j];
        if (added.nodeType === 1 && (added.closest(GRID) || added.querySelector(GRID))) {
          untabOne(added);
          untab(added);
        }
      }
    }
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                          attributeFilter: ["tabindex"]});

  // --- Column widths without dragging ------------------------------------------------------------

  function say(controls, text) {
    var status = controls.querySelector("[data-grid-status]");
    if (status) {
      status.textContent = text;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-grid-width]");
    if (!button) {
      return;
    }
    var controls = button.closest("[data-grid]");
    var api = controls && window.dash_ag_grid && window.dash_ag_grid.getApi(controls.getAttribute("data-grid"));
    if (!api) {
      return;
    }
    var action = button.getAttribute("data-grid-width");
    if (action === "fit") {
      api.sizeColumnsToFit();
      say(controls, "Every column fitted to the width of the table.");
      return;
    }
    if (action === "reset") {
      api.resetColumnState();
      say(controls, "Column widths reset.");
      return;
    }
    var choice = controls.querySelector("select");
    var column = choice && api.getColumn(choice.value);
    if (!column) {
      return;
    }
    var width = Math.max(60, Math.min(800, column.getActualWidth() + (action === "wider" ? STEP : -STEP)));
    api.applyColumnState({state: [{colId: choice.value, width: width, flex: null}]});
    var name = choice.options[choice.selectedIndex].text;
    say(controls, name + " column: " + api.getColumn(choice.value).getActualWidth() + " px wide.");
  });
}());
