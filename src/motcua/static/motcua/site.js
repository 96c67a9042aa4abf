// The site's only script of its own (the Content-Security-Policy allows no inline script).

// A <select data-auto-submit> sends its form as soon as a choice is made.
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-auto-submit]")) {
    event.target.form.submit();
  }
});

// Forms that cannot be undone ask first (data-confirm); every form shows that it is working and
// cannot be sent twice by a second click.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  if (form.method.toLowerCase() !== "post") return;
  form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
    button.setAttribute("aria-busy", "true");
    // Disabled after the browser has read the pressed button's name and value into the request.
    window.setTimeout(function () { button.disabled = true; }, 0);
    if (button.dataset.busy) button.textContent = button.dataset.busy;
  });
});
// Back to a page from the browser's cache: its buttons work again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("button[aria-busy=true]").forEach(function (button) {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  });
});

// A table wider than the phone scrolls inside its own box (site.css); it takes keyboard focus so
// that it can also be scrolled without a pointer (WCAG 2.1.1).
function focusableScrollingTables() {
  document.querySelectorAll("main table").forEach(function (table) {
    if (table.scrollWidth > table.clientWidth) {
      table.setAttribute("tabindex", "0");
    } else {
      table.removeAttribute("tabindex");
    }
  });
}
document.addEventListener("DOMContentLoaded", focusableScrollingTables);
window.addEventListener("resize", focusableScrollingTables);
