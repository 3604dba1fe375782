// The return form's RAG preview, worked out from what is typed: pure functions over plain
// values, with no access to the page, so that the tests run them under Node and check them with
// what the server says for the same figures (tests/kpis/test_rag_preview.py).
//
// The server decides. Every number compared here comes from the KPI row's data-rag-*
// attributes (kpis/returns/rows.py, EntryRow.rag_basis: the target to date, the amber limit,
// what earlier quarters add), every limit on an input from its data-* attributes
// (kpis/returns/forms.py, RowForm.input_attributes), and every word from the page's JSON
// (kpis/presenters.py, rag_preview_words). This file only reads numbers, adds them up and
// compares them; when in doubt it shows no RAG rather than one the server would refuse.

const NUMBER = /^-?(\d+\.?\d*|\.\d+)$/;

// What one input holds: { empty }, { invalid } or { value }. `limits` are the input's data-*
// attributes: whole, min, max, places, moreThanZero.
export function readPart(text, limits) {
  const cleaned = String(text ?? "")
    .trim()
    .replace(/[,£%]/g, "")
    .trim();
  if (cleaned === "") return { empty: true };
  if (!NUMBER.test(cleaned)) return { invalid: true };
  const value = Number(cleaned);
  const places = (cleaned.split(".")[1] || "").length;
  const refused =
    (limits.whole === "true" && !Number.isInteger(value)) ||
    (limits.places !== undefined && places > Number(limits.places)) ||
    (limits.min !== undefined && value < Number(limits.min)) ||
    (limits.max !== undefined && value > Number(limits.max)) ||
    (limits.moreThanZero === "true" && value <= 0);
  return refused ? { invalid: true } : { value };
}

// One period's figure (the quarter, or a month of it): { state } is "not_collected", "empty",
// "invalid" or "ok", with the values of the parts entered. A period is
// { notCollected, parts: { name: { text, limits } } }; limits.required and limits.atMost say
// which parts a figure needs and which part cannot be more than another.
export function readPeriod(period) {
  if (period.notCollected) return { state: "not_collected" };
  const values = {};
  for (const [name, part] of Object.entries(period.parts)) {
    const read = readPart(part.text, part.limits);
    if (read.invalid) return { state: "invalid" };
    if (!read.empty) values[name] = read.value;
  }
  if (Object.keys(values).length === 0) return { state: "empty" };
  for (const [name, part] of Object.entries(period.parts)) {
    if (part.limits.required === "true" && !(name in values)) return { state: "invalid" };
    const whole = part.limits.atMost;
    if (whole && name in values && whole in values && values[name] > values[whole]) {
      return { state: "invalid" };
    }
  }
  return { state: "ok", values };
}

function roll(values, rollup, whole) {
  if (rollup === "sum") return values.reduce((a, b) => a + b, 0);
  if (rollup === "mean") {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    return whole ? Math.round(mean) : mean; // a whole part stays whole, rounded half up
  }
  return values[values.length - 1]; // latest, cumulative: the last month entered
}

// The quarter's figure from its periods in calendar order: months not collected or left empty
// are left out, each part rolled up by the KPI's rule (a rate is worked out from the parts).
export function quarterFigure(periods, rollup) {
  const read = periods.map(readPeriod);
  if (read.some((r) => r.state === "invalid")) return { state: "invalid" };
  const entered = read.filter((r) => r.state === "ok");
  if (entered.length === 0) {
    return { state: read.some((r) => r.state === "not_collected") ? "not_collected" : "empty" };
  }
  if (periods.length === 1) return entered[0];
  const values = {};
  for (const [name, part] of Object.entries(periods[0].parts)) {
    const present = entered.map((r) => r.values[name]).filter((v) => v !== undefined);
    if (present.length) values[name] = roll(present, rollup, part.limits.whole === "true");
  }
  return { state: "ok", values };
}

// The one number of a figure that is compared with the target.
export function headline(measure, values) {
  if (measure === "ratio") {
    const { numerator, denominator } = values;
    return numerator !== undefined && denominator ? (numerator * 100) / denominator : null;
  }
  const name = { percent: "percent", decimal: "value" }[measure] || "count";
  return values[name] ?? null;
}

function compare(actual, basis) {
  const target = Number(basis.target);
  const amber = Number(basis.amber);
  if (basis.equalIsAmber === "true" && actual === target) return "amber";
  if (basis.direction === "higher") {
    if (actual >= target) return "green";
    return actual >= amber ? "amber" : "red";
  }
  if (actual <= target) return "green";
  return actual <= amber ? "amber" : "red";
}

// The number as the server words it: en-GB, at most `places` decimal places, half up.
export function numberText(number, places) {
  const format = new Intl.NumberFormat("en-GB", { maximumFractionDigits: places });
  return format.format(String(number)); // from its decimal text, so 2.675 is 2.68 as in Python
}

// The RAG a row would get as typed, and its words: { rag, text }, rag "" for none. `row` is
// { basis, periods }: basis the row's data-rag-* attributes without their prefix (preview,
// measure, rollup, target, amber, offset, direction, equalIsAmber, basis, unit, targetText).
export function preview(row, words) {
  const { basis } = row;
  const figure = quarterFigure(row.periods, basis.rollup);
  if (figure.state !== "ok") return { rag: "", text: words[figure.state] };
  if (basis.preview !== "live") return { rag: "", text: words.on_save };
  const current = headline(basis.measure, figure.values);
  if (current === null) return { rag: "", text: words.invalid };
  // Held to 12 significant digits, so that binary fractions (2.1 + 2.2 + 2.3 is not quite 6.6)
  // compare with a target as the server's decimals do.
  const actual = Number((current + Number(basis.offset || 0)).toPrecision(12));
  const text = words.against
    .replace("{actual}", numberText(actual, words.places) + basis.unit)
    .replace("{target}", basis.targetText)
    .replace("{basis}", words.basis[basis.basis]);
  return { rag: compare(actual, basis), text };
}
