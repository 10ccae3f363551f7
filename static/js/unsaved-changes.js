// Warns before leaving a page with text typed into a form and not saved
// (<form data-warn-unsaved>). Saving, or any button that submits the form, is not a leave.
// A file of its own: the Content Security Policy runs no inline script.
for (const form of document.querySelectorAll("form[data-warn-unsaved]")) {
  let unsaved = false;
  form.addEventListener("input", () => {
    unsaved = true;
  });
  form.addEventListener("submit", () => {
    unsaved = false;
  });
  window.addEventListener("beforeunload", (event) => {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = ""; // older browsers show their own message only when this is set
    }
  });
}
