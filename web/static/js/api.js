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

/** The exercises matching `filters` ({pattern, quality}), as the server filters them. */
export async function filtered(filters) {
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  if ([...query].length === 0) return exercises();
  return (await getJSON(`/api/exercises?${query}`)).exercises;
}

/** One exercise by slug (from the full list when it is already here). */
export async function exercise(slug) {
  if (all) {
    const found = (await all).find((e) => e.slug === slug);
    if (found) return found;
  }
  return getJSON(`/api/exercises/${encodeURIComponent(slug)}`);
}
