/**
 * A first check of a webhook endpoint URL typed into the dashboard, for a message a person can
 * act on. It is not the security boundary: the API validates again and refuses private and
 * loopback targets at registration, and the worker refuses them again when it delivers (SSRF
 * guard; DNS answers can change in between).
 */
export function checkWebhookUrl(input: string): { url: string } | { error: string } {
  const text = input.trim();
  if (!text) return { error: 'Enter the URL of your webhook endpoint.' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: 'Enter a full URL such as https://example.com/webhooks/payday.' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { error: 'The URL must start with https://.' };
  }
  if (url.username || url.password) return { error: 'Remove the user name and password from the URL.' };
  if (text.length > 2048) return { error: 'The URL is too long (at most 2048 characters).' };
  return { url: url.toString() };
}
