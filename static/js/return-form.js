// Recomputes each KPI's RAG on the return form as figures are typed. The form works
// without this script: the server computes and checks everything again on save.
// Each rating's word, as the server words it (kpis.presenters.rag_words, handed over as JSON).
const RAG_WORDS = JSON.parse(document.getElementById("rag-words").textContent);

function number(input) {
  if (!input || input.value.trim() === "") return null;
  const text = input.value.replace(/[,£%\s]/g, "");
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function periodHeadline(period, measure) {
  const field = (name) => number(period.querySelector(`[data-field="${name}"]`));
  const notCollected = period.querySelector('[data-field="not_collected"]');
  if (notCollected && notCollected.checked) return null;
  if (measure === "ratio") {
    const numerator = field("numerator");
    const denominator = field("denominator");
    return numerator !== null && denominator ? (numerator * 100) / denominator : null;
  }
  if (measure === "percent") return field("percent");
  if (measure === "decimal") return field("value");
  return field("count");
}

function rollUp(values, rollup) {
  const present = values.filter((v) => v !== null);
  if (present.length === 0) return null;
  if (rollup === "sum") return present.reduce((a, b) => a + b, 0);
  if (rollup === "mean") return present.reduce((a, b) => a + b, 0) / present.length;
  return present[present.length - 1];
}

function compare(actual, target, direction, tolerance, equalIsAmber) {
  if (equalIsAmber && actual === target) return "amber";
  if (direction === "higher") {
    if (actual >= target) return "green";
    return actual >= target * (1 - tolerance) ? "amber" : "red";
  }
  if (actual <= target) return "green";
  return actual <= target * (1 + tolerance) ? "amber" : "red";
}

function ratioOfMonths(periods, rollup) {
  // A quarter's rate comes from its rolled-up parts, never from adding monthly rates.
  const part = (name) =>
    rollUp(periods.map((period) => number(period.querySelector(`[data-field="${name}"]`))), rollup);
  const numerator = part("numerator");
  const denominator = part("denominator");
  return numerator !== null && denominator ? (numerator * 100) / denominator : null;
}

function update(row) {
  const data = row.dataset;
  if (data.ragTarget === "") return; // no target this script can judge: keep the server's word
  const periods = [...row.querySelectorAll(".app-return-period")];
  let actual;
  if (periods.length > 1 && data.ragMeasure === "ratio") {
    actual = ratioOfMonths(periods, data.ragRollup);
  } else {
    const headlines = periods.map((period) => periodHeadline(period, data.ragMeasure));
    actual = headlines.length > 1 ? rollUp(headlines, data.ragRollup) : headlines[0];
  }
  if (actual === null) return;
  actual += Number(data.ragOffset || 0);
  const rag = compare(actual, Number(data.ragTarget), data.ragDirection, Number(data.ragTolerance), data.ragEqualIsAmber === "true");
  const badge = row.querySelector(".app-computed-rag .app-rag");
  badge.className = `app-rag app-rag--${rag}`;
  badge.textContent = RAG_WORDS[rag];
  row.querySelector(".app-computed-rag__reason").textContent = "Recomputed as you type; saved when you save";
}

for (const row of document.querySelectorAll(".app-return-row")) {
  row.addEventListener("input", () => update(row));
  row.addEventListener("change", () => update(row));
}
