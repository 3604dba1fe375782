// Recomputes each KPI's RAG on the return form as figures are typed, and greys out a period's
// figure inputs while 'not collected' is ticked. The form works without this script: the
// server computes and checks everything again on save. What the RAG is and how it is worded
// is worked out by rag-preview.js from what the server put on the page.
import { preview } from "./rag-preview.js";

// Each rating's word, as the server words it (kpis.presenters.rag_words, handed over as JSON),
// and the preview's sentence and its other words (kpis.presenters.rag_preview_words).
const RAG_WORDS = JSON.parse(document.getElementById("rag-words").textContent);
const WORDS = JSON.parse(document.getElementById("rag-preview").textContent);

function periods(row) {
  return [...row.querySelectorAll(".app-return-period")];
}

function notCollected(period) {
  const box = period.querySelector('[data-field="not_collected"]');
  return Boolean(box && box.checked);
}

// The row's data-rag-* attributes without their prefix, and each period's typed parts.
function describe(row) {
  const basis = {};
  for (const [key, value] of Object.entries(row.dataset)) {
    if (key.startsWith("rag")) basis[key[3].toLowerCase() + key.slice(4)] = value;
  }
  return {
    basis,
    periods: periods(row).map((period) => ({
      notCollected: notCollected(period),
      parts: Object.fromEntries(
        [...period.querySelectorAll(".app-figure-input")].map((input) => [
          input.dataset.field,
          { text: input.value, limits: { ...input.dataset } },
        ]),
      ),
    })),
  };
}

function update(row) {
  // A figure and 'not collected' cannot both be saved: while it is ticked, the figure's inputs
  // are greyed out and not sent (what was typed comes back when it is unticked).
  for (const period of periods(row)) {
    const disabled = notCollected(period);
    for (const input of period.querySelectorAll(".app-figure-input")) input.disabled = disabled;
  }
  const description = describe(row);
  if (description.basis.preview === "none") return; // no figure has a RAG: the server's words stand
  const { rag, text } = preview(description, WORDS);
  const badge = row.querySelector(".app-computed-rag .app-rag");
  badge.className = `app-rag app-rag--${rag || "none"}`;
  badge.textContent = RAG_WORDS[rag];
  row.querySelector(".app-computed-rag__reason").textContent = text;
}

for (const row of document.querySelectorAll(".app-return-row")) {
  row.addEventListener("input", () => update(row));
  row.addEventListener("change", () => update(row));
  update(row); // a form shown again with what was typed rates what is shown
}
