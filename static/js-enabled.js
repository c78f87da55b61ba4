// Replaces GOV.UK Frontend's inline template snippet (CSP forbids inline script).
// Load as a classic (not module, not defer/async) script as the first child of <body>:
// <script src="/static/js-enabled.js"></script>
document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) document.body.classList.add('govuk-frontend-supported');
