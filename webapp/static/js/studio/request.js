// The one way studio pages send a request that changes something: same-origin cookies,
// the page's CSRF token (from <meta name="csrf-token">) in X-CSRFToken, and a refusal in
// the house error shape ({"error": {"code", "message", "detail"}}) thrown as an Error
// whose message is the server's sentence in the curator's language.

export function csrfHeaders(headers = {}) {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  return { ...headers, "X-CSRFToken": token };
}

// POST ``body`` (a FormData, or any other value sent as JSON) to ``url``; the JSON answer.
export async function post(url, body) {
  const form = body instanceof FormData;
  const headers = { Accept: "application/json" };
  if (!form) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method: "POST",
    headers: csrfHeaders(headers),
    body: form ? body : JSON.stringify(body),
    credentials: "same-origin",
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(answer.error ? answer.error.message : response.statusText);
    error.status = response.status;
    error.code = answer.error ? answer.error.code : undefined;
    throw error;
  }
  return answer;
}
