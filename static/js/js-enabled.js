// Loaded (not deferred) at the top of <body>: GOV.UK Frontend styles its components for
// JavaScript from these classes, so they are set before the page is drawn.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
