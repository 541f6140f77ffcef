// What the caseload page's modules share: the number format of counts, filling the page's own
// sentences, building elements, the rules. Dates and the results' words come from the rules.

export { runs } from "../decision-aid-answer.js";

export const number = new Intl.NumberFormat("en-GB");

/** One of the page's own sentences (from its HTML) with each {name} replaced by values[name]. */
export function fill(text, values = {}) {
  return (text || "").replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** Today's date on this computer, as the date input holds it (YYYY-MM-DD). */
export function todayIso() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export function download(blob, name) {
  const link = element("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

/** window.decisionAid, once the site's runtime script has defined it; `missing` is the message if it never does. */
export function rules(missing) {
  if (window.decisionAid) return Promise.resolve(window.decisionAid);
  return new Promise((resolve, reject) => {
    let tries = 0;
    const timer = setInterval(() => {
      if (window.decisionAid) {
        clearInterval(timer);
        resolve(window.decisionAid);
      } else if (++tries > 200) {
        clearInterval(timer);
        reject(new Error(missing));
      }
    }, 50);
  });
}
