import { describe, expect, it } from 'vitest';
import { checkWebhookUrl } from './webhook-url.js';

describe('checkWebhookUrl', () => {
  it('accepts http(s) URLs', () => {
    expect(checkWebhookUrl(' https://shop.example/hooks ')).toEqual({ url: 'https://shop.example/hooks' });
  });
  it('explains what is wrong', () => {
    expect(checkWebhookUrl('')).toEqual({ error: 'Enter the URL of your webhook endpoint.' });
    expect(checkWebhookUrl('not a url')).toEqual({
      error: 'Enter a full URL such as https://example.com/webhooks/payday.',
    });
    expect(checkWebhookUrl('ftp://shop.example/x')).toEqual({ error: 'The URL must start with https://.' });
    expect(checkWebhookUrl('https://u:p@shop.example/')).toEqual({
      error: 'Remove the user name and password from the URL.',
    });
  });
});
