// A registry over its pull rate limit answers 429 (Docker Hub: "toomanyrequests: You have reached
// your unauthenticated pull rate limit"); the kubelet keeps retrying in ImagePullBackOff, so a wait
// only times out. Where that is the reason, say so and what helps.

// The 429 on one line after the pull it is about, as the kubelet's messages and events put it
// ("Back-off pulling image …: … 429 Too Many Requests - Server message: toomanyrequests: …",
// "Failed to pull image …"): an application's own 429 in its log is no refused pull.
const RATE_LIMITED = /pull(?:ing)? image[^\n]*(?:toomanyrequests|429 Too Many Requests|pull rate limit)/i;

const PULL_LIMIT_HINT =
  'hint: a registry refused an image pull over its rate limit (Docker Hub limits anonymous pulls per IP address). ' +
  'Give the nodes credentials for it (an imagePullSecret, or a docker config.json for the kubelet), ' +
  'or wait until the limit allows pulls again and resume with --from.';

/** The hint when `text` (a wait's message, pods' states and events) shows a rate-limited pull. */
export function pullLimitHint(text: string): string | undefined {
  return RATE_LIMITED.test(text) ? PULL_LIMIT_HINT : undefined;
}

/** `text` with the hint appended when it applies. */
export function withPullLimitHint(text: string): string {
  const hint = pullLimitHint(text);
  return hint ? `${text}\n${hint}` : text;
}
