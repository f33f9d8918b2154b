// Progressive enhancement only: every page works fully without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Quick exit: replace this page in the history, so the Back button does not lead here again.
  document.querySelectorAll("[data-quick-exit]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(link.href);
    });
  });

  // Copy buttons next to the reference and receipt (hidden without JavaScript or clipboard support).
  var status = document.querySelector("[data-copy-status]");
  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var field = document.getElementById(button.getAttribute("data-copy"));
        navigator.clipboard.writeText(field.value).then(function () {
          if (status) { status.textContent = status.getAttribute("data-copied-text"); }
        });
      });
    });
  }

  // Print button: only useful with JavaScript; without it the browser's own print works the same.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
