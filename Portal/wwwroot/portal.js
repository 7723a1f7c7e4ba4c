// Small browser helpers the Blazor components call through JS interop (window.portal.*).
window.portal = window.portal || {};

// Copies text to the clipboard; rejects (so the component can say so) when the browser refuses.
window.portal.copyText = function (text) {
  return navigator.clipboard.writeText(text);
};

// Saves text as a file without placing it in the DOM: a blob URL lives only for the click.
window.portal.downloadText = function (fileName, text, contentType) {
  const blob = new Blob([text], { type: contentType || "text/plain" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 0);
};

// "My roles" favourites: role ARNs kept in this browser only (localStorage), never on the server.
window.portal.readFavouriteRoles = function () {
  try {
    const list = JSON.parse(localStorage.getItem("portal.favouriteRoles") || "[]");
    return Array.isArray(list) ? list.filter(function (x) { return typeof x === "string"; }) : [];
  } catch (e) {
    return [];
  }
};

window.portal.writeFavouriteRoles = function (arns) {
  localStorage.setItem("portal.favouriteRoles", JSON.stringify(arns || []));
};

// Opens a portal URL in a new tab without giving it a handle on this one.
window.portal.openInNewTab = function (url) {
  window.open(url, "_blank", "noopener");
};
