// The decision form folds away the parts only some outcomes need. Choosing an outcome
// opens the part it needs ("Withheld under exemptions" opens the exemptions to tick), so
// the officer does not have to find it. It only ever opens: nothing typed is hidden.
(function () {
  var partsFor = {
    ncnd: ["ncnd-exemptions"],
    withheld: ["withhold-exemptions"],
    provided_in_part: ["partial-or-not-applicable"],
    not_applicable: ["partial-or-not-applicable"],
    cost_limit: ["cost-estimate"],
  };
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name !== "outcome" || !input.checked) {
      return;
    }
    (partsFor[input.value] || []).forEach(function (id) {
      var part = document.getElementById(id);
      if (part) {
        part.open = true;
      }
    });
  });
})();
