/* Focus after an in-page (htmx) submit. Without this, focus falls to <body> when the
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
    focusIn(region, failed);
  });
})();
