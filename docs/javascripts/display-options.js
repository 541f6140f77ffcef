/*
 * Display options: text size and high visibility, as procedure manuals offer,
 * folded into one control at the top of each page.
 *
 * The choice is kept in localStorage under "display-preferences" so it follows
 * the reader from page to page. That key holds display preferences only; the
 * site stores nothing else, and never anything about a case.
 *
 * With Material's instant navigation the page content is swapped without a
 * reload, so the controls are (re)built on every page (window.mountOnPage, see
 * page-mount.js); the preference itself lives on <html>, which instant navigation keeps.
 *
 * It also labels each table cell with its column's heading, for the stacked layout of
 * tables on narrow screens, and marks links to other sites (class "external-link"), so that a printed
 * chapter shows their addresses: Material rewrites every link to an absolute URL,
 * so the print stylesheet cannot tell them apart by their href alone.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "display-preferences";
  var SIZES = [
    { id: "standard", label: "Standard" },
    { id: "large", label: "Large" },
    { id: "largest", label: "Largest" }
  ];
  var DEFAULTS = { textSize: "standard", highVisibility: false };
  var root = document.documentElement;

  function isSize(id) {
    return SIZES.some(function (size) { return size.id === id; });
  }

  /* The stored preferences, or the defaults where nothing valid is stored. */
  function load() {
    var stored = null;
    try {
      stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY));
    } catch (error) {
      stored = null;
    }
    if (!stored || typeof stored !== "object") {
      return { textSize: DEFAULTS.textSize, highVisibility: DEFAULTS.highVisibility };
    }
    return {
      textSize: isSize(stored.textSize) ? stored.textSize : DEFAULTS.textSize,
      highVisibility: stored.highVisibility === true
    };
  }

  function save(preferences) {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify({
        textSize: preferences.textSize,
        highVisibility: preferences.highVisibility
      }));
    } catch (error) {
      /* Storage may be off (private browsing): the choice then lasts for this page only. */
    }
  }

  function apply(preferences) {
    root.setAttribute("data-text-size", preferences.textSize);
    root.classList.toggle("high-visibility", preferences.highVisibility);
    var buttons = document.querySelectorAll(".display-options [data-display-option]");
    Array.prototype.forEach.call(buttons, function (button) {
      var option = button.getAttribute("data-display-option");
      var pressed = option === "high-visibility"
        ? preferences.highVisibility
        : option === preferences.textSize;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
  }

  function choose(option) {
    var preferences = load();
    if (option === "high-visibility") {
      preferences.highVisibility = !preferences.highVisibility;
    } else if (isSize(option)) {
      preferences.textSize = option;
    }
    save(preferences);
    apply(preferences);
  }

  function button(option, label, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "display-options__button " + className;
    element.setAttribute("data-display-option", option);
    element.setAttribute("aria-pressed", "false");
    element.textContent = label;
    element.addEventListener("click", function () { choose(option); });
    return element;
  }

  /*
   * The controls, folded into one "Display options" control (a disclosure) so they take one
   * line above the title: inside, a labelled group of toggle buttons, reached with Tab and
   * used with Enter or Space.
   */
  function build() {
    var box = document.createElement("details");
    box.className = "display-options";

    var summary = document.createElement("summary");
    summary.className = "display-options__summary";
    summary.textContent = "Display options";
    box.appendChild(summary);

    var bar = document.createElement("div");
    bar.className = "display-options__panel";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Display options");

    var sizes = document.createElement("div");
    sizes.className = "display-options__group";
    sizes.setAttribute("role", "group");
    sizes.setAttribute("aria-labelledby", "display-options-text-size");
    var sizeLabel = document.createElement("span");
    sizeLabel.id = "display-options-text-size";
    sizeLabel.className = "display-options__label";
    sizeLabel.textContent = "Text size:";
    sizes.appendChild(sizeLabel);
    SIZES.forEach(function (size) {
      sizes.appendChild(button(size.id, size.label, "display-options__size display-options__size--" + size.id));
    });
    bar.appendChild(sizes);
    bar.appendChild(button("high-visibility", "High visibility", "display-options__contrast"));
    box.appendChild(bar);
    return box;
  }

  function markExternalLinks() {
    var links = document.querySelectorAll(".md-content a[href]");
    Array.prototype.forEach.call(links, function (link) {
      var external = /^https?:$/.test(link.protocol) && link.origin !== window.location.origin;
      link.classList.toggle("external-link", external);
    });
  }

  /*
   * Each cell of the manual's tables carries its column's heading (data-label), so that on a
   * phone, or with large text, a row can be shown as a block of labelled lines (manual.css)
   * instead of a table wider than the screen.
   */
  function labelTableCells() {
    var tables = document.querySelectorAll(".md-content table:not([class]):not([data-stackable])");
    Array.prototype.forEach.call(tables, function (table) {
      var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      if (!headings.length) return;
      table.setAttribute("data-stackable", "");
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (headings[index]) cell.setAttribute("data-label", headings[index]);
        });
      });
    });
  }

  /* The controls at the top of each page's article; the tables and links of its content. */
  function render(article) {
    if (!article.querySelector(".display-options")) {
      article.insertBefore(build(), article.firstChild);
    }
    apply(load());
    markExternalLinks();
    labelTableCells();
  }

  window.addEventListener("beforeprint", markExternalLinks);

  /* Apply at once, before the first paint where possible, then on every page. */
  apply(load());
  window.mountOnPage(".md-content__inner", render);
})();
