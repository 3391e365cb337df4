// Panmun's own few lines of script (htmx does the rest; the CSP allows only our own files).
//
// A search field's Enter submits its form at once (the form's htmx "submit" trigger). The keyup
// of that same Enter must not also start the field's delayed search ("keyup changed delay"):
// that second request for the same page 1 would answer after a page link clicked meanwhile and
// put page 1 back under the link's page number.
document.addEventListener(
  "keyup",
  function (event) {
    if (event.key === "Enter" && event.target instanceof HTMLInputElement && event.target.type === "search") {
      event.stopPropagation();
    }
  },
  true,
);
