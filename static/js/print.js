// "Print" buttons ([data-print]) open the browser's print dialog. Kept out of
// the page so the Content Security Policy needs no inline script; the button
// stays hidden without JavaScript (the browser's own Print still works).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
