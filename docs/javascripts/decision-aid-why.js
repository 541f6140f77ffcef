// "Why" links that keep the case: the cited section of the manual opens in a
// dialog over the decision aid, with its text taken from the site's own page
// (fetched once per visit), and a link to open it in a new tab. A click with a
// modifier key (or the middle button) is left to the browser.

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
    <p class="da-why-dialog__open"><a data-da-why-open target="_blank" rel="noopener"></a></p></div>`;
  return dialog;
}

/** Open "Why" links found in `container` in a dialog; returns a function that stops it. */
export function mountWhyDialog(container, { procedureLabel }) {
  const dialog = dialogTemplate();
  document.body.append(dialog);
  let opener = null;
  let ticket = 0;

  async function open(link) {
    const url = new URL(link.href);
    const anchor = decodeURIComponent(url.hash.slice(1));
    const pageUrl = `${url.origin}${url.pathname}`;
    const mine = ++ticket;
    opener = link;
    dialog.querySelector("[data-da-why-chapter]").textContent = `${procedureLabel()} chapter of this manual`;
    dialog.querySelector("[data-da-why-title]").textContent = link.dataset.section || "The cited section";
    dialog.querySelector("[data-da-why-source]").textContent = link.dataset.sourceSection ? `Source: ${link.dataset.sourceSection}` : "";
    const text = dialog.querySelector("[data-da-why-text]");
    text.replaceChildren(Object.assign(document.createElement("p"), { textContent: "Loading the section…" }));
    const openLink = dialog.querySelector("[data-da-why-open]");
    openLink.href = link.href;
    openLink.textContent = `Open ${link.dataset.section || "the section"} in a new tab`;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector("[data-da-why-close]").focus();
    try {
      const section = sectionOf(await manualPage(pageUrl), anchor, pageUrl);
      if (mine !== ticket) return;
      if (!section) throw new Error("the section was not found on its page");
      dialog.querySelector("[data-da-why-title]").textContent = section.title;
      text.replaceChildren(...section.body.childNodes);
      dialog.dataset.loaded = anchor;
    } catch {
      if (mine !== ticket) return;
      text.replaceChildren(Object.assign(document.createElement("p"), { textContent: "The section's text could not be shown here. Open it in a new tab with the link below." }));
    }
  }

  function onClick(event) {
    const link = event.target.closest("a[data-da-why]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    // Handled here, not by Material's instant navigation, which would leave the decision aid.
    event.preventDefault();
    event.stopPropagation();
    open(link);
  }

  function onDialogClick(event) {
    if (event.target.closest("[data-da-why-close]") || event.target === dialog) dialog.close();
  }

  function onClose() {
    ticket += 1;
    delete dialog.dataset.loaded;
    if (opener && opener.isConnected) opener.focus({ preventScroll: true });
    opener = null;
  }

  container.addEventListener("click", onClick);
  dialog.addEventListener("click", onDialogClick);
  dialog.addEventListener("close", onClose);
  return () => {
    container.removeEventListener("click", onClick);
    if (dialog.open) dialog.close();
    dialog.remove();
  };
}
