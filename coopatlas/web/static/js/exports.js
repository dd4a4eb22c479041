// Exports of the search, run by the server's processes: the PDF report (`rapport`), the country map
// (`carte-pays`) and the IATI 2.03 activity file (`export-iati`) as asynchronous jobs whose progress is
// shown, and the results as CSV (items, f=csv).
import * as api from "./api.js";

/** The maximum number of rows of the CSV link (one request of the Features API). */
export const CSV_LIMIT = 10000;

export function csvUrl(collection, query) {
  return api.url(`/collections/${collection}/items`, { ...query, f: "csv", limit: CSV_LIMIT });
}

/** Run `process` as a job, showing its progress in a new line of `box`; ends with a download link. */
export async function runJob(box, process, inputs, label, filename, t) {
  const line = document.createElement("p");
  line.className = "job";
  line.dataset.process = process;
  const progress = document.createElement("progress");
  progress.max = 100;
  progress.value = 0;
  progress.setAttribute("aria-label", label);
  const text = document.createElement("span");
  text.textContent = `${label} : ${t.job_started}`;
  line.append(text, " ", progress);
  box.prepend(line);
  try {
    const jobUrl = await api.startJob(process, inputs);
    line.dataset.job = jobUrl;
    const results = await api.waitJob(jobUrl, (percent) => {
      progress.value = percent;
      text.textContent = `${label} : ${t.job_running.replace("{p}", Math.round(percent))}`;
    });
    progress.value = 100;
    const link = document.createElement("a");
    link.href = results;
    link.download = filename;
    link.className = "result-file";
    link.textContent = `${label} : ${t.job_done}`;
    line.replaceChildren(link);
    line.dataset.state = "successful";
    return link;
  } catch (error) {
    line.dataset.state = "failed";
    text.textContent = `${label} : ${t.job_failed.replace("{m}", error.message)}`;
    progress.remove();
    return null;
  }
}
