/** The server's catalogue over fetch; a non-2xx answer is a failure, never data. */

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const error = new Error(`${url} answered ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

let all = null;

/** Every exercise of the catalogue (fetched once per page load). */
export function exercises() {
  all ??= getJSON('/api/exercises').then((body) => body.exercises).catch((error) => {
    all = null; // let the next call try again
    throw error;
  });
  return all;
}

/**
 * The exercises matching `filters` ({pattern, quality}) in catalogue order, as the server's
 * filters would pick them, but from the full list, so they work offline too.
 */
export async function filtered({ pattern, quality }) {
  return (await exercises()).filter((e) => (!pattern || e.pattern === pattern) && (!quality || e.qualities.includes(quality)));
}

/** One exercise by slug: from the full list (cached for offline use), else asked for alone. */
export async function exercise(slug) {
  const found = (await exercises().catch(() => [])).find((e) => e.slug === slug);
  return found ?? getJSON(`/api/exercises/${encodeURIComponent(slug)}`);
}
