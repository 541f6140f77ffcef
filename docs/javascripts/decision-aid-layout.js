// Where the decision aid's parts sit on screen, so that nothing sticky covers what the
// reader is working with (WCAG 2.2, 2.4.11 Focus Not Obscured) and every part of the
// answer is reached by scrolling the page itself.
//
// * Wide screens: the answer sits beside the questions and keeps its top in view while
//   the questions scroll (position: sticky, decision-aid.css). It has no scroll area of
//   its own: where it is taller than the window, the column of questions is given room
//   below it (--da-answer-overflow, the part of the answer the window cannot show), so
//   that scrolling the page past the questions brings the rest of the answer, its
//   actions included, into view. A control of the answer reached with the keyboard
//   below the window's foot moves the answer up until it is in view (--da-answer-top).
// * Narrow screens: the line at the foot of the window ("Next: ...") is sticky. Its
//   height is kept in --da-bar-height, which the page's scroll padding reserves, so a
//   control the focus moves to is scrolled clear of it; a control it still covers, or
//   the header covers, is scrolled into the clear.

const GAP_PX = 8;


function px(value) {
  return `${Math.max(0, Math.ceil(value))}px`;
}

// A measure changed only where it differs, so an unchanged one costs the browser no new style.
function set(element, name, value) {
  if (element.style.getPropertyValue(name) !== value) element.style.setProperty(name, value);
}

function shown(element) {
  return Boolean(element && !element.hidden && element.getClientRects().length && getComputedStyle(element).display !== "none");
}

/** Keep the answer's and the line's measures up to date for `root`; returns a function that stops it. */
export function mountLayout(root, { answer, line }) {
  const html = document.documentElement;
  const header = () => document.querySelector(".md-header");

  function headerBottom() {
    const bar = header();
    return bar ? Math.max(0, bar.getBoundingClientRect().bottom) : 0;
  }

  function sticky() {
    return getComputedStyle(answer).position === "sticky";
  }

  // Every measure is read before any is written: a write between two reads would make the browser
  // lay the page out again, at once, to answer the second.
  function measure() {
    const top = headerBottom();
    const bar = shown(line) ? line.getBoundingClientRect().height + GAP_PX : 0;
    const overflow = sticky() ? answer.getBoundingClientRect().height + top + GAP_PX - window.innerHeight : 0;
    set(html, "--da-bar-height", px(bar));
    set(html, "--da-header-height", px(top + GAP_PX));
    set(root, "--da-answer-overflow", px(overflow));
  }

  // What covers the foot of the window: the line, where it is shown (and is not what has the focus).
  function footCovered() {
    if (!shown(line) || line.contains(document.activeElement)) return 0;
    return Math.max(0, window.innerHeight - line.getBoundingClientRect().top);
  }

  // How far `rect` must move up (down, if negative) to be clear of the header and of the line; the
  // top of a control taller than the space between them is shown.
  function shiftFor(rect) {
    const top = headerBottom() + GAP_PX;
    const bottom = window.innerHeight - footCovered() - GAP_PX;
    if (rect.height > bottom - top) return rect.top - top;
    if (rect.bottom > bottom) return rect.bottom - bottom;
    if (rect.top < top) return rect.top - top;
    return 0;
  }

  // The answer's own pinned top, below the header (3.2rem in decision-aid.css).
  function defaultTop() {
    return 3.2 * parseFloat(getComputedStyle(html).fontSize);
  }

  function releaseAnswer() {
    root.style.removeProperty("--da-answer-top");
  }

  // Once the browser has scrolled the focused control into view (as it sees the view), move the
  // pinned answer, or the page, so that the control is in the window and nothing sticky covers it.
  function clear(target) {
    for (let tries = 0; tries < 3; tries += 1) {
      if (!target.isConnected || target !== document.activeElement) return;
      const shift = shiftFor(target.getBoundingClientRect());
      if (Math.abs(shift) < 1) return;
      if (answer.contains(target) && sticky()) {
        const height = answer.getBoundingClientRect().height;
        const lowest = Math.min(defaultTop(), window.innerHeight - height - GAP_PX);
        const wanted = Math.min(defaultTop(), Math.max(lowest, answer.getBoundingClientRect().top - shift));
        root.style.setProperty("--da-answer-top", `${wanted}px`);
        const left = shiftFor(target.getBoundingClientRect());
        if (Math.abs(left) < 1) return;
        window.scrollBy({ top: left, behavior: "instant" });
      } else {
        window.scrollBy({ top: shift, behavior: "instant" });
      }
    }
  }

  function onFocusIn(event) {
    if (!answer.contains(event.target)) releaseAnswer();
    requestAnimationFrame(() => clear(event.target));
  }

  const observer = new ResizeObserver(measure);
  observer.observe(answer);
  observer.observe(line);
  observer.observe(root);
  window.addEventListener("resize", measure);
  document.addEventListener("focusin", onFocusIn);
  measure();

  return () => {
    observer.disconnect();
    window.removeEventListener("resize", measure);
    document.removeEventListener("focusin", onFocusIn);
    html.style.removeProperty("--da-bar-height");
    html.style.removeProperty("--da-header-height");
  };
}
