// One escaper for every string that reaches report.html: gateway text is hostile.
import { showControls } from './report-text.ts';

/** Escapes text for HTML/SVG element content and quoted attributes; controls become visible escapes. */
export function htmlEscape(text: string): string {
  return showControls(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
