import { describe, expect, it } from 'vitest';
import { isWebUrl } from './index';

describe('isWebUrl', () => {
  it('accepts absolute http and https links only', () => {
    expect(isWebUrl('https://go.dev/blog/')).toBe(true);
    expect(isWebUrl('http://example.com')).toBe(true);
  });

  it('refuses scripts, data, files, mail and relative links', () => {
    for (const href of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'mailto:a@b.c', '#top', 'other.md', '//evil.example']) {
      expect(isWebUrl(href), href).toBe(false);
    }
  });
});
