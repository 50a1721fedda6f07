/* The colours form says at once whether a colour has enough contrast, while it is picked.
   Only a convenience: the server checks the same rules (tenants/branding.py) when the form is
   sent, and the form works without this script. Each colour input carries its rules and its
   two messages, already in the reader's language. */
(function () {
  "use strict";

  function channel(value) {
    var c = value / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  function luminance(hex) {
    var n = parseInt(hex.slice(1), 16);
    return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
  }

  function contrast(first, second) {
    var a = luminance(first), b = luminance(second);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }

  function readable(ratio) {
    var shown = Math.floor(ratio * 10) / 10;
    var options = { minimumFractionDigits: 1, maximumFractionDigits: 1 };
    return shown.toLocaleString(document.documentElement.lang, options) + ":1";
  }

  function shortfall(color, rules) {
    for (var i = 0; i < rules.length; i++) {
      var ratio = contrast(color, rules[i].background);
      if (ratio < rules[i].minimum) {
        return { rule: rules[i], ratio: ratio };
      }
    }
    return null;
  }

  document.querySelectorAll("input[data-contrast-rules]").forEach(function (input) {
    var output = document.getElementById(input.id + "-contrast");
    var rules = JSON.parse(input.dataset.contrastRules);
    input.addEventListener("input", function () {
      if (!/^#[0-9a-fA-F]{6}$/.test(input.value)) {
        output.textContent = "";
        return;
      }
      var found = shortfall(input.value, rules);
      output.textContent = found
        ? input.dataset.contrastProblem
            .replace("{background}", found.rule.name)
            .replace("{ratio}", readable(found.ratio))
            .replace("{minimum}", readable(found.rule.minimum))
        : input.dataset.contrastFine;
      output.classList.toggle("contrast-live--problem", Boolean(found));
    });
  });
})();
