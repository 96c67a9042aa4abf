// Forms that cannot be undone ask first (data-confirm); every form shows that it is working and
// cannot be sent twice by a second click. No inline script: the page's CSP forbids it.
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
