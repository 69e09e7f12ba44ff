// YAML highlighting and line numbers for the admin editors (CodeMirror 5,
// vendored). Without JavaScript the plain textarea and its line list work.
(function () {
  "use strict";
  if (!window.CodeMirror) return;
  document.querySelectorAll("textarea[data-yaml-editor]").forEach(function (area) {
    var editor = window.CodeMirror.fromTextArea(area, {
      mode: "yaml", lineNumbers: true, indentUnit: 2, tabSize: 2, lineWrapping: false,
      readOnly: area.hasAttribute("readonly"),
      extraKeys: { Tab: function (cm) { cm.replaceSelection("  "); } }
    });
    // CodeMirror types into a hidden textarea of its own: give it the field's name.
    var label = document.querySelector('label[for="' + area.id + '"]');
    if (label) editor.getInputField().setAttribute("aria-label", label.textContent.trim());
    editor.getScrollerElement().setAttribute("tabindex", "0");  // keyboard users can scroll it too
    var numbers = area.parentNode.querySelector(".line-numbers");
    if (numbers) numbers.hidden = true;
    // Links to a problem's line (#line-N) move the cursor there.
    function jump() {
      var match = /^#line-(\d+)$/.exec(window.location.hash);
      if (match) {
        var line = parseInt(match[1], 10) - 1;
        editor.focus();
        editor.setCursor({ line: line, ch: 0 });
        editor.scrollIntoView({ line: line, ch: 0 }, 120);
      }
    }
    window.addEventListener("hashchange", jump);
    jump();
  });
})();
