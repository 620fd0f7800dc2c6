/*
 * "Copier la citation" (templates/events/includes/citation.html).
 * Without JavaScript, or where the Clipboard API cannot work (a page served over plain HTTP to another host), the
 * buttons stay hidden and the citation stays a text to select. The messages come from the template, translated.
 */
(function () {
  "use strict";

  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }

  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var actions = button.closest("[data-copy-actions]");
    var status = actions.querySelector("[data-copy-status]");
    var source = document.getElementById(button.dataset.copyTarget);
    if (!source) {
      return;
    }
    actions.hidden = false;

    button.addEventListener("click", function () {
      // Emptied first so that a second copy is announced again.
      status.textContent = "";
      var text = source.textContent.replace(/\s+/g, " ").trim();
      navigator.clipboard.writeText(text).then(
        function () {
          status.textContent = button.dataset.copyDone;
        },
        function () {
          window.getSelection().selectAllChildren(source);
          status.textContent = button.dataset.copyFailed;
        }
      );
    });
  });
})();
