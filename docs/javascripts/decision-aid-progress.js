// The progress line under the decision aid page's status message, while the rules load.

const COMPARISON_PATH = "reference/comparison/";

function megabytes(bytes) {
  return (bytes / 1e6).toFixed(1);
}

function progressText(progress) {
  if (!progress || !progress.received) return "Downloading the rules.";
  if (progress.done) return `Starting the rules (${megabytes(progress.total)} MB downloaded).`;
  if (progress.total === null) return `Downloading the rules: ${megabytes(progress.received)} MB so far.`;
  return `Downloading the rules: ${megabytes(progress.received)} of ${megabytes(progress.total)} MB.`;
}

// A line under the page's status message: how much of the runtime has arrived
// while it loads, with the timescale tables one link away; after a failed load,
// a Retry button. Only on a page with a status box ([data-da-status]).
export function showProgress(status, client) {
  const line = document.createElement("p");
  line.className = "da-status__progress";
  line.dataset.daProgress = "";
  const text = document.createElement("span");
  const link = document.createElement("a");
  link.href = new URL(COMPARISON_PATH, client.siteRoot).href;
  link.textContent = "the comparison of the procedures";
  const meanwhile = document.createElement("span");
  meanwhile.append(" Meanwhile, every timescale is in ", link, ".");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-button";
  button.dataset.daRetry = "";
  button.textContent = "Retry";
  button.addEventListener("click", () => client.retry());
  line.append(text, meanwhile, button);
  status.append(line);
  const draw = () => {
    const loading = client.state.status === "loading";
    const failed = client.state.status === "failed" && client.state.canRetry;
    line.hidden = !loading && !failed;
    text.textContent = failed ? "Retry to load the rules again; what has already arrived is not downloaded again." : progressText(client.progress);
    meanwhile.hidden = failed;
    button.style.display = failed ? "" : "none"; // (Material's .md-button would override `hidden`)
  };
  const stopState = client.onStateChange(draw);
  const stopProgress = client.onProgress(draw);
  return () => {
    stopState();
    stopProgress();
    line.remove();
  };
}
