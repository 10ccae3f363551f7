// The issue page while the PDF is being produced: reload it every few seconds so the
// result shows by itself, with a button to stop (WCAG 2.2.1: a timed refresh the user
// can turn off, where <meta http-equiv="refresh"> offers no way to). Without JavaScript,
// the page's "Refresh this page" link does the same by hand.
const progress = document.querySelector("[data-refresh-seconds]");
if (progress) {
  const seconds = Number(progress.dataset.refreshSeconds) || 3;
  const timer = setTimeout(() => window.location.reload(), seconds * 1000);
  const stop = document.createElement("button");
  stop.type = "button";
  stop.className = "govuk-button govuk-button--secondary";
  stop.textContent = "Stop refreshing this page";
  stop.addEventListener("click", () => {
    clearTimeout(timer);
    stop.remove();
    progress.removeAttribute("data-refresh-seconds");
  });
  progress.after(stop);
}
