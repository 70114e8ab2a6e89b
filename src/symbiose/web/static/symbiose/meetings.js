// The printable agenda's "Print" button (the Content-Security-Policy forbids inline handlers).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("print-agenda");
  if (button) {
    button.addEventListener("click", () => window.print());
  }
});
