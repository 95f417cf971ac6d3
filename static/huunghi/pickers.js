// Picker fields (apps/core/pickers.py): a <select data-picker="/pick/<key>/"> holding only the chosen
// options becomes a searchable Tom Select whose matches come from the server, which searches the
// folded text (diacritics optional) within what the signed-in person may see.
(function () {
  "use strict";

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function enhance(select) {
    if (select.tomselect || typeof window.TomSelect === "undefined") {
      return;
    }
    const url = select.dataset.picker;
    const emptyText = select.dataset.pickerEmpty || "";
    new window.TomSelect(select, {
      valueField: "value",
      placeholder: select.dataset.pickerPlaceholder || "",
      labelField: "text",
      searchField: [],
      maxOptions: null,
      preload: "focus",
      loadThrottle: 250,
      plugins: select.multiple ? ["remove_button"] : [],
      // The server already matched (it folds diacritics, which the browser-side scoring does not).
      score: function () {
        return function () {
          return 1;
        };
      },
      shouldLoad: function () {
        return true;
      },
      load: function (query, callback) {
        const self = this;
        fetch(url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [], more: false };
          })
          .then(function (data) {
            self.clearOptions(); // keeps what is chosen; drops the previous query's matches
            callback(data.results);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(emptyText) + "</div>";
        },
      },
    });
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[data-picker]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
    if (window.htmx) {
      window.htmx.onLoad(enhanceAll);
    }
  });
})();
