// Enhances the server-rendered page: initialises NHS.UK frontend's components (header menu,
// error summary focus, password show/hide, …). Loaded as a module, so it runs after parsing
// and only in browsers that js-enabled.js marked as nhsuk-frontend-supported.
import { initAll } from "../dist/nhsuk-frontend.min.js";

initAll();
