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

// The tree with the arrow keys (Tab and Enter work as anywhere): up and down move between
// the visible nodes, right opens a branch or goes to its first node, left closes it or goes
// to the node above, Home and End to the first and last node.
document.addEventListener("keydown", (event) => {
  const tree = event.target.closest && event.target.closest("ul.tree");
  if (!tree || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const item = event.target.closest("li[data-node]");
  const link = (li) => li && li.querySelector(":scope > .noderow a.nodename");
  const branch = item.querySelector(":scope > details");
  const visible = () => [...tree.querySelectorAll("a.nodename")]
    .filter((a) => !a.closest("details:not([open])"));
  let target = null;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    const links = visible();
    target = links[links.indexOf(link(item)) + (event.key === "ArrowDown" ? 1 : -1)];
  } else if (event.key === "ArrowRight") {
    if (!branch) return;
    if (branch.open) target = link(branch.querySelector("li[data-node]"));
    else { branch.open = true; target = link(item); }
  } else if (event.key === "ArrowLeft") {
    if (branch && branch.open) { branch.open = false; target = link(item); }
    else target = link(item.parentElement.closest("li[data-node]"));
  } else if (event.key === "Home" || event.key === "End") {
    const links = visible();
    target = event.key === "Home" ? links[0] : links[links.length - 1];
  } else {
    return;
  }
  event.preventDefault();
  if (target) target.focus();
});
