// Loaded as a classic, blocking script at the top of <body> so the classes are in place before
// the page paints: NHS.UK frontend styles its JavaScript-enhanced components only under
// .nhsuk-frontend-supported (browsers that run ES modules), as its own page template does inline.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
