// Report pages: a print button (no inline handlers: the CSP allows scripts from this origin only).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
