/* The staff pages' script (docs/ui.md): header menus, table scroll regions, and focus and
   announcements after in-page (htmx) submits. Everything here enhances pages that work
   without it.

   Focus after an in-page (htmx) submit. Without this, focus falls to <body> when the
   submitted form is swapped out, and a keyboard or screen-reader user loses their place.
   After a swap with errors: the first invalid field (or the error summary); after a
   success: the region's status message (or its heading). Without JavaScript the forms post
   and reload as usual, and nothing here runs. */
(function () {
  "use strict";

  function focusable(el) {
    if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) {
      el.setAttribute("tabindex", "-1");
    }
    return el;
  }

  function focusIn(region, failed) {
    var target = null;
    if (failed) {
      target =
        region.querySelector('[aria-invalid="true"]') ||
        region.querySelector(".usa-alert--error, .usa-error-message");
    }
    if (!target) {
      var active = document.activeElement;
      var lost = !active || active === document.body || !document.body.contains(active);
      if (!failed && !lost && !region.contains(active)) {
        return; // the user has moved on elsewhere: leave their focus alone
      }
      target =
        region.querySelector('[role="status"], .usa-alert--success') ||
        region.querySelector("h1, h2, h3, h4, h5, h6");
    }
    if (target) {
      var details = target.closest("details");
      if (details && !details.open) {
        details.open = true;
      }
      focusable(target).focus();
    }
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var region = event.target;
    var detail = event.detail || {};
    var swapped = detail.target;
    if (!(region instanceof Element) || !document.body.contains(region)) {
      return;
    }
    // htmx fires afterSwap on every element it swapped in, out-of-band ones included:
    // act once, on the request's own target (same id after an outerHTML swap).
    if (swapped && swapped !== region && !(swapped.id && swapped.id === region.id)) {
      return;
    }
    var status = detail.xhr ? detail.xhr.status : 200;
    var failed = status >= 400 || region.querySelector('[aria-invalid="true"]') !== null;
    wrapTables(region);
    focusIn(region, failed);
    announce(region, failed);
  });

  /* The answer's message, read out by the page's live region (#sh-announcer in base.html):
     the error summary or the first field error after a failure, else the status message. */
  function announce(region, failed) {
    var live = document.getElementById("sh-announcer");
    if (!live) {
      return;
    }
    var source = failed
      ? region.querySelector(".usa-alert--error, .usa-error-message")
      : region.querySelector('[role="status"], .usa-alert--success');
    var text = source ? source.textContent.replace(/\s+/g, " ").trim() : "";
    live.textContent = "";
    if (text) {
      // A fresh text node a moment later, so the same message twice is read twice.
      window.setTimeout(function () {
        live.textContent = text;
      }, 50);
    }
  }

  /* Reflow (WCAG 1.4.10): a table wider than a phone scrolls inside its own region, which
     can take keyboard focus (to scroll with the arrow keys) and is named by the table's
     caption, so the page itself never scrolls sideways. */
  var wrapped = 0;
  function headingBefore(el) {
    var headings = document.querySelectorAll("main h1, main h2, main h3, main h4");
    var found = null;
    for (var i = 0; i < headings.length; i++) {
      if (headings[i].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) {
        found = headings[i];
      } else {
        break;
      }
    }
    return found;
  }
  function wrapTables(root) {
    var tables = root.querySelectorAll("table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (table.closest(".usa-table-container--scrollable, .sh-no-wrap-table")) {
        continue;
      }
      var box = document.createElement("div");
      box.className = "usa-table-container--scrollable";
      box.setAttribute("role", "region");
      box.setAttribute("tabindex", "0");
      // Named by the heading above the table and its caption: captions repeat (each
      // history table is "Changes, newest first"), the section's heading tells them apart.
      var names = [];
      var heading = headingBefore(table);
      var caption = table.querySelector("caption");
      [heading, caption].forEach(function (el) {
        if (el && el.textContent.trim()) {
          if (!el.id) {
            wrapped += 1;
            el.id = "sh-table-name-" + wrapped;
          }
          names.push(el.id);
        }
      });
      if (names.length) {
        box.setAttribute("aria-labelledby", names.join(" "));
      } else {
        box.setAttribute("aria-label", table.getAttribute("aria-label") || "Table");
      }
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
  }

  /* The header (base.html): menus are <details>; open one closes the others, Escape or a
     click elsewhere closes it. On a narrow screen the links fold behind the Menu button. */
  function setUpHeader() {
    var nav = document.getElementById("sh-nav");
    var toggle = document.querySelector(".sh-header__toggle");
    var menus = document.querySelectorAll(".sh-nav__menu details");
    function closeMenus(except) {
      for (var i = 0; i < menus.length; i++) {
        if (menus[i] !== except) {
          menus[i].open = false;
        }
      }
    }
    for (var i = 0; i < menus.length; i++) {
      menus[i].addEventListener("toggle", function (event) {
        if (event.target.open) {
          closeMenus(event.target);
        }
      });
    }
    document.addEventListener("click", function (event) {
      if (!event.target.closest(".sh-nav__menu")) {
        closeMenus(null);
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      var open = document.querySelector(".sh-nav__menu details[open]");
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      } else if (toggle && nav && toggle.getAttribute("aria-expanded") === "true") {
        fold(true);
        toggle.focus();
      }
    });
    if (!nav || !toggle) {
      return;
    }
    var narrow = window.matchMedia("(max-width: 39.99em)");
    function fold(folded) {
      toggle.setAttribute("aria-expanded", folded ? "false" : "true");
      nav.classList.toggle("sh-nav--folded", folded);
      nav.classList.toggle("sh-nav--unfolded", !folded);
    }
    function follow() {
      toggle.hidden = !narrow.matches;
      if (narrow.matches) {
        fold(true);
      } else {
        nav.classList.remove("sh-nav--folded", "sh-nav--unfolded");
      }
    }
    toggle.addEventListener("click", function () {
      fold(toggle.getAttribute("aria-expanded") === "true");
    });
    if (narrow.addEventListener) {
      narrow.addEventListener("change", follow);
    }
    follow();
  }

  function ready() {
    setUpHeader();
    var main = document.getElementById("main-content");
    if (main) {
      wrapTables(main);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
