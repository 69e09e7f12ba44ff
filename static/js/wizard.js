// Progressive enhancement for wizard steps: live show/hide of conditional
// fields and live computed totals, from the same server-side evaluation the
// form uses on submit (POST …/preview). Without JavaScript nothing is lost.
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  if (!form || !window.fetch || !window.FormData) return;
  var url = form.getAttribute("data-preview-url");
  var bar = document.querySelector(".progress-bar[data-progress]");
  if (bar) bar.style.width = bar.getAttribute("data-progress") + "%";
  var timer = null;
  var pending = null;

  function apply(data) {
    var visible = {};
    (data.visible || []).forEach(function (id) { visible[id] = true; });
    form.querySelectorAll("[data-field]").forEach(function (el) {
      var id = el.getAttribute("data-field");
      var show = !!visible[id];
      el.hidden = !show;
      el.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !show; });
    });
    Object.keys(data.computed || {}).forEach(function (id) {
      var out = form.querySelector('[data-computed="' + id + '"]');
      if (out) out.textContent = data.computed[id] || "—";
    });
    // 备案变更: the server's marks of the fields that now differ from the filing.
    if (data.change_marks) {
      form.querySelectorAll(".change-mark").forEach(function (mark) { mark.remove(); });
      Object.keys(data.change_marks).forEach(function (id) {
        var field = document.getElementById("field-" + id);
        if (field) field.insertAdjacentHTML("afterbegin", data.change_marks[id]);
      });
    }
    if (window.OneTripPanel) window.OneTripPanel(data);
  }

  function refresh() {
    if (pending) pending.abort();
    pending = new AbortController();
    var body = new FormData(form);
    fetch(url, { method: "POST", body: body, credentials: "same-origin", signal: pending.signal,
                 headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) apply(data); })
      .catch(function () { /* offline or aborted: the server checks on submit anyway */ });
  }

  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 150); });
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
  // Re-enable hidden inputs just before a real submit so nothing the server expects is missing.
  form.addEventListener("submit", function () {
    form.querySelectorAll("input:disabled, select:disabled, textarea:disabled").forEach(function (i) { i.disabled = false; });
  });
  refresh();
})();

// The live panel is server-rendered HTML; the preview endpoint returns it anew.
window.OneTripPanel = function (data) {
  "use strict";
  var slot = document.getElementById("live-panel-slot");
  if (slot && typeof data.panel_html === "string") slot.innerHTML = data.panel_html;
  var bar = document.getElementById("outcome-bar-slot");
  if (bar && typeof data.bar_html === "string") {
    var open = bar.querySelector("details[open]") !== null;  // keep it as the applicant left it
    bar.innerHTML = data.bar_html;
    if (open) bar.querySelector("details").open = true;
  }
};

// Searchable industry list: a filter box above the grouped <select>.
(function () {
  "use strict";
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.getAttribute("data-search-placeholder") || "输入关键词或代码筛选，如“电气”或“38”";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      select.querySelectorAll("optgroup").forEach(function (group) {
        var groupHit = group.label.toLowerCase().indexOf(q) !== -1;
        var any = false;
        group.querySelectorAll("option").forEach(function (opt) {
          var hit = !q || groupHit || opt.textContent.toLowerCase().indexOf(q) !== -1;
          opt.hidden = !hit;
          any = any || hit;
        });
        group.hidden = !any;
      });
    });
  });
})();
