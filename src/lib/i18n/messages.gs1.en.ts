import type { gs1Vi } from './messages.gs1.vi.ts';

export const gs1En: Record<keyof typeof gs1Vi, string> = {
  'trace.dl.error.query_ai': 'A GS1 Application Identifier (AI) in the query string has a value in the wrong format.',
  'trace.dl.error.compressed': 'This compressed GS1 Digital Link cannot be decompressed.',
  'trace.dl.notFound.linkType': 'This item has no link of the requested type. The links it has are listed in the Link header.',
  'trace.dl.choices': 'Several links match',
  'trace.dl.choices.help': 'Please choose one of these links:',
};
