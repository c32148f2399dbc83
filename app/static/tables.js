/* Wide tables on a narrow screen: each table scrolls sideways inside a region named
   after its caption (or the nearest heading before it), so the page itself never
   scrolls sideways. A region wider than the screen is a keyboard stop, where the
   arrow keys scroll it (WCAG 2.1.1); one that fits is not, so Tab skips it.
   Without scripts, style.css lets each table scroll by itself. */
(function () {
  "use strict";

  function nearestHeading(element) {
    var found = document.evaluate(
      "preceding::*[self::h1 or self::h2 or self::h3 or self::h4 or self::legend or self::summary][1]",
      element, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
    return found ? found.textContent : "";
  }

  function nameOf(table) {
    var caption = table.caption ? table.caption.textContent : "";
    var name = (caption || nearestHeading(table)).replace(/\s+/g, " ").trim();
    return name ? "Table: " + name : "Table";
  }

  function wrap(table) {
    var region = table.parentElement;
    if (!region.classList.contains("table-scroll")) {
      region = document.createElement("div");
      region.className = "table-scroll";
      table.parentNode.insertBefore(region, table);
      region.appendChild(table);
    }
    region.setAttribute("role", "region");
    if (!region.hasAttribute("aria-label") && !region.hasAttribute("aria-labelledby")) {
      region.setAttribute("aria-label", nameOf(table));
    }
    return region;
  }

  var regions = Array.prototype.map.call(document.querySelectorAll("main table"), wrap);

  // Two regions of one name (a table per candidate, say) are told apart by number.
  var uses = {};
  regions.forEach(function (region) {
    var name = region.getAttribute("aria-label");
    if (name) {
      uses[name] = (uses[name] || 0) + 1;
      if (uses[name] > 1) { region.setAttribute("aria-label", name + " (" + uses[name] + ")"); }
    }
  });

  function markWide() {
    regions.forEach(function (region) {
      if (region.scrollWidth > region.clientWidth + 1) {
        region.setAttribute("tabindex", "0");
      } else {
        region.removeAttribute("tabindex");
      }
    });
  }

  markWide();
  var pending = false;
  window.addEventListener("resize", function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () { pending = false; markWide(); });
    }
  });
}());
