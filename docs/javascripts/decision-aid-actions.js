// The answer's actions: copy a summary for the case notes, download a calendar file, print.
// Nothing leaves the browser: the rules in this page's worker write the summary and the
// calendar file (decision_aid/page), the summary goes to the clipboard, the file is saved here.

function actionBar() {
  const bar = document.createElement("div");
  bar.className = "da-actions";
  bar.setAttribute("data-da-actions", "");
  bar.hidden = true;
  bar.innerHTML = `<button type="button" class="da-button" data-da-copy>Copy summary for case notes</button>
    <button type="button" class="da-button da-button--secondary" data-da-download>Download calendar (.ics)</button>
    <button type="button" class="da-button da-button--secondary" data-da-print>Print the answer</button>
    <p class="da-actions__status" data-da-action-status role="status"></p>`;
  return bar;
}

const CLIPBOARD_WAIT_MS = 2000;

// The Clipboard API first; if it is missing, refused or never answers (it can
// wait on focus or a permission), the older copy command on a hidden text area.
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    const timeLimit = new Promise((_, reject) => setTimeout(() => reject(new Error("no answer")), CLIPBOARD_WAIT_MS));
    try {
      await Promise.race([navigator.clipboard.writeText(text), timeLimit]);
      return;
    } catch {
      // fall through to the copy command
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "da-visually-hidden";
  document.body.append(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  if (!copied) throw new Error("copy refused");
}

function download(text, fileName) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/calendar;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The time now in UTC, as iCalendar writes it (20250301T120000Z): when the calendar file was made. */
function utcStamp(now) {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * The action bar, added to `answer` (hidden until there is an answer). `shownCase()` is the
 * case whose answer is on screen, `showAll()` whether the whole schedule was asked for,
 * `sections()` the manual's sections the answer cites.
 * Returns the bar and its status line.
 */
export function mountActions(answer, { shownCase, showAll, siteRoot, client, sections }) {
  const bar = actionBar();
  answer.append(bar);
  const actionStatus = bar.querySelector("[data-da-action-status]");

  async function made(make) {
    const request = { make, case: shownCase(), show_all: showAll(), site_root: siteRoot.href, sections: sections(), version: client.state.version || null, stamp: utcStamp(new Date()) };
    const made = JSON.parse(await client.call("page_action_json", JSON.stringify(request)));
    if (made.errors) throw new Error(made.errors.map((error) => error.message).join(" "));
    return made;
  }

  async function onAction(event) {
    try {
      await act(event);
    } catch (error) {
      actionStatus.textContent = `That did not work: ${error.message}`;
      console.error(error);
    }
  }

  async function act(event) {
    if (!shownCase()) return;
    if (event.target.closest("[data-da-copy]")) {
      const summary = await made("summary");
      try {
        await copyText(summary.text);
        actionStatus.textContent = "Summary copied. Paste it into the case notes.";
      } catch {
        actionStatus.textContent = "The summary could not be copied: this browser did not allow it.";
      }
    } else if (event.target.closest("[data-da-download]")) {
      const calendar = await made("calendar");
      download(calendar.text, calendar.file_name);
      actionStatus.textContent = "Calendar file downloaded. Open it to add the dates to your calendar.";
    } else if (event.target.closest("[data-da-print]")) {
      window.print();
    }
  }

  bar.addEventListener("click", onAction);
  return { bar, status: actionStatus };
}
