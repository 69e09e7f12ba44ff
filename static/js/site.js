// Progressive enhancement only: every page works without this file.
document.documentElement.classList.remove("no-js");
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
