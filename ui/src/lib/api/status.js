/** The gateway's public REST status endpoint, `GET /api/status`. */

/**
 * @typedef {object} Status
 * @property {string} version
 * @property {string} system_name
 * @property {boolean} setup
 * @property {Record<string, boolean>} login_methods
 * @property {number} quota_per_unit
 */

/**
 * Fetch the server status; rejects with a readable Error on any failure.
 * @param {AbortSignal} [signal]
 * @returns {Promise<Status>}
 */
export async function fetchStatus(signal) {
  let response;
  try {
    response = await fetch('/api/status', { signal, headers: { Accept: 'application/json' } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new Error('The server could not be reached.');
  }
  if (!response.ok) {
    throw new Error(`The server answered HTTP ${response.status}.`);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error('The server did not answer with JSON.');
  }
  if (!body?.success || typeof body.data !== 'object' || body.data === null) {
    throw new Error(body?.message || 'The server reported a failure.');
  }
  return body.data;
}
