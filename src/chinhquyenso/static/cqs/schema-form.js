/* Chính quyền số — schema forms, progressive enhancement only: every form works without this file.
 *
 * - [data-module="cqs-error-summary"] (focused on load by cqs.js): its links move focus to the control and scroll
 *   the control's label or legend into view, as govuk-frontend does.
 * - [data-module="cqs-repeat"]: a repeated group. The server always renders one blank entry last; this adds an
 *   "add another" button that copies that blank entry with the next index, and a remove button on added entries.
 *   Entries carry data-index, data-name-prefix ("children.2.") and data-id-prefix ("f-children__2__").
 */
(function () {
  "use strict";
  // Browsers without these keep the plain form, which works on its own.
  if (!("closest" in Element.prototype) || !("after" in Element.prototype) || !window.NodeList.prototype.forEach) return;

  function labelFor(control) {
    var fieldset = control.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (control.type === "radio" || control.type === "checkbox") {
      if (legend) return legend;
    }
    return document.querySelector('label[for="' + control.id + '"]') || legend || control;
  }

  function initErrorSummary(summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var control = document.getElementById(link.getAttribute("href").slice(1));
      if (!control) return;
      event.preventDefault();
      labelFor(control).scrollIntoView();
      control.focus({ preventScroll: true });
    });
  }

  function renumber(value, from, to) {
    return value.indexOf(from) === 0 ? to + value.slice(from.length) : value;
  }

  function cloneEntry(template, index) {
    var oldName = template.getAttribute("data-name-prefix");
    var oldId = template.getAttribute("data-id-prefix");
    var newName = oldName.replace(/\.\d+\.$/, "." + index + ".");
    var newId = oldId.replace(/__\d+__$/, "__" + index + "__");
    var entry = template.cloneNode(true);
    entry.setAttribute("data-index", String(index));
    entry.setAttribute("data-name-prefix", newName);
    entry.setAttribute("data-id-prefix", newId);
    entry.querySelectorAll("[id], [name], [for], [aria-describedby]").forEach(function (el) {
      if (el.id) el.id = renumber(el.id, oldId, newId);
      if (el.hasAttribute("name")) el.setAttribute("name", renumber(el.getAttribute("name"), oldName, newName));
      if (el.hasAttribute("for")) el.setAttribute("for", renumber(el.getAttribute("for"), oldId, newId));
      if (el.hasAttribute("aria-describedby")) {
        el.setAttribute(
          "aria-describedby",
          el.getAttribute("aria-describedby").split(" ").map(function (ref) { return renumber(ref, oldId, newId); }).join(" ")
        );
      }
    });
    entry.querySelectorAll("input, select, textarea").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      if (el.type === "checkbox" || el.type === "radio") el.checked = false;
      else if (el.tagName === "SELECT") el.selectedIndex = 0;
      else el.value = "";
    });
    entry.querySelectorAll(".cqs-error-message").forEach(function (el) { el.remove(); });
    entry.querySelectorAll(".cqs-form-group--error").forEach(function (el) { el.classList.remove("cqs-form-group--error"); });
    entry.querySelectorAll("[data-repeat-remove]").forEach(function (el) { el.remove(); });
    return entry;
  }

  function initRepeat(group) {
    var fieldset = group.querySelector("fieldset");
    var max = parseInt(group.getAttribute("data-max-items") || "", 10);
    var itemLabel = group.getAttribute("data-item-label") || "";
    var add = document.createElement("button");
    add.type = "button";
    add.className = "cqs-button cqs-button--secondary";
    add.textContent = group.getAttribute("data-add-text");

    function entries() { return fieldset.querySelectorAll(":scope > [data-repeat-item]"); }

    function refresh() {
      var list = entries();
      list.forEach(function (entry, position) {
        var legend = entry.querySelector(":scope > [data-repeat-legend]");
        if (legend) legend.textContent = itemLabel + " " + (position + 1);
      });
      // Taken out of the page when the group is full (.cqs-button's display would override the hidden attribute).
      var full = !isNaN(max) && list.length >= max;
      if (full && add.parentNode) add.remove();
      if (!full && !add.parentNode) fieldset.appendChild(add);
    }

    function removeButton(entry) {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "cqs-button cqs-button--secondary cqs-button--small";
      remove.setAttribute("data-repeat-remove", "");
      remove.textContent = group.getAttribute("data-remove-text");
      remove.addEventListener("click", function () {
        entry.remove();
        refresh();
        add.focus();
      });
      entry.appendChild(remove);
    }

    add.addEventListener("click", function () {
      var list = entries();
      if (!list.length) return;
      var last = list[list.length - 1];
      var next = 0;
      list.forEach(function (entry) { next = Math.max(next, parseInt(entry.getAttribute("data-index"), 10) + 1); });
      var entry = cloneEntry(last, next);
      last.after(entry);
      removeButton(entry);
      refresh();
      var first = entry.querySelector("input, select, textarea");
      if (first) first.focus();
    });

    refresh();
  }

  document.querySelectorAll('[data-module="cqs-error-summary"]').forEach(initErrorSummary);
  document.querySelectorAll('[data-module="cqs-repeat"]').forEach(initRepeat);
})();
