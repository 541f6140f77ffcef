/*
 * Self-check: compare what a member of staff decided with what the procedure's rules say,
 * and explain any difference with the rule that was missed and a link to the manual.
 *
 * A classic script (no build step, no dependencies) that attaches window.selfCheck:
 *
 *   selfCheck.mount(container, getLatestResult, options?)
 *       Builds a small form in `container` ("What did you decide?": next step, date, chair)
 *       and, when it is submitted, calls getLatestResult() (a result object from
 *       window.decisionAid.evaluate, or a promise of one) and shows the feedback.
 *       Returns {update(), destroy()}. In self-check-form.js, which this script loads.
 *   selfCheck.render(container, resultOrAnswers, decision, options?)
 *       Writes the feedback for `decision` into `container` (an aria-live region).
 *   selfCheck.check(resultOrAnswers, decision) -> [{question, correct, ...}]
 *   selfCheck.answersFrom(result) -> the answers the training pages use
 *   selfCheck.isResult(value), selfCheck.el(tag, attrs, children): for self-check-form.js
 *
 * A decision may hold: next_step (a kind), due (YYYY-MM-DD, for the next step), chair (a role id),
 * meeting_due (YYYY-MM-DD or "not_fixed"), meeting_chair, iro (array of criterion ids, [] = none),
 * overdue ({overdue: boolean, days: number|null}). Only the parts given are checked.
 *
 * Once window.selfCheck is complete (its form loaded too) "self-check:ready" is dispatched on
 * window, so a page script can do
 *   if (window.selfCheck && window.selfCheck.mount) start();
 *   else window.addEventListener("self-check:ready", start, {once: true});
 *
 * Nothing the user enters is sent anywhere or stored: it lives in the page while it is open.
 * options.siteRoot: the site's root URL, for the manual links (the result's sources are
 * relative to it); by default Material's __md_scope, else the header logo's link.
 */
(function () {
  "use strict";

  // Where this script was loaded from: its form (self-check-form.js) is beside it.
  const formBase = typeof document === "undefined" ? "" : document.currentScript ? document.currentScript.src : new URL("javascripts/", window.decisionAid.siteRoot).href;

  // The plain words for each kind of next step come from the build (the vocabulary's [kinds]
  // tables) in a hidden [data-step-kinds] element on the pages that check decisions (the
  // decision aid and the practice page), so every page uses the same words. Read when first needed.
  let stepKindWords = null;

  /** Kind of next step -> its words, from the page; {} where the page carries none. */
  function stepKinds() {
    if (stepKindWords) return stepKindWords;
    const holder = typeof document !== "undefined" && document.querySelector("[data-step-kinds]");
    if (!holder) return {};
    try {
      stepKindWords = JSON.parse(holder.dataset.stepKinds);
    } catch (error) {
      return {};
    }
    return stepKindWords;
  }

  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

  /** A date as people read it, the same everywhere on the site: "Fri 4 Dec 2026". */
  function longDate(iso) {
    if (!iso) return "";
    const [y, m, d] = iso.split("-").map(Number);
    const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
    return `${weekday} ${d} ${MONTHS[m - 1]} ${y}`;
  }

  /** How a date was worked out, from the fields the rules give: "Mon 8 Sep 2025 (plan put in place) + 4 weeks = Mon 6 Oct 2025". */
  function workingText(item) {
    const from = item && item.counted_from;
    const timescale = item && working(item).timescale;
    if (!from || !from.date || !timescale || !item.due) return "";
    return `${longDate(from.date)}${from.label ? ` (${from.label})` : ""} + ${timescale} = ${longDate(item.due)}`;
  }

  /**
   * The working fields of an event, a meeting or a step, or nulls where the rules give none.
   */
  function working(item) {
    item = item || {};
    return { due: item.due || null, counted_from: item.counted_from || null, timescale: item.timescale || null,
      hold_by: item.hold_by || null };
  }

  /* ------------------------------------------------------------------ answers */

  /** The answers the training pages ask about: the rules work them out (result.answers); this only names the step's kind. */
  function answersFrom(result) {
    const step = result.next_step;
    const worked = result.answers;
    return {
      next_step: { kind: step.kind, label: stepKinds()[step.kind] || step.kind, action: step.action, due: step.due,
        chair: step.chair, overdue_days: step.overdue_days, sources: step.sources,
        due_sources: step.due_sources, chair_sources: step.chair_sources },
      meeting: worked.next_meeting,
      overdue: worked.overdue,
      iro: worked.iro_involvement,
      working: workingOf(result),
    };
  }

  /** The working shown with the answers: the next meeting's (from its event in the schedule) and the next step's. */
  function workingOf(result) {
    return { meeting: working(result.answers.next_meeting), next_step: working(result.next_step) };
  }

  function isResult(value) {
    return value && Array.isArray(value.events) && value.next_step;
  }

  /* ------------------------------------------------------------------ checking */

  function roleLabel(roles, id) {
    if (!id) return "no one (this step has no chair)";
    const words = id.replace(/_/g, " ");
    return (roles && roles[id]) || words.charAt(0).toUpperCase() + words.slice(1);
  }

  function firstSource(sources) {
    return (sources && sources.length) ? sources[0] : null;
  }

  /**
   * Compare a decision with the answers. Each item: {question, prompt, correct (true, false or
   * null when not answered), given, expected, explanation, missed (the citation for the rule), sources}.
   */
  function check(resultOrAnswers, decision, roles) {
    const answers = isResult(resultOrAnswers) ? answersFrom(resultOrAnswers) : resultOrAnswers;
    roles = roles || (isResult(resultOrAnswers) ? resultOrAnswers.roles : {}) || {};
    decision = decision || {};
    const items = [];
    const step = answers.next_step;
    // How the dates were worked out, where the rules say (the training key carries it beside the answers).
    const shownWork = answers.working || { meeting: working(null), next_step: working(null) };
    const has = key => Object.prototype.hasOwnProperty.call(decision, key);
    const blank = value => value === undefined || value === null || value === "";

    if (has("next_step")) {
      const given = decision.next_step;
      items.push({
        question: "next_step", prompt: "What happens next?",
        correct: blank(given) ? null : given === step.kind,
        given: blank(given) ? null : (stepKinds()[given] || given),
        expected: step.label, explanation: step.action,
        missed: firstSource(step.sources), sources: step.sources,
      });
    }
    if (has("due")) {
      const given = decision.due;
      items.push({
        question: "due", prompt: "By when?",
        correct: blank(given) ? null : given === step.due,
        given: blank(given) ? null : longDate(given),
        expected: step.due ? longDate(step.due) : "no date: the procedure sets none for this step",
        explanation: workingText(shownWork.next_step) ? `Worked out: ${workingText(shownWork.next_step)}.` : step.action,
        missed: firstSource(step.due_sources || step.sources), sources: step.sources,
      });
    }
    if (has("chair")) {
      const given = decision.chair;
      const chairSource = firstSource(step.chair_sources || step.sources.slice(-1));
      items.push({
        question: "chair", prompt: "Who chairs it?",
        correct: blank(given) ? null : given === (step.chair || "none"),
        given: blank(given) ? null : roleLabel(roles, given === "none" ? null : given),
        expected: roleLabel(roles, step.chair), explanation: step.action,
        missed: chairSource, sources: step.sources,
      });
    }
    const meeting = answers.meeting;
    if (has("meeting_due")) {
      const given = decision.meeting_due;
      const expected = meeting ? (meeting.fixed ? meeting.due : "not_fixed") : null;
      items.push({
        question: "meeting_due", prompt: "When is the next review due?",
        correct: blank(given) ? null : given === expected,
        given: blank(given) ? null : (given === "not_fixed" ? "no fixed date" : longDate(given)),
        expected: !meeting ? "no further review: the plan has ended"
          : meeting.fixed ? `${longDate(meeting.due)} (${meeting.label})`
            : "no date is fixed by the procedure: it is agreed and recorded at each meeting",
        explanation: meeting && meeting.fixed
          ? (workingText(shownWork.meeting) ? `Worked out: ${workingText(shownWork.meeting)}.` : `The ${meeting.label} is due by ${longDate(meeting.due)}.`)
            + (shownWork.meeting.hold_by && shownWork.meeting.hold_by !== meeting.due ? ` That is not a working day: hold it by ${longDate(shownWork.meeting.hold_by)}.` : "")
          : "",
        missed: meeting ? firstSource(meeting.due_sources) : null, sources: meeting ? meeting.due_sources : [],
      });
    }
    if (has("meeting_chair")) {
      const given = decision.meeting_chair;
      items.push({
        question: "meeting_chair", prompt: "Who chairs the next review?",
        correct: blank(given) ? null : Boolean(meeting) && given === meeting.chair,
        given: blank(given) ? null : roleLabel(roles, given),
        expected: meeting ? roleLabel(roles, meeting.chair) : "no one: no further review",
        explanation: meeting ? `The ${meeting.label} is chaired by the ${roleLabel(roles, meeting.chair).toLowerCase()}.` : "",
        missed: meeting ? firstSource(meeting.chair_sources) : null, sources: meeting ? meeting.chair_sources : [],
      });
    }
    if (has("iro")) {
      const given = decision.iro;
      const expectedIds = answers.iro.criteria.map(c => c.id).sort();
      const givenIds = Array.isArray(given) ? given.filter(id => id !== "none").sort() : null;
      const labels = {};
      (answers.iro.all || []).forEach(c => { labels[c.id] = c.label; });
      answers.iro.criteria.forEach(c => { if (c.label) labels[c.id] = c.label; });
      const words = ids => (ids.length ? ids.map(id => labels[id] || id.replace(/_/g, " ")).join("; ") : "none of the criteria");
      let missed = firstSource(answers.iro.sources);
      if (givenIds) {
        const wrongOnes = expectedIds.filter(id => !givenIds.includes(id)).concat(givenIds.filter(id => !expectedIds.includes(id)));
        const idx = answers.iro.criteria.findIndex(c => wrongOnes.includes(c.id));
        if (idx >= 0 && answers.iro.sources[idx]) missed = answers.iro.sources[idx];
      }
      items.push({
        question: "iro", prompt: "Which IRO criteria apply?",
        correct: givenIds === null || given.length === 0 ? null : givenIds.join("|") === expectedIds.join("|"),
        given: givenIds === null || given.length === 0 ? null : words(givenIds),
        expected: words(expectedIds),
        explanation: expectedIds.length
          ? "An IRO may chair: the team manager or consultant social worker and the standards unit must agree it."
          : "No criterion holds, so an IRO chairs only if this is agreed because it adds value and there is capacity.",
        missed, sources: answers.iro.sources,
      });
    }
    if (has("overdue")) {
      const given = decision.overdue || {};
      const late = answers.overdue;
      const answered = typeof given.overdue === "boolean";
      let correct = null;
      if (answered) {
        correct = given.overdue === late.overdue && (!late.overdue || Number(given.days) === late.days);
      }
      items.push({
        question: "overdue", prompt: "Is anything overdue?",
        correct,
        given: !answered ? null : given.overdue ? `yes, ${given.days === null || given.days === undefined || given.days === "" ? "days not given" : `${given.days} days`}` : "no",
        expected: late.overdue ? `yes, ${late.days} days` : "no, nothing is past its date",
        explanation: late.overdue ? `The ${late.label} was due by ${longDate(late.due)}.` : "",
        missed: firstSource(late.sources), sources: late.sources,
      });
    }
    // In the order the decision lists them (the order the questions were asked).
    const order = Object.keys(decision);
    items.sort((a, b) => order.indexOf(a.question) - order.indexOf(b.question));
    return items;
  }

  /* ------------------------------------------------------------------ rendering */

  function siteRoot(options) {
    if (options && options.siteRoot) return new URL(options.siteRoot, window.location.href).href;
    if (window.__md_scope) return new URL(String(window.__md_scope), window.location.href).href;
    const logo = document.querySelector("a.md-logo, a.md-header__button.md-logo");
    if (logo) return new URL(logo.getAttribute("href"), window.location.href).href;
    return new URL("/", window.location.href).href;
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(child => node.append(child));
    return node;
  }

  // The manual's numbered sections, embedded in the page by build_tools/section_map.py.
  function sections() {
    const holder = document.getElementById("manual-sections");
    try {
      return holder ? JSON.parse(holder.dataset.sections) : {};
    } catch (error) {
      return {};
    }
  }

  /** A citation: the manual's section ("2.1 The initial review") first, the source's own paragraph second. */
  function sourceLink(source, root) {
    const section = sections()[source.href];
    const text = section ? `${section.number} ${section.title} (${source.section})` : source.section;
    return el("a", { href: new URL(source.href, root).href, class: "self-check__link", text });
  }

  function renderItem(item, root) {
    const state = item.correct === true ? "right" : item.correct === false ? "wrong" : "unanswered";
    const word = { right: "Right", wrong: "Not quite", unanswered: "Not answered" }[state];
    const li = el("li", { class: `self-check__item self-check__item--${state}`, "data-question": item.question, "data-result": state });
    li.append(el("p", { class: "self-check__verdict" }, [
      el("strong", { text: `${word}: ` }), document.createTextNode(item.prompt),
    ]));
    if (item.given !== null) li.append(el("p", { text: `You said: ${item.given}.` }));
    li.append(el("p", { class: "self-check__expected" }, [
      document.createTextNode(state === "right" ? "The procedure agrees: " : "The procedure says: "),
      el("strong", { text: item.expected }), document.createTextNode("."),
    ]));
    if (item.explanation) li.append(el("p", { class: "self-check__why", text: `Why: ${item.explanation}` }));
    if (state !== "right" && item.missed) {
      li.append(el("p", { class: "self-check__missed" }, [
        document.createTextNode(state === "wrong" ? "The rule you missed: " : "The rule: "), sourceLink(item.missed, root),
        document.createTextNode("."),
      ]));
    }
    const others = (item.sources || []).filter(s => !(state !== "right" && item.missed && s.href === item.missed.href && s.section === item.missed.section));
    const unique = others.filter((s, i) => others.findIndex(o => o.href === s.href && o.section === s.section) === i);
    if (unique.length) {
      const p = el("p", { class: "self-check__sources" }, [document.createTextNode(state === "right" ? "In the manual: " : "See also: ")]);
      unique.forEach((s, i) => { if (i) p.append(document.createTextNode("; ")); p.append(sourceLink(s, root)); });
      li.append(p);
    }
    return li;
  }

  /** Write the feedback for `decision` into `container`; returns the checked items. */
  function render(container, resultOrAnswers, decision, options) {
    options = options || {};
    const items = check(resultOrAnswers, decision, options.roles);
    const prompts = options.prompts || {};
    items.forEach(item => { if (prompts[item.question]) item.prompt = prompts[item.question]; });
    const root = siteRoot(options);
    const answered = items.filter(i => i.correct !== null);
    const right = answered.filter(i => i.correct).length;
    container.replaceChildren();
    if (!container.hasAttribute("aria-live")) container.setAttribute("aria-live", "polite");
    container.classList.add("self-check__feedback");
    const summary = !answered.length
      ? "You have not answered any question yet. The answers from the procedure are below."
      : right === answered.length
        ? `All ${answered.length} of your answers agree with the procedure.`
        : `${right} of ${answered.length} answers agree with the procedure.`;
    const heading = el(options.headingLevel || "h3", { class: "self-check__summary", tabindex: "-1", text: summary });
    const list = el("ul", { class: "self-check__list" }, items.map(item => renderItem(item, root)));
    container.append(heading, list);
    return items;
  }

  /* ------------------------------------------------------------------ the form */

  // selfCheck.mount is in self-check-form.js, loaded from here (the pages name only this
  // script); that file dispatches "self-check:ready" once window.selfCheck is complete.
  function loadForm() {
    const script = document.createElement("script");
    script.src = new URL("self-check-form.js", formBase).href;
    document.head.append(script);
  }

  const api = { stepKinds, answersFrom, check, render, isResult, el, longDate, workingText };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof window !== "undefined") {
    // Instant navigation runs this script again on each visit: the form, once loaded, stays.
    window.selfCheck = Object.assign(window.selfCheck || {}, api);
    if (window.selfCheck.mount) window.dispatchEvent(new Event("self-check:ready"));
    else loadForm();
  }
})();
