// Progressive enhancement for the materials page: uploading, deleting, taking a
// file over and deferring without reloading the page. Each form of a material's
// block is posted with fetch(); the server answers JSON {html, message} with the
// block anew (the same template the page renders), 422 when a file was refused,
// and the block is replaced. Without JavaScript the forms post and redirect.
(function () {
  "use strict";
  var list = document.getElementById("materials");
  if (!list || !window.fetch || !window.FormData || !Element.prototype.closest) return;

  function setBusy(block, busy) {
    block.setAttribute("aria-busy", busy ? "true" : "false");
    block.querySelectorAll("button").forEach(function (button) { button.disabled = busy; });
  }

  function showError(block, text) {
    var slot = block.querySelector("[data-material-message]");
    if (!slot) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger py-2 small mb-2";
    alert.setAttribute("role", "alert");
    alert.tabIndex = -1;
    alert.textContent = text;
    slot.textContent = "";
    slot.appendChild(alert);
    alert.focus();
  }

  function replace(block, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();  // the server's own template, escaped there
    var fresh = holder.firstElementChild;
    if (!fresh) {  // the material is no longer asked for
      block.remove();
      return;
    }
    block.replaceWith(fresh);
    // Focus what the change said, else the block's title: the button pressed is gone.
    var target = fresh.querySelector("[data-material-message] [tabindex]") || fresh.querySelector("h2[tabindex]");
    if (target) target.focus();
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-async")) return;
    var block = form.closest("[data-material]");
    if (!block) return;
    event.preventDefault();
    if (block.getAttribute("aria-busy") === "true") return;
    var body = new FormData(form);  // includes the form's csrf_token
    var token = form.querySelector("input[name=csrf_token]");
    setBusy(block, true);
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch",
                 "X-CSRFToken": token ? token.value : "" }
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (typeof data.html !== "string") throw new Error("no block");
        replace(block, data.html);
      })
      .catch(function () {
        // Offline, the session gone, a file over the server's limit: say so in the block.
        setBusy(block, false);
        showError(block, list.getAttribute("data-failed"));
      });
  });
})();
