// Turns a generated configuration into the text users save: a `#` comment header, then YAML.
import { stringify } from 'yaml';
import type { GeneratedConfig } from './config-options.ts';

/** The file text: header comment lines, then the documents separated by `---` (one for most targets). */
export function renderConfig(config: GeneratedConfig): string {
  const header = config.header.map((line) => (line === '' ? '#' : `# ${line}`)).join('\n');
  // lineWidth 0: never fold long strings (URLs, regex paths); no anchors: shared objects are written out each time.
  const body = config.documents.map((document) => stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
  return `${header}\n${body}`;
}
