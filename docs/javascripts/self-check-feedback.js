// The self-check's feedback: for each question asked, the verdict's paragraphs as the key words
// them (decision_aid/self_check.py), chosen by judging the answer given, each slot filled with
// the question's own words, and a summary. Every word comes from the key; this module only
// picks the paragraphs, fills them and draws them.

import { el, givenWords, judge } from "./self-check-controls.js";

/** The site's root URL, for the manual links (sources are relative to it). */
function siteRoot(options) {
  if (options.siteRoot) return new URL(options.siteRoot, window.location.href).href;
  if (window.__md_scope) return new URL(String(window.__md_scope), window.location.href).href;
  const logo = document.querySelector("a.md-logo, a.md-header__button.md-logo");
  return new URL(logo ? logo.getAttribute("href") : "/", window.location.href).href;
}

/** The manual's numbered sections, embedded in the page by build_tools/section_map.py. */
function manualSections() {
  const holder = document.getElementById("manual-sections");
  try {
    return holder ? JSON.parse(holder.dataset.sections) : {};
  } catch (error) {
    return {};
  }
}

/** A rule's link: the manual's section ("2.1 The initial review") first, the source's own paragraph second. */
function sourceLink(source, root, sections) {
  const section = sections[source.href];
  const text = section ? `${section.number} ${section.title} (${source.section})` : source.section;
  return el("a", { href: new URL(source.href, root).href, class: "self-check__link", text });
}

/** A slot's content for one question and answer, or null where the question leaves it empty. */
function slotContent(name, context) {
  const { question, answer, key } = context;
  const links = (sources) => sources.flatMap((source, index) => [
    ...(index ? [document.createTextNode(key.link_joiner)] : []), sourceLink(source, context.root, context.sections)]);
  switch (name) {
    case "given":
      return question.echo && answer !== null ? [document.createTextNode(givenWords(question, answer))] : null;
    case "rule":
      return question.rule ? [sourceLink(question.rule, context.root, context.sections)] : null;
    case "sources":
    case "see_also":
      return question[name].length ? links(question[name]) : null;
    default:
      return question[name] ? [document.createTextNode(question[name])] : null;
  }
}

/** A verdict's paragraph with its slots filled, or null where a slot is empty (the paragraph is left out). */
function drawParagraph(paragraph, context) {
  const nodes = [];
  for (const run of paragraph.runs) {
    const content = run.slot ? slotContent(run.slot, context) : [document.createTextNode(run.text)];
    if (!content) return null;
    nodes.push(run.strong ? el("strong", {}, content) : content);
  }
  return el("p", { class: `self-check__${paragraph.part}` }, nodes.flat());
}

function drawItem(questionId, state, context) {
  const item = el("li", { class: `self-check__item self-check__item--${state}`, "data-question": questionId, "data-result": state });
  for (const paragraph of context.key.verdicts[state]) {
    const drawn = drawParagraph(paragraph, context);
    if (drawn) item.append(drawn);
  }
  return item;
}

/** The summary's words for the counts: from the key, with the counts put in. */
function summaryText(words, answered, right) {
  const template = !answered ? words.none : right === answered ? words.all : words.some;
  return template.replace("{answered}", String(answered)).replace("{right}", String(right));
}

/**
 * Write the feedback into `container` (an aria-live region) for `answers` (question id -> answer,
 * as readAnswer gives it) to the questions the key asks. options: siteRoot, headingLevel.
 * Returns each question's verdict: {question id: "right" | "wrong" | "unanswered"}.
 */
export function renderFeedback(container, key, answers, options = {}) {
  const context = { root: siteRoot(options), sections: manualSections() };
  const verdicts = {};
  const items = key.form.asks.map((questionId) => {
    const question = key.questions[questionId];
    const answer = answers[questionId] === undefined ? null : answers[questionId];
    verdicts[questionId] = judge(question, answer);
    return drawItem(questionId, verdicts[questionId], { ...context, key, question, answer });
  });
  const states = Object.values(verdicts);
  const answered = states.filter((state) => state !== "unanswered").length;
  const right = states.filter((state) => state === "right").length;
  const heading = el(options.headingLevel || "h3", { class: "self-check__summary", tabindex: "-1", text: summaryText(key.summary, answered, right) });
  if (!container.hasAttribute("aria-live")) container.setAttribute("aria-live", "polite");
  container.classList.add("self-check__feedback");
  container.replaceChildren(heading, el("ul", { class: "self-check__list" }, items));
  return verdicts;
}
