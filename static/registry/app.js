// Expand or collapse every branch of the tree at once.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tree-toggle]");
  if (!button) return;
  const open = button.dataset.treeToggle === "open";
  document.querySelectorAll("#tree details").forEach((d) => { d.open = open; });
});

// Close an open menu of the main navigation when clicking elsewhere or opening another.
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.navmenu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.open = false;
  });
});

// The language menu submits its form when changed (no inline handler: CSP forbids them).
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-submit-on-change]")) event.target.form.submit();
});

// Buttons with data-confirm ask before submitting (e.g. terminating a project).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
