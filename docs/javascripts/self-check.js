/*
 * Self-check: compare what a member of staff decided with what the procedure's rules accept,
 * and explain any difference with the rule that was missed and a link to the manual.
 *
 * The rules describe everything (decision_aid/self_check.py): each question, its control, the
 * answers the procedure accepts and every word of the feedback. The modules beside this script
 * only draw that description and compare answers with it by plain equality:
 * self-check-controls.js (the controls, reading and judging an answer), self-check-feedback.js
 * (the verdicts) and self-check-form.js (the decision aid's form). Pages that are ES modules may
 * import them; this classic script loads them for the others and attaches window.selfCheck:
 *
 *   selfCheck.mount(container, getLatestResult, options?)   self-check-form.js's mount
 *   selfCheck.render(container, key, answers, options?)     self-check-feedback.js's renderFeedback
 *   selfCheck.readAnswers(form, key)                        self-check-controls.js's readAnswers
 *   selfCheck.wire(form, key)                               self-check-controls.js's wireQuestions
 *
 * Once window.selfCheck is complete "self-check:ready" is dispatched on window, so a page script can do
 *   if (window.selfCheck && window.selfCheck.mount) start();
 *   else window.addEventListener("self-check:ready", start, {once: true});
 */
(function () {
  "use strict";

  // Instant navigation runs this script again on each visit: the modules, once loaded, stay.
  if (window.selfCheck && window.selfCheck.mount) {
    window.dispatchEvent(new Event("self-check:ready"));
    return;
  }
  const base = document.currentScript ? document.currentScript.src : new URL("javascripts/", window.decisionAid.siteRoot).href;

  Promise.all([import(new URL("self-check-form.js", base).href), import(new URL("self-check-controls.js", base).href),
    import(new URL("self-check-feedback.js", base).href)]).then(([form, controls, feedback]) => {
    window.selfCheck = { mount: form.mount, render: feedback.renderFeedback, readAnswers: controls.readAnswers, wire: controls.wireQuestions };
    window.dispatchEvent(new Event("self-check:ready"));
  });
})();
