/* Small behaviours the templates ask for with data attributes (the CSP allows no inline script).
 *   data-confirm="…"  on a form, a submit button, a link or an htmx button: ask before going on.
 *   data-busy="…"     on a form: while it is sent, its buttons are disabled and the message is shown.
 * The sidebar menu folds behind its 菜单 button on narrow screens. */
(function () {
  "use strict";

  var SUBMITS = "button:not([type=button]):not([type=reset]), input[type=submit]";

  function refuse(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }

  function confirmed(el) {
    var question = el && el.getAttribute("data-confirm");
    return !question || window.confirm(question);
  }

  // The button's own question wins over the form's; one form is never asked twice.
  function onSubmitCapture(event) {
    var form = event.target;
    if (form.classList.contains("is-busy")) {
      refuse(event);
      return;
    }
    var submitter = event.submitter;
    var asker = submitter && submitter.hasAttribute("data-confirm") ? submitter : form;
    if (!confirmed(asker)) refuse(event);
  }

  // Links and buttons that do not submit a form (htmx buttons, a[href]) are asked on click.
  function onClickCapture(event) {
    var el = event.target.closest("[data-confirm]");
    if (!el || el.tagName === "FORM" || (el.form && el.matches(SUBMITS))) return;
    if (!confirmed(el)) refuse(event);
  }

  function buttonsOf(form) {
    var inside = Array.prototype.slice.call(form.querySelectorAll(SUBMITS));
    var outside = form.id ? Array.prototype.slice.call(document.querySelectorAll('[form="' + form.id + '"]')) : [];
    return inside.concat(outside.filter(function (el) { return el.matches(SUBMITS); }));
  }

  function noteOf(form) {
    var note = form.querySelector(".busy-note");
    if (!note) {
      note = document.createElement("span");
      note.className = "busy-note";
      note.setAttribute("role", "status");
      form.appendChild(note);
    }
    return note;
  }

  function startBusy(form, submitter) {
    form.classList.add("is-busy");
    noteOf(form).textContent = form.getAttribute("data-busy") || "正在处理，请稍候…";
    if (submitter) submitter.setAttribute("aria-busy", "true");
    // Disabled only after the browser has collected the form, so the pressed button's value is still sent.
    window.setTimeout(function () {
      buttonsOf(form).forEach(function (button) { button.disabled = true; });
    }, 0);
  }

  function stopBusy(form) {
    form.classList.remove("is-busy");
    var note = form.querySelector(".busy-note");
    if (note) note.remove();
    buttonsOf(form).forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (form.hasAttribute("data-busy")) startBusy(form, event.submitter);
  }

  function stopAll() {
    document.querySelectorAll("form.is-busy").forEach(stopBusy);
  }

  function onHtmxDone(event) {
    var elt = event.detail && event.detail.elt;
    var form = elt && elt.closest && elt.closest("form.is-busy");
    if (form) stopBusy(form);
  }

  function initNav() {
    var sidebar = document.querySelector(".sidebar[data-collapsible]");
    var button = sidebar && sidebar.querySelector(".nav-toggle");
    if (!button) return;
    sidebar.classList.add("folds");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  document.addEventListener("submit", onSubmitCapture, true);
  document.addEventListener("click", onClickCapture, true);
  document.addEventListener("submit", onSubmit);
  document.addEventListener("htmx:afterRequest", onHtmxDone);
  // Coming back to the page (history, or a download that left it in place) ends a busy state.
  window.addEventListener("pageshow", stopAll);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initNav);
  else initNav();
})();
