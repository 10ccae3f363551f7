// Starts GOV.UK Frontend's components (header menu, error summary, buttons...).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
