// The text editor: insert a cross-reference or a footnote mark into the text being typed.
// References are stored as ⟦ref:KEY⟧ and shown with the target's current number; a
// footnote's text goes between ⟦fn: and ⟧.
function insertAtCursor(field, text, back) {
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  field.value = field.value.slice(0, start) + text + field.value.slice(end);
  const cursor = start + text.length - (back || 0);
  field.focus();
  field.setSelectionRange(cursor, cursor);
}

function textOf(control) {
  return control.form && control.form.querySelector("textarea");
}

document.addEventListener("change", (event) => {
  const select = event.target.closest("[data-ref-insert]");
  if (!select || !select.value) return;
  const field = textOf(select);
  if (field) insertAtCursor(field, "⟦ref:" + select.value + "⟧");
  select.value = "";
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-footnote]");
  if (!button) return;
  const field = textOf(button);
  if (field) insertAtCursor(field, "⟦fn:⟧", 1);
});
