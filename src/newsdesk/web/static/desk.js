// The desk works without this file; it only adds confirmations and marks edited sentences.
(function () {
  "use strict";
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
  document.querySelectorAll("textarea.sentence-edit").forEach(function (area) {
    var original = area.value;
    area.addEventListener("input", function () {
      area.classList.toggle("changed", area.value !== original);
    });
  });
})();
