// The site's only script of its own (the Content-Security-Policy allows no inline script):
// a <select data-auto-submit> sends its form as soon as a choice is made.
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-auto-submit]")) {
    event.target.form.submit();
  }
});
