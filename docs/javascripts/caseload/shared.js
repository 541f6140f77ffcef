// What the caseload page's modules share: number and date formats, building elements, the rules.

export const number = new Intl.NumberFormat("en-GB");
const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export function formatDate(iso) {
  return iso ? dateFormat.format(new Date(`${iso}T00:00:00Z`)) : "";
}

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

/** window.decisionAid, once the site's runtime script has defined it. */
export function rules() {
  if (window.decisionAid) return Promise.resolve(window.decisionAid);
  return new Promise((resolve, reject) => {
    let tries = 0;
    const timer = setInterval(() => {
      if (window.decisionAid) {
        clearInterval(timer);
        resolve(window.decisionAid);
      } else if (++tries > 200) {
        clearInterval(timer);
        reject(new Error("The site's rules script did not load."));
      }
    }, 50);
  });
}
