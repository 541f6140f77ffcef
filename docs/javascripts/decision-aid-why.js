// "Why" links that keep the case: the cited section of the manual opens in a
// dialog over the decision aid, with its text taken from the site's own page
// (fetched once per visit), and a link to open it in a new tab. A click with a
// modifier key (or the middle button) is left to the browser.
//
// The open dialog is a step in the browser's history, as a page would be: opening it
// adds a step (same address; its state names the manual's section, never anything of
// the case), Back closes it and leaves the page and the case as they were, Forward
// opens it again. Closing it by its button, Escape or the backdrop goes back that step,
// so the history holds no step that does nothing. A link followed from the section
// takes the dialog's step back first: Back from that page returns to the decision aid.
// Material's instant navigation is not told of these steps (the address does not change).
//
// A page may give the sections itself (`localSection`): the procedure workbench does, for a
// draft's chapter that is not published. Such a section is words only, described by the rules (paragraphs, lists, table
// rows); it is drawn here as text, never as markup, and has no page to open in a new tab.

const pages = new Map();

async function manualPage(url) {
  if (!pages.has(url)) {
    pages.set(url, fetch(url, { credentials: "same-origin" }).then((response) => {
      if (!response.ok) throw new Error(`the page answered ${response.status}`);
      return response.text();
    }).then((text) => new DOMParser().parseFromString(text, "text/html")));
  }
  try {
    return await pages.get(url);
  } catch (error) {
    pages.delete(url);
    throw error;
  }
}

function headingLevel(node) {
  const match = /^H([1-6])$/.exec(node.tagName || "");
  return match ? Number(match[1]) : null;
}

/** The section that starts at the heading `anchor` names: the heading's text and what follows it up to the next heading as high. */
export function sectionOf(doc, anchor, pageUrl) {
  const target = doc.getElementById(anchor);
  if (!target) return null;
  const heading = headingLevel(target) ? target : target.closest("h1, h2, h3, h4, h5, h6");
  const start = heading || target;
  const level = heading ? headingLevel(heading) : 7;
  const body = document.createElement("div");
  for (let node = start.nextElementSibling; node; node = node.nextElementSibling) {
    const next = headingLevel(node);
    if (next && next <= level) break;
    body.append(document.importNode(node, true));
  }
  // The copy sits in another page: its ids would clash, and its links are relative to where it came from.
  for (const node of body.querySelectorAll("[id]")) node.removeAttribute("id");
  for (const node of body.querySelectorAll(".headerlink")) node.remove();
  for (const link of body.querySelectorAll("a[href]")) link.href = new URL(link.getAttribute("href"), pageUrl).href;
  const title = (heading || target).cloneNode(true);
  for (const node of title.querySelectorAll(".headerlink")) node.remove();
  return { title: title.textContent.trim(), body };
}

function words(tag, text) {
  return Object.assign(document.createElement(tag), { textContent: text });
}

// One block of a given section, as its words: a paragraph, a heading, a list or a table (see decision_aid/workbench/sections.py).
function blockNode(block) {
  if (Array.isArray(block.items)) {
    const list = document.createElement(block.ordered ? "ol" : "ul");
    list.append(...block.items.map((item) => words("li", item)));
    return list;
  }
  if (Array.isArray(block.rows)) {
    const table = document.createElement("table");
    const [first, ...rest] = block.rows;
    if (first && block.header) table.createTHead().insertRow().append(...first.map((cell) => words("th", cell)));
    const body = table.createTBody();
    (block.header ? rest : block.rows).forEach((cells) => body.insertRow().append(...cells.map((cell) => words("td", cell))));
    return table;
  }
  if (typeof block.heading === "string") return words("h3", block.heading);
  const paragraph = words("p", block.text);
  if (block.note) paragraph.className = "da-why-dialog__generated";
  return paragraph;
}

function dialogTemplate() {
  const dialog = document.createElement("dialog");
  dialog.className = "da-why-dialog";
  dialog.setAttribute("aria-labelledby", "da-why-title");
  dialog.setAttribute("data-da-why-dialog", "");
  dialog.innerHTML = `<div class="da-why-dialog__inner md-typeset"><div class="da-why-dialog__bar">
      <p class="da-why-dialog__chapter" data-da-why-chapter></p>
      <button type="button" class="da-button da-button--secondary da-button--small" data-da-why-close>Close</button>
    </div>
    <h2 class="da-why-dialog__title" id="da-why-title" data-da-why-title></h2>
    <p class="da-why-dialog__source" data-da-why-source></p>
    <div class="da-why-dialog__text" data-da-why-text></div>
    <p class="da-why-dialog__note" data-da-why-note hidden></p>
    <p class="da-why-dialog__open"><a data-da-why-open target="_blank" rel="noopener"></a></p></div>`;
  return dialog;
}

const STATE_KEY = "daWhySection";
// If the browser does not answer Back (no step to go back to), the dialog closes anyway.
const BACK_WAIT_MS = 600;

function ours(state) {
  return Boolean(state && typeof state === "object" && state[STATE_KEY]);
}

function plainClick(event) {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

// Follow a link as a click on it in the page would: Material's instant navigation takes it.
function follow(href) {
  const link = document.createElement("a");
  link.href = href;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}

/** Open "Why" links found in `container` in a dialog; returns a function that stops it. `localSection(anchor)`, if given,
 * is asked first for the section a link cites: { chapter, title, blocks, note } to show, or null for the published page's. */
export function mountWhyDialog(container, { procedureLabel, localSection = () => null }) {
  const dialog = dialogTemplate();
  document.body.append(dialog);
  let opener = null;
  let ticket = 0;
  let closingByHistory = false;
  let waiting = null;
  // Whether the history's current step is the dialog's, and its address.
  let onStep = false;
  let stepAddress = null;

  // Fill the dialog with the section `entry` names ({href, section, source}) and show it.
  async function show(entry) {
    const url = new URL(entry.href);
    const anchor = decodeURIComponent(url.hash.slice(1));
    const pageUrl = `${url.origin}${url.pathname}`;
    const mine = ++ticket;
    const label = procedureLabel();
    const chapter = dialog.querySelector("[data-da-why-chapter]");
    chapter.textContent = label ? `${label} chapter of this manual` : "From this manual";
    dialog.querySelector("[data-da-why-title]").textContent = entry.section || "The cited section";
    dialog.querySelector("[data-da-why-source]").textContent = entry.source ? `Source: ${entry.source}` : "";
    const text = dialog.querySelector("[data-da-why-text]");
    text.replaceChildren(Object.assign(document.createElement("p"), { textContent: "Loading the section…" }));
    const openLink = dialog.querySelector("[data-da-why-open]");
    openLink.href = entry.href;
    openLink.textContent = `Open ${entry.section || "the section"} in a new tab`;
    const note = dialog.querySelector("[data-da-why-note]");
    const given = localSection(anchor);
    openLink.parentElement.hidden = Boolean(given);
    note.hidden = !(given && given.note);
    note.textContent = given ? given.note || "" : "";
    if (given) {
      chapter.textContent = given.chapter;
      if (given.title) dialog.querySelector("[data-da-why-title]").textContent = given.title;
      text.replaceChildren(...(given.blocks || []).map(blockNode));
      dialog.dataset.loaded = anchor;
    }
    if (!dialog.open) dialog.showModal();
    dialog.querySelector("[data-da-why-close]").focus();
    if (given) return;
    try {
      const doc = await manualPage(pageUrl);
      const section = sectionOf(doc, anchor, pageUrl);
      if (mine !== ticket) return;
      if (!section) throw new Error("the section was not found on its page");
      if (!label) chapter.textContent = `From ${doc.querySelector("h1")?.textContent.trim() || "this manual"}`;
      dialog.querySelector("[data-da-why-title]").textContent = section.title;
      text.replaceChildren(...section.body.childNodes);
      dialog.dataset.loaded = anchor;
    } catch {
      if (mine !== ticket) return;
      text.replaceChildren(Object.assign(document.createElement("p"), { textContent: "The section's text could not be shown here. Open it in a new tab with the link below." }));
    }
  }

  function open(link) {
    opener = link;
    const entry = { href: link.href, section: link.dataset.section || "", source: link.dataset.sourceSection || "" };
    // Material keeps the page's scroll offset (x, y) in the state: coming back to this step from another page scrolls as it was.
    history.pushState({ x: window.scrollX, y: window.scrollY, [STATE_KEY]: entry }, "");
    onStep = true;
    stepAddress = location.href;
    show(entry);
  }

  function closeNow() {
    clearTimeout(waiting);
    if (!dialog.open) return;
    closingByHistory = true;
    dialog.close();
  }

  // Close by going back the step opening it added; the dialog closes when the browser has gone back.
  function requestClose() {
    if (!ours(history.state)) return closeNow();
    clearTimeout(waiting);
    waiting = setTimeout(closeNow, BACK_WAIT_MS);
    history.back();
  }

  // Going to or from the dialog's step, the address stays the same: the step is this module's
  // alone, and Material's instant navigation is not told (it would draw the page again).
  // Returns true for such a step (window.onOwnHistoryStep, page-mount.js).
  function onPopState(event) {
    const mine = ours(event.state) || onStep;
    onStep = ours(event.state);
    if (!mine) return false;
    if (ours(event.state)) {
      clearTimeout(waiting);
      if (!dialog.open) show(event.state[STATE_KEY]);
    } else {
      closeNow();
    }
    return location.href === stepAddress;
  }

  function onClick(event) {
    const link = event.target.closest("a[data-da-why]");
    if (!link || !plainClick(event)) return;
    // Handled here, not by Material's instant navigation, which would leave the decision aid.
    event.preventDefault();
    event.stopPropagation();
    open(link);
  }

  function onDialogClick(event) {
    if (event.target.closest("[data-da-why-close]") || event.target === dialog) {
      requestClose();
      return;
    }
    const link = event.target.closest("a[href]");
    if (!link || link.target || !plainClick(event) || !ours(history.state)) return;
    event.preventDefault();
    event.stopPropagation();
    const href = link.href;
    window.addEventListener("popstate", () => follow(href), { once: true });
    requestClose();
  }

  // Escape: the same as the Close button. Where the browser will not hold the dialog open, it closes, and onClose goes back.
  function onCancel(event) {
    if (!event.cancelable) return;
    event.preventDefault();
    requestClose();
  }

  function onClose() {
    ticket += 1;
    delete dialog.dataset.loaded;
    if (!closingByHistory && ours(history.state)) history.back();
    closingByHistory = false;
    if (opener && opener.isConnected) opener.focus({ preventScroll: true });
    opener = null;
  }

  container.addEventListener("click", onClick);
  dialog.addEventListener("click", onDialogClick);
  dialog.addEventListener("cancel", onCancel);
  dialog.addEventListener("close", onClose);
  const stopSteps = window.onOwnHistoryStep(onPopState);
  // Back from another page to the dialog's step (or a reload of it): the dialog is open again.
  if (ours(history.state)) {
    onStep = true;
    stepAddress = location.href;
    show(history.state[STATE_KEY]);
  }
  return () => {
    container.removeEventListener("click", onClick);
    stopSteps();
    clearTimeout(waiting);
    closingByHistory = true;
    if (dialog.open) dialog.close();
    dialog.remove();
  };
}
