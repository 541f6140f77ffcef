/*
 * Self-check's form: selfCheck.mount(container, getLatestResult, options?), a small form
 * ("What did you decide?": next step, date, chair) whose answer is checked against the
 * procedure's (see self-check.js, which loads this script and whose functions it uses).
 * Returns {form, feedback, update(), destroy()}.
 *
 * When it has run, window.selfCheck is complete and "self-check:ready" is dispatched on window,
 * so a page script can do
 *   if (window.selfCheck && window.selfCheck.mount) start();
 *   else window.addEventListener("self-check:ready", start, {once: true});
 *
 * Nothing the user enters is sent anywhere or stored: it lives in the page while it is open.
 */
(function () {
  "use strict";

  const { el, isResult, render, stepKinds } = window.selfCheck;

  let mountCount = 0;

  /** A "What did you decide?" form in `container`, checked against getLatestResult(). */
  function mount(container, getLatestResult, options) {
    options = options || {};
    const id = `self-check-${++mountCount}`;
    const options_ = Object.entries(stepKinds())
      .map(([kind, words]) => `<option value="${kind}">${words.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</option>`).join("");
    const roleOptions = roles => Object.entries(roles || {})
      .map(([role, label]) => `<option value="${role}">${String(label).replace(/&/g, "&amp;").replace(/</g, "&lt;")}</option>`).join("");
    const form = document.createElement("form");
    form.className = "self-check";
    form.noValidate = true;
    form.setAttribute("aria-labelledby", `${id}-title`);
    form.innerHTML = `
      <fieldset class="self-check__fieldset">
        <legend id="${id}-title">What did you decide? Check it against the procedure</legend>
        <p class="self-check__hint" id="${id}-hint">Fill in what you decided for this case; leave out anything you have not decided.
          Nothing you enter leaves this page or is kept.</p>
        <div class="self-check__field"><label for="${id}-step">Next step</label>
          <select id="${id}-step" name="next_step" aria-describedby="${id}-hint"><option value="">Not decided</option>${options_}</select></div>
        <div class="self-check__field"><label for="${id}-due">By (date)</label>
          <input type="date" id="${id}-due" name="due" min="2010-01-01" max="2039-12-31"></div>
        <div class="self-check__field"><label for="${id}-chair">Chaired by</label>
          <select id="${id}-chair" name="chair"><option value="">Not decided</option><option value="none">No one chairs this step</option>${roleOptions(options.roles || {})}</select></div>
        <button type="submit" class="md-button md-button--primary">Check my decision</button>
      </fieldset>`;
    const feedback = document.createElement("div");
    feedback.className = "self-check__feedback";
    feedback.setAttribute("aria-live", "polite");
    container.append(form, feedback);

    function fillRoles(roles) {
      const select = form.elements.chair;
      if (select.options.length > 2 || !roles) return;
      select.insertAdjacentHTML("beforeend", roleOptions(roles));
    }

    async function onSubmit(event) {
      event.preventDefault();
      let result;
      try {
        result = await getLatestResult();
      } catch (error) {
        result = null;
      }
      if (!result || !isResult(result)) {
        feedback.replaceChildren(el("p", { class: "self-check__notice",
          text: "There is no answer from the decision aid yet. Enter the case and get its answer first, then check your decision." }));
        return;
      }
      fillRoles(result.roles);
      const decision = {};
      ["next_step", "due", "chair"].forEach(name => {
        if (form.elements[name].value) decision[name] = form.elements[name].value;
      });
      if (!Object.keys(decision).length) {
        feedback.replaceChildren(el("p", { class: "self-check__notice",
          text: "Enter at least one part of your decision: the next step, its date or who chairs it." }));
        return;
      }
      render(feedback, result, decision, { siteRoot: options.siteRoot, roles: result.roles });
    }

    form.addEventListener("submit", onSubmit);
    return {
      form, feedback,
      /** Refresh the chair list from the latest result (call after each new answer, optional). */
      update() {
        Promise.resolve(getLatestResult()).then(result => { if (isResult(result)) fillRoles(result.roles); }, () => {});
      },
      destroy() {
        form.removeEventListener("submit", onSubmit);
        form.remove();
        feedback.remove();
      },
    };
  }

  window.selfCheck.mount = mount;
  window.dispatchEvent(new Event("self-check:ready"));
})();
