// Balance entry: clicking a suggested class puts it (and its EWC code, for an output) into
// the form's fields; the user can still change them. Without this script the class is
// decided from the label when the line is saved.
document.addEventListener("click", function (event) {
  var chip = event.target.closest("[data-accept-class]");
  if (!chip) return;
  var form = chip.closest("form");
  var select = form && form.querySelector("[name=resource_class]");
  if (!select) return;
  select.value = chip.getAttribute("data-accept-class");
  var ewc = chip.getAttribute("data-ewc");
  var ewcField = form.querySelector("[name=ewc_code]");
  if (ewc && ewcField && !ewcField.value) ewcField.value = ewc;
  form.querySelectorAll("[data-accept-class]").forEach(function (other) {
    other.classList.toggle("chosen", other === chip);
  });
});
