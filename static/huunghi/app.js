// Behaviour that must not be inline (the CSP forbids inline scripts).
document.addEventListener("DOMContentLoaded", function () {
  // Confirm destructive buttons that carry data-confirm.
  document.body.addEventListener("click", function (event) {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
});
