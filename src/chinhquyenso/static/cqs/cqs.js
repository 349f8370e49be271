// Progressive enhancement only: every page works without this file. Modules start from data-module attributes.
(function () {
  "use strict";
  var modules = {
    // Show an element only while a radio/select named data-show-when-field has the value data-show-when-value.
    "cqs-show-when": function (el) {
      var form = el.closest("form");
      if (!form) return;
      var name = el.getAttribute("data-show-when-field");
      var wanted = el.getAttribute("data-show-when-value");
      function update() {
        var checked = form.querySelector('[name="' + name + '"]:checked') || form.querySelector('select[name="' + name + '"]');
        el.hidden = !checked || checked.value !== wanted;
      }
      form.addEventListener("change", function (event) {
        if (event.target && event.target.name === name) update();
      });
      update();
    },
    // Move focus to the error summary so keyboard and screen-reader users start from what to fix.
    "cqs-error-summary": function (el) { el.focus(); }
  };
  document.querySelectorAll("[data-module]").forEach(function (el) {
    var start = modules[el.getAttribute("data-module")];
    if (start) start(el);
  });
})();
