/**
 * Words too common in incident titles and summaries to say anything about which runbook fits or
 * which past incident was alike.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  'a an and are as at be by for from in is it of on or the to with down up high low slow elevated errors error issue issues incident outage degraded failing failed failure not no after before during'.split(' '),
);

/** The distinct words of a text worth matching on: lower case, two letters or more, no stopwords. */
export function significantWords(text: string): string[] {
  return [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u))].filter((w) => w.length > 1 && !STOPWORDS.has(w));
}
