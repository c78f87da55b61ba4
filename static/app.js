// hubmatch: the only JavaScript. Pages work without it; this just initialises
// GOV.UK Frontend's components (an ES module since v5). Loaded with
// <script type="module" src="/static/app.js"></script> at the end of <body>.
import { initAll } from './govuk/govuk-frontend.min.js'; initAll();
